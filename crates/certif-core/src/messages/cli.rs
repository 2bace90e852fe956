//! The command line's own sentences (summaries, confirmations, warnings), French first and
//! English second, each with the values it reports. Numbers are written for people: decimal
//! comma in French.

use rust_decimal::Decimal;

use super::Lang;

/// One sentence of the command line.
#[derive(Debug, Clone, Copy)]
pub enum Said<'a> {
    CurriculumStored {
        id: &'a str,
    },
    Warning {
        text: &'a str,
    },
    /// An import's result: rows read, records new, changed, unchanged.
    Imported {
        file: &'a str,
        rows: usize,
        new: usize,
        changed: usize,
        unchanged: usize,
        dry_run: bool,
    },
    /// The progress bar's words while rows are written.
    Writing,
    Rows,
    BackupWritten {
        file: &'a str,
    },
    /// The demo's first line: database, learners, curriculum, decision date (DD/MM/YYYY).
    DemoReady {
        url: &'a str,
        learners: usize,
        curriculum: &'a str,
        on: &'a str,
    },
    DemoRaised {
        asked: usize,
        paths: usize,
    },
    DemoAccounts,
    DemoJury {
        session: &'a str,
        candidates: usize,
    },
    DemoDeclaration,
    DemoStatistics {
        sessions: usize,
        presented: usize,
        answers: usize,
    },
    DemoCredentials {
        issued: usize,
        passphrase: &'a str,
    },
    DemoDocuments {
        session: &'a str,
        holders: usize,
        dir: &'a str,
    },
    AccountCreated {
        username: &'a str,
    },
    AccountRemoved {
        username: &'a str,
    },
    AccountMissing {
        username: &'a str,
    },
    OverlayStored {
        code: &'a str,
    },
    NoCertificationMatches,
    Active,
    Inactive,
    /// A referential import's result, with its throughput.
    FichesImported {
        file: &'a str,
        new: usize,
        updated: usize,
        unchanged: usize,
        blocks: usize,
        /// Bytes of XML read, and how long it took in milliseconds.
        bytes: u64,
        millis: u64,
    },
    NotConsulted {
        url: &'a str,
        why: &'a str,
        code: &'a str,
    },
    NoAnchorForABrokenLog,
    /// `jury minutes --output FILE`: the minutes (JSON or PDF) written.
    MinutesWritten {
        session: &'a str,
        file: &'a str,
    },
}

