//! Identifiers (learner ids, module codes, company-period ids, usernames) are restricted to a
//! safe charset wherever they enter, so none can become a path (`../../etc`), break out of a
//! quoted attribute or carry terminal escapes when it is shown, stored or put in a URL.

/// The longest identifier accepted.
pub const MAX_LEN: usize = 64;

/// Why a text is not an identifier. Displayed in French (`in_words` for English too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} n'est pas un identifiant : {}", .why.in_words(crate::messages::Lang::Fr))]
pub struct IdentifierError {
    pub text: String,
    pub why: Flaw,
}

/// What is wrong with an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    Empty,
    TooLong,
    Charset,
    FirstCharacter,
    DoubleDot,
}

impl Flaw {
    fn in_words(self, lang: crate::messages::Lang) -> &'static str {
        use crate::messages::pick;
        match self {
            Flaw::Empty => pick(lang, "il est vide", "it is empty"),
            Flaw::TooLong => pick(lang, "il a plus de 64 caractères", "it has more than 64 characters"),
            Flaw::Charset => pick(
                lang,
                "seuls les lettres, les chiffres, '.', '_' et '-' sont permis",
                "only letters, digits, '.', '_' and '-' are allowed",
            ),
            Flaw::FirstCharacter => pick(lang, "il doit commencer par une lettre ou un chiffre", "it must start with a letter or a digit"),
            Flaw::DoubleDot => pick(lang, "il ne peut pas contenir \"..\"", "it may not contain \"..\""),
        }
    }
}

impl IdentifierError {
    /// Why, in the reader's language.
    pub fn in_words(&self, lang: crate::messages::Lang) -> String {
        match lang {
            crate::messages::Lang::Fr => self.to_string(),
            crate::messages::Lang::En => format!("{:?} is not an identifier: {}", self.text, self.why.in_words(lang)),
        }
    }
}

/// Checks an identifier: 1 to 64 ASCII letters, digits, `.`, `_` or `-`, starting with a
/// letter or a digit, with no `..` (so it is never a path segment other than itself).
pub fn check(text: &str) -> Result<(), IdentifierError> {
    let fail = |why| Err(IdentifierError { text: text.chars().take(MAX_LEN + 1).collect(), why });
    if text.is_empty() {
        return fail(Flaw::Empty);
    }
    if text.len() > MAX_LEN {
        return fail(Flaw::TooLong);
    }
    if !text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        return fail(Flaw::Charset);
    }
    if !text.as_bytes()[0].is_ascii_alphanumeric() {
        return fail(Flaw::FirstCharacter);
    }
    if text.contains("..") {
        return fail(Flaw::DoubleDot);
    }
    Ok(())
}

/// Whether `text` is an identifier.
pub fn is_valid(text: &str) -> bool {
    check(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifiers_certif_uses_are_accepted() {
        for id in ["A-0001", "M1.1.1", "P1", "RNCP39668BC01", "ENSMA-GIAE-DEMO", "j.martin", "demo_admin"] {
            assert!(is_valid(id), "{id}");
        }
    }

    #[test]
    fn paths_quotes_spaces_and_escapes_are_refused() {
        for id in ["", "../../etc", "..", ".hidden", "a/b", "a\\b", "A\"1", "A'1", "A 1", "\u{1b}[31mred", "é", "a..b", "-x"] {
            assert!(!is_valid(id), "{id:?}");
        }
        assert!(!is_valid(&"a".repeat(65)));
        assert!(is_valid(&"a".repeat(64)));
    }

    #[test]
    fn why_is_said_in_french_and_in_english() {
        let error = check("../x").unwrap_err();
        assert_eq!(error.to_string(), "\"../x\" n'est pas un identifiant : seuls les lettres, les chiffres, '.', '_' et '-' sont permis");
        assert_eq!(
            error.in_words(crate::messages::Lang::En),
            "\"../x\" is not an identifier: only letters, digits, '.', '_' and '-' are allowed"
        );
        assert_eq!(check("").unwrap_err().to_string(), "\"\" n'est pas un identifiant : il est vide");
    }
}
