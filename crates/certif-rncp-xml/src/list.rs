//! Lists written inside the export's plain-text fields. The export flattens the fiche's HTML
//! lists: items come one per line, or run together on one line separated by runs of spaces,
//! each item usually led by a bullet mark (`*` for items, `o` for their sub-items, or `-`).
//!
//! The rules, in order:
//! - pieces are cut at line ends and at runs of two or more spaces (or any tab);
//! - a piece's bullet is a mark (`*`, `o`, `-`, `–`) followed by a space, a symbol (`•`, `◦`,
//!   `▪`, `·`) even glued to its text, or a mark standing alone before the piece;
//! - when the text starts with unmarked pieces and unmarked pieces come back after marked ones,
//!   the unmarked pieces are headings: they are the items and every marked piece is a sub-item;
//! - otherwise unmarked pieces and pieces with the first mark met are items, and pieces with
//!   any other mark are sub-items of the item before them.

/// One item of a list and the sub-items written under it (deeper levels are flattened into it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub text: String,
    pub details: Vec<String>,
}

impl ListItem {
    /// The item as one line, `item : sub-item ; sub-item`, for places that hold plain strings;
    /// punctuation the fiche already wrote (`Il intervient dans :`, `… ;`) is not doubled.
    pub fn joined(&self) -> String {
        let mut line = self.text.clone();
        let mut before = if line.ends_with(':') { ' ' } else { ':' };
        for detail in &self.details {
            if before != ' ' {
                line.push(' ');
                line.push(before);
            }
            line.push(' ');
            line.push_str(detail);
            before = if detail.ends_with([';', ',', '.', ':']) { ' ' } else { ';' };
        }
        line
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '*' | 'o' | '-' | '–')
}

/// Symbols that cannot start a word, so they are bullets even without a space after them.
fn is_symbol(c: char) -> bool {
    matches!(c, '•' | '◦' | '▪' | '·')
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// The text cut at line ends, tabs and runs of two or more spaces, trimmed, empty pieces dropped.
fn chunks(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        if !is_space(bytes[at]) {
            at += 1;
            continue;
        }
        let run_start = at;
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        let run = &bytes[run_start..at];
        if run.len() >= 2 || run[0] != b' ' {
            out.push(text[start..run_start].trim());
            start = at;
        }
    }
    out.push(text[start..].trim());
    out.retain(|chunk| !chunk.is_empty());
    out
}

/// Each piece of the text with the bullet it started with, if any.
fn pieces(text: &str) -> Vec<(Option<char>, &str)> {
    let mut out = Vec::new();
    let mut pending: Option<char> = None;
    for chunk in chunks(text) {
        let mut chars = chunk.chars();
        let first = chars.next().expect("chunks are not empty");
        let rest = chars.as_str();
        let bulleted = is_symbol(first) || (is_mark(first) && (rest.is_empty() || rest.starts_with(char::is_whitespace)));
        if !bulleted {
            out.push((pending.take(), chunk));
            continue;
        }
        let body = rest.trim_start();
        if body.is_empty() {
            pending = Some(first);
        } else {
            out.push((Some(first), body));
            pending = None;
        }
    }
    out
}

