//! Appeals (spec/jury.md §7): recorded against a published decision within two months, then
//! decided again by a later session, whose decision refers to the appealed one.

use certif_core::jury::JuryCode;
use certif_store::Store as _;
use certif_store::jury::{Held, JuryChange, JuryStatus, JuryStore as _};
use chrono::NaiveDate;

use super::{candidate, change, one, session_of, unfit};
use crate::curricula::stored_curricula;
use crate::database::Database;
use crate::error::{AppResult, InputError};

/// The appeal window: two months from publication (spec/jury.md §7).
pub fn appeal_deadline(published_on: NaiveDate) -> NaiveDate {
    published_on.checked_add_months(chrono::Months::new(2)).unwrap_or(NaiveDate::MAX)
}

/// Records an appeal against a published decision, received within two months.
pub async fn appeal(db: &Database, id: &str, learner: &str, received_on: NaiveDate, note: Option<String>, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    candidate(&session, learner)?;
    if let Some(published_on) = session.published_on {
        let deadline = appeal_deadline(published_on);
        if received_on > deadline {
            return Err(one(
                JuryCode::JuryAppealTooLate,
                format!("reçu le {}, après la fin du délai de recours le {}", received_on.format("%d/%m/%Y"), deadline.format("%d/%m/%Y")),
            ));
        }
        if received_on < published_on {
            return Err(InputError(format!("--received-on {} : avant la publication", received_on.format("%d/%m/%Y"))).into());
        }
    }
    change(db, id, JuryChange::Appeal { learner: learner.to_string(), received_on, note }, actor).await
}

/// Adds `learner` to session `id` as the later decision on their appeal against session
/// `appealed`: the appeal must be recorded there, the session published; a title the appealed
/// decision gave does not keep them out (it is what the new decision replaces).
pub async fn add_appeal_candidate(db: &Database, id: &str, learner: &str, appealed: &str, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    let earlier = session_of(db, appealed).await?;
    if earlier.status != JuryStatus::Published || !earlier.appeals.iter().any(|a| a.learner == learner) {
        return Err(InputError(format!("{learner} : aucun recours enregistré contre une décision publiée de la session {appealed}")).into());
    }
    let curricula = stored_curricula(db).await?;
    let titled = db
        .holders()
        .await?
        .into_iter()
        .filter(|h| h.certification == session.session.certification && h.what == Held::Title && h.session != appealed)
        .map(|h| h.learner)
        .collect();
    if let Some(why) = unfit(&session.session, &curricula, &db.records_of(learner).await?, &titled) {
        return Err(InputError(format!("{learner} : {why}")).into());
    }
    change(db, id, JuryChange::AddCandidates(vec![learner.to_string()]), actor).await?;
    let refer = JuryChange::ReferToAppeal { learner: learner.to_string(), appealed: appealed.to_string() };
    if let Err(refused) = change(db, id, refer, actor).await {
        // Checked above; should the session have changed meanwhile, the candidate goes again.
        change(db, id, JuryChange::RemoveCandidate { learner: learner.to_string() }, actor).await?;
        return Err(refused);
    }
    Ok(())
}
