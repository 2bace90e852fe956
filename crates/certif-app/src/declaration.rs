//! The national declaration of holders (spec/declaration.md §1) over the store: the settings
//! that name the emitter and the certifier, and the awards to declare with what their holders'
//! records say. The mapping and the flow are `certif_declaration`'s.

use std::collections::{HashMap, HashSet};

use certif_core::engine::{certified_level, english_valid_until};
use certif_declaration::{Award, FlowHeader};
use certif_store::config::ConfigStore as _;
use certif_store::declaration::{Answer, Declaration, DeclarationState, DeclarationStore as _, DeclaredAward};
use certif_store::jury::{Held, Holder, JuryStore as _};
use certif_store::{Record, Store as _};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::database::Database;
use crate::error::{AppResult, InputError};

/// The settings the declaration needs: key, what it is, its length bounds in the schema.
pub const SETTINGS: [(&str, &str, usize, usize); 3] = [
    ("cdc.emitter_id_client", "idClient de l'émetteur du flux (8 caractères, donné par la Caisse des Dépôts)", 8, 8),
    ("cdc.certifier_id_client", "idClient du certificateur (8 caractères)", 8, 8),
    ("cdc.certifier_contract_id", "idContrat du certificateur (1 à 20 caractères)", 1, 20),
];

/// The identifiers of the CDC's accrochage kit example (`exemple-1.1.2.xml`): what the demo
/// sets, so its flow can be exported at once. A certifier sets its own.
pub const EXAMPLE_SETTINGS: [(&str, &str); 3] =
    [("cdc.emitter_id_client", "AB123CDE"), ("cdc.certifier_id_client", "E564ACB0"), ("cdc.certifier_contract_id", "2560080000127J")];

/// Sets a known setting to a value the schema accepts (audited by the store); `base_url`, where
/// documents' verification links point, is an http(s) address.
pub async fn set_setting(db: &Database, key: &str, value: &str, actor: &str) -> AppResult<()> {
    if key == crate::address::BASE_URL_KEY {
        let url = crate::address::checked_base_url(value)?;
        return Ok(db.set_config(key, &url, actor).await?);
    }
    let Some((_, what, min, max)) = SETTINGS.iter().find(|(k, ..)| *k == key) else {
        let known: Vec<&str> = SETTINGS.iter().map(|(k, ..)| *k).chain([crate::address::BASE_URL_KEY]).collect();
        return Err(InputError(format!("{key} : réglage inconnu (connus : {})", known.join(", "))).into());
    };
    let value = value.trim();
    let length = value.chars().count();
    if length < *min || length > *max || value.chars().any(char::is_control) {
        return Err(InputError(format!("{key} = {value:?} : {what}")).into());
    }
    Ok(db.set_config(key, value, actor).await?)
}

/// The flow's header for `certification`: refused, naming each, while a setting is unset.
pub async fn header(
    db: &Database,
    certification: &str,
    flow_id: String,
    timestamp: chrono::DateTime<chrono::FixedOffset>,
) -> AppResult<FlowHeader> {
    let mut values = Vec::new();
    let mut unset = Vec::new();
    for (key, what, ..) in SETTINGS {
        match db.config(key).await? {
            Some(value) => values.push(value),
            None => unset.push(format!("  certif config set {key} VALEUR   # {what}")),
        }
    }
    if !unset.is_empty() {
        return Err(InputError(format!("la déclaration a besoin de réglages encore absents :\n{}", unset.join("\n"))).into());
    }
    let [emitter, certifier, contract] = <[String; 3]>::try_from(values).map_err(|_| InputError("réglages incomplets".into()))?;
    Ok(FlowHeader {
        flow_id,
        timestamp,
        emitter_id_client: emitter,
        certifier_id_client: certifier,
        certifier_contract_id: contract,
        certification: certification.to_string(),
    })
}

/// The `idTechnique` of an award: a UUID (version 8, name-based) derived from the award's
/// certification, session and learner, so every re-export gives the CDC the same one.
pub fn id_technique(certification: &str, session: &str, learner: &str) -> String {
    let digest = Sha256::digest(format!("certif/accrochage/{certification}/{session}/{learner}").as_bytes());
    certif_declaration::uuid_text(digest[..16].try_into().unwrap_or([0; 16]), 8)
}

/// Which awards an export takes.
#[derive(Debug, Clone, Default)]
pub struct Which {
    pub certification: String,
    pub session: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Also the awards already exported or accepted (the same idTechnique again); otherwise
    /// only those still to declare and those the CDC rejected.
    pub again: bool,
}

/// An award to put in a flow: what the store keeps of it, and what the flow says.
#[derive(Debug, Clone)]
pub struct ToDeclare {
    pub declared: DeclaredAward,
    pub award: Award,
}

