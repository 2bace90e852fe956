//! The public side of credentials (spec/credentials.md §2–§4), for anyone, signed in or not
//! (`access::verify_publicly`): the issuer's public keys (`/.well-known/jwks.json`), the signed
//! revocation lists (`/status/{list}`), the verification page of an issued credential
//! (`/verify/{id}`) and the verification of a pasted JWT (`POST /verify`, HTML for a form, JSON
//! for a JSON body). A page shows nothing beyond what the credential itself shows: the holder
//! only as its salted hash.
//!
//! A status list is signed when asked for, with the key the server unsealed at start
//! (`CERTIF_KEY_PASSPHRASE`), and kept until the next write (the audit head moves with every
//! write), so a revocation shows at once and a burst of requests signs once.

use askama::Template;
use axum::extract::{Form, FromRequest as _, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use certif_app::credentials::{self, report};
use certif_core::messages::Lang;
use certif_core::messages::credentials::{CredentialUi, ui};
use certif_core::report::{date_text, time_date_text};
use certif_credentials::{Verification, verify_credential};
use certif_store::Store as _;
use certif_store::credentials::{StoredCredential, TITLE};
use certif_store::jury::JuryStore as _;
use serde::Deserialize;
use serde_json::Value;

use super::{Chrome, chrome, error_page, lang, page};
use crate::server::access::{self, Access};
use crate::server::{ApiError, AppState};

/// A pasted credential is a few kilobytes, a document's PDF a few hundred: anything larger than
/// this is refused unread.
const POST_LIMIT: usize = 8 << 20;

pub fn routes() -> Router<AppState> {
    use axum::routing::get;
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route("/status/{list}", get(status_list))
        .route("/verify", get(verify_form).post(verify_posted).layer(axum::extract::DefaultBodyLimit::max(POST_LIMIT)))
        .route("/verify/{id}", get(verify_id))
}

fn public() -> Result<(), ApiError> {
    match access::verify_publicly() {
        Access::Allowed => Ok(()),
        _ => Err(ApiError::forbidden("")),
    }
}

/// `GET /.well-known/jwks.json`: every public key, retired ones included.
async fn jwks(State(state): State<AppState>) -> Result<Response, ApiError> {
    public()?;
    let keys = credentials::jwks(&state.db).await?;
    Ok(([(header::CONTENT_TYPE, "application/jwk-set+json"), (header::CACHE_CONTROL, "public, max-age=300")], keys.to_json())
        .into_response())
}

fn unavailable() -> ApiError {
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: "status_unavailable",
        message: "la liste de statut ne peut être signée : le serveur a démarré sans CERTIF_KEY_PASSPHRASE / the status list cannot be signed: the server started without CERTIF_KEY_PASSPHRASE".into(),
        field: None,
        reasons: Vec::new(),
    }
}

/// The status list `list`, signed (or as signed since the last write); `None` when no credential
/// has a bit in it.
async fn signed_status_list(state: &AppState, list: &str) -> Result<Option<String>, ApiError> {
    let Some(key) = state.issuer_key.as_ref() else {
        return Err(unavailable());
    };
    let (_, head) = state.db.audit_head().await?;
    if let Some((at, jwt)) = state.status_lists.lock().await.get(list)
        && *at == head
    {
        return Ok(Some(jwt.clone()));
    }
    let base = credentials::base_url(&state.db).await?;
    let Some(document) = credentials::status_list_jwt(&state.db, &base, key, list, chrono::Utc::now()).await? else {
        return Ok(None);
    };
    let mut cached = state.status_lists.lock().await;
    if cached.len() > 1_000 {
        cached.clear();
    }
    cached.insert(list.to_string(), (head, document.jwt.clone()));
    Ok(Some(document.jwt))
}

/// `GET /status/{list}`: the BitstringStatusListCredential as a VC-JWT.
async fn status_list(State(state): State<AppState>, Path(list): Path<String>) -> Result<Response, ApiError> {
    public()?;
    if list.is_empty() || list.len() > 20 || !list.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::not_found("status list"));
    }
    match signed_status_list(&state, &list).await? {
        Some(jwt) => Ok(([(header::CONTENT_TYPE, "application/vc+jwt"), (header::CACHE_CONTROL, "no-cache")], jwt).into_response()),
        None => Err(ApiError::not_found("status list")),
    }
}

