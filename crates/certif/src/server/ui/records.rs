//! *Dossier* (`/apprenants/{id}/dossier`) and *Nouvel apprenant* (`/apprenants/nouveau`): the
//! registrar's (and the admin's) forms for one learner's records — identity, enrolment and
//! contract; company periods; English certificates; mobility stays; VAE decisions; and
//! accommodations, health data, shown only to those `access::read_accommodations` lets read
//! them. Each form posts one record of one import kind (`certif_app::edit`): read by the
//! import's own parser, refused beside its field in the page's language, written only if
//! nobody saved it since the form was read (its version, as `If-Match`), audited as the caller.
//! A save redirects (a reload does not send it again) to the page, which says so.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Redirect, Response};
use certif_app::Curricula;
use certif_app::edit::{self, EditError};
use certif_core::messages::records::{RecordsUi, field, records_ui};
use certif_core::messages::{self, Lang};
use certif_ingest::Kind;
use certif_store::{Record, Store as _, VersionedRecord};
use serde::Deserialize;

use super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::{Chrome, chrome, error_page, page};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

/// The sections of the page, in order: the kind of record, its address and its key fields
/// (read-only once stored), and the order its fields are shown in.
const SECTIONS: [Section; 6] = [
    Section {
        kind: Kind::Learners,
        slug: "identite",
        key: &["learner_id"],
        order: &[
            "learner_id",
            "family_name",
            "given_names",
            "birth_date",
            "sex",
            "birth_place_insee",
            "access_route",
            "enrolled_on",
            "curriculum",
            "employer",
            "employer_siret",
            "contract_start",
            "contract_end",
            "master",
        ],
    },
    Section { kind: Kind::CompanyPeriods, slug: "periodes", key: &["period_id"], order: &["period_id", "start", "end", "evaluation"] },
    Section { kind: Kind::English, slug: "anglais", key: &["test", "date"], order: &["test", "date", "score"] },
    Section { kind: Kind::Mobility, slug: "mobilite", key: &["country", "start"], order: &["country", "start", "end"] },
    Section { kind: Kind::Vae, slug: "vae", key: &["block"], order: &["block", "decision", "date"] },
    Section {
        kind: Kind::Accommodations,
        slug: "amenagements",
        key: &["kind", "decided_on"],
        order: &["kind", "decided_on", "target_level", "definitive", "decided_by", "note"],
    },
];

struct Section {
    kind: Kind,
    slug: &'static str,
    key: &'static [&'static str],
    order: &'static [&'static str],
}

fn section_of(slug: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.slug == slug)
}

fn section_of_kind(kind: Kind) -> &'static Section {
    SECTIONS.iter().find(|s| s.kind == kind).unwrap_or(&SECTIONS[0])
}

const DATES: [&str; 8] = ["birth_date", "enrolled_on", "contract_start", "contract_end", "start", "end", "date", "decided_on"];

/// One field as the template draws it.
struct FieldView {
    id: String,
    name: &'static str,
    label: &'static str,
    /// `text`, `date` or `select`.
    input: &'static str,
    value: String,
    /// (value, words) of a `select`.
    options: Vec<(String, String)>,
    readonly: bool,
    required: bool,
    hint: Option<&'static str>,
    problem: Option<String>,
    /// The ids of the hint and the problem, for `aria-describedby`.
    described_by: String,
}

impl FieldView {
    /// Whether `value` is this field's value (a `select`'s chosen option).
    fn chosen(&self, value: &str) -> bool {
        self.value.eq_ignore_ascii_case(value)
    }
}

/// One form: a stored record, or a section's new one.
struct FormView {
    id: String,
    action: String,
    version: i64,
    legend: String,
    fields: Vec<FieldView>,
    submit: &'static str,
    /// What a refused save came to, above the form.
    problem: Option<String>,
}