/// The titles of published sessions that still stand (the holders: an award replaced by a
/// decision on appeal is not among them).
async fn standing_titles(db: &Database, certification: &str) -> AppResult<Vec<Holder>> {
    let mut titles: Vec<Holder> =
        db.holders().await?.into_iter().filter(|h| h.what == Held::Title && h.certification == certification).collect();
    titles.sort_by(|a, b| (a.published_on, &a.session, &a.learner).cmp(&(b.published_on, &b.session, &b.learner)));
    Ok(titles)
}

/// Above this many holders, every record is read in one pass rather than a learner at a time.
const ONE_PASS_ABOVE: usize = 50;

/// The published awards of the title `which` names still to declare, with what their
/// holders' records say; blocks are not declared (the schema has no element for them).
pub async fn awards(db: &Database, which: &Which) -> AppResult<Vec<ToDeclare>> {
    let declared: HashMap<String, DeclarationState> =
        db.declarations().await?.into_iter().map(|d| (d.award.id_technique, d.state)).collect();
    let mut titles = Vec::new();
    for holder in standing_titles(db, &which.certification).await? {
        let published = holder.published_on;
        let id = id_technique(&holder.certification, &holder.session, &holder.learner);
        let done = matches!(declared.get(&id), Some(DeclarationState::Exported | DeclarationState::Accepted));
        if which.session.as_ref().is_some_and(|s| *s != holder.session)
            || which.from.is_some_and(|from| published < from)
            || which.to.is_some_and(|to| published > to)
            || (done && !which.again)
        {
            continue;
        }
        titles.push((id, holder));
    }
    let mut records: HashMap<String, Vec<Record>> = HashMap::new();
    if titles.len() > ONE_PASS_ABOVE {
        let wanted: HashSet<&str> = titles.iter().map(|(_, h)| h.learner.as_str()).collect();
        records.extend(db.all_records().await?.into_iter().filter(|(learner, _)| wanted.contains(learner.as_str())));
    } else {
        for (_, holder) in &titles {
            records.insert(holder.learner.clone(), db.records_of(&holder.learner).await?);
        }
    }
    let policy = certif_core::Policy::default();
    let mut awards = Vec::with_capacity(titles.len());
    for (id, holder) in titles {
        let Some(records) = records.get(&holder.learner) else { continue };
        let Some(learner) = records.iter().find_map(|r| match r {
            Record::Learner(l) => Some(l.clone()),
            _ => None,
        }) else {
            continue;
        };
        awards.push(ToDeclare {
            award: Award {
                id_technique: id.clone(),
                learner: learner.learner,
                usage_name: None,
                route: learner.access_route,
                enrolled_on: Some(learner.enrolled_on),
                jury_date: holder.jury_date,
                english_level: english_level(records, holder.jury_date, &policy),
                proof_url: None,
            },
            declared: DeclaredAward {
                id_technique: id,
                certification: holder.certification,
                session: holder.session,
                learner: holder.learner,
            },
        });
    }
    Ok(awards)
}

/// The level the best English certificate valid on the jury's date attests.
fn english_level(records: &[Record], jury_date: NaiveDate, policy: &certif_core::Policy) -> Option<String> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::English { certificate, .. } => Some(certificate),
            _ => None,
        })
        .filter(|c| c.date <= jury_date && english_valid_until(c, policy).is_none_or(|until| until >= jury_date))
        .filter_map(|c| certified_level(c, policy))
        .max()
        .map(|level| level.as_str().to_string())
}

/// Where an award stands with the CDC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    ToDeclare,
    Exported,
    Accepted,
    Rejected,
    /// Declared, then replaced on appeal or revoked: to list in a deletion flow.
    ToWithdraw,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::ToDeclare => "to_declare",
            Standing::Exported => "exported",
            Standing::Accepted => "accepted",
            Standing::Rejected => "rejected",
            Standing::ToWithdraw => "to_withdraw",
        }
    }

    /// In French, for people.
    pub fn label(self) -> &'static str {
        match self {
            Standing::ToDeclare => "à déclarer",
            Standing::Exported => "exporté, sans réponse",
            Standing::Accepted => "accepté",
            Standing::Rejected => "rejeté",
            Standing::ToWithdraw => "à retirer (flux de suppression)",
        }
    }
}

/// One award's line in `certif declaration status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusLine {
    pub id_technique: String,
    pub learner: String,
    pub session: String,
    pub standing: Standing,
    pub flow: Option<String>,
    pub exported_at: Option<String>,
    pub answered_at: Option<String>,
    pub message: Option<String>,
}

