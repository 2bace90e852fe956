//! `certif bench-http`: a bounded load on the API, measured from a client in the same process
//! (the server gets the same two cores it would share with any load generator on this
//! machine): requests per second, p50/p99 latency and errors, for one learner's decision, for
//! the cohort as JSON (on a given day, decided anew; today, as the server keeps it) and for the
//! cohort page.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use certif::server::{AppState, auth, router};
use certif_app::Database;
use certif_store::Store as _;
use certif_store::accounts::{Account, AccountStore as _, Role};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// What one route's run measured.
struct Measured {
    requests: usize,
    errors: usize,
    seconds: f64,
    /// Latencies in microseconds, sorted.
    latencies: Vec<u64>,
}

impl Measured {
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let at = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[at] as f64 / 1000.0
    }
}

async fn load(base: &str, token: &str, paths: Arc<Vec<String>>, connections: usize, duration: Duration) -> anyhow::Result<Measured> {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(connections).build_http();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let (client, paths, base, token) = (client.clone(), paths.clone(), base.to_string(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors, mut n) = (Vec::new(), 0usize, worker);
            while started.elapsed() < duration {
                let uri = format!("{base}{}", paths[n % paths.len()]);
                n += connections;
                let request = hyper::Request::get(uri).header("authorization", format!("Bearer {token}")).body(Empty::<Bytes>::new())?;
                let sent = Instant::now();
                match client.request(request).await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        let body = response.into_body().collect().await;
                        if !ok || body.is_err() {
                            errors += 1;
                        }
                    }
                    Err(_) => errors += 1,
                }
                latencies.push(sent.elapsed().as_micros() as u64);
            }
            anyhow::Ok((latencies, errors))
        }));
    }
    let mut measured = Measured { requests: 0, errors: 0, seconds: 0.0, latencies: Vec::new() };
    for task in tasks {
        let (latencies, errors) = task.await??;
        measured.requests += latencies.len();
        measured.errors += errors;
        measured.latencies.extend(latencies);
    }
    measured.seconds = started.elapsed().as_secs_f64();
    measured.latencies.sort_unstable();
    Ok(measured)
}

/// Runs the load against a server on `url`'s database (the demo's, typically).
pub fn run(url: &str, connections: usize, seconds: u64, on: &str) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let db = Database::open(url).await?;
        let learners = db.learner_ids().await?;
        anyhow::ensure!(!learners.is_empty(), "{url} holds no learners: run `certif demo` first");
        let username = format!("bench-{}", auth::random_hex(4).map_err(|e| anyhow::anyhow!(e.message))?);
        let password = auth::random_hex(16).map_err(|e| anyhow::anyhow!(e.message))?;
        let account = Account {
            username: username.clone(),
            role: Role::Registrar,
            learner: None,
            modules: vec![],
            apprentices: vec![],
            password_hash: auth::hash_password(&password).map_err(|e| anyhow::anyhow!(e.message))?,
            disabled: false,
        };
        db.add_account(account, "bench-http").await?;
        let session = auth::sign_in(&db, &username, &password, "bench-http").await.map_err(|e| anyhow::anyhow!(e.message))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let app = router(AppState::new(db.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await });

        let decisions: Vec<String> = learners.iter().map(|id| format!("/api/learners/{id}/decision?on={on}")).collect();
        let cohort = vec![format!("/api/learners?on={on}")];
        // Today's cohort as JSON: read from the cohort the server decides once per write.
        let cohort_today = vec!["/api/learners".to_string()];
        // The cohort page as people use it: the first page, a search, a filter, a sort, a later page.
        let cohort_page: Vec<String> =
            ["/cohorte", "/cohorte?q=a-00", "/cohorte?manque=english&seul=1", "/cohorte?tri=nom&ordre=desc", "/cohorte?tri=bloc3&page=5"]
                .map(String::from)
                .into();
        println!("{url}: {} learners, {connections} connections, {seconds} s per route", learners.len());
        for (label, paths) in [
            ("GET /api/learners/{id}/decision", decisions),
            ("GET /api/learners?on= (decided anew)", cohort),
            ("GET /api/learners (today, kept)", cohort_today),
            ("GET /cohorte (the cohort page)", cohort_page),
        ] {
            let m = load(&base, &session.token, Arc::new(paths), connections, Duration::from_secs(seconds)).await?;
            println!(
                "  {label:<34} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  {} errors of {}",
                m.requests as f64 / m.seconds,
                m.percentile(0.50),
                m.percentile(0.99),
                m.latencies.last().copied().unwrap_or(0) as f64 / 1000.0,
                m.errors,
                m.requests
            );
        }
        db.remove_account(&username, "bench-http").await?;
        Ok(ExitCode::SUCCESS)
    })
}