struct SectionView {
    slug: &'static str,
    heading: &'static str,
    note: Option<&'static str>,
    saved: Option<&'static str>,
    none_yet: Option<&'static str>,
    /// The stored records' forms, then the section's new one.
    forms: Vec<FormView>,
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage {
    chrome: Chrome,
    heading: String,
    back: Option<(String, &'static str)>,
    sections: Vec<SectionView>,
}

/// A form as it was posted and refused: shown again with what was typed.
struct Posted {
    form: String,
    typed: Vec<(String, String)>,
    /// (field, message); `""` is the form as a whole.
    problems: Vec<(String, String)>,
    version: i64,
}

/// What the lists of choices are made of.
struct Choices<'a> {
    curricula: &'a Curricula,
    /// The learner's curriculum, for the blocks a VAE decision may name.
    curriculum: Option<&'a str>,
    lang: Lang,
}

impl Choices<'_> {
    fn options(&self, column: &str) -> Option<Vec<(String, String)>> {
        let w = |phrase| records_ui(phrase, self.lang).to_string();
        let none = || (String::new(), w(RecordsUi::NoneChosen));
        let options = match column {
            "access_route" => {
                certif_core::AccessRoute::ALL.iter().map(|r| (r.as_str().to_string(), messages::route(*r, self.lang).to_string())).collect()
            }
            "sex" => vec![none(), ("F".into(), w(RecordsUi::Female)), ("M".into(), w(RecordsUi::Male))],
            "curriculum" => {
                std::iter::once(none()).chain(self.curricula.loaded.iter().map(|(c, _)| (c.id.clone(), c.id.clone()))).collect()
            }
            "test" => {
                let mut tests: Vec<String> = certif_core::Policy::default().english_tests.keys().cloned().collect();
                tests.sort();
                tests.into_iter().map(|t| (t.clone(), t)).collect()
            }
            "block" => {
                let certification = self.curricula.for_learner(self.curriculum).map(|(_, c)| c);
                let blocks = certification.into_iter().flat_map(|c| &c.blocks);
                blocks.map(|b| (b.code.clone(), format!("{} — {}", b.code, b.short()))).collect()
            }
            "decision" => vec![("validated".into(), w(RecordsUi::Validated)), ("refused".into(), w(RecordsUi::Refused))],
            "kind" => certif_core::dossier::AccommodationKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), messages::import::accommodation(*k, self.lang).to_string()))
                .collect(),
            "target_level" => std::iter::once(none())
                .chain(certif_core::CefrLevel::ALL.iter().map(|l| (l.as_str().to_string(), l.as_str().to_string())))
                .collect(),
            "definitive" => vec![none(), ("oui".into(), w(RecordsUi::Yes)), ("non".into(), w(RecordsUi::No))],
            _ => return None,
        };
        Some(options)
    }
}

fn hint(column: &str) -> Option<RecordsUi> {
    match column {
        "employer" => Some(RecordsUi::ContractHint),
        "country" => Some(RecordsUi::CountryHint),
        "evaluation" => Some(RecordsUi::EvaluationHint),
        "score" => Some(RecordsUi::ScoreHint),
        _ => None,
    }
}

/// A form to draw: its id and address, the record's values and version (none and 0 for a new
/// one), and whether the record is stored (its key is then read-only).
struct Draft<'a> {
    id: String,
    action: String,
    values: &'a [(&'static str, String)],
    version: i64,
    stored: bool,
}