/// One check as the page shows it.
struct CheckRow {
    label: &'static str,
    result: &'static str,
    class: &'static str,
    code: String,
    explanation: &'static str,
    detail: String,
}

/// What a verification found, for the page.
struct Verdict {
    class: &'static str,
    headline: &'static str,
    facts: Vec<(&'static str, String)>,
    checks: Vec<CheckRow>,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    chrome: Chrome,
    heading: &'static str,
    intro: &'static str,
    verdict: Option<Verdict>,
    notice: Option<&'static str>,
    checks_label: &'static str,
    check_label: &'static str,
    result_label: &'static str,
    code_label: &'static str,
    explanation_label: &'static str,
    another_label: &'static str,
    paste_label: &'static str,
    pdf_label: &'static str,
    verify_label: &'static str,
}

fn verify_page(
    caller: Option<&crate::server::auth::Caller>,
    lang: Lang,
    verdict: Option<Verdict>,
    notice: Option<&'static str>,
) -> VerifyPage {
    let t = |phrase| ui(phrase, lang);
    VerifyPage {
        chrome: chrome(caller, lang),
        heading: t(CredentialUi::Verification),
        intro: t(CredentialUi::VerifyIntro),
        verdict,
        notice,
        checks_label: t(CredentialUi::Checks),
        check_label: t(CredentialUi::Check),
        result_label: t(CredentialUi::Result),
        code_label: t(CredentialUi::Code),
        explanation_label: t(CredentialUi::Explanation),
        another_label: t(CredentialUi::VerifyAnother),
        paste_label: t(CredentialUi::PasteJwt),
        pdf_label: t(CredentialUi::OrUploadPdf),
        verify_label: t(CredentialUi::Verify),
    }
}

/// The facts a credential states, in words.
fn facts(credential: &Value, lang: Lang) -> Vec<(&'static str, String)> {
    let t = |phrase| ui(phrase, lang);
    let text = |pointer: &str| credential.pointer(pointer).and_then(Value::as_str).unwrap_or("?").to_string();
    let kind = match credential.pointer("/credentialSubject/achievement/achievementType").and_then(Value::as_str) {
        Some("Diploma") => t(CredentialUi::Title),
        _ => t(CredentialUi::Block),
    };
    vec![
        (
            t(CredentialUi::What),
            format!("{} ({})", text("/credentialSubject/achievement/name"), text("/credentialSubject/achievement/humanCode")),
        ),
        (t(CredentialUi::Nature), kind.to_string()),
        (t(CredentialUi::IssuedBy), text("/issuer/name")),
        (t(CredentialUi::Siret), text("/issuer/otherIdentifier/0/identifier")),
        (t(CredentialUi::PublishedOn), time_date_text(&text("/validFrom"), lang)),
        (t(CredentialUi::Holder), format!("{} — {}", text("/credentialSubject/identifier/0/identityHash"), t(CredentialUi::HolderHashed))),
    ]
}

/// The signed status list `list` to check a credential against; none when the server has no
/// key to sign it with (the check then says `STATUS_UNAVAILABLE`). A store failure is an error.
async fn status_list_for(state: &AppState, list: &str) -> Result<Option<String>, ApiError> {
    if state.issuer_key.is_none() {
        return Ok(None);
    }
    signed_status_list(state, list).await
}

/// Every check of `token` against the published keys and, when given, its status list.
async fn verification(state: &AppState, token: &str, list: Option<&str>) -> Result<Verification, ApiError> {
    let keys = credentials::jwks(&state.db).await?;
    let list = match list {
        Some(list) => status_list_for(state, list).await?,
        None => None,
    };
    Ok(verify_credential(token, &keys, list.as_deref(), chrono::Utc::now()))
}

/// A pasted JWT: its status list is the one certif recorded for it, when certif issued it.
async fn pasted_verification(state: &AppState, token: &str) -> Result<Verification, ApiError> {
    let id = certif_credentials::verify::decoded_credential(token).and_then(|c| c.get("id").and_then(Value::as_str).map(String::from));
    let stored = match id {
        Some(id) => credentials::find(&state.db, &id).await?,
        None => None,
    };
    verification(state, token, stored.as_ref().map(|c| c.status_list.as_str())).await
}

fn check_rows(verification: &Verification, lang: Lang) -> Vec<CheckRow> {
    report::Report::of(verification, lang)
        .checks
        .into_iter()
        .map(|line| CheckRow {
            label: line.label,
            result: ui(if line.passed { CredentialUi::Passed } else { CredentialUi::Failed }, lang),
            class: if line.passed { "ok" } else { "ko" },
            code: line.reason.unwrap_or("").to_string(),
            explanation: line.explanation,
            detail: line.detail,
        })
        .collect()
}

/// The verdict on a credential certif keeps: what the store says of it (revoked, replaced on
/// appeal), and every check of its JWT.
async fn stored_verdict(state: &AppState, stored: &StoredCredential, lang: Lang) -> Result<Verdict, ApiError> {
    let t = |phrase| ui(phrase, lang);
    let verification = verification(state, &stored.jwt, Some(&stored.status_list)).await?;
    let decoded = match &verification.credential {
        Some(decoded) => decoded.clone(),
        None => credentials::decoded(stored)?,
    };
    let mut facts = facts(&decoded, lang);
    if let Some(session) = state.db.jury_session(&stored.session).await? {
        facts.insert(4, (t(CredentialUi::JuryDate), date_text(session.session.date, lang)));
    }
    facts.push((t(CredentialUi::IssuedOn), time_date_text(&stored.issued_at, lang)));
    let standing = credentials::standing(&state.db).await?;
    let stands = standing.contains(&(stored.learner.clone(), stored.session.clone(), stored.achievement.clone()));
    let headline = if let Some(at) = &stored.revoked_at {
        facts.push((t(CredentialUi::RevokedOn), time_date_text(at, lang)));
        if let Some(reason) = &stored.revocation_reason {
            facts.push((t(CredentialUi::Reason), reason.clone()));
        }
        if stands { CredentialUi::Revoked } else { CredentialUi::Superseded }
    } else if !stands {
        CredentialUi::Superseded
    } else if verification.checks.iter().all(|c| c.passed || c.check == certif_credentials::Check::Status) {
        // A server started without the passphrase cannot sign its status list: the store, which
        // the list is made from, says the credential stands.
        CredentialUi::Stands
    } else {
        CredentialUi::NotValid
    };
    let class = if headline == CredentialUi::Stands { "ok" } else { "ko" };
    Ok(Verdict { class, headline: t(headline), facts, checks: check_rows(&verification, lang) })
}

/// The verdict on a PDF document certif issued: what it is, to whom (the names the document
/// itself prints), for which certification and jury, and whether it still stands.
async fn document_verdict(state: &AppState, id: &str, lang: Lang) -> Result<Option<Verdict>, ApiError> {
    use certif_store::documents::DocumentStore as _;
    let t = |phrase| ui(phrase, lang);
    let Some(document) = state.db.document(id).await? else {
        return Ok(None);
    };
    let kind = match document.kind.as_str() {
        "diploma" => t(CredentialUi::Diploma),
        "attestation" => t(CredentialUi::Attestation),
        _ => t(CredentialUi::Transcript),
    };
    // The store refuses a document for a learner it does not hold: one without a record is a
    // damaged database, reported as such rather than shown without a name.
    let holder = state
        .db
        .records_of(&document.learner)
        .await?
        .into_iter()
        .find_map(|r| match r {
            certif_store::Record::Learner(l) => Some(l.learner.display_name()),
            _ => None,
        })
        .ok_or_else(|| ApiError::internal(format!("document {} : no record of learner {}", document.id, document.learner)))?;
    let mut facts = vec![(t(CredentialUi::Document), kind.to_string()), (t(CredentialUi::Holder), holder)];
    if let Some(session) = state.db.jury_session(&document.session).await? {
        let title = certif_app::resolve(&*state.db, &session.session.certification)
            .await?
            .map_or_else(|| session.session.certification.clone(), |r| format!("{} ({})", r.certification.title, r.certification.code));
        facts.push((t(CredentialUi::Certification), title));
        facts.push((t(CredentialUi::JuryDate), date_text(session.session.date, lang)));
        if let Some(published) = session.published_on {
            facts.push((t(CredentialUi::PublishedOn), date_text(published, lang)));
        }
    }
    facts.push((t(CredentialUi::IssuedOn), time_date_text(&document.issued_at, lang)));
    facts.push((t(CredentialUi::Sha256), document.sha256.clone()));
    let standing = credentials::standing(&state.db).await?;
    let stands = standing.iter().any(|(learner, session, _)| *learner == document.learner && *session == document.session);
    let headline = match (&document.revoked_at, stands) {
        (Some(at), _) => {
            facts.push((t(CredentialUi::RevokedOn), time_date_text(at, lang)));
            if let Some(reason) = &document.revocation_reason {
                facts.push((t(CredentialUi::Reason), reason.clone()));
            }
            CredentialUi::DocumentRevoked
        }
        (None, false) => CredentialUi::Superseded,
        (None, true) => CredentialUi::DocumentStands,
    };
    let class = if headline == CredentialUi::DocumentStands { "ok" } else { "ko" };
    Ok(Some(Verdict { class, headline: t(headline), facts, checks: Vec::new() }))
}

/// `GET /verify/{id}`: an issued credential's or document's public page.
async fn verify_id(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let lang = lang(&headers);
    let caller = state.caller(&headers).await.ok();
    if public().is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let id = id.trim_end_matches(".html");
    let uuid_like = id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let stored = if uuid_like { credentials::find(&state.db, id).await } else { Ok(None) };
    let result = match stored {
        Ok(Some(stored)) => stored_verdict(&state, &stored, lang).await.map(Some),
        Ok(None) if uuid_like => document_verdict(&state, id, lang).await,
        Ok(None) => Ok(None),
        Err(e) => Err(ApiError::from(e)),
    };
    match result {
        Ok(Some(verdict)) => page(verify_page(caller.as_ref(), lang, Some(verdict), None), StatusCode::OK, &headers),
        Ok(None) => {
            let unknown = verify_page(caller.as_ref(), lang, None, Some(ui(CredentialUi::UnknownText, lang)));
            page(unknown, StatusCode::NOT_FOUND, &headers)
        }
        Err(e) => error_page(e, caller.as_ref(), lang, &headers),
    }
}

/// `GET /verify`: the form.
async fn verify_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang(&headers);
    let caller = state.caller(&headers).await.ok();
    page(verify_page(caller.as_ref(), lang, None, None), StatusCode::OK, &headers)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pasted {
    jwt: String,
}

/// What `POST /verify` was given.
enum Posted {
    Jwt(String),
    Pdf(Vec<u8>),
    Nothing,
}

/// The form's fields: `jwt` (pasted) or `pdf` (uploaded); a PDF given wins.
async fn multipart(mut form: Multipart) -> Result<Posted, ApiError> {
    let mut jwt = String::new();
    let mut pdf = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|e| ApiError::invalid("", e.to_string()))? {
        match field.name() {
            Some("jwt") => jwt = field.text().await.map_err(|e| ApiError::invalid("jwt", e.to_string()))?,
            Some("pdf") => pdf = field.bytes().await.map_err(|e| ApiError::invalid("pdf", e.to_string()))?.to_vec(),
            _ => {}
        }
    }
    Ok(if !pdf.is_empty() {
        Posted::Pdf(pdf)
    } else if jwt.trim().is_empty() {
        Posted::Nothing
    } else {
        Posted::Jwt(jwt)
    })
}

