//! The clap command tree: every command, its arguments and their help, in French.

use std::path::PathBuf;

use certif_core::messages::Lang;
use clap::{Parser, Subcommand, ValueEnum};

use crate::{credential, declaration, documents, jury, stats};

#[derive(Parser)]
#[command(
    name = "certif",
    version,
    about = "Conduit une certification professionnelle par blocs de compétences : référentiel, maquettes, décisions, jury."
)]
pub(crate) struct Cli {
    /// La base : `sqlite://certif.db` (par défaut, créée au premier usage) ou `postgres://…`.
    #[arg(long, global = true, env = "CERTIF_DATABASE_URL", default_value = "sqlite://certif.db")]
    pub(crate) database: String,
    /// Qui fait la modification, tel que le journal d'audit l'enregistre.
    #[arg(long, global = true, env = "CERTIF_ACTOR", default_value = "cli")]
    pub(crate) actor: String,
    /// Langue de tout ce qui est affiché : fr (par défaut) ou en.
    #[arg(long, global = true, env = "CERTIF_LANG", default_value = "fr")]
    pub(crate) lang: LangArg,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Les certifications connues (RNCP39668 embarquée).
    Referential {
        #[command(subcommand)]
        command: ReferentialCommand,
    },
    /// Les maquettes : en vérifier une au regard de sa certification, l'enregistrer.
    Curriculum {
        #[command(subcommand)]
        command: CurriculumCommand,
    },
    /// Décider un dossier (ou un dossier par ligne avec --jsonl) et afficher la décision.
    Evaluate {
        /// Le dossier (JSON, spec/evaluation.md §1) ; `-` pour l'entrée standard.
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        dossier: Option<PathBuf>,
        /// La maquette que suit l'apprenant (TOML, spec/curriculum.md).
        #[arg(long)]
        curriculum: PathBuf,
        /// Ce qui change de la politique par défaut (TOML, spec/evaluation.md §2).
        #[arg(long)]
        policy: Option<PathBuf>,
        /// En masse : un dossier par ligne de FICHIER (`-` pour l'entrée standard), une décision par ligne en sortie.
        #[arg(long, value_name = "FILE")]
        jsonl: Option<PathBuf>,
        /// Format de sortie ; JSON par défaut quand la sortie n'est pas un terminal.
        #[arg(long)]
        format: Option<Format>,
    },
    /// Importer un tableau de la scolarité (CSV ou XLSX) : toutes les lignes vérifiées d'abord, rien d'écrit à la moindre erreur.
    Import {
        /// learners, marks, company-periods, mobility, english, vae, accommodations ou insertion (l'enquête d'insertion).
        kind: String,
        file: PathBuf,
        /// Vérifier et rendre compte sans rien écrire.
        #[arg(long)]
        dry_run: bool,
    },
    /// La décision de chaque apprenant enregistré (ou d'un seul, avec son rapport expliqué), par le même moteur.
    Status {
        learner: Option<String>,
        /// La date d'évaluation, JJ/MM/AAAA (par défaut : aujourd'hui).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        format: Option<StatusFormat>,
    },
    /// Exporter des données enregistrées.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Le journal d'audit : le lire, vérifier sa chaîne de hachage.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Le jury : sessions, membres, candidats, délibérations, procès-verbal, recours (spec/jury.md).
    Jury {
        #[command(subcommand)]
        command: jury::JuryCommand,
    },
    /// Les titulaires : chaque titre délivré et chaque bloc acquis par une décision de jury publiée.
    Holders {
        #[arg(long, default_value = "text")]
        format: jury::HoldersFormat,
    },
    /// Les statistiques du renouvellement (spec/declaration.md §2) : par année de délivrance et par voie d'accès, candidats, réussite, insertion à 6 et 24 mois, chaque chiffre avec sa définition.
    Stats {
        /// La certification (RNCP39668 par défaut).
        #[arg(long, default_value = certif_referential::DEFAULT_CERTIFICATION)]
        certification: String,
        #[arg(long, default_value = "text")]
        format: stats::StatsFormat,
        /// Écrire aussi les graphiques dans ce fichier SVG.
        #[arg(long, value_name = "FILE.svg")]
        plot: Option<PathBuf>,
    },
    /// Les réglages du certificateur (identifiants de la déclaration à la Caisse des Dépôts).
    Config {
        #[command(subcommand)]
        command: declaration::ConfigCommand,
    },
    /// La déclaration nationale des titulaires (flux d'accrochage de la Caisse des Dépôts, spec/declaration.md).
    Declaration {
        #[command(subcommand)]
        command: declaration::DeclarationCommand,
    },
    /// Les attestations numériques (Open Badges 3.0, VC-JWT) : les délivrer, les exporter, les révoquer, les vérifier hors ligne (spec/credentials.md §2–§4).
    Credential {
        #[command(subcommand)]
        command: credential::CredentialCommand,
    },
    /// Les clés d'émission des attestations (Ed25519, scellées par une phrase secrète) : en créer une, les lister.
    Keys {
        #[command(subcommand)]
        command: credential::KeysCommand,
    },
    /// Une copie cohérente de la base dans un nouveau fichier (SQLite).
    Backup { file: PathBuf },
    /// Créer (ou recréer) la base de démonstration : RNCP39668, la maquette de démonstration et une promotion couvrant chaque parcours de décision ; afficher son état.
    Demo {
        /// Combien d'apprenants (au moins un par parcours de décision).
        #[arg(long, default_value_t = 68)]
        learners: usize,
        #[arg(long)]
        format: Option<Format>,
        /// Sans les deux promotions antérieures jugées, publiées et enquêtées (statistiques vides, aucun titulaire).
        #[arg(long)]
        no_promotions: bool,
    },
    /// Mesurer le chemin en masse (`evaluate --jsonl`) sur des dossiers générés, lecture JSON comprise.
    Bench {
        /// Combien de dossiers générer.
        #[arg(long, default_value_t = 20_000)]
        dossiers: usize,
        /// Combien de mesures (la médiane est donnée).
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Graine du générateur, pour des entrées reproductibles.
        #[arg(long, default_value_t = 39668)]
        seed: u64,
        /// Afficher les dossiers générés (lignes JSON) au lieu de mesurer, pour chronométrer `evaluate --jsonl` lui-même.
        #[arg(long)]
        emit: bool,
    },
    /// Servir l'application web, l'API JSON (spec/api.md), son document OpenAPI et sa page de référence.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Marquer les cookies `Secure` (servi en HTTPS, par exemple derrière un mandataire TLS).
        #[arg(long, env = "CERTIF_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Un mandataire inverse de confiance (adresse ou réseau CIDR, option répétable ; variable : liste séparée par des virgules) : pour une requête venue de lui seulement, l'adresse du client est lue dans `X-Forwarded-For`.
        #[arg(long = "trusted-proxy", value_name = "CIDR", env = "CERTIF_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxies: Vec<certif::server::limit::Cidr>,
        /// L'adresse publique du service (`https://certif.exemple.fr`), début de chaque lien de vérification ; sinon `CERTIF_BASE_URL`, le réglage `base_url`, `http://localhost:8080`.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Format des journaux sur la sortie d'erreur : text (par défaut) ou json (une ligne JSON par événement) ; niveau par `RUST_LOG` (info par défaut).
        #[arg(long, env = "CERTIF_LOG_FORMAT", default_value = "text")]
        log_format: LogFormatArg,
    },
    /// Les comptes de l'application web.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Charger l'API (décision et promotion) depuis un client du même processus ; afficher req/s, p50/p99, erreurs.
    BenchHttp {
        /// Connexions simultanées.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// Secondes par route.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// La date d'évaluation des décisions.
        #[arg(long, default_value = "2026-09-18")]
        on: String,
    },
    /// Écrire un export RNCP synthétique de la forme du fichier de France Compétences (mesures de `referential import`).
    BenchExport {
        file: PathBuf,
        /// Combien de fiches (l'export réel en a environ 30 000 : environ 1 Go).
        #[arg(long, default_value_t = 30_000)]
        fiches: usize,
    },
    /// Délivrer un document PDF sur décision de jury publiée : diplôme, attestation de blocs, relevé de notes (enregistré avec son empreinte SHA-256 et son adresse de vérification), ou procès-verbal.
    Document {
        /// diploma, attestation, transcript ou minutes.
        #[arg(value_enum)]
        kind: documents::DocumentKind,
        /// L'apprenant ; sans lui, tous les titulaires de --session.
        learner: Option<String>,
        /// La session de jury publiée (sans apprenant : un fichier par titulaire, APPRENANT-KIND.pdf, dans --output-dir).
        #[arg(long)]
        session: Option<String>,
        /// Le fichier écrit (par défaut APPRENANT-KIND.pdf dans le dossier courant).
        #[arg(long, conflicts_with = "output_dir")]
        output: Option<PathBuf>,
        /// Le dossier où écrire les documents d'une session.
        #[arg(long)]
        output_dir: Option<PathBuf>,
    },
    /// Mesurer la délivrance des diplômes et relevés de notes d'une session publiée de titulaires générés (base SQLite temporaire).
    BenchDocuments {
        #[arg(long, default_value_t = 200)]
        holders: usize,
        /// Garder les PDF dans ce dossier.
        #[arg(long)]
        output_dir: Option<PathBuf>,
    },
    /// Mesurer le flux d'accrochage de titulaires générés (écrit, découpé à 200 000, enregistré sur une base SQLite temporaire).
    BenchDeclaration {
        #[arg(long, default_value_t = 250_000)]
        holders: usize,
        /// Garder les flux : FICHIER-1.xml, FICHIER-2.xml…
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Mesurer les attestations numériques : délivrées (construites, vérifiées contre les deux schémas 1EdTech, signées) puis vérifiées, en mémoire.
    BenchCredentials {
        #[arg(long, default_value_t = 10_000)]
        count: usize,
    },
    /// Mesurer un jury de titre sur une base SQLite temporaire : `jury open` (propositions calculées) et le procès-verbal en PDF.
    BenchJury {
        /// Combien de candidats (apprenants générés, dix notes chacun).
        #[arg(long, default_value_t = 2_000)]
        candidates: usize,
    },
    /// Mesurer le chemin des dossiers sur une base vide : import d'apprenants et de notes générés (CSV), réimport, état.
    BenchRecords {
        #[arg(long, default_value_t = 10_000)]
        learners: usize,
        /// Lignes de notes en tout (format long).
        #[arg(long, default_value_t = 100_000)]
        marks: usize,
    },
}

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Créer un compte ; le mot de passe est lu sur l'entrée standard.
    Add {
        username: String,
        /// admin, registrar, teacher, master, learner ou jury.
        #[arg(long)]
        role: String,
        /// L'identifiant d'apprenant d'un compte apprenant.
        #[arg(long)]
        learner: Option<String>,
        /// Les modules d'un enseignant.
        #[arg(long, value_delimiter = ',')]
        modules: Vec<String>,
        /// Les apprentis d'un maître d'apprentissage (identifiants).
        #[arg(long, value_delimiter = ',')]
        apprentices: Vec<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Chaque compte, son rôle et son périmètre.
    List,
    /// Supprimer un compte (et ses sessions).
    Remove { username: String },
}

