//! Text as people search it: case and accents do not matter ("Éloïse" is found by "eloise").

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case without accents: the canonical decomposition with its combining marks dropped.
pub fn folded(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Whether every word of `query` (folded) starts a word of `folded_text`, or appears in it:
/// "dup mar" finds "Dupont Marie".
pub fn matches_words(folded_text: &str, query: &str) -> bool {
    let query = folded(query);
    query.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).all(|word| folded_text.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_do_not_matter() {
        for (text, expected) in [("Éloïse", "eloise"), ("ÇA Œuvre", "ca œuvre"), ("d’Aubigné", "d’aubigne"), ("A-0001", "a-0001")]
        {
            assert_eq!(folded(text), expected, "{text}");
        }
    }

    #[test]
    fn every_word_of_the_query_must_appear() {
        let name = folded("Dupont Marie-Éloïse A-0042");
        assert!(matches_words(&name, "dup ELOISE"));
        assert!(matches_words(&name, "a-0042"));
        assert!(matches_words(&name, "  "));
        assert!(!matches_words(&name, "dupont jean"));
    }
}
