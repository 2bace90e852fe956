//! The demo's jury session: RNCP39668's jury seated as the fiche prescribes, every fitting
//! learner a candidate, ready to open — so a newcomer sees the jury at once. The president's
//! seat is held by the `demo-jury` account, who may deliberate, close and sign in the web UI.

use certif_app::Database;
use certif_app::jury::{self, Candidates, NewSession};
use certif_core::jury::Member;
use certif_store::jury::JuryKind;
use chrono::NaiveDate;

/// The demo session's id.
pub const SESSION: &str = "jury-demo";

/// The account seated as president.
pub const PRESIDENT_ACCOUNT: &str = "demo-jury";

/// RNCP39668's jury (spec/jury.md §1): name, role, and the account of the one seat that has one.
pub const SEATS: [(&str, &str); 10] = [
    ("Anne Lefèvre", "president"),
    ("Bruno Garnier", "director_of_studies"),
    ("Claire Morel", "alternance_manager"),
    ("Denis Roux", "partner_training_manager"),
    ("Élise Bernard", "teacher"),
    ("François Petit", "teacher"),
    ("Gaëlle Dubois", "teacher"),
    ("Hugo Laurent", "teacher"),
    ("Inès Fontaine", "cfa_director"),
    ("Julien Mercier", "teacher"),
];

/// Creates the seated session dated `on` with every fitting learner; answers how many.
pub async fn seat(db: &Database, on: NaiveDate, actor: &str) -> Result<usize, certif_app::AppError> {
    let new = NewSession {
        id: Some(SESSION.to_string()),
        certification: certif_referential::DEFAULT_CERTIFICATION.to_string(),
        kind: JuryKind::Title,
        date: on,
        name: Some(format!("Jury de délivrance du titre — démonstration du {}", on.format("%d/%m/%Y"))),
        place: Some("ISAE-ENSMA, Chasseneuil-du-Poitou".to_string()),
    };
    jury::create(db, new, actor).await?;
    for (name, role) in SEATS {
        let account = (role == "president").then(|| PRESIDENT_ACCOUNT.to_string());
        let member = Member { name: name.to_string(), role: role.to_string(), representing: None, present: true, account };
        jury::add_member(db, SESSION, member, actor).await?;
    }
    jury::add_candidates(db, SESSION, Candidates::All, actor).await
}
