//! `certif serve`: the JSON API of spec/api.md over the store and the engine, with accounts,
//! roles and sessions. Every route states its authorization rule in `access`; handlers are
//! thin: who is calling, may they, read or write through the store, decide with the engine.
//!
//! It stands on the application core (`certif_app`: the database, curricula, certifications,
//! decisions), as the CLI does; it imports nothing of the CLI's.

pub mod access;
mod api;
pub mod auth;
mod headers;
pub mod limit;
pub mod metrics;
pub mod observe;
mod openapi;
pub mod redact;
mod ui;

use std::sync::Arc;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use certif_app::{AppError, Curricula, Database};
use certif_store::StoreError;

pub use api::router;

/// An API error: its status and the `{"error": {"code", "message", "field"}}` body (with
/// `reasons`, every reason code and its sentence, when the jury's rules refuse).
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub reasons: Vec<api::types::Reason>,
}

impl ApiError {
    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "sign in first (or wrong credentials)".into(),
            field: None,
            reasons: Vec::new(),
        }
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::FORBIDDEN, code: "forbidden", message: message.into(), field: None, reasons: Vec::new() }
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into(), field: None, reasons: Vec::new() }
    }
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: message.into(),
            field: Some(field.into()),
            reasons: Vec::new(),
        }
    }
    pub fn stale(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::PRECONDITION_FAILED, code: "stale", message: message.into(), field: None, reasons: Vec::new() }
    }
    /// A fault of the server or its database: what went wrong is logged (stderr) under a short
    /// reference, and the client gets only that reference, never the database's words.
    pub fn internal(message: impl Into<String>) -> ApiError {
        let mut bytes = [0u8; 4];
        let reference = match getrandom::fill(&mut bytes) {
            Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => String::from("-"),
        };
        let message: String = message.into();
        tracing::error!(reference = %reference, "erreur interne : {message}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: format!("erreur interne / internal error (ref {reference})"),
            field: None,
            reasons: Vec::new(),
        }
    }
    pub fn too_many(retry_after: std::time::Duration) -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "rate_limited",
            message: format!("too many sign-in attempts from this address: try again in {} s", retry_after.as_secs().max(1)),
            field: None,
            reasons: Vec::new(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound(what) => ApiError::not_found(format!("{what} : introuvable")),
            conflict @ StoreError::Conflict { .. } => ApiError::stale(conflict.to_string()),
            StoreError::Invalid(message) => ApiError::invalid("", message),
            // A jury session's life cycle refuses the write: it conflicts with the session's state.
            StoreError::Refused { code, message } => {
                let reasons = vec![api::types::Reason { code: code.to_string(), message: message.clone() }];
                ApiError { status: StatusCode::CONFLICT, code, message, field: None, reasons }
            }
            StoreError::Database(message) => ApiError::internal(format!("database: {message}")),
        }
    }
}

/// The status of a jury refusal, for the API and the pages alike: the session's state forbids
/// it (closed; a candidate still undecided): 409; what the jury asked is not admissible
/// (composition, votes, outcome): 422.
pub(crate) fn refusal_status(refusals: &[certif_core::jury::Refusal]) -> StatusCode {
    use certif_core::jury::JuryCode;
    let state = refusals.iter().any(|r| matches!(r.code, JuryCode::JurySessionClosed | JuryCode::JuryCandidateUndecided));
    if state { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::Input(input) => ApiError::invalid("", input.0),
            AppError::Refused(refusals) => {
                let status = refusal_status(&refusals);
                let code = refusals.first().map_or("refused", |r| r.code.as_str());
                let message = refusals.iter().map(|r| format!("{} : {}", r.code.as_str(), r.message)).collect::<Vec<_>>().join("\n");
                let reasons =
                    refusals.iter().map(|r| api::types::Reason { code: r.code.as_str().to_string(), message: r.message.clone() }).collect();
                ApiError { status, code, message, field: None, reasons }
            }
            AppError::Store(store) => store.into(),
            open @ AppError::Open { .. } => ApiError::internal(open.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = api::types::ErrorBody {
            error: api::types::ErrorDetail { code: self.code.to_string(), field: self.field, message: self.message, reasons: self.reasons },
        };
        (self.status, Json(body)).into_response()
    }
}

/// The curricula's ids and load times (what says they changed), the curricula, when checked.
type CachedCurricula = (Vec<(String, String)>, Arc<Curricula>, std::time::Instant);

/// How `certif serve` is deployed.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Cookies get `Secure` (serving behind TLS): `--secure-cookies`, `CERTIF_SECURE_COOKIES`.
    pub secure_cookies: bool,
    /// The reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy CIDR`,
    /// `CERTIF_TRUSTED_PROXIES`); from any other peer the header is ignored.
    pub trusted_proxies: Vec<limit::Cidr>,
    /// The bearer token `/metrics` asks for (`CERTIF_METRICS_TOKEN`); without one, `/metrics`
    /// answers the loopback only.
    pub metrics_token: Option<metrics::Token>,
    /// Sign-in requests one address may make at once, then one more every `sign_in_period`.
    pub sign_in_burst: u32,
    pub sign_in_period: std::time::Duration,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            sign_in_burst: 10,
            sign_in_period: std::time::Duration::from_secs(6),
        }
    }
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Database>,
    pub config: Arc<ServerConfig>,
    sign_in_limiter: Arc<limit::Limiter>,
    /// The curricula as last read, with when: reused for a second without asking the database
    /// (a curriculum loaded meanwhile is seen a second later at most).
    curricula: Arc<tokio::sync::Mutex<Option<CachedCurricula>>>,
    /// Requests, latencies and the pool, for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// The key that signs the revocation status lists, unsealed at start when
    /// `CERTIF_KEY_PASSPHRASE` is given; without it, `/status/{list}` answers 503.
    pub issuer_key: Option<Arc<certif_credentials::IssuerKey>>,
    /// Each status list as last signed, with the audit head it was signed at: reused until the
    /// next write.
    status_lists: Arc<tokio::sync::Mutex<std::collections::HashMap<String, (String, String)>>>,
    /// The cohort as last decided, with what it was decided from: reused until a write, a new
    /// day or reloaded curricula.
    cohort: Arc<tokio::sync::Mutex<Option<CachedCohort>>>,
}