/// A section's form; `posted`, when it is this form, puts back what was typed and what was wrong.
fn form_view(section: &Section, draft: Draft<'_>, choices: &Choices<'_>, posted: Option<&Posted>) -> FormView {
    let Draft { id, action, values, version, stored } = draft;
    let lang = choices.lang;
    let (required, _) = certif_ingest::columns_of(section.kind);
    let posted = posted.filter(|p| p.form == id);
    let value_of = |column: &str| match posted {
        Some(p) => p.typed.iter().find(|(name, _)| name == column).map(|(_, v)| v.clone()).unwrap_or_default(),
        None => values.iter().find(|(name, _)| *name == column).map(|(_, v)| v.clone()).unwrap_or_default(),
    };
    let fields = section
        .order
        .iter()
        .map(|&column| {
            let value = value_of(column);
            let mut options = choices.options(column).unwrap_or_default();
            // A stored value no list offers (a curriculum since removed…) stays as it is.
            if !value.is_empty() && !options.is_empty() && !options.iter().any(|(v, _)| v.eq_ignore_ascii_case(&value)) {
                options.push((value.clone(), value.clone()));
            }
            let problem = posted.and_then(|p| p.problems.iter().find(|(f, _)| f == column).map(|(_, m)| m.clone()));
            let hint = hint(column).map(|h| records_ui(h, lang));
            let id = format!("{id}-{column}");
            let described_by = [hint.map(|_| format!("{id}-hint")), problem.as_ref().map(|_| format!("{id}-error"))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            FieldView {
                described_by,
                id,
                name: column,
                label: field(column, lang),
                input: if !options.is_empty() {
                    "select"
                } else if DATES.contains(&column) {
                    "date"
                } else {
                    "text"
                },
                value,
                options,
                readonly: stored && section.key.contains(&column),
                required: required.contains(&column),
                hint,
                problem,
            }
        })
        .collect();
    let legend = if stored {
        // A stored record is named by its key (the learner's own form by the learner's id).
        let named = section.key.iter().filter(|k| **k != "learner_id" || section.kind == Kind::Learners);
        named.map(|k| shown(&value_of(k), choices, k)).collect::<Vec<_>>().join(" — ")
    } else {
        records_ui(RecordsUi::Add, lang).to_string()
    };
    FormView {
        id,
        action,
        version: posted.map_or(version, |p| p.version),
        legend,
        fields,
        submit: records_ui(if section.kind == Kind::Learners && !stored { RecordsUi::Create } else { RecordsUi::Save }, lang),
        problem: posted.and_then(|p| p.problems.iter().find(|(f, _)| f.is_empty()).map(|(_, m)| m.clone())),
    }
}

/// A key's value as people read it: a date in DD/MM/YYYY, a choice in words.
fn shown(value: &str, choices: &Choices<'_>, column: &str) -> String {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return certif_core::report::date_text(day, choices.lang);
    }
    choices
        .options(column)
        .and_then(|o| o.into_iter().find(|(v, _)| v == value).map(|(_, words)| words))
        .unwrap_or_else(|| value.to_string())
}

/// The page of learner `id`'s forms, from its stored records.
fn records_page(
    caller: &Caller,
    lang: Lang,
    id: &str,
    stored: &[VersionedRecord],
    curricula: &Curricula,
    saved: Option<&str>,
    posted: Option<&Posted>,
) -> RecordsPage {
    let learner = stored.iter().find_map(|v| match &v.record {
        Record::Learner(l) => Some(l),
        _ => None,
    });
    let choices = Choices { curricula, curriculum: learner.and_then(|l| l.curriculum.as_deref()), lang };
    let may_read_health = access::read_accommodations(&caller.account, id) == Access::Allowed;
    let sections = SECTIONS
        .iter()
        .filter(|s| s.kind != Kind::Accommodations || may_read_health)
        .map(|section| {
            let action = format!("/apprenants/{id}/dossier/{}", section.slug);
            let mut forms: Vec<FormView> = stored
                .iter()
                .filter(|v| edit::kind_of(&v.record) == Some(section.kind))
                .enumerate()
                .map(|(n, v)| {
                    let values = edit::fields_of(&v.record);
                    let draft = Draft {
                        id: format!("{}-{}", section.slug, n + 1),
                        action: action.clone(),
                        values: &values,
                        version: v.version,
                        stored: true,
                    };
                    form_view(section, draft, &choices, posted)
                })
                .collect();
            let none_yet = forms.is_empty();
            if section.kind != Kind::Learners {
                let values = [("learner_id", id.to_string())];
                let draft = Draft { id: format!("{}-nouveau", section.slug), action, values: &values, version: 0, stored: false };
                forms.push(form_view(section, draft, &choices, posted));
            }
            SectionView {
                slug: section.slug,
                heading: records_ui(heading(section.kind), lang),
                note: (section.kind == Kind::Accommodations).then(|| records_ui(RecordsUi::HealthData, lang)),
                saved: (saved == Some(section.slug)).then(|| records_ui(RecordsUi::Saved, lang)),
                none_yet: none_yet.then(|| records_ui(RecordsUi::NoneYet, lang)),
                forms,
            }
        })
        .collect();
    let name = learner.map(|l| l.learner.display_name()).unwrap_or_else(|| id.to_string());
    RecordsPage {
        chrome: chrome(Some(caller), lang),
        heading: format!("{} {name}", records_ui(RecordsUi::RecordOf, lang)),
        back: Some((format!("/apprenants/{id}"), records_ui(RecordsUi::BackToLearner, lang))),
        sections,
    }
}

