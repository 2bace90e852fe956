//! The HTTP API in-process on the demo database, with one account per role, for the API and
//! security tests. Requests can come from a chosen address (as `certif serve` sees a peer).

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use certif::server::{AppState, ServerConfig, router};
use certif_app::Database;
use certif_store::accounts::{Account, AccountStore, Role};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::workspace::Workspace;

pub const PASSWORD: &str = "correct horse battery";

pub struct Api {
    pub state: AppState,
    pub workspace: Workspace,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn text(&self) -> String {
        self.body.as_str().map_or_else(|| self.body.to_string(), String::from)
    }
}

pub fn account(username: &str, role: Role, hash: &str) -> Account {
    Account {
        username: username.to_string(),
        role,
        learner: (role == Role::Learner).then(|| "A-0001".into()),
        modules: if role == Role::Teacher { vec!["M1.1.1".into(), "M1.1.2".into()] } else { vec![] },
        apprentices: if role == Role::Master { vec!["A-0001".into()] } else { vec![] },
        password_hash: hash.to_string(),
        disabled: false,
    }
}

impl Api {
    /// The demo cohort (68 learners, A-0001…) and one account per role: the teacher has
    /// M1.1.1 and M1.1.2, the master has A-0001, the learner is A-0001.
    pub async fn demo() -> Api {
        Api::demo_on(Workspace::new(), ServerConfig::default()).await
    }

    /// The same on a given workspace (SQLite, or PostgreSQL) and server configuration.
    pub async fn demo_on(workspace: Workspace, config: ServerConfig) -> Api {
        Api::demo_with(workspace, config, &["demo", "--no-promotions"]).await
    }

    /// The same with the demo's earlier promotions judged, published and surveyed.
    pub async fn demo_with_promotions(workspace: Workspace, config: ServerConfig) -> Api {
        Api::demo_with(workspace, config, &["demo"]).await
    }

    async fn demo_with(workspace: Workspace, config: ServerConfig, demo: &[&str]) -> Api {
        workspace.ok(demo);
        let db = Database::open(&workspace.url()).await.unwrap();
        let hash = certif::server::auth::hash_password(PASSWORD).unwrap();
        for role in Role::ALL {
            db.add_account(account(role.as_str(), role, &hash), "test").await.unwrap();
        }
        Api { state: AppState::with_config(db, config), workspace }
    }

    /// A server on an existing database (its accounts already added) that signs status lists
    /// with `key`.
    pub fn on_database(workspace: Workspace, db: Database, key: certif_credentials::IssuerKey) -> Api {
        Api { state: AppState::with_config(db, ServerConfig::default()).with_issuer_key(key), workspace }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = router(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Reply { status, headers, body }
    }

    pub async fn login(&self, username: &str, password: &str) -> Reply {
        let body = json!({"username": username, "password": password}).to_string();
        self.send(Request::post("/api/auth/login").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap()).await
    }

    /// Signs in as if from `address` (what the server reads from the connection).
    pub async fn login_from(&self, address: &str, username: &str, password: &str) -> Reply {
        let body = json!({"username": username, "password": password}).to_string();
        let mut request = Request::post("/api/auth/login").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap();
        let peer: SocketAddr = format!("{address}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        self.send(request).await
    }

    pub async fn token(&self, role: Role) -> String {
        let reply = self.login(role.as_str(), PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["token"].as_str().unwrap().to_string()
    }

    /// One signed-in token per role.
    pub async fn tokens(&self) -> std::collections::HashMap<Role, String> {
        let mut tokens = std::collections::HashMap::new();
        for role in Role::ALL {
            tokens.insert(role, self.token(role).await);
        }
        tokens
    }

    pub async fn get(&self, token: Option<&str>, uri: &str) -> Reply {
        let mut request = Request::get(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A page as a signed-in caller who chose English (the language cookie).
    pub async fn get_in_english(&self, token: &str, uri: &str) -> Reply {
        let request = Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::COOKIE, "certif_lang=en")
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn put(&self, token: &str, uri: &str, body: Value, if_match: Option<&str>) -> Reply {
        let mut request =
            Request::put(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).header(header::CONTENT_TYPE, "application/json");
        if let Some(tag) = if_match {
            request = request.header(header::IF_MATCH, tag);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap()).await
    }

    /// A JSON post with a bearer token.
    pub async fn post(&self, token: &str, uri: &str, body: Value) -> Reply {
        let request = Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// A form post with a bearer token (the API's tests sign in without the browser's cookie).
    pub async fn form(&self, token: &str, uri: &str, body: &str) -> Reply {
        let request = Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Whether `text` names the CEFR level `level` as a word.
pub fn names_level(text: &str, level: &str) -> bool {
    text.match_indices(level).any(|(at, _)| {
        let before = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[at + level.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

impl Api {
    /// A-0011 (English target adapted to B1) with an English score below it, so its decision
    /// would name the target; with a master and a learner account of their own
    /// (`master-11`, `learner-11`).
    pub async fn with_adapted_learner_below_target(&self) {
        use certif_store::Store as _;
        let db = &*self.state.db;
        let mut records = db.records_of("A-0011").await.unwrap();
        for record in &mut records {
            if let certif_store::Record::English { certificate, .. } = record {
                certificate.score = certif_core::dossier::EnglishScore::Points("400".parse().unwrap());
            }
        }
        db.apply(records, "test", false).await.unwrap();
        let hash = certif::server::auth::hash_password(PASSWORD).unwrap();
        let mut master = account("master-11", Role::Master, &hash);
        master.apprentices = vec!["A-0011".into()];
        let mut learner = account("learner-11", Role::Learner, &hash);
        learner.learner = Some("A-0011".into());
        db.add_account(master, "test").await.unwrap();
        db.add_account(learner, "test").await.unwrap();
    }
}

/// Runs `test` on the demo API over `workspace` (SQLite, or PostgreSQL) with `config`; the API
/// (and a PostgreSQL workspace, which drops its database synchronously) goes once the runtime
/// is gone.
pub fn on<F: std::future::Future<Output = ()>>(workspace: Workspace, config: ServerConfig, test: impl FnOnce(std::sync::Arc<Api>) -> F) {
    let runtime = runtime();
    let api = std::sync::Arc::new(runtime.block_on(Api::demo_on(workspace, config)));
    runtime.block_on(test(api.clone()));
    drop(runtime);
    drop(api);
}

/// `on`, with the demo's earlier promotions (the statistics' figures).
pub fn on_with_promotions<F: std::future::Future<Output = ()>>(
    workspace: Workspace,
    config: ServerConfig,
    test: impl FnOnce(std::sync::Arc<Api>) -> F,
) {
    let runtime = runtime();
    let api = std::sync::Arc::new(runtime.block_on(Api::demo_with_promotions(workspace, config)));
    runtime.block_on(test(api.clone()));
    drop(runtime);
    drop(api);
}
