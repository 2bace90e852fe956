//! A learner's page (`/apprenants/{id}`): the title, the blocks with their UEs and marks, the
//! conditions, and the details, from the decision as the caller may see it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use certif_core::messages::Lang;
use certif_core::messages::workbench::{WorkUi, work_ui};
use certif_store::Store as _;

use super::decision_body::{DecisionBody, decision_body};
use super::extract::SignedIn;
use super::{Chrome, chrome, error_page, full_name, page};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

#[derive(Template)]
#[template(path = "learner.html")]
struct LearnerPage {
    chrome: Chrome,
    name: String,
    id: String,
    jury: JuryDecisions,
    held: Option<Held>,
    /// The learners before and after this one (by id), for those who read the cohort.
    neighbours: Neighbours,
    /// The link to the record's forms, for those who may edit it.
    edit: Option<(String, &'static str)>,
    d: DecisionBody,
}

/// Links to the previous and the next learner of the cohort, in the order of their ids.
#[derive(Default)]
struct Neighbours {
    previous: Option<String>,
    next: Option<String>,
    previous_label: &'static str,
    next_label: &'static str,
}

/// `id`'s neighbours among `ids` (sorted), labelled in `lang`.
fn neighbours(ids: &[String], id: &str, lang: Lang) -> Neighbours {
    let at = ids.iter().position(|x| x == id);
    Neighbours {
        previous: at.and_then(|i| i.checked_sub(1)).map(|i| ids[i].clone()),
        next: at.and_then(|i| ids.get(i + 1)).cloned(),
        previous_label: work_ui(WorkUi::PreviousLearner, lang),
        next_label: work_ui(WorkUi::NextLearner, lang),
    }
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
                // A JSON value always prints: `{:#}` is serde_json's pretty form.
                format!("{decoded:#}"),
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
    let day = |d: chrono::NaiveDate| certif_core::report::date_text(d, lang);
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
    // Those who read the cohort go from one learner to the next.
    let neighbours = if access::read_cohort(&caller.account) == Access::Allowed {
        match state.db.learner_ids().await {
            Ok(mut ids) => {
                ids.sort();
                neighbours(&ids, id, lang)
            }
            Err(e) => return error_page(e.into(), Some(caller), lang, headers),
        }
    } else {
        Neighbours::default()
    };
    match certif_app::decide_records(&curricula, &certif_core::Policy::default(), id, &records, chrono::Local::now().date_naive()) {
        Ok((dossier, decision)) => {
            let learner = LearnerPage {
                chrome: chrome(Some(caller), lang),
                name: full_name(&dossier),
                id: dossier.learner.id.clone(),
                jury,
                held,
                neighbours,
                edit: (access::write_records(&caller.account, id) == Access::Allowed).then(|| {
                    let words = certif_core::messages::records::records_ui(certif_core::messages::records::RecordsUi::EditRecord, lang);
                    (format!("/apprenants/{id}/dossier"), words)
                }),
                d: decision_body(&curricula, caller, &dossier, decision, lang),
            };
            page(learner, StatusCode::OK, headers)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_learner_has_no_previous_and_the_last_no_next() {
        let ids: Vec<String> = ["A-0001", "A-0002", "A-0003"].map(String::from).to_vec();
        let first = neighbours(&ids, "A-0001", Lang::Fr);
        assert_eq!((first.previous, first.next.as_deref()), (None, Some("A-0002")));
        let middle = neighbours(&ids, "A-0002", Lang::Fr);
        assert_eq!((middle.previous.as_deref(), middle.next.as_deref()), (Some("A-0001"), Some("A-0003")));
        let last = neighbours(&ids, "A-0003", Lang::Fr);
        assert_eq!((last.previous.as_deref(), last.next), (Some("A-0002"), None));
        assert_eq!(neighbours(&ids, "Z-9999", Lang::Fr).next, None);
    }
}
