//! The Clerk scenario: what the Clerk-compatible API's translation costs. The same two
//! operations through `/v1` (a signed-in admin) and through `/clerk/v1` (an instance secret
//! key): a page of 100 members of a 1,000-member organization, and inviting one address.

use crate::api::{http_client, Api};
use crate::load::{run_phase, PhaseResult};
use crate::phases::text;
use crate::report::{medians, table};
use crate::seed::Seeder;
use crate::server::RunningServer;
use crate::Args;
use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::json;

/// Members of the listed organization.
const MEMBERS: u64 = 1_000;

/// Runs the scenario `args.runs` times and prints one table.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== clerk run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    println!(
        "\n### {:?}: /v1 against /clerk/v1 (median of {} runs)\n",
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

/// Makes an instance secret key with the server binary's own command.
fn create_key(args: &Args, database_url: &str) -> Result<String> {
    let output = std::process::Command::new(&args.server_bin)
        .args(["--database-url", database_url, "secret-keys", "create"])
        .args(["--name", "bench"])
        .env("RUST_LOG", "warn")
        .output()
        .context("running secret-keys create")?;
    anyhow::ensure!(output.status.success(), "secret-keys create failed");
    let stdout = String::from_utf8(output.stdout)?;
    Ok(stdout.lines().next().unwrap_or_default().trim().to_owned())
}

/// A page of 100 members. The body is checked without parsing it (each member has one
/// `"role":"` in both shapes): Clerk's page is about five times larger, and parsing it would
/// measure the driver rather than the server.
async fn page(args: &Args, name: &str, who: &Api, path: String) -> PhaseResult {
    let who = who.clone();
    run_phase(name, args.bounds(16), move |_| {
        let (who, path) = (who.clone(), path.clone());
        async move {
            let body = who.call_text(Method::GET, &path, 200).await.map_err(text)?;
            match body.matches("\"role\":\"").count() {
                100 => Ok(()),
                n => Err(format!("expected 100 members, got {n}")),
            }
        }
    })
    .await
}

async fn invite(args: &Args, name: &str, who: &Api, path: String, clerk: bool) -> PhaseResult {
    let who = who.clone();
    let tag = if clerk { "clerk" } else { "v1" };
    run_phase(name, args.bounds(16), move |i| {
        let (who, path) = (who.clone(), path.clone());
        async move {
            let email = format!("{tag}-invitee{i}@bench.test");
            let (body, status) = if clerk {
                (json!({"email_address": email, "role": "org:member"}), 200)
            } else {
                (json!({"emailAddress": email, "role": "basic_member"}), 201)
            };
            who.call(Method::POST, &path, Some(body), status)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

async fn run_once(args: &Args, run: usize) -> Result<Vec<PhaseResult>> {
    let database_url = crate::seed::fresh_database(args, "clerk", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
        "--clerk-key-limit-per-minute".to_owned(),
        "1000000000".to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let client = http_client()?;
    let admin = Api::sign_up(&client, &server.base_url, "admin@bench.test").await?;
    let admin_id = admin.user_id().await?;
    let key = Api::with_token(&client, &server.base_url, &create_key(args, &database_url)?);
    let seeder = Seeder::connect(&database_url).await?;
    seeder.seed_users(MEMBERS).await?;
    let listed = seeder.seed_org("clerklist", MEMBERS, &admin_id).await?;
    seeder.analyze().await?;
    seeder.close().await;
    let invites = admin.create_organization("Invites").await?;
    let v1 = format!("/v1/organizations/{}", listed.id);
    let clerk = format!("/clerk/v1/organizations/{}", listed.id);
    let phases = vec![
        page(
            args,
            "/v1 member page (100)",
            &admin,
            format!("{v1}/memberships?limit=100"),
        )
        .await,
        page(
            args,
            "/clerk/v1 member page (100)",
            &key,
            format!("{clerk}/memberships?limit=100"),
        )
        .await,
        invite(
            args,
            "/v1 invite",
            &admin,
            format!("/v1/organizations/{invites}/invitations"),
            false,
        )
        .await,
        invite(
            args,
            "/clerk/v1 invite",
            &key,
            format!("/clerk/v1/organizations/{invites}/invitations"),
            true,
        )
        .await,
    ];
    server.stop().await?;
    crate::seed::drop_database(args, "clerk", run).await?;
    Ok(phases)
}