/// The page of a new learner: the identity form alone, its id to be typed.
fn new_learner_page(caller: &Caller, lang: Lang, curricula: &Curricula, posted: Option<&Posted>) -> RecordsPage {
    let choices = Choices { curricula, curriculum: None, lang };
    let section = section_of_kind(Kind::Learners);
    let values = [("access_route", "apprenticeship".to_string()), ("enrolled_on", chrono::Local::now().date_naive().to_string())];
    let draft = Draft { id: "identite-nouveau".into(), action: "/apprenants/nouveau".into(), values: &values, version: 0, stored: false };
    let form = form_view(section, draft, &choices, posted);
    RecordsPage {
        chrome: chrome(Some(caller), lang),
        heading: records_ui(RecordsUi::NewLearner, lang).to_string(),
        back: None,
        sections: vec![SectionView {
            slug: section.slug,
            heading: records_ui(RecordsUi::Identity, lang),
            note: None,
            saved: None,
            none_yet: None,
            forms: vec![form],
        }],
    }
}

fn heading(kind: Kind) -> RecordsUi {
    match kind {
        Kind::CompanyPeriods => RecordsUi::CompanyPeriods,
        Kind::English => RecordsUi::English,
        Kind::Mobility => RecordsUi::Mobility,
        Kind::Vae => RecordsUi::Vae,
        Kind::Accommodations => RecordsUi::Accommodations,
        _ => RecordsUi::Identity,
    }
}

/// A record form as posted: every field by name (the import's columns), with `csrf`,
/// `version` (the record's as the form was read, 0 for a new one) and `form` (which form).
#[derive(Deserialize)]
#[serde(transparent)]
pub(super) struct PostedFields(Vec<(String, String)>);

impl PostedFields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The record's fields: every posted one but the form's own, the learner forced to `learner`.
    fn record_fields(&self, learner: Option<&str>) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> =
            self.0.iter().filter(|(n, _)| !matches!(n.as_str(), "csrf" | "version" | "form" | "learner_id")).cloned().collect();
        let id = learner.or_else(|| self.get("learner_id")).unwrap_or("");
        fields.push(("learner_id".into(), id.to_string()));
        fields
    }
}

impl WithCsrf for PostedFields {
    fn csrf(&self) -> Option<&str> {
        self.get("csrf")
    }
}

#[derive(Deserialize)]
pub(super) struct SavedQuery {
    enregistre: Option<String>,
}

/// The refusal's page when `caller` may not edit learner `id`'s records.
fn refused(caller: &Caller, lang: Lang, headers: &HeaderMap, id: &str) -> Option<Response> {
    match access::write_records(&caller.account, id) {
        Access::Allowed if certif_core::ident::is_valid(id) => None,
        Access::Allowed | Access::Hidden => Some(error_page(ApiError::not_found(""), Some(caller), lang, headers)),
        Access::Forbidden => Some(error_page(ApiError::forbidden(""), Some(caller), lang, headers)),
    }
}

/// The learner's stored records, or the page that says why not (none: 404).
async fn stored_records(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    headers: &HeaderMap,
    id: &str,
) -> Result<Vec<VersionedRecord>, Response> {
    match state.db.versioned_records_of(id).await {
        Ok(stored) if stored.iter().any(|v| matches!(v.record, Record::Learner(_))) => Ok(stored),
        Ok(_) => Err(error_page(ApiError::not_found(""), Some(caller), lang, headers)),
        Err(e) => Err(error_page(e.into(), Some(caller), lang, headers)),
    }
}

