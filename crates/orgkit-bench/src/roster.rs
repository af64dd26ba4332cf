//! The roster scenario: a page of an organization's roster (members and pending invitations in
//! one list, by email address) at several sizes, first page, deep page, a status filter and a
//! prefix search; then bulk removal of 100 members per request.
//!
//! Each size gets its own organization, seeded with set-based SQL: 80% members, 20% pending
//! invitations.

use crate::api::{http_client, Api};
use crate::load::{run_phase, PhaseResult};
use crate::phases::text;
use crate::report::{medians, table};
use crate::seed::{member_user_id, Seeder};
use crate::server::RunningServer;
use crate::Args;
use anyhow::Result;
use reqwest::Method;
use serde_json::json;

/// Members removed per bulk-removal request.
const BATCH: u64 = 100;

async fn page(args: &Args, name: &str, admin: &Api, path: String, expect: usize) -> PhaseResult {
    let admin = admin.clone();
    run_phase(name, args.bounds(16), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let page = admin
                .call(Method::GET, &path, None, 200)
                .await
                .map_err(text)?;
            match page["data"].as_array().map(Vec::len) {
                Some(n) if n == expect => Ok(()),
                other => Err(format!("expected {expect} people, got {other:?}")),
            }
        }
    })
    .await
}

/// Runs the scenario `args.runs` times and prints the tables.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut pages = Vec::new();
    let mut removals = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== roster run {run}/{} on {:?}", args.runs, args.database);
        let (p, r) = run_once(args, run).await?;
        pages.push(p);
        removals.push(r);
    }
    println!(
        "\n### {:?}: roster page of 100 (members + invitations) by size (median of {} runs)\n",
        args.database, args.runs
    );
    print!("{}", table(&medians(&pages)));
    println!(
        "\n### {:?}: bulk removal, {BATCH} members per request (median of {} runs)\n",
        args.database, args.runs
    );
    print!("{}", table(&medians(&removals)));
    for row in medians(&pages).iter().chain(medians(&removals).iter()) {
        if let Some(e) = &row.first_error {
            println!("first error in {}: {e}", row.name);
        }
    }
    Ok(())
}

async fn run_once(args: &Args, run: usize) -> Result<(Vec<PhaseResult>, Vec<PhaseResult>)> {
    let database_url = crate::seed::fresh_database(args, "roster", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let admin = Api::sign_up(&http_client()?, &server.base_url, "admin@bench.test").await?;
    let admin_id = admin.user_id().await?;
    let seeder = Seeder::connect(&database_url).await?;
    let largest = args.sizes.iter().copied().max().unwrap_or(1_000);
    seeder.seed_users(largest).await?;
    let mut pages = Vec::new();
    let mut removals = Vec::new();
    for &size in &args.sizes {
        let members = size * 4 / 5;
        let org = seeder
            .seed_org(&format!("roster-{size}"), members, &admin_id)
            .await?;
        seeder
            .seed_invitations(&org, size - members, &admin_id)
            .await?;
        seeder.analyze().await?;
        let label = human(size);
        eprintln!("seeded {label} people ({members} members)");
        let base = format!("/v1/organizations/{}/roster?limit=100", org.id);
        pages.push(
            page(
                args,
                &format!("{label}: first page"),
                &admin,
                base.clone(),
                100,
            )
            .await,
        );
        let deep = seeder.roster_cursor_at(&org, size * 9 / 10).await?;
        let at = format!("{base}&after={deep}");
        pages.push(page(args, &format!("{label}: page at 90%"), &admin, at, 100).await);
        let invited = format!("{base}&status=invited");
        pages.push(
            page(
                args,
                &format!("{label}: status=invited"),
                &admin,
                invited,
                100,
            )
            .await,
        );
        // `seed1…` is a prefix of 1 + 11 + 111 + … members: ~11% of the members at any size.
        let search = format!("{base}&q=seed1");
        pages.push(page(args, &format!("{label}: q=seed1"), &admin, search, 100).await);
        if size == largest {
            removals.push(bulk_remove(args, &admin, &org.id, members).await);
        }
    }
    server.stop().await?;
    seeder.close().await;
    crate::seed::drop_database(args, "roster", run).await?;
    Ok((pages, removals))
}

/// Removes seeded members 100 per request, as many requests as the members allow (one
/// worker: the organization's lock serializes them anyway).
async fn bulk_remove(args: &Args, admin: &Api, org: &str, members: u64) -> PhaseResult {
    let bounds = crate::load::Bounds {
        concurrency: 1,
        max_requests: ((members - 1) / BATCH).min(args.requests).min(200),
        max_duration: std::time::Duration::from_secs(args.seconds),
        // Its batches are few and seeded: none goes to a warm-up.
        warmup: std::time::Duration::ZERO,
    };
    let (admin, org) = (admin.clone(), org.to_owned());
    run_phase(&format!("bulk-remove {BATCH} members"), bounds, move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let ids: Vec<String> = (i * BATCH..(i + 1) * BATCH).map(member_user_id).collect();
            let path = format!("/v1/organizations/{org}/memberships/bulk-remove");
            let answer = admin
                .call(Method::POST, &path, Some(json!({"memberIds": ids})), 200)
                .await
                .map_err(text)?;
            let removed = answer["data"]
                .as_array()
                .map(|d| d.iter().filter(|r| r["removed"] == true).count());
            match removed {
                Some(n) if n as u64 == BATCH => Ok(()),
                other => Err(format!("expected {BATCH} removed, got {other:?}")),
            }
        }
    })
    .await
}

fn human(n: u64) -> String {
    match n {
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}
