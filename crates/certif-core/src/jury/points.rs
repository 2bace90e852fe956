//! Points de jury (spec/jury.md §4): bounded, justified, and decided on by the same engine.

use super::*;

/// Points de jury added to a module's final mark (spec/jury.md §4): 0.01 up to `max`, at most 2
/// decimals, with a justification.
pub fn check_points(points: Decimal, max: Decimal, justification: &str) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    if points < Decimal::new(1, 2) || points > max || points.normalize().scale() > 2 {
        refusals.push(refusal(JuryCode::JuryPointsOutOfRange, format!("{points} : des points de jury vont de 0,01 à {max}, au centième")));
    }
    if justification.trim().is_empty() {
        refusals.push(refusal(JuryCode::JuryJustificationRequired, "des points de jury doivent être motivés".into()));
    }
    refusals
}

/// A module's final mark with points de jury: raised, never above 20.
pub fn with_points(final_mark: Decimal, points: Decimal) -> Decimal {
    (final_mark + points).min(Decimal::new(20, 0))
}

/// Points de jury on one module, for one session (stored apart from the teachers' marks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JuryPoints {
    pub module: String,
    /// Two decimals at most, as a string (`"0.50"`).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub points: Decimal,
    pub justification: String,
}

/// The dossier the jury's proposal is decided on: each module with points de jury has its
/// final mark (R1, under `policy`) raised by them, capped at 20, as a single mark; every other
/// fact unchanged. Decided by the same `evaluate`, so every rule applies to the raised mark.
/// Points on a module with no final mark are refused: they raise a mark, never make one.
pub fn with_jury_points(dossier: &Dossier, policy: &Policy, points: &[JuryPoints]) -> Result<Dossier, Refusal> {
    let mut adjusted = dossier.clone();
    for given in points {
        let marks = adjusted.marks.iter_mut().find(|m| m.module.as_str() == given.module);
        let final_mark = marks.as_deref().and_then(|m| crate::engine::r1_module_final(Some(m), policy));
        let (Some(marks), Some(final_mark)) = (marks, final_mark) else {
            return Err(refusal(
                JuryCode::JuryPointsOutOfRange,
                format!("{} n'a pas de note finale : des points de jury relèvent une note, ils n'en créent pas", given.module),
            ));
        };
        let raised = Mark::new(with_points(final_mark, given.points))
            .map_err(|e| refusal(JuryCode::JuryPointsOutOfRange, format!("{} : {e}", given.module)))?;
        marks.session1 = MarkEntry::Value(raised);
        marks.session2 = MarkEntry::Pending;
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::jury::tests::codes;

    #[test]
    fn points_de_jury_are_bounded_justified_and_capped_at_20() {
        let max = Decimal::new(2, 0);
        assert!(check_points(Decimal::new(50, 2), max, "assiduité").is_empty());
        assert_eq!(codes(&check_points(Decimal::new(201, 2), max, "x")), [JuryCode::JuryPointsOutOfRange]);
        assert_eq!(codes(&check_points(Decimal::ZERO, max, "x")), [JuryCode::JuryPointsOutOfRange]);
        assert_eq!(codes(&check_points(Decimal::new(1, 3), max, "x")), [JuryCode::JuryPointsOutOfRange]);
        assert_eq!(codes(&check_points(Decimal::ONE, max, " ")), [JuryCode::JuryJustificationRequired]);
        assert_eq!(with_points(Decimal::new(1950, 2), Decimal::ONE), Decimal::new(20, 0));
        assert_eq!(with_points(Decimal::new(950, 2), Decimal::new(50, 2)), Decimal::new(1000, 2));
    }

    #[test]
    fn points_de_jury_raise_the_final_mark_and_the_same_rules_decide() {
        // M1 (coefficient 2) at 9 and M2 at 10 (resit 11 capped at 10): UE1's average is 9.33.
        let mut dossier = fixtures::dossier();
        fixtures::set_marks(&mut dossier, "M1", fixtures::mark("9"), crate::mark::MarkEntry::Pending);
        fixtures::set_marks(&mut dossier, "M2", fixtures::mark("7"), fixtures::mark("11"));
        let policy = Policy::default();
        let before = fixtures::decide(&dossier);
        assert_eq!(before.title.status, TitleStatus::NotAwarded);
        let points =
            |module: &str, n: &str| JuryPoints { module: module.into(), points: fixtures::dec(n), justification: "assiduité".into() };
        let adjusted = with_jury_points(&dossier, &policy, &[points("M1", "1")]).unwrap();
        assert_eq!(fixtures::decide(&adjusted).title.status, TitleStatus::Awarded);
        let short = with_jury_points(&dossier, &policy, &[points("M1", "0.99")]).unwrap();
        assert_eq!(fixtures::decide(&short).title.status, TitleStatus::NotAwarded);
        // The resit's cap applies before the points; the teachers' marks are not changed.
        let on_resit = with_jury_points(&dossier, &policy, &[points("M2", "0.5")]).unwrap();
        let m2 = on_resit.marks.iter().find(|m| m.module == "M2").unwrap();
        assert_eq!(m2.session1, fixtures::mark("10.5"));
        assert_eq!(dossier.marks.iter().find(|m| m.module == "M2").unwrap().session2, fixtures::mark("11"));
        let mut high = fixtures::dossier();
        fixtures::set_marks(&mut high, "M3", fixtures::mark("19.5"), crate::mark::MarkEntry::Pending);
        let capped = with_jury_points(&high, &policy, &[points("M3", "2")]).unwrap();
        assert_eq!(capped.marks.iter().find(|m| m.module == "M3").unwrap().session1, fixtures::mark("20"));
        let mut missing = fixtures::dossier();
        fixtures::set_marks(&mut missing, "M1", crate::mark::MarkEntry::Pending, crate::mark::MarkEntry::Pending);
        assert_eq!(with_jury_points(&missing, &policy, &[points("M1", "1")]).unwrap_err().code, JuryCode::JuryPointsOutOfRange);
    }
}
