//! orgkit's reference backend: the rule book of `orgkit-core`, enforced inside database
//! transactions and served over HTTP.
//!
//! [`serve`] runs the server; [`build`] gives the router and state for tests and benchmarks.

pub mod auth;
pub mod clerk;
pub mod cli;
pub mod config;
pub mod db;
pub mod dns;
pub mod error;
pub mod extract;
pub mod mail;
pub mod openapi;
pub mod queue;
pub mod rate_limit;
pub mod routes;
pub mod service;
pub mod session_tokens;
pub mod smtp;
pub mod state;
pub mod token;
pub mod webhooks;

pub use config::Config;
pub use state::AppState;

use anyhow::Context;
use tokio::net::TcpListener;

/// Connects to the database, runs the migrations and builds the router.
pub async fn build(config: Config, public_url: String) -> anyhow::Result<(axum::Router, AppState)> {
    let sqlite = db::SqliteOptions {
        synchronous: config.sqlite_synchronous,
        writer: !config.no_sqlite_writer,
    };
    let mut db = db::Db::connect_with(&config.database_url, config.max_connections, sqlite).await?;
    if config.pg_replay {
        db.enable_replays();
    }
    let state = AppState::new(config, db, public_url)?;
    Ok((routes::app(state.clone()), state))
}

/// Binds, prints `orgkit-server listening on http://ADDR`, and serves until the process ends.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let (app, state) = build(config, public_url).await?;
    start_background_work(&state);
    println!("orgkit-server listening on http://{addr}");
    use std::io::Write;
    std::io::stdout().flush()?;
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // The API key uses of the last seconds (see `service::api_keys::usage`).
    if let Err(e) = service::api_keys::usage::flush(&state).await {
        tracing::warn!(error = ?e, "API key last-used flush at shutdown failed");
    }
    Ok(())
}

/// Ctrl-C or, on Unix, SIGTERM: stop taking connections, finish the open requests.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Starts what runs beside the requests: the delivery worker, the hourly retention sweeps and
/// the API keys' last-used flush (every 5 s).
pub fn start_background_work(state: &AppState) {
    if state.config.smtp_url.is_none() && !state.config.dev {
        tracing::warn!("no --smtp-url: emails are not sent (they are marked dead in the queue)");
    }
    tokio::spawn(queue::run_worker(state.clone()));
    tokio::spawn(sweep_hourly(state.clone()));
    tokio::spawn(service::api_keys::usage::run_flusher(state.clone()));
}

/// Deletes audit events and finished deliveries past their retention, and what webhooks no
/// longer need (`webhooks::sweep`), at start-up and then every hour. A failed sweep is logged
/// and tried again at the next hour.
async fn sweep_hourly(state: AppState) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        match service::audit::sweep(&state, token::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "audit retention sweep"),
            Err(e) => tracing::warn!(error = ?e, "audit retention sweep failed"),
        }
        match queue::sweep(&state, token::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "delivery retention sweep"),
            Err(e) => tracing::warn!(error = %e, "delivery retention sweep failed"),
        }
        match webhooks::sweep(&state, token::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "webhook sweep"),
            Err(e) => tracing::warn!(error = ?e, "webhook sweep failed"),
        }
    }
}