/// `POST /verify`: a pasted JWT or an uploaded PDF. A form (`jwt=…`, or multipart with `jwt`
/// or `pdf`) is answered with the page; a JSON body `{"jwt": …}` with every check, its reason
/// code and its explanation; a raw `application/pdf` body with what certif issued under that
/// PDF's SHA-256, if anything.
async fn verify_posted(State(state): State<AppState>, headers: HeaderMap, request: Request) -> Response {
    let lang = lang(&headers);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let json = content_type.starts_with("application/json") || content_type.starts_with("application/pdf");
    let posted = if content_type.starts_with("application/json") {
        match Json::<Pasted>::from_request(request, &state).await {
            Ok(Json(pasted)) if !pasted.jwt.trim().is_empty() => Posted::Jwt(pasted.jwt),
            Ok(_) => Posted::Nothing,
            Err(e) => return ApiError::invalid("jwt", format!("{{\"jwt\": \"…\"}} : {e}")).into_response(),
        }
    } else if content_type.starts_with("application/pdf") {
        match axum::body::Bytes::from_request(request, &state).await {
            Ok(bytes) if !bytes.is_empty() => Posted::Pdf(bytes.to_vec()),
            Ok(_) => Posted::Nothing,
            Err(e) => return ApiError::invalid("pdf", e.to_string()).into_response(),
        }
    } else if content_type.starts_with("multipart/form-data") {
        match Multipart::from_request(request, &state).await {
            Ok(form) => match multipart(form).await {
                Ok(posted) => posted,
                Err(e) => return e.into_response(),
            },
            Err(e) => return ApiError::invalid("", e.to_string()).into_response(),
        }
    } else {
        match Form::<Pasted>::from_request(request, &state).await {
            Ok(Form(pasted)) if !pasted.jwt.trim().is_empty() => Posted::Jwt(pasted.jwt),
            _ => Posted::Nothing,
        }
    };
    let caller = state.caller(&headers).await.ok();
    let token = match posted {
        Posted::Nothing => {
            if json {
                return ApiError::invalid("jwt", ui(CredentialUi::NothingGiven, lang)).into_response();
            }
            let notice = Some(ui(CredentialUi::NothingGiven, lang));
            return page(verify_page(caller.as_ref(), lang, None, notice), StatusCode::UNPROCESSABLE_ENTITY, &headers);
        }
        Posted::Pdf(bytes) => return verify_pdf(&state, &headers, caller.as_ref(), lang, &bytes, json).await,
        Posted::Jwt(token) => token,
    };
    let verification = match pasted_verification(&state, token.trim()).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    if json {
        return Json(report::Report::of(&verification, lang)).into_response();
    }
    // An invalid credential's claims are not repeated as facts: only its checks are shown.
    let facts = match &verification.credential {
        Some(credential) if verification.is_valid() => facts(credential, lang),
        _ => Vec::new(),
    };
    let headline = if verification.is_valid() { CredentialUi::Stands } else { CredentialUi::NotValid };
    let verdict = Verdict {
        class: if verification.is_valid() { "ok" } else { "ko" },
        headline: ui(headline, lang),
        facts,
        checks: check_rows(&verification, lang),
    };
    page(verify_page(caller.as_ref(), lang, Some(verdict), None), StatusCode::OK, &headers)
}

