//! A cohort at a glance: every learner decided once, summed up in a row (title, blocks, what
//! is missing), then searched, filtered, sorted, counted and paged without deciding again.
//! The web's cohort page and its CSV stand on it; the server keeps one [`Cohort`] per
//! audit head, so a page of 5,000 learners costs a sort, not 5,000 decisions.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use certif_core::decision::{ConditionStatus, Decision, Status, TitleStatus};
use certif_core::text::{folded, matches_words};
use certif_core::{AccessRoute, Policy};
use certif_store::Record;
use chrono::NaiveDate;

use crate::Curricula;

/// What can be missing for the title: the award conditions (as the decision names them) and
/// the blocks.
pub const MISSING_KEYS: [&str; 6] = ["access", "registration", "company_periods", "mobility", "english", "blocks"];

/// A block as the cohort's column heads show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockHead {
    pub code: String,
    pub short: String,
    pub title: String,
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortEntry {
    pub id: String,
    pub name: String,
    pub family_name: Option<String>,
    pub given_names: Option<String>,
    pub access_route: AccessRoute,
    /// The curriculum the learner was decided against (who teaches them follows from it).
    pub curriculum: Arc<str>,
    /// Name and id, folded for searching.
    searched: String,
    pub title: TitleStatus,
    pub blocks: Vec<Status>,
    /// The codes of `blocks`, in order (shared by the learners of one certification).
    pub block_codes: Arc<[String]>,
    /// Keys of [`MISSING_KEYS`], in that order.
    pub missing: Vec<&'static str>,
}

/// Every learner decided as of one day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cohort {
    pub blocks: Vec<BlockHead>,
    pub entries: Vec<CohortEntry>,
    /// Learners no decision could be made for (no curriculum loaded, say), with why.
    pub undecided: Vec<(String, String)>,
}

impl Cohort {
    /// Decides every learner of `learners` as of `on`.
    pub fn decide(curricula: &Curricula, policy: &Policy, learners: Vec<(String, Vec<Record>)>, on: NaiveDate) -> Cohort {
        let mut cohort = Cohort::default();
        // One copy of each curriculum's id and block codes, however many learners follow it.
        let mut shared: HashMap<String, (Arc<str>, Arc<[String]>)> = HashMap::new();
        for (id, records) in learners {
            let (dossier, decision) = match crate::decide_records(curricula, policy, &id, &records, on) {
                Ok(decided) => decided,
                Err(error) => {
                    cohort.undecided.push((id, error.0));
                    continue;
                }
            };
            if cohort.blocks.is_empty()
                && let Ok((_, certification, _)) = curricula.decided_against(policy, &id, &records)
            {
                cohort.blocks = certification
                    .blocks
                    .iter()
                    .map(|b| BlockHead { code: b.code.clone(), short: b.short(), title: b.title.clone() })
                    .collect();
            }
            // Decided, so its curriculum is known.
            let against = curricula.decided_against(policy, &id, &records).map(|(c, _, _)| c.id.as_str()).unwrap_or_default();
            let (curriculum, block_codes) = shared
                .entry(against.to_string())
                .or_insert_with(|| (Arc::from(against), decision.blocks.iter().map(|b| b.code.to_string()).collect()))
                .clone();
            let name = dossier.learner.display_name();
            cohort.entries.push(CohortEntry {
                searched: folded(&format!("{id} {name}")),
                missing: missing(&decision),
                title: decision.title.status,
                blocks: decision.blocks.iter().map(|b| b.status).collect(),
                block_codes,
                curriculum,
                family_name: dossier.learner.family_name,
                given_names: dossier.learner.given_names,
                access_route: dossier.access_route,
                name,
                id,
            });
        }
        cohort
    }

    /// Adds a cohort decided apart (the next page of learners) after this one.
    pub fn append(&mut self, next: Cohort) {
        if self.blocks.is_empty() {
            self.blocks = next.blocks;
        }
        self.entries.extend(next.entries);
        self.undecided.extend(next.undecided);
    }

    /// The rows `query` asks for, sorted, and the page of them it asks for.
    pub fn select(&self, query: &CohortQuery) -> Selection<'_> {
        let mut rows: Vec<&CohortEntry> = self.entries.iter().filter(|entry| query.keeps(entry)).collect();
        rows.sort_by(|a, b| {
            let order = query.sort.compare(a, b).then_with(|| a.id.cmp(&b.id));
            if query.descending { order.reverse() } else { order }
        });
        let matching = rows.len();
        let per_page = if query.per_page == 0 { matching.max(1) } else { query.per_page };
        let pages = matching.div_ceil(per_page).max(1);
        let page = query.page.clamp(1, pages);
        let rows = rows.into_iter().skip((page - 1) * per_page).take(per_page).collect();
        Selection { rows, matching, page, pages }
    }

    /// Counts over the whole cohort, whatever the query.
    pub fn dashboard(&self) -> Dashboard {
        let mut dashboard = Dashboard { total: self.entries.len(), ..Dashboard::default() };
        for entry in &self.entries {
            match entry.title {
                TitleStatus::Awarded => dashboard.awarded += 1,
                TitleStatus::Incomplete => dashboard.incomplete += 1,
                TitleStatus::NotAwarded => dashboard.not_awarded += 1,
            }
        }
        dashboard.missing = MISSING_KEYS
            .iter()
            .map(|&key| {
                let with = self.entries.iter().filter(|e| e.missing.contains(&key));
                let only = with.clone().filter(|e| e.missing.len() == 1).count();
                MissingCount { key, learners: with.count(), only }
            })
            .filter(|count| count.learners > 0)
            .collect();
        dashboard
    }
}

