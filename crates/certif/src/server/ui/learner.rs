//! A learner's page (`/apprenants/{id}`): the title, the blocks with their UEs and marks, the
//! conditions, and the details, from the decision as the caller may see it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use certif_core::decision::ConditionStatus;
use certif_core::messages::{self, Lang, Ui};
use certif_core::{Decision, Dossier};
use certif_store::Store as _;

use super::extract::SignedIn;
use super::what_it_takes::{self, mark_text};
use super::{Chrome, chrome, error_page, full_name, page, status_view, title_view};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState, redact};

pub(in crate::server::ui) struct UeView {
    pub(in crate::server::ui) code: String,
    pub(in crate::server::ui) average: String,
    pub(in crate::server::ui) status: (String, &'static str),
    pub(in crate::server::ui) marks: Vec<(String, String)>,
    pub(in crate::server::ui) reasons: Vec<String>,
}

pub(in crate::server::ui) struct BlockView {
    pub(in crate::server::ui) code: String,
    pub(in crate::server::ui) title: String,
    pub(in crate::server::ui) status: (String, &'static str),
    pub(in crate::server::ui) ues: Vec<UeView>,
    pub(in crate::server::ui) reasons: Vec<String>,
}

pub(in crate::server::ui) struct ConditionView {
    pub(in crate::server::ui) name: String,
    pub(in crate::server::ui) status: String,
    pub(in crate::server::ui) class: &'static str,
    pub(in crate::server::ui) reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "learner.html")]
struct LearnerPage {
    chrome: Chrome,
    name: String,
    id: String,
    jury: JuryDecisions,
    held: Option<Held>,
    d: DecisionBody,
}

/// The holder's issued credentials (spec/credentials.md §5), for those who may see them.
pub(super) struct Held {
    heading: &'static str,
    none: &'static str,
    jwt_label: &'static str,
    json_label: &'static str,
    share_label: &'static str,
    lines: Vec<HeldLine>,
    /// The PDF documents issued (not kept: each with its verification link).
    documents: Vec<DocumentLine>,
}

struct DocumentLine {
    what: &'static str,
    session: String,
    issued: String,
    state: String,
    class: &'static str,
    share: String,
}

struct HeldLine {
    what: String,
    session: String,
    state: String,
    class: &'static str,
    jwt: String,
    json: String,
    share: String,
}

/// The learner's documents and credentials, when `caller` may see them (`access::read_credentials`).
async fn held(state: &AppState, caller: &Caller, learner: &str, lang: Lang) -> Result<Option<Held>, ApiError> {
    use certif_core::messages::credentials::{CredentialUi, ui};
    if access::read_credentials(&caller.account, learner) != Access::Allowed {
        return Ok(None);
    }
    let credentials = certif_app::credentials::of_learner(&state.db, learner).await?;
    let base = certif_app::credentials::base_url(&state.db).await?;
    let lines = credentials
        .iter()
        .map(|c| {
            let uuid = c.id.trim_start_matches("urn:uuid:");
            let (state, class) = match &c.revoked_at {
                Some(at) => (format!("{} {}", ui(CredentialUi::RevokedOn, lang), certif_core::report::time_date_text(at, lang)), "ko"),
                None => (ui(CredentialUi::Valid, lang).to_string(), "ok"),
            };
            HeldLine {
                what: super::verify::achievement_words(&c.achievement, lang),
                session: c.session.clone(),
                state,
                class,
                jwt: format!("/apprenants/{learner}/attestations/{uuid}.jwt"),
                json: format!("/apprenants/{learner}/attestations/{uuid}.json"),
                share: certif_app::credentials::verify_url(&base, &c.id),
            }
        })
        .collect();
    let documents = {
        use certif_store::documents::DocumentStore as _;
        state.db.documents_of(learner).await?
    };
    let documents = documents
        .iter()
        .map(|d| {
            let (state, class) = match &d.revoked_at {
                Some(at) => (format!("{} {}", ui(CredentialUi::RevokedOn, lang), certif_core::report::time_date_text(at, lang)), "ko"),
                None => (ui(CredentialUi::Valid, lang).to_string(), "ok"),
            };
            DocumentLine {
                what: match d.kind.as_str() {
                    "diploma" => ui(CredentialUi::Diploma, lang),
                    "attestation" => ui(CredentialUi::Attestation, lang),
                    _ => ui(CredentialUi::Transcript, lang),
                },
                session: d.session.clone(),
                issued: certif_core::report::time_date_text(&d.issued_at, lang),
                state,
                class,
                share: certif_app::address::verify_url(&base, &d.id),
            }
        })
        .collect();
    Ok(Some(Held {
        documents,
        heading: ui(CredentialUi::MyCredentials, lang),
        none: ui(CredentialUi::NoCredentials, lang),
        jwt_label: ui(CredentialUi::DownloadJwt, lang),
        json_label: ui(CredentialUi::DownloadJson, lang),
        share_label: ui(CredentialUi::ShareLink, lang),
        lines,
    }))
}

/// `/apprenants/{id}/attestations/{uuid}.jwt|.json`: one credential, for its holder, the
/// registrar and the admin.
pub(super) async fn credential_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, file)): Path<(String, String)>,
    signed_in: SignedIn,
) -> Response {
    let SignedIn { caller, lang } = signed_in;
    match access::read_credentials(&caller.account, &id) {
        Access::Allowed => {}
        Access::Forbidden => return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers),
        Access::Hidden => return error_page(ApiError::not_found(""), Some(&caller), lang, &headers),
    }
    let Some((uuid, extension)) = file.rsplit_once('.') else {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    };
    let found = match certif_app::credentials::find(&state.db, uuid).await {
        Ok(found) => found.filter(|c| c.learner == id),
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let Some(credential) = found else {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    };
    let disposition = |ext: &str| format!("attachment; filename=\"{uuid}.{ext}\"");
    match extension {
        "jwt" => (
            [
                (axum::http::header::CONTENT_TYPE, "application/vc+jwt".to_string()),
                (axum::http::header::CONTENT_DISPOSITION, disposition("jwt")),
            ],
            credential.jwt,
        )
            .into_response(),
        "json" => match certif_app::credentials::decoded(&credential) {
            Ok(decoded) => (
                [
                    (axum::http::header::CONTENT_TYPE, "application/json".to_string()),
                    (axum::http::header::CONTENT_DISPOSITION, disposition("json")),
                ],
                serde_json::to_string_pretty(&decoded).unwrap_or_default(),
            )
                .into_response(),
            Err(e) => error_page(e.into(), Some(&caller), lang, &headers),
        },
        _ => error_page(ApiError::not_found(""), Some(&caller), lang, &headers),
    }
}