/// An uploaded PDF: the document certif recorded under its SHA-256, or word that certif did not
/// issue these bytes (a document altered by one byte is not the one issued).
async fn verify_pdf(
    state: &AppState,
    headers: &HeaderMap,
    caller: Option<&crate::server::auth::Caller>,
    lang: Lang,
    bytes: &[u8],
    json: bool,
) -> Response {
    use certif_store::documents::DocumentStore as _;
    use sha2::Digest as _;
    let sha256 = hex::encode(sha2::Sha256::digest(bytes));
    let found = match state.db.document_by_sha256(&sha256).await {
        Ok(found) => found,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let verdict = match &found {
        Some(document) => match document_verdict(state, &document.id, lang).await {
            Ok(verdict) => verdict,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    if json {
        let stands = verdict.as_ref().is_some_and(|v| v.class == "ok");
        let answer = crate::server::api::types::PdfAnswer {
            issued: found.is_some(),
            id: found.as_ref().map(|d| d.id.clone()),
            kind: found.as_ref().map(|d| d.kind.clone()),
            stands,
            revoked_at: found.as_ref().and_then(|d| d.revoked_at.clone()),
            sha256,
        };
        return Json(answer).into_response();
    }
    match verdict {
        Some(verdict) => page(verify_page(caller, lang, Some(verdict), None), StatusCode::OK, headers),
        None => page(verify_page(caller, lang, None, Some(ui(CredentialUi::PdfUnknown, lang))), StatusCode::OK, headers),
    }
}

/// A credential's achievement in words (`titre`, or the block's code).
pub(super) fn achievement_words(achievement: &str, lang: Lang) -> String {
    if achievement == TITLE {
        ui(CredentialUi::Title, lang).to_string()
    } else {
        format!("{} {achievement}", ui(CredentialUi::Block, lang))
    }
}
