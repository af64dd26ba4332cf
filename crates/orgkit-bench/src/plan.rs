//! The benchmark plan: prepare a database, start the server, seed, then measure each
//! operation as its own phase (the phases are in `phases.rs`).

use crate::api::{http_client, Api};
use crate::load::{run_phase, PhaseResult};
use crate::phases::{
    accept_invitations, admins_org, create_organizations, invite_members, list_page,
    permission_checks, remove_members, update_roles,
};
use crate::report::{medians, table};
use crate::seed::Seeder;
use crate::server::RunningServer;
use crate::Args;
use anyhow::Result;
use std::sync::Arc;

/// Users that act as organization admins, one per concurrent worker.
pub(crate) const ADMINS: usize = 16;
/// Users that accept invitations, one per concurrent worker.
pub(crate) const INVITEES: usize = 16;
/// Invitations prepared for the accept phase.
pub(crate) const ACCEPTS: u64 = 2_000;

/// What one run measured.
struct RunResult {
    phases: Vec<PhaseResult>,
    scaling: Vec<PhaseResult>,
    peak_rss_mib: f64,
}

/// Runs the whole plan `args.runs` times and prints the tables.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    let phases: Vec<_> = runs.iter().map(|r| r.phases.clone()).collect();
    let scaling: Vec<_> = runs.iter().map(|r| r.scaling.clone()).collect();
    let mut rss: Vec<f64> = runs.iter().map(|r| r.peak_rss_mib).collect();
    rss.sort_by(f64::total_cmp);
    println!(
        "\n### {:?}: operations (median of {} runs)\n",
        args.database, args.runs
    );
    print!("{}", table(&medians(&phases)));
    println!(
        "\n### {:?}: member list page of 100 by organization size\n",
        args.database
    );
    print!("{}", table(&medians(&scaling)));
    println!(
        "\nServer peak RSS (VmHWM) per run: {} MiB",
        rss.iter()
            .map(|m| format!("{m:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for row in medians(&phases).iter().chain(medians(&scaling).iter()) {
        if let Some(e) = &row.first_error {
            println!("first error in {}: {e}", row.name);
        }
    }
    Ok(())
}

/// The plan's invite phase alone, `args.runs` times, each on a fresh database and server
/// with the plan's flags: one admin, one organization, one address per request.
pub async fn run_invite_only(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== invite run {run}/{} on {:?}", args.runs, args.database);
        let database_url = crate::seed::fresh_database(args, "invite", run).await?;
        let mut server_args = vec![
            "--database-url".to_owned(),
            database_url,
            "--dev".to_owned(),
        ];
        server_args.extend(crate::server::no_rate_limits());
        let server =
            RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
        let admin = Api::sign_up(&http_client()?, &server.base_url, "admin@bench.test").await?;
        let org = admins_org(&admin, "Invites").await?;
        runs.push(vec![invite_members(args, &admin, &org).await]);
        server.stop().await?;
        crate::seed::drop_database(args, "invite", run).await?;
    }
    println!(
        "\n### {:?}: invite phase alone (median of {} runs), server {}\n",
        args.database,
        args.runs,
        args.server_bin.display()
    );
    let rows = medians(&runs);
    print!("{}", table(&rows));
    for r in &runs {
        let r = &r[0];
        println!(
            "run: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
            r.throughput(),
            r.percentile_ms(0.5),
            r.percentile_ms(0.99)
        );
    }
    if let Some(e) = rows.iter().find_map(|r| r.first_error.clone()) {
        println!("first error: {e}");
    }
    Ok(())
}

