//! The jury's pages (spec/jury.md §10): the sessions (`/jurys`, and a new one for the
//! registrar), one session (`/jurys/{id}`): its preparation with the composition checked after
//! every change while in draft, then the desk projected during deliberation (candidates with
//! their proposal and outcome, filters, progress), and the president's close, sign and minutes.
//! One candidate at a time is `jury/candidate.rs`. Every action goes through
//! `certif_app::jury`; a refusal is shown on the page with its codes, nothing written.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use certif_app::jury::{self, Candidates, SessionView};
use certif_app::{AppError, InputError};
use certif_core::jury::Member;
use certif_core::messages::jury::{self as words, JuryUi};
use certif_core::messages::{Lang, Ui};
use certif_store::jury::JuryStatus;
use serde::Deserialize;

use super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::{Chrome, chrome, error_page, page};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

pub(super) mod candidate;
mod list;
mod minutes;

pub(super) use list::{create, sessions};
pub(super) use minutes::{minutes_json, minutes_pdf};

/// A refusal shown on a page: its code (kept as is, for the record) and what it means.
pub(super) struct Notice {
    code: String,
    text: String,
}

/// What a refused action shows (status and notices), or the error page for a fault.
pub(super) fn refused(error: AppError, lang: Lang) -> Result<(StatusCode, Vec<Notice>), ApiError> {
    match error {
        AppError::Refused(refusals) => {
            let status = crate::server::refusal_status(&refusals);
            let notices = refusals
                .into_iter()
                .map(|r| Notice {
                    code: r.code.as_str().to_string(),
                    // The sentence names the role, the person, the candidate: in French; the
                    // code's meaning in the page's language otherwise.
                    text: if lang == Lang::Fr { r.message } else { words::refusal(r.code, lang).to_string() },
                })
                .collect();
            Ok((status, notices))
        }
        AppError::Input(input) => Ok((StatusCode::UNPROCESSABLE_ENTITY, vec![Notice { code: String::new(), text: input.0 }])),
        AppError::Store(certif_store::StoreError::Refused { code, message }) => {
            Ok((StatusCode::CONFLICT, vec![Notice { code: code.to_string(), text: message }]))
        }
        AppError::Store(certif_store::StoreError::NotFound(_)) => Err(ApiError::not_found("")),
        other => Err(other.into()),
    }
}

/// A session's id from a path: anything outside the safe charset is no page of ours.
pub(super) fn checked_id(id: &str) -> Result<(), ApiError> {
    certif_core::ident::check(id).map_err(|_| ApiError::not_found(""))
}

/// The session, or the 404 page's error for one that does not exist.
pub(super) async fn session_view(state: &AppState, id: &str) -> Result<SessionView, ApiError> {
    checked_id(id)?;
    match jury::show(&state.db, id).await {
        Ok(view) => Ok(view),
        Err(AppError::Input(_)) | Err(AppError::Store(certif_store::StoreError::NotFound(_))) => Err(ApiError::not_found("")),
        Err(e) => Err(e.into()),
    }
}

fn allowed(access: Access) -> Result<(), ApiError> {
    match access {
        Access::Allowed => Ok(()),
        Access::Forbidden => Err(ApiError::forbidden("")),
        Access::Hidden => Err(ApiError::not_found("")),
    }
}

/// Whether the caller conducts this session: points, votes, close, sign.
pub(super) fn conducts(caller: &Caller, view: &SessionView) -> bool {
    access::conduct_jury(&caller.account, &view.members, &view.presiding) == Access::Allowed
}

pub(super) fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The words of a jury page, in its language (`t.get(JuryUi::…)` would not read in a template).
pub(super) struct Words(Lang);

impl Words {
    pub(super) fn w(&self, phrase: JuryUi) -> &'static str {
        words::ui(phrase, self.0)
    }

    pub(super) fn outcome<'a>(&self, code: &'a str) -> &'a str {
        words::outcome(code, self.0)
    }

    pub(super) fn ui(&self, phrase: Ui) -> &'static str {
        certif_core::messages::ui(phrase, self.0)
    }

    pub(super) fn new(lang: Lang) -> Words {
        Words(lang)
    }
}

