//! The curricula a database holds, loaded against the certifications as certif resolves them,
//! and the one place that says which curriculum, certification and policy decide a learner.

use std::collections::HashMap;

use certif_core::{Certification, Curriculum, Policy};
use certif_store::{Record, Store, StoredCurriculum};

use crate::certifications::{Resolved, resolve_all};
use crate::database::Database;
use crate::error::{AppResult, InputError};

/// The curricula the database holds, loaded against the certifications certif knows.
pub struct Curricula {
    pub loaded: Vec<(Curriculum, Certification)>,
    /// Each certification's policy, where its overlay sets one (by certification code).
    pub policies: HashMap<String, Policy>,
}

impl Curricula {
    pub fn from_stored(stored: &[StoredCurriculum], known: &[Certification]) -> Result<Curricula, InputError> {
        let mut loaded = Vec::new();
        for curriculum in stored {
            let (parsed, certification) =
                certif_referential::load_curriculum(&curriculum.source, |code| known.iter().find(|c| c.code == code))
                    .map_err(|e| InputError(format!("maquette {} enregistrée : {e}", curriculum.id)))?;
            loaded.push((parsed, certification.clone()));
        }
        Ok(Curricula { loaded, policies: HashMap::new() })
    }

    /// The certifications' own policies (from their overlays).
    pub fn with_policies(mut self, policies: impl IntoIterator<Item = (String, Policy)>) -> Curricula {
        self.policies.extend(policies);
        self
    }

    /// Whether a block of one of the curricula's certifications has this code.
    pub fn is_block(&self, code: &str) -> bool {
        self.loaded.iter().any(|(_, c)| c.block(code).is_some())
    }

    /// The learner's curriculum: the one named, or else the most recently loaded.
    pub fn for_learner(&self, named: Option<&str>) -> Option<&(Curriculum, Certification)> {
        match named {
            Some(id) => self.loaded.iter().find(|(c, _)| c.id == id),
            None => self.loaded.last(),
        }
    }

    /// Whether a module is in the curriculum of the learner these records are about (the
    /// teachers' access rule asks it).
    pub fn follows<'a>(&'a self, records: &'a [Record]) -> impl Fn(&str) -> bool + 'a {
        let named = records.iter().find_map(|r| match r {
            Record::Learner(l) => Some(l.curriculum.clone()),
            _ => None,
        });
        let curriculum = named.and_then(|named| self.for_learner(named.as_deref()).map(|(c, _)| c));
        move |module: &str| curriculum.is_some_and(|c| c.module(module).is_some())
    }

    pub fn is_module(&self, code: &str) -> bool {
        self.loaded.iter().any(|(c, _)| c.module(code).is_some())
    }

    /// Who certifies and what, as a page's header names them: the certifier (its usual name)
    /// and the certification (code and title) of the curriculum learners follow by default;
    /// `None` before any curriculum is loaded.
    pub fn brand(&self) -> Option<(String, String)> {
        let (_, certification) = self.for_learner(None)?;
        let school = certification.certifiers.first().map(|c| c.commercial_name.clone().unwrap_or_else(|| c.name.clone()));
        Some((school.unwrap_or_default(), format!("{} — {}", certification.code, certification.title)))
    }
}

impl Curricula {
    /// The curriculum, certification and policy a learner is decided against: their
    /// curriculum's, its certification's own policy where its overlay sets one, else `policy`.
    pub fn decided_against<'a>(
        &'a self,
        policy: &'a Policy,
        learner_id: &str,
        records: &[Record],
    ) -> Result<(&'a Curriculum, &'a Certification, &'a Policy), InputError> {
        let named = records.iter().find_map(|r| match r {
            Record::Learner(l) => Some(l.curriculum.clone()),
            _ => None,
        });
        let Some(named) = named else { return Err(InputError(format!("apprenant {learner_id} : inconnu"))) };
        let (curriculum, certification) = self
            .for_learner(named.as_deref())
            .ok_or_else(|| InputError(format!("apprenant {learner_id} : aucune maquette chargée (certif curriculum load FICHIER)")))?;
        Ok((curriculum, certification, self.policies.get(&certification.code).unwrap_or(policy)))
    }
}

/// The stored curricula, loaded against their certifications as certif resolves them (imported
/// fiche or embedded, with its overlay), each certification with its policy.
pub async fn stored_curricula(store: &Database) -> AppResult<Curricula> {
    curricula_of(store, &store.curricula().await?).await
}

/// These stored curricula (as `Store::curricula` lists them), loaded as `stored_curricula` does.
pub async fn curricula_of(store: &Database, stored: &[StoredCurriculum]) -> AppResult<Curricula> {
    let codes: Vec<&str> = stored.iter().map(|c| c.certification.as_str()).collect();
    let resolved: Vec<Resolved> = resolve_all(store, &codes).await?;
    let known: Vec<Certification> = resolved.iter().map(|r| r.certification.clone()).collect();
    Ok(Curricula::from_stored(stored, &known)?.with_policies(resolved.into_iter().map(|r| (r.certification.code, r.policy))))
}

/// Checks a curriculum (TOML text) against its certification and stores it; answers its id.
/// `origin` names the text in errors (a file name).
pub async fn load_curriculum(store: &Database, actor: &str, text: String, origin: &str) -> AppResult<String> {
    let certification = certif_referential::curriculum_certification(&text);
    let named: Vec<&str> = certification.as_deref().into_iter().collect();
    let known: Vec<Certification> = resolve_all(store, named.as_slice()).await?.into_iter().map(|r| r.certification).collect();
    let (curriculum, certification) = certif_referential::load_curriculum(&text, |code| known.iter().find(|c| c.code == code))
        .map_err(|e| InputError(format!("{origin}:{}: {}: {}", e.line, e.path, e.message)))?;
    let modules = curriculum.modules().map(|(_, m)| m.code.to_string()).collect();
    let stored = StoredCurriculum {
        id: curriculum.id.clone(),
        certification: certification.code.clone(),
        source: text,
        loaded_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    store.save_curriculum(stored, modules, actor).await.map_err(|e| match e {
        certif_store::StoreError::Invalid(message) => InputError(format!("{origin}: {message}")).into(),
        other => crate::AppError::from(other),
    })?;
    Ok(curriculum.id)
}
