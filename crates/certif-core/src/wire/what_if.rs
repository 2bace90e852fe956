//! What-if hypotheses read with the dossier's own checks.

use super::*;

/// What-if hypotheses (`POST /api/learners/{id}/what-if`): the dossier's own list shapes,
/// except that a mark's session or a period's field left out keeps the stored value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireHypotheses<'a> {
    #[serde(default)]
    on: Option<String>,
    #[serde(default, borrow)]
    marks: Option<Vec<WireHypotheticalMark<'a>>>,
    #[serde(default, borrow)]
    company_periods: Option<Vec<WireHypotheticalPeriod<'a>>>,
    #[serde(default)]
    mobility: Option<Vec<WireStay>>,
    #[serde(default, borrow)]
    english: Option<Vec<WireEnglish<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireHypotheticalMark<'a> {
    #[serde(borrow)]
    module: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "given")]
    session1: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "given")]
    session2: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireHypotheticalPeriod<'a> {
    id: String,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default, borrow, deserialize_with = "given")]
    evaluation: Option<&'a RawValue>,
}

/// A field that is present, `null` included (`Some("null")`): absent is the `default`, `None`.
fn given<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

pub(crate) fn parse_hypotheses(text: &str, context: DossierContext<'_>) -> Result<Hypotheses, DossierError> {
    let wire: WireHypotheses<'_> = match serde_json::from_str(text) {
        Ok(wire) => wire,
        Err(error) => return Err(structure_error::<WireHypotheses<'_>>(text, &error)),
    };
    let on = optional_date(wire.on, || "on".into())?;
    let mut marks = Vec::new();
    let mut seen_modules = vec![false; context.curriculum.module_count()];
    for (i, mark) in wire.marks.unwrap_or_default().into_iter().enumerate() {
        let Some(position) = context.curriculum.module_position(&mark.module) else {
            return Err(DossierError::new(
                format!("marks[{i}].module"),
                Invalid::NotAModuleOf { text: mark.module.to_string(), curriculum: context.curriculum.id.to_string() },
            ));
        };
        if std::mem::replace(&mut seen_modules[position], true) {
            return Err(DossierError::new(format!("marks[{i}].module"), Invalid::ListedTwice(mark.module.to_string())));
        }
        let session1 = mark.session1.map(|raw| mark_entry(Some(raw), || format!("marks[{i}].session1"))).transpose()?;
        let session2 = mark.session2.map(|raw| mark_entry(Some(raw), || format!("marks[{i}].session2"))).transpose()?;
        marks.push(HypotheticalMark { module: crate::Code::from(mark.module.as_ref()), session1, session2 });
    }
    let mut company_periods: Vec<HypotheticalPeriod> = Vec::new();
    for (i, period) in wire.company_periods.unwrap_or_default().into_iter().enumerate() {
        crate::ident::check(&period.id).map_err(|e| DossierError::new(format!("company_periods[{i}].id"), Invalid::Identifier(e)))?;
        if company_periods.iter().any(|p| p.id == period.id) {
            return Err(DossierError::new(format!("company_periods[{i}].id"), Invalid::ListedTwice(period.id)));
        }
        let start = optional_date(period.start, || format!("company_periods[{i}].start"))?;
        let end = optional_date(period.end, || format!("company_periods[{i}].end"))?;
        if let (Some(start), Some(end)) = (start, end) {
            ordered(start, end, || format!("company_periods[{i}].end"))?;
        }
        let evaluation = period.evaluation.map(|raw| mark_entry(Some(raw), || format!("company_periods[{i}].evaluation"))).transpose()?;
        company_periods.push(HypotheticalPeriod { id: period.id, start, end, evaluation });
    }
    let mut mobility = Vec::new();
    for (i, stay) in wire.mobility.unwrap_or_default().into_iter().enumerate() {
        mobility.push(check_stay(i, stay)?);
    }
    let mut english = Vec::new();
    for (i, certificate) in wire.english.unwrap_or_default().into_iter().enumerate() {
        english.push(check_english(i, certificate, context)?);
    }
    Ok(Hypotheses { on, marks, company_periods, mobility, english })
}