pub(super) fn filled(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

struct MemberLine {
    name: String,
    role: String,
    representing: String,
    present: bool,
}

struct CandidateLine {
    learner: String,
    name: String,
    proposal: (String, &'static str),
    outcome: String,
    decided: bool,
}

#[derive(Template)]
#[template(path = "jury_session.html")]
struct SessionPage {
    chrome: Chrome,
    t: Words,
    id: String,
    name: String,
    date: String,
    place: String,
    status: String,
    draft: bool,
    open: bool,
    closed: bool,
    published: bool,
    may_prepare: bool,
    may_conduct: bool,
    notices: Vec<Notice>,
    members: Vec<MemberLine>,
    roles: Vec<(String, String)>,
    composition: Vec<Notice>,
    candidates: Vec<CandidateLine>,
    total: usize,
    decided: usize,
    filter: String,
    president: String,
    signature: String,
    sha256: String,
    published_on: String,
    appeal_deadline: String,
    today: String,
}

/// A proposal's title status as the desk shows it (words and class), from its JSON.
pub(super) fn proposal_title(proposal: &serde_json::Value, lang: Lang) -> (String, &'static str) {
    use certif_core::decision::TitleStatus;
    let status = match proposal["title"]["status"].as_str() {
        Some("awarded") => TitleStatus::Awarded,
        Some("not_awarded") => TitleStatus::NotAwarded,
        _ => TitleStatus::Incomplete,
    };
    super::title_view(status, lang)
}

#[derive(Deserialize)]
pub(super) struct DeskQuery {
    #[serde(default)]
    filtre: String,
}

/// The roles a seat may take: the certification's composition, in the fiche's order.
fn roles_of(view: &SessionView, lang: Lang) -> Vec<(String, String)> {
    // A composition without seats but the presiding one (another certification's default)
    // takes any role: offer the presiding one and a plain member.
    let mut roles = view.roles.clone();
    if roles.len() < 2 {
        roles.push("member".into());
    }
    roles.into_iter().map(|r| (words::role(&r, lang).to_string(), r)).collect()
}

fn session_page(caller: &Caller, lang: Lang, view: SessionView, filter: &str, notices: Vec<Notice>) -> SessionPage {
    let total = view.candidates.len();
    let decided = view.candidates.iter().filter(|c| c.code.is_some()).count();
    let candidates = view
        .candidates
        .iter()
        .filter(|c| match filter {
            "titre" => c.proposal["title"]["status"] == "awarded",
            "discuter" => c.proposal["title"]["status"] != "awarded",
            "nondecides" => c.code.is_none(),
            _ => true,
        })
        .map(|c| CandidateLine {
            learner: c.learner.clone(),
            name: c.name.clone(),
            proposal: proposal_title(&c.proposal, lang),
            outcome: c.code.map_or_else(|| words::ui(JuryUi::Undecided, lang).to_string(), |code| words::outcome(code, lang).to_string()),
            decided: c.code.is_some(),
        })
        .collect();
    let president = certif_core::jury::presiding_member(&view.presiding, &view.members).map(|m| m.name.clone()).unwrap_or_default();
    SessionPage {
        chrome: chrome(Some(caller), lang),
        t: Words(lang),
        may_prepare: access::prepare_jury(&caller.account) == Access::Allowed,
        may_conduct: conducts(caller, &view),
        roles: roles_of(&view, lang),
        id: view.id.clone(),
        name: view.name.clone(),
        date: date_text(view.date),
        place: view.place.clone().unwrap_or_default(),
        status: words::status(view.status.as_str(), lang).to_string(),
        draft: view.status == JuryStatus::Draft,
        open: view.status == JuryStatus::Open,
        closed: view.status == JuryStatus::Closed,
        published: view.status == JuryStatus::Published,
        notices,
        members: view
            .members
            .iter()
            .map(|m| MemberLine {
                name: m.name.clone(),
                role: words::role(&m.role, lang).to_string(),
                representing: m.representing.clone().unwrap_or_default(),
                present: m.present,
            })
            .collect(),
        composition: view
            .composition
            .iter()
            .map(|r| Notice {
                code: r.code.as_str().to_string(),
                text: if lang == Lang::Fr { r.message.clone() } else { words::refusal(r.code, lang).to_string() },
            })
            .collect(),
        candidates,
        total,
        decided,
        filter: filter.to_string(),
        president,
        signature: view.signature.as_ref().map(|s| format!("{} — {}", s.name, s.signed_at)).unwrap_or_default(),
        sha256: view.minutes_sha256.clone().unwrap_or_default(),
        published_on: view.published_on.map(date_text).unwrap_or_default(),
        appeal_deadline: view.appeal_deadline.map(date_text).unwrap_or_default(),
        today: chrono::Local::now().date_naive().to_string(),
    }
}

/// The session's page with `filter`, answered with `status` and the refusal's `notices` (none
/// and 200 for a plain visit).
async fn render(
    state: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
    lang: Lang,
    id: &str,
    filter: &str,
    (status, notices): (StatusCode, Vec<Notice>),
) -> Response {
    match session_view(state, id).await {
        Ok(view) => page(session_page(caller, lang, view, filter, notices), status, headers),
        Err(e) => error_page(e, Some(caller), lang, headers),
    }
}

/// `/jurys/{id}`: the session's preparation, desk, or minutes, as it stands.
pub(super) async fn session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<DeskQuery>,
    signed_in: SignedIn,
) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if let Err(e) = allowed(access::read_jury(&caller.account)) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    render(&state, &headers, &caller, lang, &id, &query.filtre, (StatusCode::OK, Vec::new())).await
}