/// What the title still waits for: the unmet or incomplete conditions, then "blocks" when a
/// block is not validated.
fn missing(decision: &Decision) -> Vec<&'static str> {
    let mut missing: Vec<&'static str> = decision
        .conditions
        .iter()
        .into_iter()
        .filter(|(_, c)| matches!(c.status, ConditionStatus::Unmet | ConditionStatus::Incomplete))
        .map(|(key, _)| key)
        .collect();
    if decision.blocks.iter().any(|b| b.status != Status::Validated) {
        missing.push("blocks");
    }
    missing
}

/// The column a cohort is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Id,
    Name,
    Title,
    /// The block at this index of [`Cohort::blocks`].
    Block(usize),
    /// How many things are missing.
    Missing,
}

impl SortKey {
    /// From the page's `tri=` (`id`, `nom`, `titre`, `bloc1`…, `manque`); unknown words sort by id.
    pub fn parse(text: &str) -> SortKey {
        match text {
            "nom" => SortKey::Name,
            "titre" => SortKey::Title,
            "manque" => SortKey::Missing,
            other => match other.strip_prefix("bloc").and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n >= 1 => SortKey::Block(n - 1),
                _ => SortKey::Id,
            },
        }
    }

    /// The word [`SortKey::parse`] reads back.
    pub fn word(self) -> String {
        match self {
            SortKey::Id => "id".into(),
            SortKey::Name => "nom".into(),
            SortKey::Title => "titre".into(),
            SortKey::Block(n) => format!("bloc{}", n + 1),
            SortKey::Missing => "manque".into(),
        }
    }

    fn compare(self, a: &CohortEntry, b: &CohortEntry) -> Ordering {
        match self {
            SortKey::Id => a.id.cmp(&b.id),
            SortKey::Name => a.searched_name().cmp(b.searched_name()),
            SortKey::Title => title_rank(a.title).cmp(&title_rank(b.title)),
            SortKey::Block(n) => a.blocks.get(n).map(|s| status_rank(*s)).cmp(&b.blocks.get(n).map(|s| status_rank(*s))),
            SortKey::Missing => a.missing.len().cmp(&b.missing.len()),
        }
    }
}

impl CohortEntry {
    /// The folded name (after the id and its space), for sorting without accents mattering.
    fn searched_name(&self) -> &str {
        self.searched.get(self.id.len() + 1..).unwrap_or(&self.searched)
    }
}

/// Best first: awarded, then incomplete, then not awarded.
fn title_rank(status: TitleStatus) -> u8 {
    match status {
        TitleStatus::Awarded => 0,
        TitleStatus::Incomplete => 1,
        TitleStatus::NotAwarded => 2,
    }
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Validated => 0,
        Status::Incomplete => 1,
        Status::NotValidated => 2,
    }
}

/// What a reader asks of the cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortQuery {
    /// Words every kept learner's name or id holds (case and accents aside).
    pub text: String,
    pub title: Option<TitleStatus>,
    /// A key of [`MISSING_KEYS`] the learner must be missing…
    pub missing: Option<&'static str>,
    /// …and nothing else.
    pub missing_only: bool,
    pub sort: SortKey,
    pub descending: bool,
    /// From 1.
    pub page: usize,
    /// 0: every row on one page.
    pub per_page: usize,
}

impl Default for CohortQuery {
    fn default() -> Self {
        CohortQuery {
            text: String::new(),
            title: None,
            missing: None,
            missing_only: false,
            sort: SortKey::Id,
            descending: false,
            page: 1,
            per_page: 50,
        }
    }
}

impl CohortQuery {
    fn keeps(&self, entry: &CohortEntry) -> bool {
        self.title.is_none_or(|title| entry.title == title)
            && self.missing.is_none_or(|key| entry.missing.contains(&key) && (!self.missing_only || entry.missing.len() == 1))
            && matches_words(&entry.searched, &self.text)
    }
}

/// The page of rows a query selects.
#[derive(Debug)]
pub struct Selection<'a> {
    pub rows: Vec<&'a CohortEntry>,
    /// How many learners match, over every page.
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
}

/// The cohort's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub total: usize,
    pub awarded: usize,
    pub incomplete: usize,
    pub not_awarded: usize,
    /// Per thing missing (those missing for someone), in [`MISSING_KEYS`] order.
    pub missing: Vec<MissingCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingCount {
    pub key: &'static str,
    /// Learners missing it.
    pub learners: usize,
    /// Learners missing only it.
    pub only: usize,
}

