//! The session tokens scenario: how fast the server issues the short-lived ES256 tokens app
//! backends verify, next to `GET /v1/me` (the same session lookup and no signing) as the
//! baseline.
//!
//! Each run starts a fresh server with a `--secret-key` (the signing key is sealed with it) and
//! signs up 16 people, each the admin of an organization of their own. Worker `i % 16` asks as
//! person `i % 16`: with no organization (session lookup and a signature) and for their
//! organization (plus the membership read). The first request makes the signing key; every
//! later one signs with the instance's cached key.

use crate::api::{http_client, Api};
use crate::load::{run_phase, PhaseResult};
use crate::report::{medians, table};
use crate::server::RunningServer;
use crate::Args;
use anyhow::Result;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

/// People asking at once, one per worker.
const PEOPLE: usize = 16;
/// A `--secret-key` for the bench server: 32 bytes in base64 (not a secret: the database is
/// thrown away).
const SECRET_KEY: &str = "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=";

async fn phase(
    args: &Args,
    name: &str,
    people: &Arc<Vec<(Api, String)>>,
    request: fn(&str) -> (Method, &'static str, Option<Value>),
) -> PhaseResult {
    let people = Arc::clone(people);
    run_phase(name, args.bounds(PEOPLE), move |i| {
        let (api, org) = people[i as usize % PEOPLE].clone();
        async move {
            let (method, path, body) = request(&org);
            api.call(method, path, body, 200)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        }
    })
    .await
}

async fn run_once(args: &Args, run: usize) -> Result<Vec<PhaseResult>> {
    let database_url = crate::seed::fresh_database(args, "tokens", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url,
        "--dev".to_owned(),
        "--password-hashing".to_owned(),
        "fast".to_owned(),
        "--secret-key".to_owned(),
        SECRET_KEY.to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let client = http_client()?;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let api = Api::sign_up(&client, &server.base_url, &format!("token{i}@bench.test")).await?;
        let org = api.create_organization(&format!("Token Org {i}")).await?;
        people.push((api, org));
    }
    let people = Arc::new(people);
    let phases = vec![
        phase(args, "GET /v1/me (baseline)", &people, |_| {
            (Method::GET, "/v1/me", None)
        })
        .await,
        phase(args, "session token: no organization", &people, |_| {
            (Method::POST, "/v1/session/token", Some(json!({})))
        })
        .await,
        phase(args, "session token: for an organization", &people, |org| {
            let body = json!({ "organizationId": org });
            (Method::POST, "/v1/session/token", Some(body))
        })
        .await,
    ];
    server.stop().await?;
    crate::seed::drop_database(args, "tokens", run).await?;
    Ok(phases)
}

/// Runs the scenario `args.runs` times and prints the table.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== tokens run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    println!(
        "\n### {:?}: session token issuance, 16 people at once (median of {} runs)\n",
        args.database, args.runs
    );
    let rows = medians(&runs);
    print!("{}", table(&rows));
    for row in &rows {
        if let Some(e) = &row.first_error {
            println!("first error in {}: {e}", row.name);
        }
    }
    Ok(())
}
