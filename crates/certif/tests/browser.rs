//! The web UI in headless Chromium: `browser/ui.test.mjs` (playwright-core) drives a
//! `certif serve` on the demo database as a registrar, a teacher, a master and a learner;
//! `browser/jury.test.mjs` a whole jury session, `browser/stats.test.mjs` the *Statistiques*
//! page, `browser/credentials.test.mjs` a holder's credentials and the public verification
//! page, `browser/workbench.test.mjs` a learner's transcript (read, printed, on a phone), the
//! mark grid and the master's page with the keyboard, `browser/records.test.mjs` the
//! registrar's records (an import refused then corrected, a learner created and edited, an
//! accommodation only the registrar and the learner read); every
//! page checked with axe-core and for console errors.
//! Screenshots are left in the target directory. Without Chromium or the npm packages the
//! tests fail, unless `CERTIF_TEST_ALLOW_SKIP` says to skip them knowingly.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::workspace::Workspace;

/// The demo's passphrase (`certif demo` prints it): the server signs status lists with it.
const DEMO_PASSPHRASE: &str = "démonstration certif";

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser")
}

fn ready() -> Result<(), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !std::path::Path::new(&chromium).exists() {
        return Err(format!("{chromium} is absent (apt-get install chromium)"));
    }
    if !browser_dir().join("node_modules/playwright-core").is_dir() {
        return Err("crates/certif/browser/node_modules is absent (npm ci --prefix crates/certif/browser)".into());
    }
    Ok(())
}

/// Runs `script` (in `browser/`) against a `certif serve` on a fresh demo database, with the
/// demo accounts' passwords; answers where its screenshots are.
fn drive(script: &str) -> Option<PathBuf> {
    if let Err(why) = ready() {
        common::absent(&format!("{why}; the browser tests cannot run"));
        return None;
    }
    let w = Workspace::new();
    // The statistics need the demo's earlier promotions; the other pages its cohort alone.
    let promotions = script == "stats.test.mjs" || script == "credentials.test.mjs";
    let demo = if promotions { w.certif(&["demo"]) } else { w.certif(&["demo", "--no-promotions"]) };
    assert!(demo.status.success());
    // The demo prints each account's generated password once: "  demo-registrar   registrar  PASSWORD".
    let mut accounts = serde_json::Map::new();
    for line in String::from_utf8_lossy(&demo.stderr).lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [name, _, password] = words[..]
            && name.starts_with("demo-")
        {
            accounts.insert(name.to_string(), password.into());
        }
    }
    assert_eq!(accounts.len(), 6, "one demo account per role");

    // A holder's title credential, for the credentials' script.
    let listed: Vec<serde_json::Value> = serde_json::from_str(&w.ok(&["credential", "list", "--format", "json"])).unwrap();
    let credential = listed.iter().find(|c| c["achievement"] == "title").cloned().unwrap_or_default();

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_certif"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("CERTIF_DATABASE_URL", w.url())
        .env("CERTIF_KEY_PASSPHRASE", DEMO_PASSPHRASE)
        .env("CERTIF_BASE_URL", format!("http://127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "certif serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let screenshots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let output = Command::new("node")
        .arg(browser_dir().join(script))
        .current_dir(browser_dir())
        .env("CERTIF_URL", format!("http://127.0.0.1:{port}"))
        .env("CERTIF_ACCOUNTS", serde_json::Value::Object(accounts).to_string())
        .env("CERTIF_SCREENSHOTS", &screenshots)
        .env("CERTIF_DOWNLOADS", w.path("downloads"))
        .env("CERTIF_CREDENTIAL", credential.to_string())
        .output()
        .expect("node runs");
    let _ = server.kill();
    let _ = server.wait();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "browser steps of {script} failed:\n{stdout}\n{stderr}");
    eprintln!("{stdout}screenshots in {}", screenshots.display());
    Some(screenshots)
}

#[test]
fn people_work_in_the_browser() {
    let Some(screenshots) = drive("ui.test.mjs") else { return };
    for shot in ["cohorte.png", "cohorte-390.png", "apprenant.png"] {
        assert!(screenshots.join(shot).metadata().is_ok_and(|m| m.len() > 10_000), "{shot} was taken");
    }
}

#[test]
fn a_jury_session_runs_in_the_browser() {
    let Some(screenshots) = drive("jury.test.mjs") else { return };
    for shot in ["jury-preparation.png", "jury-bureau.png", "jury-candidat.png"] {
        assert!(screenshots.join(shot).metadata().is_ok_and(|m| m.len() > 10_000), "{shot} was taken");
    }
}

#[test]
fn the_statistics_read_in_the_browser() {
    let Some(screenshots) = drive("stats.test.mjs") else { return };
    assert!(screenshots.join("statistiques.png").metadata().is_ok_and(|m| m.len() > 10_000), "statistiques.png was taken");
}

#[test]
fn credentials_are_listed_and_verified_in_the_browser() {
    let Some(screenshots) = drive("credentials.test.mjs") else { return };
    assert!(screenshots.join("verification.png").metadata().is_ok_and(|m| m.len() > 10_000), "verification.png was taken");
}

#[test]
fn the_transcript_the_mark_grid_and_the_masters_page_serve_their_people() {
    let Some(screenshots) = drive("workbench.test.mjs") else { return };
    for shot in ["apprenant-releve.png", "apprenant-impression.png", "apprenant-390.png", "grille.png", "grille-390.png"] {
        assert!(screenshots.join(shot).metadata().is_ok_and(|m| m.len() > 5_000), "{shot} was taken");
    }
}

#[test]
fn the_registrar_keeps_records_in_the_browser() {
    let Some(screenshots) = drive("records.test.mjs") else { return };
    for shot in ["dossier.png", "dossier-390.png"] {
        assert!(screenshots.join(shot).metadata().is_ok_and(|m| m.len() > 5_000), "{shot} was taken");
    }
}
