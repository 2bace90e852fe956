//! A small case computed by hand (see each figure's comment).

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn presented(learner: &str, route: AccessRoute, outcome: Outcome, blocks: u32, enrolled_on: Option<NaiveDate>) -> Presented {
    Presented { learner: learner.into(), route, published_on: day(2026, 10, 15), outcome, blocks_acquired: blocks, enrolled_on }
}

fn answer(learner: &str, on: NaiveDate, situation: Situation, target: bool, contract: Option<Contract>, rome: Option<&str>) -> Answer {
    Answer {
        learner: learner.into(),
        surveyed_on: on,
        months_after: 6,
        situation,
        in_target_job: target,
        contract,
        rome: rome.map(String::from),
    }
}

fn case() -> Statistics {
    use AccessRoute::{Apprenticeship, Vae};
    let enrolled = Some(day(2023, 9, 1));
    let mut all: Vec<Presented> = (1..=6).map(|n| presented(&format!("L{n}"), Apprenticeship, Outcome::Award, 0, enrolled)).collect();
    all.push(presented("L7", Apprenticeship, Outcome::Defer, 0, enrolled));
    all.push(presented("L8", Apprenticeship, Outcome::Refuse, 0, enrolled));
    all.push(presented("V1", Vae, Outcome::Award, 0, Some(day(2026, 1, 10))));
    all.push(presented("V2", Vae, Outcome::ValidateBlocks, 3, None));
    let mut late = presented("L9", Apprenticeship, Outcome::Refuse, 0, enrolled);
    late.published_on = day(2027, 2, 1);
    all.push(late);
    let (spring, april) = (day(2027, 3, 1), day(2027, 4, 15));
    let answers = vec![
        // L1's later answer replaces the earlier one.
        answer("L1", spring, Situation::JobSeeking, false, None, None),
        answer("L1", april, Situation::Employed, true, Some(Contract::Cdi), None),
        // In a target job by the fiche's ROME code.
        answer("L2", april, Situation::Employed, false, Some(Contract::Cdd), Some("H1206")),
        answer("L3", april, Situation::Studying, false, None, None),
        answer("L4", april, Situation::JobSeeking, false, None, None),
        answer("L5", april, Situation::Employed, true, Some(Contract::Interim), None),
        answer("L6", april, Situation::UnableToWork, false, None, None),
        answer("V1", april, Situation::Employed, false, Some(Contract::Cdi), None),
        // Not a holder: not counted.
        answer("L7", april, Situation::Employed, true, Some(Contract::Cdi), None),
    ];
    statistics("RNCP39668", &all, &answers, &["H1206".to_string()])
}

fn of<'a>(stats: &'a Statistics, year: i32, route: &str) -> &'a YearFigures {
    stats.years.iter().find(|y| y.year == year && y.route == route).unwrap()
}

fn d(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

#[test]
fn a_small_case_matches_the_hand_computation() {
    let stats = case();
    let routes: Vec<(i32, &str)> = stats.years.iter().map(|y| (y.year, y.route)).collect();
    assert_eq!(routes, [(2026, "all"), (2026, "apprenticeship"), (2026, "vae"), (2027, "all"), (2027, "apprenticeship")]);

    let all = of(&stats, 2026, "all");
    assert_eq!((all.candidates, all.awarded, all.deferred, all.refused), (10, 7, 1, 1));
    assert_eq!((all.awarded_vae, all.blocks_vae), (1, 3));
    assert_eq!(all.success_rate, d("0.7"));
    // 37 months six times (2023-09-01 → 2026-10-15) and 9 once: the median is 37.
    assert_eq!(all.median_months_to_award, d("37"));
    let six = &all.insertion["6"];
    // Seven holders answered (L7 is no holder); L3 studies and L6 cannot work: 5 counted.
    assert_eq!((six.respondents, six.neutralised, six.employed, six.in_target_job), (7, 2, 4, 3));
    assert_eq!((six.global_rate, six.target_rate, six.response_rate), (d("0.8"), d("0.6"), d("1")));
    assert_eq!(six.contracts, BTreeMap::from([(Contract::Cdi, 2), (Contract::Cdd, 1), (Contract::Interim, 1)]));
    let later = &all.insertion["24"];
    assert_eq!((later.respondents, later.global_rate, later.response_rate), (0, None, d("0")));

    // Apprentices alone: 6 answers, 2 neutralised, 4 counted: under 5, "n/a".
    let apprentices = of(&stats, 2026, "apprenticeship");
    assert_eq!((apprentices.candidates, apprentices.awarded), (8, 6));
    assert_eq!(apprentices.success_rate, d("0.75"));
    assert_eq!((apprentices.insertion["6"].respondents, apprentices.insertion["6"].global_rate), (6, None));
    let vae = of(&stats, 2026, "vae");
    assert_eq!((vae.awarded_vae, vae.blocks_vae, vae.median_months_to_award), (1, 3, d("9")));
    assert_eq!(of(&stats, 2027, "all").success_rate, d("0"));
}

#[test]
fn the_json_has_the_spec_s_shape_with_rates_as_numbers_and_null_for_n_a() {
    let json = serde_json::to_value(case()).unwrap();
    let first = &json["years"][0];
    assert_eq!(json["certification"], "RNCP39668");
    assert_eq!(first["success_rate"], 0.7);
    assert_eq!(first["insertion"]["6"]["global_rate"], 0.8);
    assert_eq!(first["insertion"]["6"]["contracts"]["cdi"], 2);
    assert!(first["insertion"]["24"]["global_rate"].is_null());
    assert!(json["years"][1]["insertion"]["6"]["target_rate"].is_null());
}

#[test]
fn months_are_whole_and_an_even_count_takes_the_middle_two() {
    assert_eq!(months_between(day(2023, 9, 15), day(2026, 10, 14)), Some(36));
    assert_eq!(months_between(day(2023, 9, 15), day(2026, 10, 15)), Some(37));
    assert_eq!(months_between(day(2026, 9, 15), day(2026, 9, 1)), None);
    assert_eq!(median(vec![10, 13]), d("11.5"));
    assert_eq!(median(vec![]), None);
}

#[test]
fn a_quarter_of_a_million_holders_are_counted_in_one_pass() {
    // Each answer is found by its learner, never by scanning the holders: 250,000 of each stay
    // linear (the quadratic scan took hours).
    let n = 250_000;
    let enrolled = Some(day(2023, 9, 1));
    let all: Vec<Presented> =
        (0..n).map(|i| presented(&format!("H{i}"), AccessRoute::Apprenticeship, Outcome::Award, 0, enrolled)).collect();
    let answers: Vec<Answer> =
        (0..n).map(|i| answer(&format!("H{i}"), day(2027, 4, 15), Situation::Employed, i % 2 == 0, Some(Contract::Cdi), None)).collect();
    let stats = statistics("RNCP39668", &all, &answers, &[]);
    let six = &of(&stats, 2026, "all").insertion["6"];
    assert_eq!((six.respondents, six.employed, six.in_target_job), (n, n, n / 2));
    assert_eq!((six.global_rate, six.target_rate), (d("1"), d("0.5")));
}

#[test]
fn situations_and_contracts_read_back_their_own_words() {
    for situation in Situation::ALL {
        assert_eq!(Situation::parse(situation.as_str()), Some(situation));
    }
    for contract in Contract::ALL {
        assert_eq!(Contract::parse(contract.as_str()), Some(contract));
    }
    assert_eq!(Situation::parse("retired"), None);
}
