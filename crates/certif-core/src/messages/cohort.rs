//! The words of the cohort page: its search, filters, counts, sorting and pages.

use super::{Lang, pick};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortUi {
    /// The search field's label and its hint.
    Search,
    SearchHint,
    /// "All" for the title filter (a title: masculine) and the missing filter (a condition: feminine).
    AnyTitle,
    AnyMissing,
    /// The checkbox narrowing "missing X" to "missing X and nothing else".
    OnlyThat,
    PerPage,
    Everyone,
    /// The counts at the top.
    Overview,
    /// "(of whom only that: N)", after how many miss a condition.
    OnlyThatCount,
    /// Pages: "Page 2 of 7".
    Page,
    Of,
    Previous,
    Next,
    Pagination,
    /// "12 learners match"; the count comes first.
    Matching,
    /// Column sorting, said to screen readers on each sortable head.
    SortBy,
    Ascending,
    Descending,
    /// Learners certif could not decide, and why.
    Undecided,
    Reset,
    /// "Blocks" as a thing missing, where it starts a line (the filter, the counts).
    Blocks,
}

pub fn cohort_ui(phrase: CohortUi, lang: Lang) -> &'static str {
    match phrase {
        CohortUi::Search => pick(lang, "Rechercher un apprenant", "Search for a learner"),
        CohortUi::SearchHint => pick(lang, "Nom, prénom ou identifiant ; les accents importent peu.", "Name or id; accents do not matter."),
        CohortUi::AnyTitle => pick(lang, "Tous", "All"),
        CohortUi::AnyMissing => pick(lang, "Toutes", "All"),
        CohortUi::OnlyThat => pick(lang, "et rien d'autre", "and nothing else"),
        CohortUi::PerPage => pick(lang, "Par page", "Per page"),
        CohortUi::Everyone => pick(lang, "tous", "all"),
        CohortUi::Overview => pick(lang, "Vue d'ensemble", "Overview"),
        CohortUi::OnlyThatCount => pick(lang, "seul manque :", "nothing else missing:"),
        CohortUi::Page => pick(lang, "Page", "Page"),
        CohortUi::Of => pick(lang, "sur", "of"),
        CohortUi::Previous => pick(lang, "Page précédente", "Previous page"),
        CohortUi::Next => pick(lang, "Page suivante", "Next page"),
        CohortUi::Pagination => pick(lang, "Pages de la cohorte", "Cohort pages"),
        CohortUi::Matching => pick(lang, "apprenant(s) correspondent", "learner(s) match"),
        CohortUi::SortBy => pick(lang, "Trier par", "Sort by"),
        CohortUi::Ascending => pick(lang, "croissant", "ascending"),
        CohortUi::Descending => pick(lang, "décroissant", "descending"),
        CohortUi::Undecided => pick(lang, "apprenant(s) sans décision possible :", "learner(s) cannot be decided:"),
        CohortUi::Reset => pick(lang, "Tout afficher", "Show everyone"),
        CohortUi::Blocks => pick(lang, "Blocs", "Blocks"),
    }
}
