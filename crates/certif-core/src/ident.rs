//! Identifiers (learner ids, module codes, company-period ids, usernames) are restricted to a
//! safe charset wherever they enter, so none can become a path (`../../etc`), break out of a
//! quoted attribute or carry terminal escapes when it is shown, stored or put in a URL.

/// The longest identifier accepted.
pub const MAX_LEN: usize = 64;

/// Why a text is not an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not an identifier: {why}")]
pub struct IdentifierError {
    pub text: String,
    pub why: &'static str,
}

/// Checks an identifier: 1 to 64 ASCII letters, digits, `.`, `_` or `-`, starting with a
/// letter or a digit, with no `..` (so it is never a path segment other than itself).
pub fn check(text: &str) -> Result<(), IdentifierError> {
    let fail = |why| Err(IdentifierError { text: text.chars().take(MAX_LEN + 1).collect(), why });
    if text.is_empty() {
        return fail("it is empty");
    }
    if text.len() > MAX_LEN {
        return fail("it has more than 64 characters");
    }
    if !text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        return fail("only letters, digits, '.', '_' and '-' are allowed");
    }
    if !text.as_bytes()[0].is_ascii_alphanumeric() {
        return fail("it starts with a letter or a digit");
    }
    if text.contains("..") {
        return fail("it may not contain \"..\"");
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
}
