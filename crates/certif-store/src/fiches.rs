//! Imported RNCP fiches: what the store keeps of each (a summary to list and search, the codes
//! the search filters on, the links between certifications, the fiche itself as a JSON
//! document), certification overlays, and the storage trait over them.

use std::future::Future;

use crate::StoreResult;

/// One fiche as the store writes it. `document` is the fiche itself, encoded by the caller
/// (certif: compressed JSON) and read back by `show`; the other fields are what listing and
/// searching need without reading documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FicheRow {
    pub code: String,
    pub title: String,
    pub level: Option<u8>,
    pub active: bool,
    pub registration_end: Option<String>,
    pub blocks: usize,
    /// Codes of certifications this one replaces / that replace it, as the fiche declares them.
    pub predecessors: Vec<String>,
    pub successors: Vec<String>,
    /// `(kind, value)` with kind `rome`, `nsf` or `formacode`.
    pub codes: Vec<(&'static str, String)>,
    /// Blocks' titles and competencies, for full-text search (the title is indexed apart).
    pub search_text: String,
    pub document: Vec<u8>,
}

/// A fiche in a listing or a search result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FicheSummary {
    pub code: String,
    pub title: String,
    pub level: Option<u8>,
    pub active: bool,
    pub registration_end: Option<String>,
}

/// What `list` and `search` select. Every field given narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FicheQuery {
    /// Words to find in titles, blocks and competencies (all of them, as word prefixes).
    pub text: Option<String>,
    pub rome: Option<String>,
    pub nsf: Option<String>,
    pub level: Option<u8>,
    pub active_only: bool,
    /// At most this many results (best first when searching text, else by code).
    pub limit: Option<usize>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FicheImport {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Blocks of the fiches read.
    pub blocks: usize,
}

/// The certifications a fiche is linked to, whichever fiche declared the link.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Links {
    pub predecessors: Vec<String>,
    pub successors: Vec<String>,
}

/// How a backend searches text: the fragments `search` puts around its filters.
#[derive(Debug, Clone, Copy)]
pub struct SearchDialect {
    /// Joined after `FROM fiches f`.
    pub join: &'static str,
    /// The condition taking the query (one placeholder `?`).
    pub condition: &'static str,
    /// The ORDER BY expression, best match first (may take the query again: `rank_binds_query`).
    pub order: &'static str,
    pub rank_binds_query: bool,
    /// Turns the user's words into the backend's query text.
    pub query: fn(&str) -> Option<String>,
}

/// The user's words as an FTS5 query: each word a quoted prefix, all required. Punctuation
/// separates words, so nothing a user types is FTS5 syntax.
pub fn fts5_query(text: &str) -> Option<String> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| format!("\"{}\"*", w.to_lowercase())).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The user's words for PostgreSQL's `plainto_tsquery` (which ignores operators itself).
pub fn plain_query(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// The storage of imported fiches and overlays. An import is one transaction: a fiche that
/// cannot be read (the iterator's error) rolls back everything the import wrote.
pub trait ReferentialStore: Send + Sync {
    /// Writes the fiches as the iterator yields them (new ones inserted, changed ones replaced
    /// in place, identical ones left alone), in one transaction, audited as one entry.
    fn import_fiches<'a>(
        &'a self,
        fiches: Box<dyn Iterator<Item = StoreResult<FicheRow>> + Send + 'a>,
        source: &'a str,
        actor: &'a str,
    ) -> impl Future<Output = StoreResult<FicheImport>> + Send + 'a;

    /// One fiche's document.
    fn fiche_document(&self, code: &str) -> impl Future<Output = StoreResult<Option<Vec<u8>>>> + Send;

    /// Fiches matching the query: by code, or best match first when it has text.
    fn fiches(&self, query: &FicheQuery) -> impl Future<Output = StoreResult<Vec<FicheSummary>>> + Send;

    /// The fiches linked to `code` both ways.
    fn links(&self, code: &str) -> impl Future<Output = StoreResult<Links>> + Send;

    /// Stores (or replaces) a certification's overlay (its TOML source).
    fn save_overlay(&self, code: &str, source: &str, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// A certification's stored overlay source.
    fn overlay(&self, code: &str) -> impl Future<Output = StoreResult<Option<String>>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_become_safe_fts5_prefix_queries() {
        assert_eq!(fts5_query("Génie  industriel").as_deref(), Some(r#""génie"* "industriel"*"#));
        assert_eq!(fts5_query(r#"aéro" OR NEAR(x"#).as_deref(), Some(r#""aéro"* "or"* "near"* "x"*"#));
        assert_eq!(fts5_query(" -*- "), None);
    }
}
