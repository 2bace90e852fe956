//! Certifications beyond the embedded one: imported RNCP fiches turned into store rows, and the
//! one place that says what a certification code means — the imported fiche if there is one,
//! else the embedded fiche, with the stored overlay (else the embedded overlay) on top.

use certif_core::{Certification, Policy};
use certif_referential::Overlay;
use certif_rncp_xml::ImportedFiche;
use certif_store::fiches::{FicheRow, Links, ReferentialStore};

use crate::error::{AppResult, InputError};

/// Why a stored fiche cannot be read back.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("not a compressed fiche: {0}")]
    Compression(#[from] lz4_flex::block::DecompressError),
    #[error("not a fiche: {0}")]
    Json(#[from] serde_json::Error),
}

/// A fiche as the store keeps it: JSON, LZ4-compressed (a fiche's JSON is tens of kB of
/// French prose; compressed, a full export's documents take a fifth of the space and writing).
pub fn encode_document(fiche: &ImportedFiche) -> Result<Vec<u8>, serde_json::Error> {
    Ok(lz4_flex::compress_prepend_size(&serde_json::to_vec(fiche)?))
}

pub fn decode_document(document: &[u8]) -> Result<ImportedFiche, DocumentError> {
    Ok(serde_json::from_slice(&lz4_flex::decompress_size_prepended(document)?)?)
}

/// The store row of an imported fiche.
pub fn fiche_row(fiche: &ImportedFiche) -> Result<FicheRow, serde_json::Error> {
    let c = &fiche.certification;
    let mut search_text = String::new();
    for block in &c.blocks {
        search_text.push_str(&block.title);
        search_text.push('\n');
        for competency in &block.competencies {
            search_text.push_str(&competency.text);
            search_text.push('\n');
            for detail in &competency.details {
                search_text.push_str(detail);
                search_text.push('\n');
            }
        }
    }
    let codes = c
        .rome
        .iter()
        .map(|v| ("rome", v.clone()))
        .chain(c.nsf.iter().map(|v| ("nsf", v.clone())))
        .chain(c.formacodes.iter().map(|v| ("formacode", v.clone())))
        .collect();
    Ok(FicheRow {
        code: c.code.clone(),
        title: c.title.clone(),
        level: c.level,
        active: fiche.active,
        registration_end: c.registration_end.map(|d| d.to_string()),
        blocks: c.blocks.len(),
        predecessors: c.predecessors.clone(),
        successors: c.successors.clone(),
        codes,
        search_text,
        document: encode_document(fiche)?,
    })
}

/// A certification as certif decides on it, with where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub certification: Certification,
    pub policy: Policy,
    /// The imported fiche, when the certification comes from the RNCP export.
    pub imported: Option<ImportedFiche>,
    /// Whether an overlay (stored or embedded) was applied.
    pub overlaid: bool,
    /// Who must sit on its jury: the overlay's composition, else one president and 2 others.
    pub jury: certif_core::jury::Composition,
}

/// What `code` means: the imported fiche, else the embedded one; the stored overlay, else the
/// embedded one, on top. Predecessors and successors include links declared by other fiches.
pub async fn resolve<S: ReferentialStore>(store: &S, code: &str) -> AppResult<Option<Resolved>> {
    let imported = match store.fiche_document(code).await? {
        Some(document) => Some(decode_document(&document).map_err(|e| InputError(format!("fiche {code} enregistrée illisible : {e}")))?),
        None => None,
    };
    let Some(mut certification) = imported.as_ref().map(|f| f.certification.clone()).or_else(|| certif_referential::embedded_fiche(code))
    else {
        return Ok(None);
    };
    let overlay = match store.overlay(code).await? {
        Some(source) => {
            Some(certif_referential::parse_overlay(&source).map_err(|e| InputError(format!("surcouche enregistrée de {code} : {e}")))?)
        }
        None => certif_referential::embedded_overlay(code),
    };
    let policy = overlay.as_ref().map_or_else(Policy::default, Overlay::policy);
    if let Some(overlay) = &overlay {
        overlay.apply(&mut certification).map_err(|e| InputError(format!("la surcouche de {code} ne convient pas à sa fiche : {e}")))?;
    }
    let links = store.links(code).await?;
    merge_links(&mut certification, links);
    let jury = overlay.as_ref().map_or_else(certif_core::jury::Composition::default_for_any, Overlay::jury_composition);
    Ok(Some(Resolved { certification, policy, imported, overlaid: overlay.is_some(), jury }))
}

/// Adds the links other fiches declare to those the certification declares itself.
fn merge_links(certification: &mut Certification, links: Links) {
    for (own, found) in [(&mut certification.predecessors, links.predecessors), (&mut certification.successors, links.successors)] {
        for code in found {
            if !own.contains(&code) {
                own.push(code);
            }
        }
    }
}

/// The certifications named by `codes` (unknown codes are left out).
pub async fn resolve_all<S: ReferentialStore>(store: &S, codes: &[&str]) -> AppResult<Vec<Resolved>> {
    let mut resolved: Vec<Resolved> = Vec::new();
    for &code in codes {
        if resolved.iter().any(|r| r.certification.code == code) {
            continue;
        }
        if let Some(found) = resolve(store, code).await? {
            resolved.push(found);
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_declared_elsewhere_join_the_fiches_own() {
        let mut c = certif_referential::embedded_certification("RNCP39668").unwrap();
        merge_links(&mut c, Links { predecessors: vec!["RNCP35642".into(), "RNCP1".into()], successors: vec!["RNCP99999".into()] });
        assert_eq!(c.predecessors, ["RNCP35642", "RNCP1"]);
        assert_eq!(c.successors, ["RNCP99999"]);
    }
}