#[derive(Subcommand)]
pub(crate) enum ReferentialCommand {
    /// Afficher une certification (RNCP39668 par défaut), embarquée ou importée, avec sa surcouche et ses liens.
    Show {
        code: Option<String>,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Importer l'export RNCP de France Compétences (.xml ou .zip) dans la base, en une transaction.
    Import { file: PathBuf },
    /// Chaque certification connue : code, niveau, active, intitulé.
    List {
        /// Seulement les certifications dont l'enregistrement est en vigueur.
        #[arg(long)]
        active: bool,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Recherche plein texte dans les intitulés, blocs et compétences, avec filtres.
    Search {
        /// Les mots à trouver (tous, en début de mot) ; accents facultatifs sur SQLite.
        query: Option<String>,
        /// Seulement les certifications de ce code ROME.
        #[arg(long)]
        rome: Option<String>,
        /// Seulement les certifications de ce code NSF.
        #[arg(long)]
        nsf: Option<String>,
        /// Seulement les certifications de ce niveau (3 à 8).
        #[arg(long)]
        level: Option<u8>,
        #[arg(long)]
        active: bool,
        /// Au plus ce nombre de résultats.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Enregistrer la surcouche d'une certification (modalités, compétences transversales, conditions de délivrance, politique, jury) sur sa fiche.
    Overlay { file: PathBuf },
}

#[derive(Subcommand)]
pub(crate) enum ExportCommand {
    /// Le dossier d'un apprenant (spec/evaluation.md §1) tel qu'enregistré ; `certif evaluate` en donne la décision que donne `certif status`.
    Dossier {
        learner: String,
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Vérifier qu'aucune ligne d'audit n'a été modifiée ni retirée et que chaque donnée est ce que dit sa dernière ligne (code 1 en nommant le premier problème).
    Verify {
        /// Une ancre écrite par `audit anchor` : sa signature est vérifiée avec CERTIF_AUDIT_PUBLIC_KEY (ou CERTIF_AUDIT_KEY), et le journal doit encore contenir l'entrée qu'elle garantit.
        #[arg(long, value_name = "FILE")]
        anchor: Option<PathBuf>,
    },
    /// Signer la longueur et le dernier hachage du journal avec CERTIF_AUDIT_KEY, à garder hors de la base.
    Anchor {
        /// Écrire l'ancre dans FICHIER plutôt que sur la sortie standard.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Créer une paire de clés pour les ancres : affiche CERTIF_AUDIT_KEY (secrète) et CERTIF_AUDIT_PUBLIC_KEY.
    Keygen,
    /// Afficher le journal d'audit, du plus ancien au plus récent.
    Log {
        #[arg(long)]
        learner: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusFormat {
    Text,
    Json,
    Csv,
}

#[derive(Subcommand)]
pub(crate) enum CurriculumCommand {
    /// Vérifier une maquette et l'enregistrer dans la base.
    Load { file: PathBuf },
    /// Vérifier qu'une maquette se charge et couvre les compétences et modalités de sa certification.
    Check {
        file: PathBuf,
        #[arg(long)]
        format: Option<Format>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LangArg {
    Fr,
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

/// `--log-format`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LogFormatArg {
    Text,
    Json,
}

impl From<LogFormatArg> for certif::server::observe::LogFormat {
    fn from(format: LogFormatArg) -> Self {
        match format {
            LogFormatArg::Text => certif::server::observe::LogFormat::Text,
            LogFormatArg::Json => certif::server::observe::LogFormat::Json,
        }
    }
}