#[derive(Deserialize)]
pub(super) struct MemberForm {
    name: String,
    role: String,
    #[serde(default)]
    representing: String,
    /// A checkbox: present when ticked.
    present: Option<String>,
    #[serde(default)]
    account: String,
    csrf: Option<String>,
}

impl WithCsrf for MemberForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// A form with nothing but its token, or a name, a date (sign, publish).
#[derive(Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    on: String,
    /// Candidates to add by id (spaces or commas between); none: every eligible learner.
    #[serde(default)]
    learners: String,
    csrf: Option<String>,
}

impl WithCsrf for ActionForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// After an action: the session's page again (303), or the page with the refusal.
async fn answer(state: &AppState, headers: &HeaderMap, caller: &Caller, lang: Lang, id: &str, done: Result<(), AppError>) -> Response {
    match done {
        Ok(()) => Redirect::to(&format!("/jurys/{id}")).into_response(),
        Err(e) => match refused(e, lang) {
            Ok(refusal) => render(state, headers, caller, lang, id, "", refusal).await,
            Err(e) => error_page(e, Some(caller), lang, headers),
        },
    }
}

/// `POST /jurys/{id}/membres`: seats a member (the composition is checked again on the page).
pub(super) async fn add_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: CheckedForm<MemberForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Err(e) = allowed(access::prepare_jury(&caller.account)).and_then(|()| checked_id(&id)) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let member = Member {
        name: form.name.trim().to_string(),
        role: form.role,
        // An empty field is no representative; a blank one is refused by the core.
        representing: Some(form.representing).filter(|r| !r.is_empty()),
        present: form.present.is_some(),
        account: filled(&form.account),
    };
    let done = jury::add_member(&state.db, &id, member, &caller.account.username).await;
    answer(&state, &headers, &caller, lang, &id, done).await
}

/// `POST /jurys/{id}/membres/retirer`: unseats a member by name.
pub(super) async fn remove_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: CheckedForm<ActionForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Err(e) = allowed(access::prepare_jury(&caller.account)).and_then(|()| checked_id(&id)) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let done = jury::remove_member(&state.db, &id, &form.name, &caller.account.username).await;
    answer(&state, &headers, &caller, lang, &id, done).await
}

/// `POST /jurys/{id}/{action}`: preparing (`candidats`: every eligible learner, `ouvrir`,
/// `publier` on `on`) is the registrar's; `clore` and `signer` (as `name`) are the president's
/// (or the registrar's).
pub(super) async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    form: CheckedForm<ActionForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    let view = match session_view(&state, &id).await {
        Ok(view) => view,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let may = match action.as_str() {
        "candidats" | "ouvrir" | "publier" => access::prepare_jury(&caller.account) == Access::Allowed,
        "clore" | "signer" => conducts(&caller, &view),
        _ => return error_page(ApiError::not_found(""), Some(&caller), lang, &headers),
    };
    if !may {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let (db, actor) = (&state.db, caller.account.username.as_str());
    let done = match action.as_str() {
        "candidats" => {
            let named: Vec<String> =
                form.learners.split([' ', ',', '\n']).map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
            let which = if named.is_empty() { Candidates::All } else { Candidates::Some(named) };
            jury::add_candidates(db, &id, which, actor).await.map(|_| ())
        }
        "ouvrir" => jury::open(db, &id, actor).await,
        "publier" => match chrono::NaiveDate::parse_from_str(form.on.trim(), "%Y-%m-%d") {
            Ok(on) => jury::publish(db, &id, on, actor).await,
            Err(_) => Err(InputError(format!("{} : {}", words::ui(JuryUi::PublishOn, lang), form.on)).into()),
        },
        "clore" => jury::close(db, &id, actor).await,
        _ => jury::sign(db, &id, form.name.trim(), actor).await.map(|_| ()),
    };
    answer(&state, &headers, &caller, lang, &id, done).await
}
