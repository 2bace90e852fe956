//! Policy files: TOML overrides of spec/evaluation.md §2 defaults.

use certif_core::Policy;
use certif_core::policy::PolicyOverride;

use crate::toml_error;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {path}: {message}")]
pub struct PolicyError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// The default policy with a TOML override applied (keys as in spec/evaluation.md §2).
pub fn load_policy(text: &str) -> Result<Policy, PolicyError> {
    let changes: PolicyOverride =
        toml_error::deserialize(text).map_err(|e| PolicyError { path: e.path, line: e.line, message: e.message })?;
    Ok(Policy::default().with(changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use certif_core::policy::ResitPolicy;
    use rust_decimal::Decimal;

    #[test]
    fn a_policy_file_overrides_named_keys() {
        let policy = load_policy("pass_mark = 12\nresit = \"replace\"\nresit_cap = 10.5\n").unwrap();
        assert_eq!(policy.pass_mark, Decimal::new(12, 0));
        assert_eq!(policy.resit, ResitPolicy::Replace);
        assert_eq!(policy.resit_cap, Decimal::new(105, 1));
        assert_eq!(policy.module_floor, Decimal::new(6, 0));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let error = load_policy("pass_mark = 12\npas_mark = 11\n").unwrap_err();
        assert_eq!(error.path, "pas_mark");
        assert_eq!(error.line, 2);
    }
}
