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
/// Every value is bounded (marks in 0..20 with 2 decimals, days positive, levels and countries
/// known, English tables ordered): what is out of bounds is refused with its key and line.
pub fn load_policy(text: &str) -> Result<Policy, PolicyError> {
    let changes: PolicyOverride =
        toml_error::deserialize(text).map_err(|e| PolicyError { path: e.path, line: e.line, message: e.message })?;
    let policy = Policy::default().with(changes);
    policy.check_bounds().map_err(|e| PolicyError { line: toml_error::line_of_path(text, &e.path), path: e.path, message: e.message })?;
    Ok(policy)
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
    fn values_out_of_bounds_are_refused_with_their_key_and_line() {
        let cases = [
            ("pass_mark = 25\n", "pass_mark", 1),
            ("resit = \"best\"\npass_mark = 1e28\n", "pass_mark", 2),
            ("module_floor = 6.005\n", "module_floor", 1),
            ("resit_cap = -1\n", "resit_cap", 1),
            ("mobility_min_days = 0\n", "mobility_min_days", 1),
            ("mobility_recommended_days = 4000000\n", "mobility_recommended_days", 1),
            ("not_abroad = [\"FR\",\n \"ZZ\"]\n", "not_abroad[1]", 2),
            ("[english_tests.TOEIC_LR]\nscale = \"score\"\nmin = 10\nmax = 990\nb1 = 800\nb2 = 785\n", "english_tests.TOEIC_LR.b2", 6),
            ("[english_tests.X]\nscale = \"score\"\nmin = 10\nmax = 5\n", "english_tests.X.max", 4),
            ("[english_tests.X]\nscale = \"score\"\nmin = 0\nmax = 1e30\n", "english_tests.X.max", 4),
            ("[english_tests.X]\nscale = \"score\"\nmin = 0\nmax = 9\nvalidity_months = 0\n", "english_tests.X.validity_months", 5),
        ];
        for (text, path, line) in cases {
            let error = load_policy(text).expect_err(text);
            assert_eq!((error.path.as_str(), error.line), (path, line), "{text}: {}", error.message);
        }
    }

    #[test]
    fn levels_must_be_known() {
        let error = load_policy("english_target = \"B3\"\n").unwrap_err();
        assert_eq!((error.path.as_str(), error.line), ("english_target", 1));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let error = load_policy("pass_mark = 12\npas_mark = 11\n").unwrap_err();
        assert_eq!(error.path, "pas_mark");
        assert_eq!(error.line, 2);
    }
}
