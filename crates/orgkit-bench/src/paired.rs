//! The paired benchmark (issue 14): orgkit and Better Auth's organization plugin, one after
//! the other, on the same workload, from this one driver, with the same pinning (server on
//! CPU 0, driver on CPU 1), both on the same database: SQLite in WAL mode (Better Auth through
//! better-sqlite3) or PostgreSQL (Better Auth through node-postgres), a fresh database per target
//! and run. Prints each server's table with the driver's own CPU use per phase, then the ratio
//! table.

use crate::api::{http_client, Api};
use crate::ba_api::BaApi;
use crate::ba_seed::BaSeeder;
use crate::load::PhaseResult;
use crate::phases::admins_org;
use crate::plan::ADMINS;
use crate::report::{medians, ratio_table, table_with_driver_cpu, Row};
use crate::seed::Seeder;
use crate::server::{no_rate_limits, RunningServer};
use crate::{ba_phases, phases, Args, Database};
use anyhow::{Context, Result};
use futures::future::try_join_all;
use std::sync::Arc;

/// The operations of issue 14's table, in the order both targets run them.
const OPERATIONS: [&str; 7] = [
    "create organization, c16",
    "invite member, c16",
    "list page, 1k org, c16",
    "list page, 10k org, c64",
    "update role, c16",
    "remove member, c16",
    "permission check, c16",
];

/// The label of Better Auth's database (`seed::fresh_database`); orgkit's is `paired`.
const BA_LABEL: &str = "paired-ba";

/// Users seeded into each database (members of the 1k and 10k organizations).
const SEEDED_USERS: u64 = 10_000;

/// What one target measured in one run.
struct TargetRun {
    phases: Vec<PhaseResult>,
    peak_rss_mib: f64,
}

/// Runs both targets `args.runs` times and prints their tables and the ratio table.
pub async fn run_all(args: &Args) -> Result<()> {
    let server_js = args.better_auth_dir.join("server.mjs");
    anyhow::ensure!(
        args.better_auth_dir.join("node_modules").is_dir(),
        "{} has no node_modules: run `npm ci` there (scripts/bench-paired.sh does)",
        args.better_auth_dir.display()
    );
    let (mut orgkit, mut better_auth) = (Vec::new(), Vec::new());
    for run in 1..=args.runs {
        eprintln!("== paired run {run}/{}: orgkit", args.runs);
        orgkit.push(run_orgkit(args, run).await?);
        eprintln!("== paired run {run}/{}: Better Auth", args.runs);
        better_auth.push(run_better_auth(args, &server_js, run).await?);
    }
    let orgkit_rows = rows(&orgkit);
    let ba_rows = rows(&better_auth);
    println!("\n{}\n", orgkit_heading(args.database, args.runs));
    print!("{}", table_with_driver_cpu(&orgkit_rows));
    println!("\nServer peak RSS per run: {} MiB", rss(&orgkit));
    println!("\n{}\n", better_auth_heading(args.database, args.runs));
    print!("{}", table_with_driver_cpu(&ba_rows));
    println!("\nServer peak RSS per run: {} MiB", rss(&better_auth));
    println!("\n### Paired ratio: orgkit ÷ Better Auth (req/s), same driver, same pinning\n");
    print!(
        "{}",
        ratio_table(&OPERATIONS, "Better Auth", &ba_rows, &orgkit_rows)
    );
    let busiest = orgkit_rows
        .iter()
        .chain(&ba_rows)
        .map(|r| r.driver_cpu_pct)
        .fold(0.0, f64::max);
    println!("\nThe driver's busiest phase used {busiest:.0}% of its core.");
    for (target, rows) in [("orgkit", &orgkit_rows), ("Better Auth", &ba_rows)] {
        for row in rows.iter() {
            if let Some(e) = &row.first_error {
                println!("first error in {target} {}: {e}", row.name);
            }
        }
    }
    Ok(())
}

/// The database's name in the report.
fn database_name(database: Database) -> &'static str {
    match database {
        Database::Sqlite => "SQLite",
        Database::Postgres => "PostgreSQL",
    }
}

fn orgkit_heading(database: Database, runs: usize) -> String {
    format!(
        "### orgkit on {} (median of {runs} runs; driver CPU in % of its one core)",
        database_name(database)
    )
}

fn better_auth_heading(database: Database, runs: usize) -> String {
    let driver = match database {
        Database::Sqlite => "better-sqlite3",
        Database::Postgres => "node-postgres",
    };
    format!(
        "### Better Auth 1.7.25 on {} ({driver}; median of {runs} runs)",
        database_name(database)
    )
}

fn rows(runs: &[TargetRun]) -> Vec<Row> {
    medians(&runs.iter().map(|r| r.phases.clone()).collect::<Vec<_>>())
}

fn rss(runs: &[TargetRun]) -> String {
    runs.iter()
        .map(|r| format!("{:.1}", r.peak_rss_mib))
        .collect::<Vec<_>>()
        .join(", ")
}

