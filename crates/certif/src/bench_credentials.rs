//! `certif bench-credentials`: Open Badges 3.0 credentials of generated holders issued (built,
//! checked against both 1EdTech schemas, signed: `certif_credentials::issue`, what `credential
//! issue` runs) then verified (signature, claims, schemas, dates, revocation bit), timed apart.
//! Everything in memory: what is measured is the credentials' work, not a database's.

use std::process::ExitCode;
use std::time::Instant;

use certif_credentials::{
    AchievementInput, AchievementKind, CredentialInput, HolderIdentity, IssuerInput, IssuerKey, Jwks, Salt, StatusEntryInput, StatusList,
    StatusListCredential, issue, sign, verify_credential,
};

const BASE: &str = "https://certif.example.fr";

fn input(n: usize, list_url: &str) -> anyhow::Result<CredentialInput> {
    let fiche = certif_app::credentials::fiche_url("RNCP39668");
    let kind = if n.is_multiple_of(8) { AchievementKind::Title } else { AchievementKind::Block { code: format!("RNCP39668BC0{}", n % 8) } };
    Ok(CredentialInput {
        id: format!("urn:uuid:{}", certif_app::random_uuid()?),
        issuer: IssuerInput {
            id: format!("{BASE}/issuer"),
            name: "ISAE-ENSMA — ECOLE NATIONALE SUPERIEURE DE MECANIQUE ET D'AEROTECHNIQUE DE POITIERS".into(),
            siret: "19860073600021".into(),
            url: BASE.into(),
        },
        achievement: AchievementInput {
            id: fiche.clone(),
            kind,
            name: "Génie industriel pour l'aéronautique et l'espace".into(),
            description: "Titre d'ingénieur, niveau 7.".into(),
            criteria_narrative: "Conditions de délivrance : valider les 7 blocs ; décision du jury de certification.".into(),
            certification_code: "RNCP39668".into(),
            certification_name: "Génie industriel pour l'aéronautique et l'espace".into(),
            fiche_url: fiche,
            ects: Some(180),
            field_of_study: "Génie industriel pour l'aéronautique et l'espace".into(),
            level: 7,
        },
        subject_id: format!("urn:uuid:{}", certif_app::random_uuid()?),
        holder: HolderIdentity::Identifier(format!("H{n:07}")),
        salt: Salt::random()?,
        valid_from: chrono::Utc::now() - chrono::Duration::days(30),
        valid_until: None,
        status: StatusEntryInput { list_url: list_url.into(), index: n as u64 },
    })
}

pub fn run(count: usize) -> anyhow::Result<ExitCode> {
    let count = count.max(1);
    let key = IssuerKey::generate(&format!("{BASE}/.well-known/jwks.json"))?;
    let jwks = Jwks::new([key.public_jwk()]);
    let list_url = format!("{BASE}/status/1");
    let inputs: Vec<CredentialInput> = (0..count).map(|n| input(n, &list_url)).collect::<anyhow::Result<_>>()?;

    let started = Instant::now();
    let mut tokens = Vec::with_capacity(count);
    for credential in &inputs {
        tokens.push(issue(credential, &key)?.jwt);
    }
    let issuing = started.elapsed().as_secs_f64();

    let mut bits = StatusList::new(count.max(certif_credentials::status_list::MIN_ENTRIES))?;
    bits.set(0, true)?;
    let list = sign(&StatusListCredential::revocation(&list_url, &format!("{BASE}/issuer"), chrono::Utc::now(), &bits)?, &key)?;
    let started = Instant::now();
    let mut valid = 0;
    for token in &tokens {
        if verify_credential(token, &jwks, Some(&list), chrono::Utc::now()).is_valid() {
            valid += 1;
        }
    }
    let verifying = started.elapsed().as_secs_f64();
    anyhow::ensure!(valid == count - 1, "every credential but the revoked one verifies: {valid} of {count}");
    println!(
        "{count} credentials: issued (built, both schemas, signed) in {issuing:.2} s ({:.0}/s); verified (7 checks, status list) in {verifying:.2} s ({:.0}/s); 1 revoked, refused",
        count as f64 / issuing,
        count as f64 / verifying
    );
    Ok(ExitCode::SUCCESS)
}
