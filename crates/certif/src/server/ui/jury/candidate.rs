//! One candidate at the jury's desk (`/jurys/{id}/candidats/{learner}`): their proposal
//! explained (with what it would take) while the session is open, the points de jury, the vote
//! form whose casting vote appears only on a tie (`assets/jury.js`; the server asks for it
//! again on a tie without it), and the previous and next candidates one key away.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use certif_app::jury::{self, Vote};
use certif_app::{AppError, InputError};
use certif_core::Decimal;
use certif_core::jury::{CastingVote, Outcome, Votes};
use certif_core::messages::Lang;
use certif_core::messages::jury::JuryUi;
use certif_store::jury::JuryStatus;
use serde::Deserialize;

use super::super::decision_body::{DecisionBody, decision_body};
use super::super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::super::{Chrome, chrome, error_page, page};
use super::{Notice, Words, allowed, checked_id, conducts, proposal_title, refused, session_view};
use crate::server::access;
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

/// The vote form as drawn: empty, or as the refused submission left it.
pub(super) struct VoteDraft {
    outcome: String,
    in_favour: String,
    against: String,
    abstain: String,
    casting: String,
    justification: String,
    expected: String,
    by: String,
    blocks: Vec<String>,
}

impl VoteDraft {
    fn tie(&self) -> bool {
        !self.in_favour.is_empty() && self.in_favour.trim() == self.against.trim()
    }
}

struct AdoptedView {
    outcome: String,
    votes: String,
    casting: bool,
    justification: String,
}

