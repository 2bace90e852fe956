//! Lists written inside RNCP text fields: one item per line, or items run together on one
//! line, separated by runs of spaces and bullet marks (`*`, `o`, `-`, `•`).

/// One top-level item and the sub-items written under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub text: String,
    pub details: Vec<String>,
}

/// A piece of the text with the bullet mark it started with, if any.
fn pieces(text: &str) -> Vec<(Option<char>, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        // Runs of two or more spaces separate items written on one line.
        for chunk in line.split("  ") {
            let chunk = chunk.trim();
            if chunk.is_empty() {
                continue;
            }
            let mut chars = chunk.chars();
            let first = chars.next();
            let rest = chars.as_str();
            let bullet = |c: char| matches!(c, '*' | 'o' | '-' | '•' | '·' | '▪');
            match first {
                // A bullet is a mark followed by a space ("o Recenser"), or a symbol glued to its text ("•Recenser").
                Some(mark)
                    if bullet(mark) && (rest.starts_with(char::is_whitespace) || (matches!(mark, '•' | '·' | '▪') && !rest.is_empty())) =>
                {
                    let item = rest.trim();
                    if !item.is_empty() {
                        out.push((Some(mark), item.to_string()));
                    }
                }
                _ => out.push((None, chunk.to_string())),
            }
        }
    }
    out
}

/// Splits a list field into items. The first bullet mark met marks top-level items; any other
/// mark marks sub-items of the item before. Without bullets every piece is an item.
pub fn split_list(text: &str) -> Vec<ListItem> {
    let pieces = pieces(text);
    let top_mark = pieces.iter().find_map(|(mark, _)| *mark);
    let mut items: Vec<ListItem> = Vec::new();
    for (mark, piece) in pieces {
        let is_sub = match (mark, top_mark) {
            (Some(m), Some(top)) => m != top,
            // Unbulleted text after bulleted items continues the last item's sub-list…
            (None, Some(_)) => !items.is_empty(),
            (None, None) | (Some(_), None) => false,
        };
        match items.last_mut() {
            Some(last) if is_sub => last.details.push(piece),
            _ => items.push(ListItem { text: piece, details: Vec::new() }),
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
    fn items_run_together_with_runs_of_spaces() {
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
    }

    #[test]
    fn one_item_per_line_with_dashes() {
        let items = split_list("- Analyser le besoin\n- Concevoir une solution\n- Tester");
        assert_eq!(texts(&items), ["Analyser le besoin", "Concevoir une solution", "Tester"]);
    }

    #[test]
    fn plain_lines_are_items() {
        let items = split_list("Analyser le besoin\nConcevoir une solution d'ensemble\n\n");
        assert_eq!(texts(&items), ["Analyser le besoin", "Concevoir une solution d'ensemble"]);
    }

    #[test]
    fn a_word_starting_with_o_is_not_a_bullet() {
        let items = split_list("Organiser son développement      optimiser les coûts");
        assert_eq!(texts(&items), ["Organiser son développement", "optimiser les coûts"]);
    }

    #[test]
    fn an_empty_field_has_no_items() {
        assert!(split_list("   ").is_empty());
    }
}