/// Every award of `certification` and where it stands: to declare, exported, answered, or
/// declared and no longer standing (to withdraw).
pub async fn status(db: &Database, certification: &str) -> AppResult<Vec<StatusLine>> {
    let mut declared: HashMap<String, Declaration> = db
        .declarations()
        .await?
        .into_iter()
        .filter(|d| d.award.certification == certification)
        .map(|d| (d.award.id_technique.clone(), d))
        .collect();
    let mut lines = Vec::new();
    for holder in standing_titles(db, certification).await? {
        let id = id_technique(&holder.certification, &holder.session, &holder.learner);
        let line = match declared.remove(&id) {
            Some(d) => line_of(d, None),
            None => StatusLine {
                id_technique: id,
                learner: holder.learner,
                session: holder.session,
                standing: Standing::ToDeclare,
                flow: None,
                exported_at: None,
                answered_at: None,
                message: None,
            },
        };
        lines.push(line);
    }
    // What is left was declared and no longer stands; a rejected one never reached the CDC.
    for (_, d) in declared {
        if d.state != DeclarationState::Rejected {
            lines.push(line_of(d, Some(Standing::ToWithdraw)));
        }
    }
    lines.sort_by(|a, b| (a.standing, &a.session, &a.learner).cmp(&(b.standing, &b.session, &b.learner)));
    Ok(lines)
}

fn line_of(d: Declaration, standing: Option<Standing>) -> StatusLine {
    StatusLine {
        standing: standing.unwrap_or(match d.state {
            DeclarationState::Exported => Standing::Exported,
            DeclarationState::Accepted => Standing::Accepted,
            DeclarationState::Rejected => Standing::Rejected,
        }),
        id_technique: d.award.id_technique,
        learner: d.award.learner,
        session: d.award.session,
        flow: Some(d.flow),
        exported_at: Some(d.exported_at),
        answered_at: d.answered_at,
        message: d.message,
    }
}

/// Records that `awards` went out in flow `flow` (after the flow was written whole).
pub async fn record_export(db: &Database, flow: &str, exported_at: &str, awards: Vec<DeclaredAward>, actor: &str) -> AppResult<usize> {
    Ok(db.record_export(flow, exported_at, awards, actor).await?)
}

/// The CDC's answer to a flow: the awards accepted, those rejected with its message, and
/// optionally every other award of the flow accepted. All or nothing: an idTechnique not last
/// exported in that flow refuses the whole answer, naming each.
pub async fn record_answer(
    db: &Database,
    flow: &str,
    accepted: Vec<String>,
    rejected: Vec<(String, String)>,
    others_accepted: bool,
    actor: &str,
) -> AppResult<usize> {
    let in_flow: Vec<Declaration> = db.declarations().await?.into_iter().filter(|d| d.flow == flow).collect();
    if in_flow.is_empty() {
        return Err(InputError(format!("{flow} : aucun titre exporté dans ce flux (certif declaration status)")).into());
    }
    let known: HashSet<&str> = in_flow.iter().map(|d| d.award.id_technique.as_str()).collect();
    let mut answers: Vec<(String, Answer)> = accepted.into_iter().map(|id| (id, Answer::Accepted)).collect();
    for (id, message) in rejected {
        let message = message.trim().to_string();
        if message.is_empty() {
            return Err(InputError(format!("--rejected {id} : le message de la Caisse des Dépôts manque (ID:MESSAGE)")).into());
        }
        answers.push((id, Answer::Rejected(message)));
    }
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for (id, _) in &answers {
        if !known.contains(id.as_str()) {
            problems.push(format!("{id} : pas dans le flux {flow}"));
        } else if !seen.insert(id.clone()) {
            problems.push(format!("{id} : deux réponses"));
        }
    }
    if !problems.is_empty() {
        return Err(InputError(format!("réponse refusée, rien n'est enregistré :\n  {}", problems.join("\n  "))).into());
    }
    if others_accepted {
        for d in &in_flow {
            if !seen.contains(&d.award.id_technique) {
                answers.push((d.award.id_technique.clone(), Answer::Accepted));
            }
        }
    }
    if answers.is_empty() {
        return Err(InputError("aucune réponse : --accepted ID…, --rejected ID:MESSAGE… ou --others-accepted".into()).into());
    }
    let count = answers.len();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    db.record_answers(flow, &now, answers, actor).await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_award_s_id_technique_is_a_stable_uuid_of_its_own() {
        let id = id_technique("RNCP39668", "jury-2026", "A-0001");
        assert_eq!(id, id_technique("RNCP39668", "jury-2026", "A-0001"), "the same on every export");
        assert_ne!(id, id_technique("RNCP39668", "jury-2026", "A-0002"));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8", "version 8");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "RFC 9562 variant: {id}");
    }
}