/// `value` with `decimals` decimals, with a decimal comma in French.
fn number(value: Decimal, decimals: u32, lang: Lang) -> String {
    let rounded = value.round_dp_with_strategy(decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{rounded:.prec$}", prec = decimals as usize);
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The sentence in `lang`.
pub fn say(said: Said<'_>, lang: Lang) -> String {
    use Said::*;
    match (said, lang) {
        (CurriculumStored { id }, Lang::Fr) => format!("maquette {id} enregistrée"),
        (CurriculumStored { id }, Lang::En) => format!("curriculum {id} stored"),
        (Warning { text }, Lang::Fr) => format!("attention : {text}"),
        (Warning { text }, Lang::En) => format!("warning: {text}"),
        (Imported { file, rows, new, changed, unchanged, dry_run }, Lang::Fr) => format!(
            "{file} : {rows} lignes, {new} nouvelles, {changed} modifiées, {unchanged} inchangées{}",
            if dry_run { " (essai : rien n'a été écrit)" } else { "" }
        ),
        (Imported { file, rows, new, changed, unchanged, dry_run }, Lang::En) => format!(
            "{file}: {rows} rows, {new} new, {changed} changed, {unchanged} unchanged{}",
            if dry_run { " (dry run: nothing written)" } else { "" }
        ),
        (Writing, Lang::Fr) => "écriture".into(),
        (Writing, Lang::En) => "writing".into(),
        (Rows, Lang::Fr) => "lignes".into(),
        (Rows, Lang::En) => "rows".into(),
        (BackupWritten { file }, Lang::Fr) => format!("sauvegarde écrite dans {file}"),
        (BackupWritten { file }, Lang::En) => format!("backup written to {file}"),
        (DemoReady { url, learners, curriculum, on }, Lang::Fr) => {
            format!("{url} : {learners} apprenants, maquette {curriculum}, décisions au {on}")
        }
        (DemoReady { url, learners, curriculum, on }, Lang::En) => {
            format!("{url}: {learners} learners, curriculum {curriculum}, decisions as of {on}")
        }
        (DemoRaised { asked, paths }, Lang::Fr) => format!("--learners {asked} : porté à {paths}, un apprenant par parcours de décision"),
        (DemoRaised { asked, paths }, Lang::En) => format!("--learners {asked}: raised to {paths}, one learner per decision path"),
        (DemoAccounts, Lang::Fr) => "comptes de démonstration pour `certif serve` (affichés une seule fois) :".into(),
        (DemoAccounts, Lang::En) => "demo accounts for `certif serve` (shown once):".into(),
        (DemoJury { session, candidates }, Lang::Fr) => format!(
            "session de jury {session} prête à ouvrir : jury complet, {candidates} candidats, présidée par demo-jury (`certif jury show {session}`, `certif jury open {session}`)"
        ),
        (DemoJury { session, candidates }, Lang::En) => format!(
            "jury session {session} ready to open: full jury, {candidates} candidates, chaired by demo-jury (`certif jury show {session}`, `certif jury open {session}`)"
        ),
        (DemoDeclaration, Lang::Fr) => "identifiants CDC d'exemple réglés (ceux du kit d'accrochage ; `certif config list`) : `certif declaration status`, `certif declaration export --output flux.xml`".into(),
        (DemoDeclaration, Lang::En) => "example CDC identifiers set (the accrochage kit's; `certif config list`): `certif declaration status`, `certif declaration export --output flux.xml`".into(),
        (DemoStatistics { sessions, presented, answers }, Lang::Fr) => format!(
            "deux promotions antérieures : {sessions} sessions de jury publiées, {presented} candidats, {answers} réponses à l'enquête d'insertion (`certif stats`, page Statistiques)"
        ),
        (DemoStatistics { sessions, presented, answers }, Lang::En) => format!(
            "two earlier promotions: {sessions} jury sessions published, {presented} candidates, {answers} insertion survey answers (`certif stats`, the Statistics page)"
        ),
        (DemoCredentials { issued, passphrase }, Lang::Fr) => format!(
            "{issued} attestations numériques délivrées aux titulaires (Open Badges 3.0) ; leur clé est scellée par la phrase secrète de démonstration : CERTIF_KEY_PASSPHRASE='{passphrase}' certif serve, puis /verify/… (`certif credential list`)"
        ),
        (DemoCredentials { issued, passphrase }, Lang::En) => format!(
            "{issued} digital credentials issued to the holders (Open Badges 3.0); their key is sealed by the demo passphrase: CERTIF_KEY_PASSPHRASE='{passphrase}' certif serve, then /verify/… (`certif credential list`)"
        ),
        (DemoDocuments { session, holders, dir }, Lang::Fr) => format!(
            "diplômes et relevés de notes des {holders} titulaires de la session {session} délivrés dans {dir} (chacun avec son code QR de vérification ; `certif document diploma APPRENANT`)"
        ),
        (DemoDocuments { session, holders, dir }, Lang::En) => format!(
            "diplomas and transcripts of the {holders} holders of session {session} issued in {dir} (each with its verification QR code; `certif document diploma LEARNER`)"
        ),
        (AccountCreated { username }, Lang::Fr) => format!("compte {username} créé"),
        (AccountCreated { username }, Lang::En) => format!("account {username} created"),
        (AccountRemoved { username }, Lang::Fr) => format!("compte {username} supprimé"),
        (AccountRemoved { username }, Lang::En) => format!("account {username} removed"),
        (AccountMissing { username }, Lang::Fr) => format!("le compte {username} n'existe pas"),
        (AccountMissing { username }, Lang::En) => format!("there is no account {username}"),
        (OverlayStored { code }, Lang::Fr) => format!("surcouche de {code} enregistrée"),
        (OverlayStored { code }, Lang::En) => format!("overlay of {code} stored"),
        (NoCertificationMatches, Lang::Fr) => "aucune certification ne correspond".into(),
        (NoCertificationMatches, Lang::En) => "no certification matches".into(),
        (Active, _) => "active".into(),
        (Inactive, _) => "inactive".into(),
        (FichesImported { file, new, updated, unchanged, blocks, bytes, millis }, lang) => {
            let fiches = new + updated + unchanged;
            // Throughput figures, exact decimals like every number certif-core shows.
            let megabytes = Decimal::from(bytes) / Decimal::from(1_000_000);
            let seconds = Decimal::new(millis.max(1) as i64, 3);
            let (mb, per_s, in_s) = (number(megabytes, 1, lang), number(megabytes / seconds, 1, lang), number(seconds, 2, lang));
            let fiches_per_s = number(Decimal::from(fiches) / seconds, 0, lang);
            match lang {
                Lang::Fr => format!(
                    "{file} : {fiches} fiches ({new} nouvelles, {updated} mises à jour, {unchanged} inchangées), {blocks} blocs ; {mb} Mo de XML en {in_s} s ({per_s} Mo/s, {fiches_per_s} fiches/s)"
                ),
                Lang::En => format!(
                    "{file}: {fiches} fiches ({new} new, {updated} updated, {unchanged} unchanged), {blocks} blocks; {mb} MB of XML in {in_s} s ({per_s} MB/s, {fiches_per_s} fiches/s)"
                ),
            }
        }
        (NotConsulted { url, why, code }, Lang::Fr) => format!("attention : {url} non consultée ({why}) ; {code} tel qu'embarqué"),
        (NotConsulted { url, why, code }, Lang::En) => format!("warning: {url} not consulted ({why}); {code} as embedded"),
        (NoAnchorForABrokenLog, Lang::Fr) => "pas d'ancre pour un journal rompu".into(),
        (NoAnchorForABrokenLog, Lang::En) => "no anchor for a broken log".into(),
        (MinutesWritten { session, file }, Lang::Fr) => format!("procès-verbal de la session {session} écrit dans {file}"),
        (MinutesWritten { session, file }, Lang::En) => format!("minutes of session {session} written to {file}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_take_a_decimal_comma_english_a_point() {
        let said = Said::FichesImported { file: "f.zip", new: 2, updated: 0, unchanged: 0, blocks: 10, bytes: 1_260_000, millis: 500 };
        assert!(say(said, Lang::Fr).contains("1,3 Mo de XML en 0,50 s"), "{}", say(said, Lang::Fr));
        assert!(say(said, Lang::En).contains("1.3 MB of XML in 0.50 s"), "{}", say(said, Lang::En));
    }

    #[test]
    fn a_dry_run_says_nothing_was_written_in_both_languages() {
        let said = Said::Imported { file: "m.csv", rows: 2, new: 2, changed: 0, unchanged: 0, dry_run: true };
        assert_eq!(say(said, Lang::Fr), "m.csv : 2 lignes, 2 nouvelles, 0 modifiées, 0 inchangées (essai : rien n'a été écrit)");
        assert_eq!(say(said, Lang::En), "m.csv: 2 rows, 2 new, 0 changed, 0 unchanged (dry run: nothing written)");
    }
}