/// A decided cohort and its key: the audit head, the day and the curricula it was decided
/// with (held, so a freed one's address cannot come back as a new one's).
struct CachedCohort {
    head: i64,
    on: chrono::NaiveDate,
    curricula: Arc<Curricula>,
    cohort: Arc<certif_app::cohort::Cohort>,
}

/// How long the curricula are reused without asking the database whether they changed.
const CURRICULA_CACHE: std::time::Duration = std::time::Duration::from_secs(1);

impl AppState {
    pub fn new(db: Database) -> AppState {
        AppState::with_config(db, ServerConfig::default())
    }

    pub fn with_config(db: Database, config: ServerConfig) -> AppState {
        AppState {
            db: Arc::new(db),
            sign_in_limiter: Arc::new(limit::limiter(&config)),
            config: Arc::new(config),
            curricula: Arc::default(),
            metrics: Arc::new(metrics::Metrics::new()),
            issuer_key: None,
            status_lists: Arc::default(),
            cohort: Arc::default(),
        }
    }

    /// The same, signing status lists with `key`.
    pub fn with_issuer_key(mut self, key: certif_credentials::IssuerKey) -> AppState {
        self.issuer_key = Some(Arc::new(key));
        self
    }

    /// The caller of a request (bearer token or session cookie), or 401. Whether the request
    /// must carry the CSRF token is decided from how this request presented its token.
    ///
    /// The session and its account are read from the database on every request, never from a
    /// cache of this process: several servers share one database, and a sign-out, a removed
    /// account or an expired session on any of them (or the CLI) is refused everywhere at once.
    pub async fn caller(&self, headers: &axum::http::HeaderMap) -> Result<auth::Caller, ApiError> {
        let token = auth::presented(headers).ok_or_else(ApiError::unauthorized)?;
        let signed_in = auth::signed_in(&*self.db, &token).await?;
        Ok(auth::Caller::of(signed_in, &token))
    }

    /// A cookie as this server sets it: HttpOnly, SameSite=Strict, and Secure behind TLS.
    pub fn cookie(&self, name: &str, value: &str, path: &str, max_age: Option<i64>) -> axum::http::HeaderValue {
        headers::cookie(name, value, path, max_age, self.config.secure_cookies)
    }

    /// The stored curricula, parsed once and reused until one is loaded or replaced.
    pub async fn curricula(&self) -> Result<Arc<Curricula>, ApiError> {
        use certif_store::Store as _;
        let mut cached = self.curricula.lock().await;
        if let Some((_, curricula, checked)) = cached.as_ref()
            && checked.elapsed() < CURRICULA_CACHE
        {
            return Ok(curricula.clone());
        }
        let stored = self.db.curricula().await?;
        let key: Vec<(String, String)> = stored.iter().map(|c| (c.id.clone(), c.loaded_at.clone())).collect();
        if let Some((cached_key, curricula, checked)) = cached.as_mut()
            && *cached_key == key
        {
            *checked = std::time::Instant::now();
            return Ok(curricula.clone());
        }
        // A stored curriculum that no longer loads is the server's fault, not the caller's.
        let curricula = Arc::new(certif_app::curricula_of(&self.db, &stored).await.map_err(|e| match e {
            AppError::Input(e) => ApiError::internal(e.0),
            other => other.into(),
        })?);
        *cached = Some((key, curricula.clone(), std::time::Instant::now()));
        Ok(curricula)
    }