/// The key of [`MISSING_KEYS`] spelt `text`, if any.
pub fn missing_key(text: &str) -> Option<&'static str> {
    MISSING_KEYS.iter().copied().find(|key| *key == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, title: TitleStatus, blocks: &[Status], missing: &[&'static str]) -> CohortEntry {
        CohortEntry {
            id: id.into(),
            name: name.into(),
            family_name: Some(name.into()),
            given_names: None,
            access_route: AccessRoute::Apprenticeship,
            curriculum: Arc::from("demo"),
            searched: folded(&format!("{id} {name}")),
            title,
            blocks: blocks.to_vec(),
            block_codes: blocks.iter().enumerate().map(|(n, _)| format!("BC{:02}", n + 1)).collect(),
            missing: missing.to_vec(),
        }
    }

    fn cohort() -> Cohort {
        use Status::*;
        Cohort {
            blocks: vec![],
            entries: vec![
                entry("A-0003", "Zoé Élan", TitleStatus::Incomplete, &[Validated, Incomplete], &["english"]),
                entry("A-0001", "Émile Durand", TitleStatus::Awarded, &[Validated, Validated], &[]),
                entry("A-0002", "Eve Adam", TitleStatus::NotAwarded, &[NotValidated, Validated], &["english", "blocks"]),
                entry("A-0004", "Paul Martin", TitleStatus::Incomplete, &[Validated, Validated], &["mobility"]),
            ],
            undecided: vec![],
        }
    }

    fn ids<'a>(selection: &Selection<'a>) -> Vec<&'a str> {
        selection.rows.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn searching_ignores_case_and_accents_and_matches_the_id() {
        let cohort = cohort();
        let find = |text: &str| ids(&cohort.select(&CohortQuery { text: text.into(), ..CohortQuery::default() })).join(",");
        assert_eq!(find("emile"), "A-0001");
        assert_eq!(find("ÉLAN zo"), "A-0003");
        assert_eq!(find("0004"), "A-0004");
        assert_eq!(find("e"), "A-0001,A-0002,A-0003");
        assert_eq!(find(""), "A-0001,A-0002,A-0003,A-0004");
    }

    #[test]
    fn missing_exactly_english_leaves_out_who_misses_more() {
        let cohort = cohort();
        let query = CohortQuery { missing: Some("english"), ..CohortQuery::default() };
        assert_eq!(ids(&cohort.select(&query)), ["A-0002", "A-0003"]);
        let query = CohortQuery { missing: Some("english"), missing_only: true, ..CohortQuery::default() };
        assert_eq!(ids(&cohort.select(&query)), ["A-0003"]);
        let query = CohortQuery { missing: Some("english"), title: Some(TitleStatus::NotAwarded), ..CohortQuery::default() };
        assert_eq!(ids(&cohort.select(&query)), ["A-0002"]);
    }

    #[test]
    fn sorting_by_any_column_either_way_ties_broken_by_id() {
        let cohort = cohort();
        let sorted = |sort, descending| ids(&cohort.select(&CohortQuery { sort, descending, ..CohortQuery::default() })).join(",");
        assert_eq!(sorted(SortKey::Name, false), "A-0001,A-0002,A-0004,A-0003");
        assert_eq!(sorted(SortKey::Title, false), "A-0001,A-0003,A-0004,A-0002");
        assert_eq!(sorted(SortKey::Block(1), false), "A-0001,A-0002,A-0004,A-0003");
        assert_eq!(sorted(SortKey::Missing, true), "A-0002,A-0004,A-0003,A-0001");
        assert_eq!(SortKey::parse("bloc2"), SortKey::Block(1));
        assert_eq!(SortKey::parse(&SortKey::Block(6).word()), SortKey::Block(6));
        assert_eq!(SortKey::parse("bloc0"), SortKey::Id);
    }

    #[test]
    fn pages_hold_the_asked_number_and_a_page_past_the_end_is_the_last() {
        let cohort = cohort();
        let page = |page, per_page| cohort.select(&CohortQuery { page, per_page, ..CohortQuery::default() });
        let second = page(2, 3);
        assert_eq!((ids(&second), second.matching, second.page, second.pages), (vec!["A-0004"], 4, 2, 2));
        assert_eq!(page(9, 3).page, 2);
        assert_eq!(ids(&page(1, 0)).len(), 4);
    }

    #[test]
    fn the_dashboard_counts_the_whole_cohort() {
        let dashboard = cohort().dashboard();
        assert_eq!((dashboard.total, dashboard.awarded, dashboard.incomplete, dashboard.not_awarded), (4, 1, 2, 1));
        let english = dashboard.missing.iter().find(|m| m.key == "english").unwrap();
        assert_eq!((english.learners, english.only), (2, 1));
        assert!(dashboard.missing.iter().all(|m| m.key != "access"), "a condition nobody misses is not counted");
    }
}
