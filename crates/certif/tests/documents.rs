//! The holders' documents through the CLI (spec/credentials.md §1): `certif document KIND
//! LEARNER` and `--session S --output-dir DIR`, only from published decisions; read back with
//! poppler (text, fonts, pages) and zbar (the QR code decodes to exactly the verification URL
//! the command printed); on SQLite and PostgreSQL. A machine without these tools fails the
//! tests (`.ci/run` installs them).

mod common;

use std::process::Command;

use common::jury::{demo, publish_awards, seat_jury, with_title};
use common::workspace::Workspace;
use serde_json::Value;

/// A tool's standard output; its absence is a failure, never a skip.
fn tool(name: &str, args: &[&str]) -> String {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed to read the documents back: {e}; apt-get install poppler-utils zbar-tools"));
    assert!(output.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn text(file: &str) -> String {
    tool("pdftotext", &["-layout", file, "-"])
}

fn pages(file: &str) -> usize {
    tool("pdfinfo", &[file]).lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap()
}

/// What the first page's QR code says, read by zbarimg from the page rasterised.
fn qr(w: &Workspace, file: &str) -> String {
    let stem = w.path("qr-page");
    tool("pdftoppm", &["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, &stem]);
    tool("zbarimg", &["--quiet", "--raw", "-Sqrcode.enable", &format!("{stem}.png")]).trim_end_matches('\n').to_string()
}

fn every_font_embedded(file: &str) {
    let fonts = tool("pdffonts", &[file]);
    let rows: Vec<Vec<&str>> =
        fonts.lines().skip(2).map(|l| l.split_whitespace().collect()).filter(|r: &Vec<&str>| !r.is_empty()).collect();
    assert!(!rows.is_empty(), "the PDF uses fonts:\n{fonts}");
    for row in rows {
        assert_eq!(row.get(row.len().saturating_sub(5)), Some(&"yes"), "every font embedded:\n{fonts}");
    }
}

/// The verification URL a command printed (`vérification URL)`).
fn printed_url(stderr: &str) -> String {
    let start = stderr.find("vérification ").map(|i| i + "vérification ".len()).unwrap_or_else(|| panic!("a URL is printed: {stderr}"));
    stderr[start..].split(')').next().unwrap().to_string()
}

fn names(w: &Workspace, learner: &str, on: &str) -> (String, String, String) {
    let dossier: Value = serde_json::from_str(&w.ok(&["export", "dossier", learner, "--on", on])).unwrap();
    let l = &dossier["learner"];
    let text = |key: &str| l[key].as_str().unwrap_or_default().to_string();
    (text("given_names"), text("family_name"), text("birth_date"))
}

fn dd_mm_yyyy(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    format!("{}/{}/{}", parts[2], parts[1], parts[0])
}

fn documents_from_published_decisions_only(w: &Workspace) {
    let (on, decisions) = demo(w);
    let awarded = with_title(w, &decisions, "awarded", &on);
    let (first, second) = (&awarded[0], &awarded[1]);

    // Before any publication, nothing is issued.
    let early = w.certif(&["document", "diploma", first, "--output", &w.path("early.pdf")]);
    assert_eq!(early.status.code(), Some(2), "{}", String::from_utf8_lossy(&early.stderr));
    let said = String::from_utf8_lossy(&early.stderr);
    assert!(said.contains("aucun titre délivré par une décision de jury publiée"), "{said}");
    assert!(!std::path::Path::new(&w.path("early.pdf")).exists());

    publish_awards(w, "J-DOCS", &on, &[first.clone(), second.clone()], &on);

    // The diploma: names, RNCP39668, niveau 7, the jury's date; the QR code is the URL printed.
    let file = w.path("diploma.pdf");
    let issued = w.certif(&["document", "diploma", first, "--output", &file]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    let url = printed_url(&String::from_utf8_lossy(&issued.stderr));
    assert!(url.starts_with("http://localhost:8080/verify/"), "the default base URL: {url}");
    let id = url.rsplit('/').next().unwrap();
    assert_eq!((id.len(), &id[14..15]), (36, "4"), "a UUID v4: {id}");
    let diploma = text(&file);
    let (given, family, born) = names(w, first, &on);
    for expected in [given.as_str(), family.as_str(), "RNCP39668", "niveau 7", &dd_mm_yyyy(&on), &dd_mm_yyyy(&born), url.as_str()] {
        assert!(diploma.contains(expected), "the diploma shows {expected:?}:\n{diploma}");
    }
    assert_eq!(qr(w, &file), url, "the QR code decodes to exactly the verification URL");
    every_font_embedded(&file);
    assert_eq!(pages(&file), 1);
    let log = w.ok(&["audit", "log"]);
    assert!(log.lines().any(|l| l.contains("document") && l.contains(id)), "the issue is audited:\n{log}");

    // A learner with no published award gets no diploma, with the reason.
    let refused = with_title(w, &decisions, "not_awarded", &on);
    let none = w.certif(&["document", "diploma", &refused[0]]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("aucun titre délivré"), "{}", String::from_utf8_lossy(&none.stderr));

    // The attestation: one page per block the title acquires (RNCP39668 has seven).
    let attestation = w.path("attestation.pdf");
    w.ok(&["document", "attestation", first, "--output", &attestation]);
    assert_eq!(pages(&attestation), 7);
    let attested = text(&attestation);
    assert_eq!(attested.matches("Attestation de validation de bloc de compétences").count(), 7, "{attested}");
    assert!(attested.contains("RNCP39668BC07"), "{attested}");

    // The base URL from the settings; the whole session at once, one file each.
    w.ok(&["config", "set", "base_url", "https://certif.exemple.fr/"]);
    let dir = w.path("session");
    let session = w.certif(&["document", "transcript", "--session", "J-DOCS", "--output-dir", &dir]);
    assert!(session.status.success(), "{}", String::from_utf8_lossy(&session.stderr));
    for learner in [first, second] {
        let file = format!("{dir}/{learner}-transcript.pdf");
        let transcript = text(&file);
        assert!(transcript.contains("Relevé de notes") && transcript.contains("UE1.1"), "{transcript}");
        let comma_marks = transcript.split_whitespace().filter(|w| {
            let (whole, hundredths) = w.split_once(',').unwrap_or(("", ""));
            !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
                && hundredths.len() == 2
                && hundredths.chars().all(|c| c.is_ascii_digit())
        });
        assert!(comma_marks.count() >= 10, "marks with decimal commas:\n{transcript}");
        let url = qr(w, &file);
        assert!(url.starts_with("https://certif.exemple.fr/verify/"), "{url}");
        assert!(transcript.contains(&url), "the URL printed is the QR code's");
        every_font_embedded(&file);
    }

    // Blocks acquired without the title: the attestation exists, the diploma does not.
    let with_blocks: Vec<(String, Vec<String>)> = decisions
        .iter()
        .filter(|d| d["title"]["status"] == "not_awarded")
        .filter_map(|d| {
            let learner = d["learner"].as_str()?.to_string();
            let blocks: Vec<String> = d["blocks"]
                .as_array()?
                .iter()
                .filter(|b| b["status"] == "validated" && b["via"] == "training")
                .filter_map(|b| b["code"].as_str().map(String::from))
                .collect();
            (refused.contains(&learner) && !blocks.is_empty()).then_some((learner, blocks))
        })
        .collect();
    let (partial, blocks) = &with_blocks[0];
    w.ok(&["jury", "create", "J-VAL", "--kind", "title", "--date", &on]);
    seat_jury(w, "J-VAL", 4);
    w.ok(&["jury", "candidates", "add", "J-VAL", partial]);
    w.ok(&["jury", "open", "J-VAL"]);
    let joined = blocks.join(",");
    w.ok(&["jury", "deliberate", "J-VAL", partial, "--outcome", "validate-blocks", "--blocks", &joined, "--for", "9", "--against", "0"]);
    w.ok(&["jury", "close", "J-VAL"]);
    w.ok(&["jury", "sign", "J-VAL", "--as", "Anne Président"]);
    w.ok(&["jury", "publish", "J-VAL", "--on", &on]);
    let partial_file = w.path("partial.pdf");
    w.ok(&["document", "attestation", partial, "--output", &partial_file]);
    assert_eq!(pages(&partial_file), blocks.len(), "one page per block acquired");
    assert_eq!(w.certif(&["document", "diploma", partial]).status.code(), Some(2));

    // The minutes, through the jury's code.
    let minutes = w.path("pv.pdf");
    w.ok(&["document", "minutes", "--session", "J-DOCS", "--output", &minutes]);
    assert!(text(&minutes).contains("Procès-verbal"));

    // A session without --output-dir, or a learner with one, is refused before anything is made.
    assert_eq!(w.certif(&["document", "diploma", "--session", "J-DOCS"]).status.code(), Some(2));
    assert_eq!(w.certif(&["document", "diploma", first, "--output-dir", &dir]).status.code(), Some(2));
    assert_eq!(w.certif(&["config", "set", "base_url", "pas une adresse"]).status.code(), Some(2));
    w.ok(&["audit", "verify"]);
}

#[test]
fn documents_on_sqlite() {
    documents_from_published_decisions_only(&Workspace::new());
}

#[test]
fn documents_on_postgres() {
    if let Some(w) = Workspace::on_postgres("documents") {
        documents_from_published_decisions_only(&w);
    }
}

/// The diploma's QR code opens, on the running server (no account), a page that says who holds
/// what and that it stands; once the document is revoked, that it no longer does.
#[test]
fn the_qr_code_opens_a_page_that_says_who_holds_what_and_whether_it_stands() {
    let w = Workspace::new();
    let (on, decisions) = demo(&w);
    let awarded = with_title(&w, &decisions, "awarded", &on);
    let holder = awarded[0].clone();
    publish_awards(&w, "J-QR", &on, std::slice::from_ref(&holder), &on);
    let file = w.path("diploma.pdf");
    w.ok(&["document", "diploma", &holder, "--output", &file]);
    let url = qr(&w, &file);
    let path = url.strip_prefix("http://localhost:8080").unwrap_or_else(|| panic!("the demo's base URL: {url}")).to_string();
    let (given, family, _) = names(&w, &holder, &on);

    common::api::runtime().block_on(async move {
        let db = certif_app::Database::open(&w.url()).await.unwrap();
        let api = common::api::Api { state: certif::server::AppState::new(db.clone()), workspace: w };
        let page = api.get(None, &path).await;
        assert_eq!(page.status.as_u16(), 200, "{}", page.text());
        let html = page.text();
        for expected in [given.as_str(), family.as_str(), "Diplôme", "RNCP39668", "En vigueur : ce document", &dd_mm_yyyy(&on)] {
            assert!(html.contains(expected), "the page says {expected:?}:\n{html}");
        }
        certif_app::documents::revoke(&db, &holder, "J-QR", "erreur matérielle", "test").await.unwrap();
        let html = api.get(None, &path).await.text();
        assert!(html.contains("RÉVOQUÉ") && html.contains("erreur matérielle"), "{html}");
    });
}

/// `POST /verify` with a document's PDF: the bytes certif issued are recognised (the form's
/// page, the JSON answer), one byte changed is not; the learner's page lists the document with
/// its verification link, for the registrar.
#[test]
fn an_uploaded_pdf_is_recognised_by_its_exact_bytes() {
    let w = Workspace::new();
    let (on, decisions) = demo(&w);
    let holder = with_title(&w, &decisions, "awarded", &on)[0].clone();
    publish_awards(&w, "J-PDF", &on, std::slice::from_ref(&holder), &on);
    let file = w.path("diploma.pdf");
    w.ok(&["document", "diploma", &holder, "--output", &file]);
    let bytes = std::fs::read(&file).unwrap();
    let mut altered = bytes.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 1;

    common::api::runtime().block_on(async move {
        use axum::body::Body;
        use axum::http::Request;
        let db = certif_app::Database::open(&w.url()).await.unwrap();
        let api = common::api::Api { state: certif::server::AppState::new(db), workspace: w };
        let form = |pdf: &[u8]| {
            let boundary = "certif-test-boundary";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"jwt\"\r\n\r\n\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"diplome.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .into_bytes();
            body.extend_from_slice(pdf);
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post("/verify").header("content-type", format!("multipart/form-data; boundary={boundary}")).body(Body::from(body)).unwrap()
        };
        let page = api.send(form(&bytes)).await;
        assert_eq!(page.status.as_u16(), 200, "{}", page.text());
        assert!(page.text().contains("En vigueur : ce document") && page.text().contains("Diplôme"), "{}", page.text());
        let page = api.send(form(&altered)).await;
        assert!(page.text().contains("NON RECONNU"), "{}", page.text());
        let raw = |pdf: Vec<u8>| Request::post("/verify").header("content-type", "application/pdf").body(Body::from(pdf)).unwrap();
        let answer = api.send(raw(bytes.clone())).await;
        assert_eq!((answer.body["issued"].clone(), answer.body["stands"].clone(), answer.body["kind"].clone()), (true.into(), true.into(), "diploma".into()), "{}", answer.body);
        let answer = api.send(raw(altered)).await;
        assert_eq!(answer.body["issued"], false, "{}", answer.body);

        use certif_store::accounts::{AccountStore as _, Role};
        let hash = certif::server::auth::hash_password(common::api::PASSWORD).unwrap();
        api.state.db.add_account(common::api::account("registrar", Role::Registrar, &hash), "test").await.unwrap();
        let token = api.token(Role::Registrar).await;
        let learner_page = api.get(Some(&token), &format!("/apprenants/{holder}")).await.text();
        assert!(learner_page.contains("Diplôme</strong> (PDF)") && learner_page.contains("/verify/"), "{learner_page}");
    });
}