/// Splits a list field into its items, each with its sub-items (see the module's rules).
pub fn split_list(text: &str) -> Vec<ListItem> {
    let pieces = pieces(text);
    let first_mark = pieces.iter().find_map(|(mark, _)| *mark);
    let starts_unmarked = pieces.first().is_some_and(|(mark, _)| mark.is_none());
    let unmarked_after_marked = pieces.iter().skip_while(|(mark, _)| mark.is_none()).any(|(mark, _)| mark.is_none());
    let headings = starts_unmarked && unmarked_after_marked;
    let mut items: Vec<ListItem> = Vec::new();
    for (mark, piece) in pieces {
        let top = if headings { mark.is_none() } else { mark.is_none() || mark == first_mark };
        match items.last_mut() {
            Some(item) if !top => item.details.push(piece.to_string()),
            _ => items.push(ListItem { text: piece.to_string(), details: Vec::new() }),
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[ListItem]) -> Vec<&str> {
        items.iter().map(|i| i.text.as_str()).collect()
    }

    #[test]
    fn unmarked_items_run_together_with_runs_of_spaces() {
        let items = split_list("Gérer le patrimoine informatique      Répondre aux incidents      Travailler en mode projet    ");
        assert_eq!(texts(&items), ["Gérer le patrimoine informatique", "Répondre aux incidents", "Travailler en mode projet"]);
        assert!(items.iter().all(|i| i.details.is_empty()));
    }

    #[test]
    fn star_items_keep_their_o_sub_items() {
        let items = split_list(
            "    * Gérer le patrimoine            o Recenser les ressources            o Gérer des sauvegardes      * Répondre aux incidents            o Collecter des demandes",
        );
        assert_eq!(texts(&items), ["Gérer le patrimoine", "Répondre aux incidents"]);
        assert_eq!(items[0].details, ["Recenser les ressources", "Gérer des sauvegardes"]);
        assert_eq!(items[1].details, ["Collecter des demandes"]);
        assert_eq!(items[0].joined(), "Gérer le patrimoine : Recenser les ressources ; Gérer des sauvegardes");
        assert_eq!(items[1].joined(), "Répondre aux incidents : Collecter des demandes");
    }

    #[test]
    fn one_item_per_line_with_dashes() {
        let items = split_list("- Analyser le besoin\n- Concevoir une solution\r\n- Tester");
        assert_eq!(texts(&items), ["Analyser le besoin", "Concevoir une solution", "Tester"]);
    }

    #[test]
    fn plain_lines_are_items_and_single_spaces_are_not_cuts() {
        let items = split_list("Analyser le besoin\nConcevoir une solution d'ensemble\n\n");
        assert_eq!(texts(&items), ["Analyser le besoin", "Concevoir une solution d'ensemble"]);
    }

    #[test]
    fn an_introduction_before_the_items_is_an_item_of_its_own() {
        let items = split_list("Le jury est composé à parts égales :     - De professeurs ;     - De membres de la profession.");
        assert_eq!(texts(&items), ["Le jury est composé à parts égales :", "De professeurs ;", "De membres de la profession."]);
    }

    #[test]
    fn headings_with_marked_sub_items() {
        let items = split_list(
            "Support et services :    - Gérer le patrimoine    - Travailler en mode projet      Cybersécurité :    - Protéger les données",
        );
        assert_eq!(texts(&items), ["Support et services :", "Cybersécurité :"]);
        assert_eq!(items[0].details, ["Gérer le patrimoine", "Travailler en mode projet"]);
        assert_eq!(items[1].details, ["Protéger les données"]);
        let items = split_list(
            "Il intervient dans :    - l’installation ;    - l’exploitation ;    - la maintenance.      Il peut aussi :    - conseiller",
        );
        assert_eq!(items[0].joined(), "Il intervient dans : l’installation ; l’exploitation ; la maintenance.");
        assert_eq!(items[1].joined(), "Il peut aussi : conseiller");
    }

    #[test]
    fn unmarked_text_after_a_marked_list_is_an_item() {
        let items = split_list("* Gérer      o Recenser      * Répondre      Les deux options partagent ce bloc.");
        assert_eq!(texts(&items), ["Gérer", "Répondre", "Les deux options partagent ce bloc."]);
        assert_eq!(items[0].details, ["Recenser"]);
    }

    #[test]
    fn symbols_may_be_glued_and_marks_may_stand_apart() {
        let items = split_list("•Analyser      •Concevoir      ◦ en équipe");
        assert_eq!(texts(&items), ["Analyser", "Concevoir"]);
        assert_eq!(items[1].details, ["en équipe"]);
        let items = split_list("*   Analyser   *   Concevoir");
        assert_eq!(texts(&items), ["Analyser", "Concevoir"]);
    }

    #[test]
    fn words_starting_with_a_mark_letter_or_a_hyphen_are_not_bullets() {
        let items = split_list("Organiser son développement      optimiser les coûts      -10 % de pertes");
        assert_eq!(texts(&items), ["Organiser son développement", "optimiser les coûts", "-10 % de pertes"]);
    }

    #[test]
    fn an_empty_field_has_no_items() {
        assert!(split_list("   ").is_empty());
        assert!(split_list("").is_empty());
        assert!(split_list("  *  ").is_empty());
        assert!(split_list("*\u{a0}   •\u{a0}").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn items_are_never_empty_nor_padded(text in "[ *o\\-•\u{a0}\nab]{0,40}") {
            for item in split_list(&text) {
                proptest::prop_assert!(!item.text.is_empty() && item.text.trim() == item.text);
                for detail in &item.details {
                    proptest::prop_assert!(!detail.is_empty() && detail.trim() == detail);
                }
            }
        }
    }
}