/// `GET /apprenants/{id}/dossier`
pub(super) async fn record_forms(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
    signed_in: SignedIn,
) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if let Some(refusal) = refused(&caller, lang, &headers, &id) {
        return refusal;
    }
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let stored = match stored_records(&state, &caller, lang, &headers, &id).await {
        Ok(stored) => stored,
        Err(refused) => return refused,
    };
    page(records_page(&caller, lang, &id, &stored, &curricula, query.enregistre.as_deref(), None), StatusCode::OK, &headers)
}

/// `POST /apprenants/{id}/dossier/{section}`: one record saved.
pub(super) async fn save_record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, slug)): Path<(String, String)>,
    CheckedForm { caller, lang, form }: CheckedForm<PostedFields>,
) -> Response {
    if let Some(refusal) = refused(&caller, lang, &headers, &id) {
        return refusal;
    }
    let Some(section) = section_of(&slug) else {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    };
    if section.kind == Kind::Accommodations && access::read_accommodations(&caller.account, &id) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    if let Err(refused) = stored_records(&state, &caller, lang, &headers, &id).await {
        return refused;
    }
    let fields = form.record_fields(Some(&id));
    let version = form.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    let result = edit::save(&state.db, &curricula, &caller.account.username, section.kind, &fields, version).await;
    let posted = match refusal(result, fields, version, lang) {
        Ok(()) => return Redirect::to(&format!("/apprenants/{id}/dossier?enregistre={slug}#{slug}")).into_response(),
        Err(Err(e)) => return error_page(e, Some(&caller), lang, &headers),
        Err(Ok((mut posted, status))) => {
            // Only a form of this page is shown again; another name is the section's new one.
            let named = form.get("form").unwrap_or("");
            posted.form = if named.starts_with(slug.as_str()) && named.len() <= 64 { named.to_string() } else { format!("{slug}-nouveau") };
            (posted, status)
        }
    };
    let stored = match stored_records(&state, &caller, lang, &headers, &id).await {
        Ok(stored) => stored,
        Err(refused) => return refused,
    };
    page(records_page(&caller, lang, &id, &stored, &curricula, None, Some(&posted.0)), posted.1, &headers)
}

/// `GET /apprenants/nouveau`
pub(super) async fn new_learner(State(state): State<AppState>, headers: HeaderMap, signed_in: SignedIn) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if access::create_learner(&caller.account) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    match state.curricula().await {
        Ok(curricula) => page(new_learner_page(&caller, lang, &curricula, None), StatusCode::OK, &headers),
        Err(e) => error_page(e, Some(&caller), lang, &headers),
    }
}

/// `POST /apprenants/nouveau`: a learner created (refused if the id is taken).
pub(super) async fn create_learner(
    State(state): State<AppState>,
    headers: HeaderMap,
    CheckedForm { caller, lang, form }: CheckedForm<PostedFields>,
) -> Response {
    if access::create_learner(&caller.account) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let fields = form.record_fields(None);
    let id = form.get("learner_id").unwrap_or("").trim().to_string();
    let result = edit::save(&state.db, &curricula, &caller.account.username, Kind::Learners, &fields, 0).await;
    match refusal(result, fields, 0, lang) {
        Ok(()) => Redirect::to(&format!("/apprenants/{id}/dossier?enregistre=identite#identite")).into_response(),
        Err(Err(e)) => error_page(e, Some(&caller), lang, &headers),
        Err(Ok((mut posted, status))) => {
            posted.form = "identite-nouveau".into();
            page(new_learner_page(&caller, lang, &curricula, Some(&posted)), status, &headers)
        }
    }
}

