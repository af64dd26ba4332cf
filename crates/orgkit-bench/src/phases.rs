//! The benchmark plan: prepare a database, start the server, seed, then measure each
//! operation as its own phase.

use crate::api::{http_client, str_field, Api};
use crate::load::{run_phase, PhaseResult};
use crate::report::{medians, table};
use crate::seed::{SeededOrg, Seeder};
use crate::server::RunningServer;
use crate::Args;
use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

/// Users that act as organization admins, one per concurrent worker.
const ADMINS: usize = 16;
/// Users that accept invitations, one per concurrent worker.
const INVITEES: usize = 16;
/// Invitations prepared for the accept phase.
const ACCEPTS: u64 = 2_000;

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

async fn run_once(args: &Args, run: usize) -> Result<RunResult> {
    let database_url = crate::seed::fresh_database(args, run).await?;
    let server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
        "--sign-in-limit-per-minute".to_owned(),
        "1000000000".to_owned(),
        "--invite-limit-per-minute".to_owned(),
        "1000000000".to_owned(),
    ];
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
    crate::seed::drop_database(args, run).await?;
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

async fn admins_org(admin: &Api, name: &str) -> Result<SeededOrg> {
    Ok(SeededOrg {
        id: admin.create_organization(name).await?,
    })
}

/// Worker-local error text for the load loop.
fn text(e: anyhow::Error) -> String {
    e.to_string()
}

async fn create_organizations(args: &Args, admins: &Arc<Vec<Api>>) -> PhaseResult {
    let admins = Arc::clone(admins);
    run_phase("create organization", args.bounds(16), move |i| {
        let admin = admins[i as usize % admins.len()].clone();
        async move {
            admin
                .create_organization(&format!("Org {i}"))
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

async fn invite_members(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let (admin, path) = (
        admin.clone(),
        format!("/v1/organizations/{}/invitations", org.id),
    );
    run_phase("invite member", args.bounds(16), move |i| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let body =
                json!({"emailAddress": format!("invitee{i}@bench.test"), "role": "basic_member"});
            admin
                .call(Method::POST, &path, Some(body), 201)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

/// Prepares `ACCEPTS` invitations (invitee `i % 16` into organization `i / 16`), reads their
/// tokens from the dev mailbox, then measures accepting them.
async fn accept_invitations(
    args: &Args,
    base: &str,
    client: &reqwest::Client,
    admins: &Arc<Vec<Api>>,
    invitees: &Arc<Vec<Api>>,
) -> Result<PhaseResult> {
    let accepts = ACCEPTS.min(args.requests);
    let orgs = accepts.div_ceil(INVITEES as u64);
    let mut emails = Vec::new();
    for invitee in invitees.iter() {
        let me = invitee.call(Method::GET, "/v1/me", None, 200).await?;
        emails.push(str_field(&me, "emailAddress")?.to_owned());
    }
    for j in 0..orgs {
        let admin = &admins[j as usize % admins.len()];
        let org = admin.create_organization(&format!("Accept {j}")).await?;
        let body = json!({"emailAddresses": emails, "role": "basic_member"});
        admin
            .call(
                Method::POST,
                &format!("/v1/organizations/{org}/invitations"),
                Some(body),
                200,
            )
            .await?;
    }
    // Tokens, per invitee, from the dev mailbox (oldest first).
    let mut tokens: Vec<Vec<String>> = Vec::new();
    for email in &emails {
        let mailbox: serde_json::Value = client
            .get(format!("{base}/v1/dev/mailbox?limit=1000&to={email}"))
            .send()
            .await?
            .json()
            .await?;
        let mut mine: Vec<String> = mailbox["data"]
            .as_array()
            .context("mailbox data")?
            .iter()
            .filter_map(|m| m["link"].as_str())
            .filter_map(|link| link.split("/accept?token=").nth(1))
            .map(str::to_owned)
            .collect();
        mine.reverse();
        tokens.push(mine);
    }
    let tokens = Arc::new(tokens);
    let invitees = Arc::clone(invitees);
    let bounds = crate::load::Bounds {
        max_requests: accepts,
        ..args.bounds(16)
    };
    Ok(run_phase("accept invitation", bounds, move |i| {
        let who = i as usize % INVITEES;
        let invitee = invitees[who].clone();
        let token = tokens[who].get(i as usize / INVITEES).cloned();
        async move {
            let token = token.ok_or("no token left in the mailbox")?;
            invitee
                .call(
                    Method::POST,
                    "/v1/invitations/accept",
                    Some(json!({"token": token})),
                    200,
                )
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await)
}

async fn list_page(
    args: &Args,
    name: &str,
    concurrency: usize,
    admin: &Api,
    org: &SeededOrg,
    after: Option<String>,
) -> PhaseResult {
    let mut path = format!("/v1/organizations/{}/memberships?limit=100", org.id);
    if let Some(after) = after {
        path.push_str("&after=");
        path.push_str(&after);
    }
    let admin = admin.clone();
    run_phase(name, args.bounds(concurrency), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let page = admin
                .call(Method::GET, &path, None, 200)
                .await
                .map_err(text)?;
            match page["data"].as_array().map(Vec::len) {
                Some(100) => Ok(()),
                other => Err(format!("expected 100 members, got {other:?}")),
            }
        }
    })
    .await
}

async fn update_roles(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let (admin, org) = (admin.clone(), org.clone());
    run_phase("update member role", args.bounds(16), move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let member = crate::seed::member_user_id(i % 999);
            let role = if (i / 999) % 2 == 0 {
                "admin"
            } else {
                "basic_member"
            };
            let path = format!("/v1/organizations/{}/memberships/{member}", org.id);
            admin
                .call(Method::PATCH, &path, Some(json!({"role": role})), 200)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

async fn remove_members(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let (admin, org) = (admin.clone(), org.clone());
    let bounds = crate::load::Bounds {
        max_requests: args.requests.min(9_999),
        ..args.bounds(16)
    };
    run_phase("remove member", bounds, move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let member = crate::seed::member_user_id(i);
            let path = format!("/v1/organizations/{}/memberships/{member}", org.id);
            admin
                .call(Method::DELETE, &path, None, 204)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

async fn permission_checks(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let path = format!(
        "/v1/organizations/{}/permissions/check?permission=org:memberships:manage",
        org.id
    );
    let admin = admin.clone();
    run_phase("permission check", args.bounds(16), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let answer = admin
                .call(Method::GET, &path, None, 200)
                .await
                .map_err(text)?;
            match answer["allowed"].as_bool() {
                Some(true) => Ok(()),
                other => Err(format!("expected allowed: true, got {other:?}")),
            }
        }
    })
    .await
}