    /// Every learner decided today, decided again only after a write (the audit head moved),
    /// on a new day or with reloaded curricula. One request decides; the others wait for it.
    pub async fn cohort(&self) -> Result<Arc<certif_app::cohort::Cohort>, ApiError> {
        use certif_store::Store as _;
        let curricula = self.curricula().await?;
        let on = chrono::Local::now().date_naive();
        // The head is read before the records: a write in between only makes the next read decide again.
        let (head, _) = self.db.audit_head().await?;
        let mut cached = self.cohort.lock().await;
        if let Some(c) = cached.as_ref()
            && c.head == head
            && c.on == on
            && Arc::ptr_eq(&c.curricula, &curricula)
        {
            return Ok(c.cohort.clone());
        }
        // A page of learners at a time (what is kept is each learner's row, not their records),
        // each page decided off the request threads.
        let mut cohort = certif_app::cohort::Cohort::default();
        let mut pages = certif_store::RecordPages::new(certif_app::COHORT_PAGE);
        while let Some(page) = pages.next(&*self.db).await? {
            let deciding = curricula.clone();
            let decided = tokio::task::spawn_blocking(move || {
                certif_app::cohort::Cohort::decide(&deciding, &certif_core::Policy::default(), page, on)
            })
            .await
            .map_err(|e| ApiError::internal(format!("cohorte : {e}")))?;
            cohort.append(decided);
        }
        let cohort = Arc::new(cohort);
        *cached = Some(CachedCohort { head, on, curricula, cohort: cohort.clone() });
        Ok(cohort)
    }
}

/// The key that signs status lists: none without a passphrase (said on stderr); a passphrase
/// that does not open the current key stops the server rather than serve unsigned lists.
async fn issuer_key(db: &Database) -> anyhow::Result<Option<certif_credentials::IssuerKey>> {
    use certif_app::credentials::{PASSPHRASE_ENV, PASSPHRASE_FILE_ENV, Passphrase, signing_key};
    use certif_store::credentials::CredentialStore as _;
    if std::env::var_os(PASSPHRASE_ENV).is_none() && std::env::var_os(PASSPHRASE_FILE_ENV).is_none() {
        tracing::warn!(
            "certif serve: sans {PASSPHRASE_ENV} ni {PASSPHRASE_FILE_ENV}, les listes de statut (/status/…) ne peuvent être signées (503)"
        );
        return Ok(None);
    }
    if db.issuer_keys().await?.is_empty() {
        tracing::warn!("certif serve: aucune clé d'émission (certif keys generate) : pas de liste de statut à signer");
        return Ok(None);
    }
    let passphrase = Passphrase::from_env()?;
    Ok(Some(signing_key(db, &passphrase).await?))
}

/// How often expired sessions, old failure counts and idle rate-limit entries are dropped.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// Serves the API on `bind` until the process is asked to stop (SIGTERM, Ctrl-C): then it
/// accepts no new connection and returns once the requests under way are answered.
pub async fn serve(db: Database, bind: &str, config: ServerConfig) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    tracing::info!(address = %listener.local_addr()?, "certif serving on http://{}", listener.local_addr()?);
    let key = issuer_key(&db).await?;
    let mut state = AppState::with_config(db, config);
    if let Some(key) = key {
        state = state.with_issuer_key(key);
    }
    let housekeeping = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PURGE_EVERY);
        loop {
            every.tick().await;
            let _ = auth::purge(&*housekeeping.db).await;
            housekeeping.sign_in_limiter.retain_recent();
        }
    });
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(stop_asked())
        .await?;
    tracing::info!("certif serve : arrêté, toutes les requêtes en cours ont reçu leur réponse");
    Ok(())
}

/// Resolves on SIGTERM (what systemd, Docker and Kubernetes send) or Ctrl-C.
async fn stop_asked() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            // No handler: only Ctrl-C stops the server.
            Err(_) => std::future::pending::<()>().await,
        }
        "SIGTERM"
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<&str>();
    let signal = tokio::select! {
        signal = interrupt => signal,
        signal = terminate => signal,
    };
    tracing::info!(signal, "certif serve : arrêt demandé, les requêtes en cours se terminent");
}
