//! Prints a sample title credential (decoded JSON), its VC-JWT, the JWKS and a status list
//! credential: `cargo run -p certif-credentials --example sample`.

use certif_credentials::{
    AchievementInput, AchievementKind, CredentialInput, HolderIdentity, IssuerInput, IssuerKey, Jwks, Salt, StatusEntryInput, StatusList,
    StatusListCredential, build_credential, sign, verify_credential,
};
use chrono::Utc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = "https://certif.example";
    let key = IssuerKey::generate(&format!("{base}/.well-known/jwks.json"))?;
    let title = "Ingénieur diplômé de l'ENSMA, spécialité génie industriel pour l'aéronautique et l'espace";
    let input = CredentialInput {
        id: format!("{base}/verify/1"),
        issuer: IssuerInput {
            id: format!("{base}/issuer"),
            name: "ISAE-ENSMA".into(),
            siret: "19860073600021".into(),
            url: "https://www.ensma.fr/".into(),
        },
        achievement: AchievementInput {
            id: format!("{base}/achievements/RNCP39668"),
            kind: AchievementKind::Title,
            name: title.into(),
            description: "Titre d'ingénieur, niveau 7.".into(),
            criteria_narrative: "Les 7 blocs, les périodes en entreprise, l'anglais B2 et une mobilité internationale.".into(),
            certification_code: "RNCP39668".into(),
            certification_name: title.into(),
            fiche_url: "https://www.francecompetences.fr/recherche/rncp/39668/".into(),
            ects: Some(180),
            field_of_study: "Génie industriel pour l'aéronautique et l'espace".into(),
            level: 7,
        },
        subject_id: "urn:uuid:0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10".into(),
        holder: HolderIdentity::EmailAddress("holder@example.org".into()),
        salt: Salt::random()?,
        valid_from: Utc::now(),
        valid_until: None,
        status: StatusEntryInput { list_url: format!("{base}/status/1"), index: 42 },
    };
    let credential = build_credential(&input)?;
    let token = sign(&credential, &key)?;
    let list =
        StatusListCredential::revocation(&format!("{base}/status/1"), &format!("{base}/issuer"), Utc::now(), &StatusList::minimal())?;
    let list_token = sign(&list, &key)?;
    let jwks = Jwks::new([key.public_jwk()]);
    println!("{}\n\n{token}\n\n{}\n\n{list_token}\n", serde_json::to_string_pretty(&credential)?, jwks.to_json());
    for outcome in verify_credential(&token, &jwks, Some(&list_token), Utc::now()).checks {
        let verdict = outcome.reason.map_or("ok".to_owned(), |reason| reason.to_string());
        println!("{:<12} {verdict:<18} {}", outcome.check, outcome.detail);
    }
    Ok(())
}
