//! A working directory and a database (SQLite in the directory, or a fresh PostgreSQL
//! database) for running `certif` commands in the CLI's end-to-end tests.

use std::process::{Command, Output};

use serde_json::Value;

pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub database: Option<String>,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace { dir: tempfile::tempdir().unwrap(), database: None }
    }

    /// A workspace on a fresh PostgreSQL database, when the tests have a server.
    pub fn on_postgres(name: &str) -> Option<Workspace> {
        let Ok(admin) = std::env::var("CERTIF_TEST_POSTGRES_URL") else {
            super::absent("CERTIF_TEST_POSTGRES_URL is not set; the CLI cannot run on PostgreSQL");
            return None;
        };
        let database = format!("certif_cli_{}_{name}", std::process::id());
        Workspace::admin_statement(&admin, &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
        Workspace::admin_statement(&admin, &format!("CREATE DATABASE {database}"));
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base).to_string();
        Some(Workspace { dir: tempfile::tempdir().unwrap(), database: Some(format!("{base}/{database}")) })
    }

    fn admin_statement(admin: &str, statement: &str) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
            use sqlx::Connection;
            let mut connection = sqlx::PgConnection::connect(admin).await.unwrap();
            sqlx::query(statement).execute(&mut connection).await.unwrap();
        });
    }

    pub fn url(&self) -> String {
        self.database.clone().unwrap_or_else(|| format!("sqlite://{}", self.path("certif.db")))
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    pub fn certif(&self, args: &[&str]) -> Output {
        // Run in the workspace's directory: what a command writes by default (the demo's
        // documents on PostgreSQL, a PDF without --output) stays out of the source tree.
        Command::new(env!("CARGO_BIN_EXE_certif"))
            .current_dir(self.dir.path())
            .args(args)
            .env("CERTIF_DATABASE_URL", self.url())
            .env("CERTIF_ACTOR", "test-registrar")
            .output()
            .unwrap()
    }

    /// A command with extra environment variables (a passphrase, a base URL).
    pub fn certif_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        // Run in the workspace's directory: what a command writes by default (the demo's
        // documents on PostgreSQL, a PDF without --output) stays out of the source tree.
        Command::new(env!("CARGO_BIN_EXE_certif"))
            .current_dir(self.dir.path())
            .args(args)
            .env("CERTIF_DATABASE_URL", self.url())
            .env("CERTIF_ACTOR", "test-registrar")
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.certif(args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn status(&self) -> Vec<Value> {
        serde_json::from_str(&self.ok(&["status", "--on", "2026-09-18", "--format", "json"])).unwrap()
    }

    pub fn audit_rows(&self) -> usize {
        self.ok(&["audit", "log"]).lines().count()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if let (Some(url), Ok(admin)) = (&self.database, std::env::var("CERTIF_TEST_POSTGRES_URL")) {
            let name = url.rsplit('/').next().unwrap_or_default();
            Workspace::admin_statement(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