/// orgkit's side: a fresh database, the release server, 16 admins signed up through the API,
/// the 1k and 10k organizations seeded, then the seven phases.
async fn run_orgkit(args: &Args, run: usize) -> Result<TargetRun> {
    let database_url = crate::seed::fresh_database(args, "paired", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
    ];
    server_args.extend(no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let client = http_client()?;
    let (client, base) = (&client, &server.base_url);
    let admins =
        try_join_all((0..ADMINS).map(|i| async move {
            Api::sign_up(client, base, &format!("admin{i}@bench.test")).await
        }))
        .await?;
    let admins = Arc::new(admins);
    let seeder = Seeder::connect(&database_url).await?;
    let admin_id = admins[0].user_id().await?;
    seeder.seed_users(SEEDED_USERS).await?;
    let org_1k = seeder.seed_org("bench-1k", 1_000, &admin_id).await?;
    let org_10k = seeder.seed_org("bench-10k", 10_000, &admin_id).await?;
    seeder.analyze().await?;
    seeder.close().await;
    let admin = &admins[0];

    let mut results = vec![phases::create_organizations(args, &admins).await];
    let invite_org = admins_org(admin, "Invites").await?;
    results.push(phases::invite_members(args, admin, &invite_org).await);
    let list_1k = "list members, 1k-member org, page of 100";
    results.push(ba_phases::orgkit_list_page(args, list_1k, 16, admin, &org_1k).await);
    let list_10k = "list members, 10k-member org, page of 100";
    results.push(ba_phases::orgkit_list_page(args, list_10k, 64, admin, &org_10k).await);
    results.push(phases::update_roles(args, admin, &org_1k).await);
    results.push(phases::remove_members(args, admin, &org_10k).await);
    results.push(phases::permission_checks(args, admin, &org_1k).await);

    let peak_rss_mib = server.peak_rss_mib()?;
    server.stop().await?;
    crate::seed::drop_database(args, "paired", run).await?;
    Ok(TargetRun {
        phases: results,
        peak_rss_mib,
    })
}

/// Better Auth's side: a fresh SQLite file or PostgreSQL database, `node server.mjs` (which
/// creates the schema), 16 admins signed up through its API, the 1k and 10k organizations
/// seeded into the database, then the same seven phases.
async fn run_better_auth(
    args: &Args,
    server_js: &std::path::Path,
    run: usize,
) -> Result<TargetRun> {
    let database_url = crate::seed::fresh_database(args, BA_LABEL, run).await?;
    let path = crate::seed::sqlite_path(args, BA_LABEL, run);
    let (flag, location) = match args.database {
        Database::Sqlite => ("--database", path.display().to_string()),
        Database::Postgres => ("--postgres", database_url.clone()),
    };
    let server_args = vec![server_js.display().to_string(), flag.to_owned(), location];
    let server = RunningServer::start_with_env(
        &args.node,
        &server_args,
        args.pin.then_some(0),
        &[("NODE_ENV", "production")],
    )
    .await
    .context("starting Better Auth")?;
    let client = http_client()?;
    let (client, base) = (&client, &server.base_url);
    let admins = try_join_all((0..ADMINS).map(|i| async move {
        BaApi::sign_up(client, base, &format!("admin{i}@bench.test")).await
    }))
    .await?;
    let admins = Arc::new(admins);
    let admin = &admins[0];
    let seeder = match args.database {
        Database::Sqlite => BaSeeder::connect_sqlite(&path).await?,
        Database::Postgres => BaSeeder::connect_postgres(&database_url).await?,
    };
    seeder.seed_users(SEEDED_USERS).await?;
    let org_1k = seeder.seed_org("bench-1k", 1_000, &admin.user_id).await?;
    let org_10k = seeder.seed_org("bench-10k", 10_000, &admin.user_id).await?;
    seeder.analyze().await?;
    seeder.close().await;

    let mut results = vec![ba_phases::create_organizations(args, &admins).await];
    let invite_org = admin.create_organization("Invites", "invites").await?;
    results.push(ba_phases::invite_members(args, admin, &invite_org).await);
    let list_1k = "list members, 1k-member org, page of 100";
    results.push(ba_phases::list_page(args, list_1k, 16, admin, &org_1k).await);
    let list_10k = "list members, 10k-member org, page of 100";
    results.push(ba_phases::list_page(args, list_10k, 64, admin, &org_10k).await);
    results.push(ba_phases::update_roles(args, admin, &org_1k).await);
    results.push(ba_phases::remove_members(args, admin, &org_10k).await);
    results.push(ba_phases::permission_checks(args, admin, &org_1k).await);

    let peak_rss_mib = server.peak_rss_mib()?;
    server.stop().await?;
    crate::seed::drop_database(args, BA_LABEL, run).await?;
    Ok(TargetRun {
        phases: results,
        peak_rss_mib,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_name_the_database_used() {
        assert_eq!(
            orgkit_heading(Database::Postgres, 3),
            "### orgkit on PostgreSQL (median of 3 runs; driver CPU in % of its one core)"
        );
        assert_eq!(
            better_auth_heading(Database::Postgres, 3),
            "### Better Auth 1.7.25 on PostgreSQL (node-postgres; median of 3 runs)"
        );
        assert_eq!(
            orgkit_heading(Database::Sqlite, 1),
            "### orgkit on SQLite (median of 1 runs; driver CPU in % of its one core)"
        );
        assert_eq!(
            better_auth_heading(Database::Sqlite, 1),
            "### Better Auth 1.7.25 on SQLite (better-sqlite3; median of 1 runs)"
        );
    }
}
