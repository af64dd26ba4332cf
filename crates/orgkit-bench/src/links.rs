//! The invite links scenario: how fast people join through invite links.
//!
//! Each run starts a fresh server, signs up 16 joiners through the API (fast password hashing:
//! sign-up is not what is measured) and marks their addresses verified in the database, since
//! accepting a link needs a verified address. The admin makes one organization per 16 accepts,
//! each with an unlimited link, and another set whose links require approval. Request `i` is
//! joiner `i % 16` accepting the link of organization `i / 16`, so the 16 workers mostly hit one
//! organization at a time: a burst on one link, serialized by the organization's lock, which
//! also counts the uses.

use crate::api::{http_client, str_field, Api};
use crate::load::{run_phase, PhaseResult};
use crate::report::{medians, table};
use crate::server::RunningServer;
use crate::Args;
use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

/// People accepting links, one per concurrent worker.
const JOINERS: usize = 16;
/// Accepts per phase (at most `--requests`).
const ACCEPTS: u64 = 2_000;

/// Creates `orgs` organizations with one link each; answers the links' tokens.
async fn links(admin: &Api, orgs: u64, label: &str, approval: bool) -> Result<Arc<Vec<String>>> {
    let mut tokens = Vec::new();
    for j in 0..orgs {
        let org = admin.create_organization(&format!("{label} {j}")).await?;
        let body = json!({"role": "basic_member", "requiresApproval": approval});
        let path = format!("/v1/organizations/{org}/invite-links");
        let link = admin.call(Method::POST, &path, Some(body), 201).await?;
        tokens.push(str_field(&link, "token")?.to_owned());
    }
    Ok(Arc::new(tokens))
}

/// One phase: request `i` is joiner `i % 16` accepting link `i / 16`.
async fn accept_phase(
    args: &Args,
    name: &str,
    joiners: &Arc<Vec<Api>>,
    tokens: Arc<Vec<String>>,
    accepts: u64,
) -> PhaseResult {
    let joiners = Arc::clone(joiners);
    let bounds = crate::load::Bounds {
        max_requests: accepts,
        ..args.bounds(JOINERS)
    };
    run_phase(name, bounds, move |i| {
        let joiner = joiners[i as usize % JOINERS].clone();
        let token = tokens.get(i as usize / JOINERS).cloned();
        async move {
            let token = token.ok_or("no link left")?;
            joiner
                .call(
                    Method::POST,
                    "/v1/invite-links/accept",
                    Some(json!({"token": token})),
                    200,
                )
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        }
    })
    .await
}

async fn run_once(args: &Args, run: usize) -> Result<Vec<PhaseResult>> {
    let database_url = crate::seed::fresh_database(args, "links", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
        "--password-hashing".to_owned(),
        "fast".to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let client = http_client()?;
    let admin = Api::sign_up(&client, &server.base_url, "admin@bench.test").await?;
    let mut joiners = Vec::new();
    for i in 0..JOINERS {
        let email = format!("joiner{i}@bench.test");
        joiners.push(Api::sign_up(&client, &server.base_url, &email).await?);
    }
    {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&database_url)
            .await
            .context("connecting to mark the joiners verified")?;
        sqlx::query("UPDATE users SET email_verified = 1")
            .execute(&pool)
            .await?;
        pool.close().await;
    }
    let joiners = Arc::new(joiners);
    let accepts = ACCEPTS.min(args.requests);
    let orgs = accepts.div_ceil(JOINERS as u64);
    let open = links(&admin, orgs, "Open", false).await?;
    let gated = links(&admin, orgs, "Gated", true).await?;
    let phases = vec![
        accept_phase(args, "accept invite link: join", &joiners, open, accepts).await,
        accept_phase(
            args,
            "accept invite link: file a join request",
            &joiners,
            gated,
            accepts,
        )
        .await,
    ];
    server.stop().await?;
    crate::seed::drop_database(args, "links", run).await?;
    Ok(phases)
}

/// Runs the scenario `args.runs` times and prints the table.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== links run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    println!(
        "\n### {:?}: accepting invite links, 16 joiners at once (median of {} runs)\n",
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