/// What a save came to: done; a refusal to show in the form (with its status); or an error
/// for the error page.
#[allow(clippy::type_complexity)]
fn refusal(
    result: Result<VersionedRecord, EditError>,
    typed: Vec<(String, String)>,
    version: i64,
    lang: Lang,
) -> Result<(), Result<(Posted, StatusCode), ApiError>> {
    let posted = |problems, version| Posted { form: String::new(), typed: typed.clone(), problems, version };
    let not_saved = || (String::new(), records_ui(RecordsUi::NotSaved, lang).to_string());
    match result {
        Ok(_) => Ok(()),
        Err(EditError::Fields(problems)) => {
            let mut shown: Vec<(String, String)> = problems.iter().map(|(f, p)| (f.clone(), p.in_words(lang))).collect();
            // A problem with no field of its own is said above the form, with the others'.
            let above: Vec<String> = shown.iter().filter(|(f, _)| f.is_empty()).map(|(_, m)| m.clone()).collect();
            shown.retain(|(f, _)| !f.is_empty());
            let mut head = not_saved();
            for line in above {
                head.1 = format!("{} {line}", head.1);
            }
            shown.push(head);
            Err(Ok((posted(shown, version), StatusCode::UNPROCESSABLE_ENTITY)))
        }
        Err(EditError::Stale { .. }) if version == 0 => {
            let message = records_ui(RecordsUi::AlreadyExists, lang).to_string();
            Err(Ok((posted(vec![(String::new(), message)], 0), StatusCode::CONFLICT)))
        }
        Err(EditError::Stale { current }) => {
            let (now, version) = match current {
                Some(current) => {
                    let values = edit::fields_of(&current.record);
                    let words: Vec<String> = values
                        .iter()
                        .filter(|(f, v)| *f != "learner_id" && !v.is_empty())
                        .map(|(f, v)| format!("{} : {v}", field(f, lang)))
                        .collect();
                    (words.join(" ; "), current.version)
                }
                None => (String::new(), version),
            };
            let message = format!("{} {now}", records_ui(RecordsUi::ChangedMeanwhile, lang));
            Err(Ok((posted(vec![(String::new(), message.trim_end().to_string())], version), StatusCode::CONFLICT)))
        }
        Err(EditError::App(e)) => {
            let error = ApiError::from(e);
            if error.status == StatusCode::UNPROCESSABLE_ENTITY || error.status == StatusCode::BAD_REQUEST {
                let message = format!("{} {}", records_ui(RecordsUi::NotSaved, lang), error.message);
                Err(Ok((posted(vec![(String::new(), message)], version), StatusCode::UNPROCESSABLE_ENTITY)))
            } else {
                Err(Err(error))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_editable_kind_has_one_section_whose_fields_are_its_columns() {
        for kind in Kind::ALL.into_iter().filter(|k| edit::is_editable(*k)) {
            let section = section_of_kind(kind);
            assert_eq!(section.kind, kind);
            let (required, optional) = certif_ingest::columns_of(kind);
            let mut columns: Vec<&str> = required.iter().chain(optional).copied().filter(|c| *c != "learner_id").collect();
            let mut shown: Vec<&str> = section.order.iter().copied().filter(|c| *c != "learner_id").collect();
            columns.sort_unstable();
            shown.sort_unstable();
            assert_eq!(shown, columns, "{}", kind.as_str());
            assert!(section.key.iter().all(|k| section.order.contains(k)));
        }
    }

    #[test]
    fn every_field_is_labelled_in_both_languages() {
        for section in &SECTIONS {
            for column in section.order {
                assert_ne!(field(column, Lang::Fr), *column, "{column}");
                assert_ne!(field(column, Lang::En), *column, "{column}");
            }
        }
    }

    #[test]
    fn posted_fields_keep_the_learner_of_the_address() {
        let posted = PostedFields(vec![
            ("csrf".into(), "t".into()),
            ("version".into(), "3".into()),
            ("form".into(), "anglais-1".into()),
            ("learner_id".into(), "SOMEONE-ELSE".into()),
            ("score".into(), "785".into()),
        ]);
        assert_eq!(posted.record_fields(Some("A-1")), vec![("score".to_string(), "785".to_string()), ("learner_id".into(), "A-1".into())]);
        assert_eq!(posted.csrf(), Some("t"));
    }
}
