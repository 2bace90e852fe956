//! Fixtures: ISAE-ENSMA issuing RNCP39668 (shared/reference/rncp39668-fiche.txt) and its
//! first block. ECTS and the holder are test data.
#![allow(dead_code)]

use certif_credentials::credential::identity_hash;
use certif_credentials::jwt::RegisteredClaims;
use certif_credentials::{
    AchievementInput, AchievementKind, CredentialInput, HolderIdentity, IssuerInput, IssuerKey, Jwks, Salt, StatusEntryInput, StatusList,
    StatusListCredential,
};
use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;

pub const BASE_URL: &str = "https://certif.ensma.example";
pub const JWKS_URL: &str = "https://certif.ensma.example/.well-known/jwks.json";
pub const LIST_URL: &str = "https://certif.ensma.example/status/1";
pub const ISSUER_ID: &str = "https://certif.ensma.example/issuer";
pub const FICHE_URL: &str = "https://www.francecompetences.fr/recherche/rncp/39668/";
pub const TITLE: &str = "Ingénieur diplômé de l'ENSMA, spécialité génie industriel pour l'aéronautique et l'espace";
pub const HOLDER_EMAIL: &str = "camille.martin@example.org";
pub const TITLE_INDEX: u64 = 94_567;
pub const BLOCK_INDEX: u64 = 7;

/// The jury's publication: 3 July 2026, 14:00 UTC.
pub fn published() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 3, 14, 0, 0).single().expect("a valid date")
}

/// When the tests verify: well after publication.
pub fn today() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("a valid date")
}

pub fn issuer() -> IssuerInput {
    IssuerInput {
        id: ISSUER_ID.into(),
        name: "ECOLE NATIONALE SUPERIEURE DE MECANIQUE ET D'AEROTECHNIQUE DE POITIERS (ISAE-ENSMA)".into(),
        siret: "19860073600021".into(),
        url: "https://www.ensma.fr/".into(),
    }
}

fn achievement(kind: AchievementKind) -> AchievementInput {
    let (id, name, description, ects) = match &kind {
        AchievementKind::Title => (
            format!("{BASE_URL}/achievements/RNCP39668"),
            TITLE.to_owned(),
            "Titre d'ingénieur, niveau 7 : ingénieurs experts en technique, méthodes et production industrielle pour l'aéronautique et l'espace."
                .to_owned(),
            Some(180),
        ),
        AchievementKind::Block { code } => (
            format!("{BASE_URL}/achievements/{code}"),
            "Résoudre des problèmes à causalités multiples en mobilisant des savoirs scientifiques et techniques".to_owned(),
            format!("Bloc de compétences {code} du titre RNCP39668."),
            Some(24),
        ),
    };
    let criteria_narrative = match &kind {
        AchievementKind::Title => {
            "Validation des 7 blocs de compétences, de l'ensemble des périodes en entreprise, du niveau B2 en anglais et d'une mobilité internationale d'au moins 9 semaines."
        }
        AchievementKind::Block { .. } => {
            "Évaluation individuelle des connaissances et des compétences avec études de cas ; projets et mises en situation évalués par rapport et soutenance."
        }
    };
    AchievementInput {
        id,
        kind,
        name,
        description,
        criteria_narrative: criteria_narrative.into(),
        certification_code: "RNCP39668".into(),
        certification_name: TITLE.into(),
        fiche_url: FICHE_URL.into(),
        ects,
        field_of_study: "Génie industriel pour l'aéronautique et l'espace".into(),
        level: 7,
    }
}

fn input(kind: AchievementKind, index: u64) -> CredentialInput {
    CredentialInput {
        id: format!("{BASE_URL}/verify/{index}"),
        issuer: issuer(),
        achievement: achievement(kind),
        subject_id: "urn:uuid:0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10".into(),
        holder: HolderIdentity::EmailAddress(HOLDER_EMAIL.into()),
        salt: Salt::new("8a1f0c2d9e3b4a5c").expect("a salt"),
        valid_from: published(),
        valid_until: None,
        status: StatusEntryInput { list_url: LIST_URL.into(), index },
    }
}

pub fn title_input() -> CredentialInput {
    input(AchievementKind::Title, TITLE_INDEX)
}

pub fn block_input() -> CredentialInput {
    input(AchievementKind::Block { code: "RNCP39668BC01".into() }, BLOCK_INDEX)
}

pub fn expected_identity_hash() -> String {
    identity_hash(HOLDER_EMAIL, &Salt::new("8a1f0c2d9e3b4a5c").expect("a salt"))
}

/// An issuer with one key, its JWKS and a status list with the given indexes revoked.
pub struct Issuer {
    pub key: IssuerKey,
    pub jwks: Jwks,
}

impl Issuer {
    pub fn new() -> Self {
        let key = IssuerKey::generate(JWKS_URL).expect("a key");
        let jwks = Jwks::new([key.public_jwk()]);
        Self { key, jwks }
    }

    pub fn sign(&self, input: &CredentialInput) -> String {
        let credential = certif_credentials::build_credential(input).expect("a credential");
        certif_credentials::sign(&credential, &self.key).expect("a signature")
    }

    pub fn status_list(&self, revoked: &[u64]) -> String {
        let mut list = StatusList::minimal();
        for &index in revoked {
            list.set(index, true).expect("an index in the list");
        }
        let credential = StatusListCredential::revocation(LIST_URL, ISSUER_ID, published(), &list).expect("an encoded list");
        certif_credentials::sign(&credential, &self.key).expect("a signature")
    }
}

/// A credential as raw JSON, to sign what the typed builder cannot produce (a missing field,
/// an `iss` claim that names another issuer).
#[derive(Serialize)]
#[serde(transparent)]
pub struct RawCredential {
    pub credential: Value,
    #[serde(skip)]
    pub iss: Option<&'static str>,
}

impl RegisteredClaims for RawCredential {
    fn issuer_id(&self) -> &str {
        self.iss.unwrap_or_else(|| self.credential["issuer"]["id"].as_str().unwrap_or_default())
    }
    fn credential_id(&self) -> &str {
        self.credential["id"].as_str().unwrap_or_default()
    }
    fn valid_from(&self) -> DateTime<Utc> {
        published()
    }
    fn valid_until(&self) -> Option<DateTime<Utc>> {
        None
    }
    fn subject_id(&self) -> Option<&str> {
        self.credential["credentialSubject"]["id"].as_str()
    }
}

/// The JWT's header and payload, decoded by hand-free means (base64 crate, serde_json).
pub fn parts(token: &str) -> (Value, Value) {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = token.split('.');
    let mut next = || -> Value {
        let part = parts.next().expect("a part");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
    };
    (next(), next())
}