#[derive(Template)]
#[template(path = "jury_candidate.html")]
struct CandidatePage {
    chrome: Chrome,
    t: Words,
    session: String,
    session_name: String,
    learner: String,
    name: String,
    position: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    open: bool,
    may_conduct: bool,
    notices: Vec<Notice>,
    d: Option<DecisionBody>,
    proposal: (String, &'static str),
    adopted: Option<AdoptedView>,
    records_changed: bool,
    points: Vec<(String, String, String)>,
    modules: Vec<String>,
    validated_blocks: Vec<String>,
    vote: VoteDraft,
}

fn decimal_text(value: Decimal, lang: Lang) -> String {
    let text = value.to_string();
    if lang == Lang::Fr { text.replace('.', ",") } else { text }
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
    lang: Lang,
    id: &str,
    learner: &str,
    notices: Vec<Notice>,
    vote: Option<VoteDraft>,
    status: StatusCode,
) -> Response {
    let view = match session_view(state, id).await {
        Ok(view) => view,
        Err(e) => return error_page(e, Some(caller), lang, headers),
    };
    let Some(position) = view.candidates.iter().position(|c| c.learner == learner) else {
        return error_page(ApiError::not_found(""), Some(caller), lang, headers);
    };
    let candidate = &view.candidates[position];
    let open = view.status == JuryStatus::Open;
    // The proposal explained as the records give it now: while the session can still decide.
    let (d, modules) = if matches!(view.status, JuryStatus::Draft | JuryStatus::Open) {
        let curricula = match state.curricula().await {
            Ok(c) => c,
            Err(e) => return error_page(e, Some(caller), lang, headers),
        };
        match jury::candidate_file(&state.db, id, learner).await {
            Ok((dossier, decision)) => {
                let modules = dossier.marks.iter().map(|m| m.module.to_string()).collect();
                (Some(decision_body(&curricula, caller, &dossier, decision, lang)), modules)
            }
            Err(e) => return error_page(e.into(), Some(caller), lang, headers),
        }
    } else {
        (None, Vec::new())
    };
    let validated_blocks = candidate.proposal["blocks"]
        .as_array()
        .map(|blocks| blocks.iter().filter(|b| b["status"] == "validated").filter_map(|b| b["code"].as_str().map(String::from)).collect())
        .unwrap_or_default();
    let adopted = candidate.code.map(|code| {
        let votes = candidate.votes.map_or_else(String::new, |v| {
            format!(
                "{} {} · {} {} · {} {}",
                Words::new(lang).w(JuryUi::For),
                v.in_favour,
                Words::new(lang).w(JuryUi::Against),
                v.against,
                Words::new(lang).w(JuryUi::Abstain),
                v.abstain
            )
        });
        AdoptedView {
            outcome: Words::new(lang).outcome(code).to_string(),
            votes,
            casting: candidate.casting_vote.is_some(),
            justification: candidate.justification.clone().unwrap_or_default(),
        }
    });
    let present = view.members.iter().filter(|m| m.present).count();
    let vote = vote.unwrap_or_else(|| VoteDraft {
        outcome: if candidate.proposal["title"]["status"] == "awarded" { "award".into() } else { "defer".into() },
        in_favour: present.to_string(),
        against: "0".into(),
        abstain: "0".into(),
        casting: String::new(),
        justification: String::new(),
        expected: String::new(),
        by: String::new(),
        blocks: Vec::new(),
    });
    let learner_at = |at: usize| view.candidates.get(at).map(|c| c.learner.clone());
    let page_view = CandidatePage {
        chrome: chrome(Some(caller), lang),
        t: Words::new(lang),
        session: view.id.clone(),
        session_name: view.name.clone(),
        learner: candidate.learner.clone(),
        name: candidate.name.clone(),
        position: position + 1,
        total: view.candidates.len(),
        previous: position.checked_sub(1).and_then(learner_at),
        next: learner_at(position + 1),
        open,
        may_conduct: conducts(caller, &view),
        notices,
        d,
        proposal: proposal_title(&candidate.proposal, lang),
        adopted,
        records_changed: candidate.notices.contains(&certif_app::jury::RECORDS_CHANGED),
        points: candidate.points.iter().map(|p| (p.module.clone(), decimal_text(p.points, lang), p.justification.clone())).collect(),
        modules,
        validated_blocks,
        vote,
    };
    page(page_view, status, headers)
}

/// `/jurys/{id}/candidats/{learner}`.
pub(in crate::server::ui) async fn candidate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
    signed_in: SignedIn,
) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if let Err(e) = allowed(access::read_jury(&caller.account)).and_then(|()| checked_id(&learner)) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    render(&state, &headers, &caller, lang, &id, &learner, Vec::new(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub(in crate::server::ui) struct PointsForm {
    module: String,
    points: String,
    #[serde(default)]
    justification: String,
    csrf: Option<String>,
}

impl WithCsrf for PointsForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// Whether the caller conducts the session (404 for a session that does not exist).
async fn may_conduct(state: &AppState, caller: &Caller, id: &str, learner: &str) -> Result<(), ApiError> {
    checked_id(learner)?;
    let view = session_view(state, id).await?;
    if conducts(caller, &view) { Ok(()) } else { Err(ApiError::forbidden("")) }
}

/// `POST /jurys/{id}/candidats/{learner}/points`: points de jury on one module.
pub(in crate::server::ui) async fn points(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
    form: CheckedForm<PointsForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Err(e) = may_conduct(&state, &caller, &id, &learner).await {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let done = match form.points.trim().replace(',', ".").parse::<Decimal>() {
        Ok(value) => jury::points(&state.db, &id, &learner, form.module.trim(), value, &form.justification, &caller.account.username).await,
        Err(_) => Err(InputError(format!("{} : {}", Words::new(lang).w(JuryUi::Points), form.points)).into()),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/jurys/{id}/candidats/{learner}")).into_response(),
        Err(e) => match refused(e, lang) {
            Ok((status, notices)) => render(&state, &headers, &caller, lang, &id, &learner, notices, None, status).await,
            Err(e) => error_page(e, Some(&caller), lang, &headers),
        },
    }
}

/// The vote form: fixed fields, and one `bloc-CODE` checkbox per validated block.
#[derive(Deserialize)]
pub(in crate::server::ui) struct VoteForm {
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

impl WithCsrf for VoteForm {
    fn csrf(&self) -> Option<&str> {
        self.fields.get("csrf").map(String::as_str)
    }
}

impl VoteForm {
    fn draft(&self) -> VoteDraft {
        let field = |name: &str| self.fields.get(name).cloned().unwrap_or_default();
        let mut blocks: Vec<String> = self.fields.keys().filter_map(|k| k.strip_prefix("bloc-")).map(String::from).collect();
        blocks.sort();
        VoteDraft {
            outcome: field("outcome"),
            in_favour: field("for"),
            against: field("against"),
            abstain: field("abstain"),
            casting: field("casting_vote"),
            justification: field("justification"),
            expected: field("expected"),
            by: field("by"),
            blocks,
        }
    }
}

fn count(text: &str, label: &str) -> Result<u32, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse().map_err(|_| InputError(format!("{label} : {text}")).into())
}

/// The vote the form says, or why it says none.
fn vote_of(draft: &VoteDraft, lang: Lang) -> Result<Vote, AppError> {
    let t = Words::new(lang);
    let blocks = draft.blocks.clone();
    let outcome = match draft.outcome.as_str() {
        "award" => Outcome::Award,
        "validate_blocks" => Outcome::ValidateBlocks { blocks },
        "refuse" => Outcome::Refuse,
        "defer" => {
            let by = chrono::NaiveDate::parse_from_str(draft.by.trim(), "%Y-%m-%d").ok();
            Outcome::defer(Some(draft.expected.trim().to_string()), by, blocks).map_err(|refusal| AppError::Refused(vec![refusal]))?
        }
        other => return Err(InputError(format!("{} : {other}", t.w(JuryUi::Outcome))).into()),
    };
    let casting_vote = match draft.casting.as_str() {
        "for" => Some(CastingVote::For),
        "against" => Some(CastingVote::Against),
        _ => None,
    };
    let votes = Votes {
        in_favour: count(&draft.in_favour, t.w(JuryUi::For))?,
        against: count(&draft.against, t.w(JuryUi::Against))?,
        abstain: count(&draft.abstain, t.w(JuryUi::Abstain))?,
        casting_vote,
    };
    let justification = Some(draft.justification.trim().to_string()).filter(|j| !j.is_empty());
    Ok(Vote { outcome, votes, justification })
}

/// `POST /jurys/{id}/candidats/{learner}/deliberation`: the jury's vote; adopted, on to the
/// next undecided candidate (the desk when none is left).
pub(in crate::server::ui) async fn deliberate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
    form: CheckedForm<VoteForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Err(e) = may_conduct(&state, &caller, &id, &learner).await {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let draft = form.draft();
    let done = match vote_of(&draft, lang) {
        Ok(vote) => jury::deliberate(&state.db, &id, &learner, vote, &caller.account.username).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => {
            let next = match session_view(&state, &id).await {
                Ok(view) => {
                    let at = view.candidates.iter().position(|c| c.learner == learner).unwrap_or(0);
                    let later = view.candidates.iter().skip(at + 1).chain(view.candidates.iter().take(at));
                    later.filter(|c| c.code.is_none()).map(|c| c.learner.clone()).next()
                }
                Err(e) => return error_page(e, Some(&caller), lang, &headers),
            };
            match next {
                Some(next) => Redirect::to(&format!("/jurys/{id}/candidats/{next}")).into_response(),
                None => Redirect::to(&format!("/jurys/{id}")).into_response(),
            }
        }
        Err(e) => match refused(e, lang) {
            Ok((status, notices)) => render(&state, &headers, &caller, lang, &id, &learner, notices, Some(draft), status).await,
            Err(e) => error_page(e, Some(&caller), lang, &headers),
        },
    }
}

#[cfg(test)]
mod tests {
    use certif_core::jury::JuryCode;

    use super::*;

    fn draft(outcome: &str, in_favour: &str, against: &str) -> VoteDraft {
        VoteDraft {
            outcome: outcome.into(),
            in_favour: in_favour.into(),
            against: against.into(),
            abstain: String::new(),
            casting: String::new(),
            justification: String::new(),
            expected: String::new(),
            by: String::new(),
            blocks: vec!["RNCP39668BC01".into()],
        }
    }

    #[test]
    fn the_form_reads_as_the_cli_does() {
        let vote = vote_of(&draft("validate_blocks", "5", "4"), Lang::Fr).unwrap();
        assert_eq!(vote.outcome, Outcome::ValidateBlocks { blocks: vec!["RNCP39668BC01".into()] });
        assert_eq!((vote.votes.in_favour, vote.votes.against, vote.votes.abstain), (5, 4, 0));
        assert!(draft("award", "4", "4").tie() && !draft("award", "5", "4").tie());
        let Err(AppError::Refused(refusals)) = vote_of(&draft("defer", "5", "0"), Lang::En) else {
            panic!("a deferral needs what and when")
        };
        assert_eq!(refusals[0].code, JuryCode::JuryDeferNeedsExpectation);
        assert!(matches!(vote_of(&draft("award", "cinq", "0"), Lang::Fr), Err(AppError::Input(_))));
        assert!(matches!(vote_of(&draft("pardon", "5", "0"), Lang::Fr), Err(AppError::Input(_))));
    }
}