async fn run_once(args: &Args, run: usize) -> Result<RunResult> {
    let database_url = crate::seed::fresh_database(args, "bench", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let base = server.base_url.clone();
    let client = http_client()?;
    let seeder = Seeder::connect(&database_url).await?;
    let mut phases = Vec::new();

    // Sign-up is dominated by password hashing: measured, but apart from the organization work.
    let signups = Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let total_users = (ADMINS + INVITEES) as u64;
    let sign_up = {
        let (client, base, signups) = (client.clone(), base.clone(), Arc::clone(&signups));
        run_phase(
            "sign up (argon2id; not an organization operation)",
            crate::load::Bounds {
                concurrency: 16,
                max_requests: total_users,
                max_duration: std::time::Duration::from_secs(120),
                warmup: std::time::Duration::ZERO,
            },
            move |i| {
                let (client, base, signups) = (client.clone(), base.clone(), Arc::clone(&signups));
                async move {
                    let api = Api::sign_up(&client, &base, &format!("user{i}@bench.test"))
                        .await
                        .map_err(|e| e.to_string())?;
                    signups.lock().await.push((i, api));
                    Ok(())
                }
            },
        )
        .await
    };
    anyhow::ensure!(
        sign_up.errors == 0,
        "sign-up failed: {:?}",
        sign_up.first_error
    );
    phases.push(sign_up);
    let mut users = std::mem::take(&mut *signups.lock().await);
    users.sort_by_key(|(i, _)| *i);
    let users: Vec<Api> = users.into_iter().map(|(_, api)| api).collect();
    let (admins, invitees) = users.split_at(ADMINS);
    let admins: Arc<Vec<Api>> = Arc::new(admins.to_vec());
    let invitees: Arc<Vec<Api>> = Arc::new(invitees.to_vec());

    // Seeded organizations, each with admin 0 as its admin.
    let admin_id = admins[0].user_id().await?;
    let largest = args
        .sizes
        .iter()
        .copied()
        .chain([10_000])
        .max()
        .unwrap_or(10_000);
    eprintln!(
        "seeding {largest} users and organizations of 1k, 10k and {:?}",
        args.sizes
    );
    seeder.seed_users(largest).await?;
    let org_1k = seeder.seed_org("bench-1k", 1_000, &admin_id).await?;
    let org_10k = seeder.seed_org("bench-10k", 10_000, &admin_id).await?;
    for org in [&org_1k, &org_10k] {
        seeder.seed_custom_roles(org, args.custom_roles).await?;
    }
    // The steady state autovacuum reaches: planner statistics of the seeded rows.
    seeder.analyze().await?;

    phases.push(create_organizations(args, &admins).await);
    let invite_org = admins_org(&admins[0], "Invites").await?;
    phases.push(invite_members(args, &admins[0], &invite_org).await);
    phases.push(accept_invitations(args, &base, &client, &admins, &invitees).await?);
    phases.push(
        list_page(
            args,
            "list members, 1k-member org, page of 100",
            16,
            &admins[0],
            &org_1k,
            None,
        )
        .await,
    );
    phases.push(
        list_page(
            args,
            "list members, 10k-member org, page of 100",
            64,
            &admins[0],
            &org_10k,
            None,
        )
        .await,
    );
    phases.push(update_roles(args, &admins[0], &org_1k).await);
    phases.push(remove_members(args, &admins[0], &org_10k).await);
    phases.push(permission_checks(args, &admins[0], &org_1k).await);

    let mut scaling = Vec::new();
    for &size in &args.sizes {
        let org = seeder
            .seed_org(&format!("bench-scale-{size}"), size, &admin_id)
            .await?;
        seeder.analyze().await?;
        let deep = seeder.cursor_at(&org, size * 9 / 10).await?;
        let label = human(size);
        scaling.push(
            list_page(
                args,
                &format!("{label} members: first page"),
                16,
                &admins[0],
                &org,
                None,
            )
            .await,
        );
        scaling.push(
            list_page(
                args,
                &format!("{label} members: page at 90%"),
                16,
                &admins[0],
                &org,
                Some(deep),
            )
            .await,
        );
    }
    let peak_rss_mib = server.peak_rss_mib()?;
    eprintln!(
        "server RSS now {:.1} MiB, peak {peak_rss_mib:.1} MiB",
        server.rss_mib()?
    );
    server.stop().await?;
    seeder.close().await;
    crate::seed::drop_database(args, "bench", run).await?;
    Ok(RunResult {
        phases,
        scaling,
        peak_rss_mib,
    })
}

fn human(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}
