//! The transcript's own fields (spec/credentials.md §1): blocks with their UEs and modules, the
//! award conditions with their evidence (company periods, mobility, English), the ECTS.

use super::*;

fn status_word(status: Option<&str>, feminine: bool) -> &'static str {
    match (status, feminine) {
        (Some("validated"), false) => "validé",
        (Some("validated"), true) => "validée",
        (Some("not_validated"), false) => "non validé",
        (Some("not_validated"), true) => "non validée",
        (_, false) => "incomplet",
        (_, true) => "incomplète",
    }
}

/// Documents are French.
fn fr_date(date: NaiveDate) -> String {
    certif_core::report::date_text(date, Lang::Fr)
}

/// The transcript's own fields: blocks with their UEs and modules, the conditions with their
/// evidence, the ECTS, the title's status.
pub(super) fn transcript(
    certification: &Certification,
    curriculum: Option<&Curriculum>,
    dossier: Option<&Dossier>,
    policy: &Policy,
    proposal: &Value,
) -> Vec<(&'static str, Value)> {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(String::from);
    let mut available = 0u64;
    let blocks: Vec<Value> = blocks_of(proposal)
        .iter()
        .map(|block| {
            let code = text(block.get("code")).unwrap_or_default();
            let by_vae = block.get("via").and_then(Value::as_str) == Some("vae");
            let ues: Vec<Value> = block
                .get("ues")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|ue| {
                    let ue_code = text(ue.get("code")).unwrap_or_default();
                    let unit = curriculum.and_then(|c| c.ues.iter().find(|u| u.code == ue_code.as_str()));
                    let ects = ue.get("ects").and_then(Value::as_u64).unwrap_or(0);
                    available += ects;
                    let status = ue.get("status").and_then(Value::as_str);
                    let earned = if by_vae || status == Some("validated") { ects } else { 0 };
                    let below: Vec<&str> =
                        ue.get("below_floor").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
                    let finals = ue.get("finals").and_then(Value::as_object);
                    let modules: Vec<Value> = finals
                        .into_iter()
                        .flatten()
                        .map(|(module, final_mark)| {
                            let known = unit.and_then(|u| u.modules.iter().find(|m| m.code == module.as_str()));
                            json!({
                                "code": module,
                                "title": known.map(|m| m.title.as_str()).unwrap_or(""),
                                "coefficient": known.map(|m| m.coefficient.normalize().to_string()),
                                "final": final_mark.as_str(),
                                "below_floor": below.contains(&module.as_str()),
                            })
                        })
                        .collect();
                    json!({
                        "code": ue_code,
                        "title": unit.map(|u| u.title.as_str()).unwrap_or(""),
                        "status": if by_vae { "acquise par VAE" } else { status_word(status, true) },
                        "average": ue.get("average").and_then(Value::as_str),
                        "ects": earned,
                        "ects_available": ects,
                        "modules": modules,
                    })
                })
                .collect();
            json!({
                "code": code,
                "title": certification.block(&code).map(|b| b.title.as_str()).unwrap_or(""),
                "status": status_word(block.get("status").and_then(Value::as_str), false),
                "via": via_of(proposal, &code),
                "ues": ues,
            })
        })
        .collect();
    let title = match proposal.pointer("/title/status").and_then(Value::as_str) {
        Some("awarded") => "délivré",
        Some("not_awarded") => "non délivré",
        _ => "incomplet",
    };
    let earned = proposal.get("ects_earned").and_then(Value::as_u64).unwrap_or(0);
    vec![
        ("blocks", Value::Array(blocks)),
        ("conditions", Value::Array(conditions(dossier, policy, proposal))),
        ("ects", json!({"earned": earned, "available": available})),
        ("title_status", json!(title)),
    ]
}

/// Each award condition with its status and evidence: what the dossier holds (route, periods,
/// stays, English certificates) and, for one not met, the reasons in words.
fn conditions(dossier: Option<&Dossier>, policy: &Policy, proposal: &Value) -> Vec<Value> {
    ["access", "registration", "company_periods", "mobility", "english"]
        .into_iter()
        .filter_map(|key| {
            let condition = proposal.pointer(&format!("/conditions/{key}"))?;
            let status = condition.get("status").and_then(Value::as_str).unwrap_or("incomplete");
            let status_words = match status {
                "met" => "remplie",
                "unmet" => "non remplie",
                "not_required" => "non requise",
                _ => "en attente",
            };
            let mut evidence = dossier.map(|d| evidence(key, d, policy)).unwrap_or_default();
            for reason in condition.get("reasons").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                let words: Option<&str> =
                    serde_json::from_value::<certif_core::ReasonCode>(json!(reason)).ok().map(|code| messages::reason(code, Lang::Fr));
                evidence.push(words.unwrap_or(reason).to_string());
            }
            Some(json!({"name": messages::condition(key, Lang::Fr), "status": status_words, "evidence": evidence}))
        })
        .collect()
}

fn score_text(score: EnglishScore) -> String {
    match score {
        EnglishScore::Points(points) => points.normalize().to_string().replace('.', ","),
        EnglishScore::Level(level) => level.as_str().to_string(),
    }
}

fn weeks(days: i64) -> String {
    let weeks = Decimal::from(days) / Decimal::from(7);
    weeks.round_dp(1).normalize().to_string().replace('.', ",")
}

/// What the dossier holds about one condition, in words.
fn evidence(key: &str, dossier: &Dossier, policy: &Policy) -> Vec<String> {
    match key {
        "access" => vec![format!("voie : {}", messages::route(dossier.access_route, Lang::Fr))],
        "registration" => vec![format!("inscription le {}", fr_date(dossier.enrolled_on))],
        "company_periods" => dossier
            .company_periods
            .iter()
            .map(|p| {
                format!("{} : du {} au {} ({} semaines)", p.id, fr_date(p.start), fr_date(p.end), weeks((p.end - p.start).num_days() + 1))
            })
            .collect(),
        "mobility" => dossier
            .mobility
            .iter()
            .map(|s| format!("{} : du {} au {} ({} semaines)", s.country, fr_date(s.start), fr_date(s.end), weeks(s.days())))
            .collect(),
        "english" => dossier
            .english
            .iter()
            .map(|c| {
                let level = certified_level(c, policy).map(|l| format!(", niveau {}", l.as_str())).unwrap_or_default();
                format!("{} {} du {}{level}", c.test, score_text(c.score), fr_date(c.date))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_written_with_a_decimal_comma() {
        assert_eq!(weeks(14), "2");
        assert_eq!(weeks(10), "1,4");
    }
}