/// The learner's published jury decisions, with the appeal deadline (spec/jury.md §10).
struct JuryDecisions {
    heading: &'static str,
    deadline_label: &'static str,
    published_label: &'static str,
    /// Session name, outcome in words, publication date, appeal deadline.
    lines: Vec<(String, String, String, String)>,
}

fn jury_decisions(decisions: Vec<certif_app::jury::PublishedDecision>, lang: Lang) -> JuryDecisions {
    use certif_core::messages::jury::{self as words, JuryUi};
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    JuryDecisions {
        heading: words::ui(JuryUi::MyJuryDecisions, lang),
        deadline_label: words::ui(JuryUi::AppealDeadline, lang),
        published_label: words::ui(JuryUi::PublishedOn, lang),
        lines: decisions
            .into_iter()
            .map(|d| (d.name, words::outcome(d.code, lang).to_string(), day(d.published_on), day(d.appeal_deadline)))
            .collect(),
    }
}

/// A decision explained (title, what it would take, conditions, blocks, the details), as the
/// caller may see it: the learner's page and the jury's candidate page (`decision_body.html`).
pub(super) struct DecisionBody {
    pub(in crate::server::ui) title: (String, &'static str),
    pub(in crate::server::ui) title_label: &'static str,
    pub(in crate::server::ui) blocks_label: &'static str,
    pub(in crate::server::ui) conditions_label: &'static str,
    pub(in crate::server::ui) periods_label: &'static str,
    pub(in crate::server::ui) mobility_label: &'static str,
    pub(in crate::server::ui) english_label: &'static str,
    pub(in crate::server::ui) blocks: Vec<BlockView>,
    pub(in crate::server::ui) conditions: Vec<ConditionView>,
    pub(in crate::server::ui) periods: Vec<String>,
    pub(in crate::server::ui) mobility: Vec<String>,
    pub(in crate::server::ui) english: Vec<String>,
    pub(in crate::server::ui) what_it_takes: Option<what_it_takes::Section>,
}

fn learner_view(
    curricula: &certif_app::Curricula,
    caller: &Caller,
    dossier: &Dossier,
    decision: Decision,
    jury: JuryDecisions,
    held: Option<Held>,
    lang: Lang,
) -> LearnerPage {
    LearnerPage {
        chrome: chrome(Some(caller), lang),
        name: full_name(dossier),
        id: dossier.learner.id.clone(),
        jury,
        held,
        d: decision_body(curricula, caller, dossier, decision, lang),
    }
}

/// `decision` on `dossier` explained for `caller` (redacted as their role requires).
pub(super) fn decision_body(
    state_curricula: &certif_app::Curricula,
    caller: &Caller,
    dossier: &Dossier,
    decision: Decision,
    lang: Lang,
) -> DecisionBody {
    let t = |phrase| messages::ui(phrase, lang);
    let sees_health_data = redact::may_see_health_data(&caller.account, &dossier.learner.id);
    let decision = &redact::decision_for(&caller.account, &dossier.learner.id, decision);
    // A certification without an overlay of its own follows the default policy.
    let policy = state_curricula.policies.get(decision.certification.as_str()).cloned().unwrap_or_else(certif_core::Policy::default);
    let adapted = sees_health_data && redact::english_target_adapted(dossier, &policy);
    let certification = state_curricula.loaded.iter().find(|(_, c)| c.code == decision.certification.as_str()).map(|(_, c)| c);
    let reason_words = |codes: &[certif_core::codes::ReasonCode]| {
        codes.iter().map(|r| format!("{} ({})", messages::reason(*r, lang), r.as_str())).collect::<Vec<_>>()
    };
    let marks_of = |module: &str| dossier.marks.iter().find(|m| m.module.as_str() == module);
    let blocks = decision
        .blocks
        .iter()
        .map(|b| BlockView {
            code: b.code.to_string(),
            // A block the referential does not name is shown by its code alone.
            title: certification.and_then(|c| c.block(b.code.as_str())).map_or_else(String::new, |block| block.title.clone()),
            status: status_view(b.status, lang),
            reasons: reason_words(&b.reasons),
            ues: b
                .ues
                .iter()
                .map(|u| UeView {
                    code: u.code.to_string(),
                    average: u.average.map(|a| format!("{:.2}", a).replace('.', ",")).unwrap_or_else(|| "—".into()),
                    status: status_view(u.status, lang),
                    reasons: reason_words(&u.reasons),
                    marks: u
                        .modules
                        .iter()
                        .map(|m| {
                            let entered = marks_of(m.code.as_str())
                                .map_or("—".to_string(), |mk| format!("{} / {}", mark_text(&mk.session1), mark_text(&mk.session2)));
                            (m.code.to_string(), entered)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let conditions = decision
        .conditions
        .iter()
        .into_iter()
        .map(|(key, c)| {
            let mut reasons = reason_words(&c.reasons);
            for f in &c.findings {
                let mut line = format!("{} : {}", f.subject, messages::reason(f.reason, lang));
                if let Some(value) = &f.value {
                    line.push_str(&format!(" — {} {value}", t(Ui::Value)));
                }
                if let Some(threshold) = &f.threshold {
                    line.push_str(&format!(" ; {} {threshold}", t(Ui::Needed)));
                }
                reasons.push(line);
            }
            if key == "english" && adapted {
                let target = dossier.english_target(&policy);
                reasons.push(format!("{} {target} ({})", t(Ui::TargetAdapted), t(Ui::Accommodation)));
            }
            ConditionView {
                name: messages::condition(key, lang).to_string(),
                status: messages::condition_status(c.status, lang).to_string(),
                class: match c.status {
                    ConditionStatus::Met | ConditionStatus::NotRequired => "ok",
                    ConditionStatus::Unmet => "ko",
                    ConditionStatus::Incomplete => "wait",
                },
                reasons,
            }
        })
        .collect();
    DecisionBody {
        title: title_view(decision.title.status, lang),
        title_label: t(Ui::Title),
        blocks_label: t(Ui::CompetencyBlocks),
        conditions_label: t(Ui::AwardConditions),
        periods_label: t(Ui::CompanyPeriods),
        mobility_label: t(Ui::InternationalMobility),
        english_label: t(Ui::English),
        what_it_takes: what_it_takes::section(state_curricula, &caller.account, dossier, decision, lang),
        blocks,
        conditions,
        periods: dossier
            .company_periods
            .iter()
            .map(|p| format!("{} : {} → {}, {} {}", p.id, p.start, p.end, t(Ui::EvaluationLower), mark_text(&p.evaluation)))
            .collect(),
        mobility: dossier.mobility.iter().map(|m| format!("{} : {} → {}", m.country, m.start, m.end)).collect(),
        english: dossier
            .english
            .iter()
            .map(|e| {
                let score = match serde_json::to_value(e.score) {
                    Ok(v) => v.as_str().map_or_else(|| v.to_string(), String::from),
                    Err(e) => e.to_string(),
                };
                format!("{} : {score} ({})", e.test, e.date)
            })
            .collect(),
    }
}

/// The page of learner `id`, if `caller` may open it (also *Mon parcours*).
pub(super) async fn show_learner(state: &AppState, headers: &HeaderMap, caller: &Caller, lang: Lang, id: &str) -> Response {
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(caller), lang, headers),
    };
    if !certif_core::ident::is_valid(id) {
        return error_page(ApiError::not_found(""), Some(caller), lang, headers);
    }
    let records = match state.db.records_of(id).await {
        Ok(records) => records,
        Err(e) => return error_page(e.into(), Some(caller), lang, headers),
    };
    if records.is_empty() {
        return error_page(ApiError::not_found(""), Some(caller), lang, headers);
    }
    let follows = curricula.follows(&records);
    match access::read_learner(&caller.account, id, &follows) {
        Access::Allowed => {}
        Access::Forbidden => return error_page(ApiError::forbidden(""), Some(caller), lang, headers),
        Access::Hidden => return error_page(ApiError::not_found(""), Some(caller), lang, headers),
    }
    let jury = match certif_app::jury::published_decisions(&state.db, id).await {
        Ok(decisions) => jury_decisions(decisions, lang),
        Err(e) => return error_page(e.into(), Some(caller), lang, headers),
    };
    let held = match held(state, caller, id, lang).await {
        Ok(held) => held,
        Err(e) => return error_page(e, Some(caller), lang, headers),
    };
    match certif_app::decide_records(&curricula, &certif_core::Policy::default(), id, &records, chrono::Local::now().date_naive()) {
        Ok((dossier, decision)) => page(learner_view(&curricula, caller, &dossier, decision, jury, held, lang), StatusCode::OK, headers),
        Err(e) => error_page(ApiError::invalid("", e.0), Some(caller), lang, headers),
    }
}

pub(super) async fn learner_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    signed_in: SignedIn,
) -> Response {
    show_learner(&state, &headers, &signed_in.caller, signed_in.lang, &id).await
}
