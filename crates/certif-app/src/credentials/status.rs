//! The revocation status lists (W3C Bitstring Status List), signed when asked for: a bit is set
//! for a credential revoked by hand and for one whose decision no longer stands (replaced on
//! appeal), so a list is never staler than the store.

use certif_credentials::{IssuerKey, StatusList, StatusListCredential};
use certif_store::credentials::CredentialStore as _;
use chrono::{DateTime, Utc};

use super::{decoded, standing, status_list_url};
use crate::database::Database;
use crate::error::{AppResult, InputError};

/// A signed status list and what it says.
#[derive(Debug, Clone)]
pub struct StatusListDocument {
    /// The `BitstringStatusListCredential` as a compact JWS.
    pub jwt: String,
    pub entries: usize,
    pub revoked: usize,
}

/// The status list `list` as of `now`, signed with `key`; `None` when no credential has a bit
/// in it.
pub async fn status_list_jwt(
    db: &Database,
    base: &str,
    key: &IssuerKey,
    list: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<StatusListDocument>> {
    let members: Vec<_> = db.credentials().await?.into_iter().filter(|c| c.status_list == list).collect();
    let Some(first) = members.first() else {
        return Ok(None);
    };
    // The list is issued by whoever issued its credentials, at the URL they name (a verifier
    // holds both equal), whatever the base URL is today.
    let issued = decoded(first)?;
    let named = |pointer: &str| {
        issued
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .map(String::from)
            .ok_or_else(|| InputError(format!("{} : {pointer} illisible", first.id)))
    };
    let issuer = named("/issuer/id")?;
    let url = named("/credentialStatus/statusListCredential").unwrap_or_else(|_| status_list_url(base, list));
    let standing = standing(db).await?;
    let mut bits = StatusList::minimal();
    let mut revoked = 0;
    for credential in &members {
        let stands = standing.contains(&(credential.learner.clone(), credential.session.clone(), credential.achievement.clone()));
        if credential.revoked_at.is_some() || !stands {
            let index = u64::try_from(credential.status_index).map_err(|_| InputError(format!("{} : index négatif", credential.id)))?;
            bits.set(index, true).map_err(|e| InputError(format!("{} : {e}", credential.id)))?;
            revoked += 1;
        }
    }
    let document = StatusListCredential::revocation(&url, &issuer, now, &bits).map_err(|e| InputError(e.to_string()))?;
    let jwt = certif_credentials::sign(&document, key).map_err(|e| InputError(e.to_string()))?;
    Ok(Some(StatusListDocument { jwt, entries: members.len(), revoked }))
}
