//! The workspaces scenario (issue 8's measure): requests authenticated by API key against the
//! same requests by session, the effective-access check of a member who is in 50 groups across
//! 1,000 workspaces, and the list of that member's workspaces.
//!
//! Each run starts a fresh server and builds the setting through the API: an admin's
//! organization with one member, 1,000 shared workspaces and 50 groups. The member is in every
//! group; group `g` is granted `ws:member` on workspaces `20g .. 20g + 19`, so each workspace
//! is reached through exactly one group, and the member holds a direct grant on every tenth
//! workspace as well. The member also owns an API key (the policy lets members create keys).

use crate::api::{http_client, str_field, Api};
use crate::load::{run_phase, PhaseResult};
use crate::report::{medians, table};
use crate::server::RunningServer;
use crate::Args;
use anyhow::{ensure, Result};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

/// Requests in flight at once.
const CONCURRENCY: usize = 16;
const WORKSPACES: usize = 1_000;
const GROUPS: usize = 50;
/// Workspaces each group is granted.
const PER_GROUP: usize = WORKSPACES / GROUPS;

/// The built setting: the member signed in, the member's API key, the organization and the
/// workspace ids.
struct Setting {
    member: Api,
    member_key: Api,
    org: String,
    workspaces: Vec<String>,
}

async fn build(base: &str, seeder: &crate::seed::Seeder) -> Result<Setting> {
    let client = http_client()?;
    let admin = Api::sign_up(&client, base, "ws-admin@bench.test").await?;
    let member = Api::sign_up(&client, base, "ws-member@bench.test").await?;
    let org = admin.create_organization("Workspaces Bench").await?;
    let member_id = member.user_id().await?;
    let orgp = format!("/v1/organizations/{org}");
    seeder.add_member(&org, &member_id, "basic_member").await?;
    admin
        .call(
            Method::PUT,
            &format!("{orgp}/api-key-policy"),
            Some(json!({ "policy": "members" })),
            200,
        )
        .await?;
    let mut workspaces = Vec::with_capacity(WORKSPACES);
    for i in 0..WORKSPACES {
        let body = json!({ "name": format!("Workspace {i}"), "slug": format!("ws-{i:04}") });
        let ws = admin
            .call(Method::POST, &format!("{orgp}/workspaces"), Some(body), 201)
            .await?;
        workspaces.push(str_field(&ws, "id")?.to_owned());
    }
    for g in 0..GROUPS {
        let body = json!({ "name": format!("Group {g}") });
        let group = admin
            .call(Method::POST, &format!("{orgp}/groups"), Some(body), 201)
            .await?;
        let group_id = str_field(&group, "id")?.to_owned();
        let path = format!("{orgp}/groups/{group_id}/members/user/{member_id}");
        admin
            .call(Method::PUT, &path, Some(json!({ "role": "member" })), 200)
            .await?;
        for ws in &workspaces[g * PER_GROUP..(g + 1) * PER_GROUP] {
            let path = format!("{orgp}/workspaces/{ws}/principals/group/{group_id}");
            admin
                .call(
                    Method::PUT,
                    &path,
                    Some(json!({ "role": "ws:member" })),
                    200,
                )
                .await?;
        }
    }
    for ws in workspaces.iter().step_by(10) {
        let path = format!("{orgp}/workspaces/{ws}/principals/user/{member_id}");
        admin
            .call(
                Method::PUT,
                &path,
                Some(json!({ "role": "ws:manager" })),
                200,
            )
            .await?;
    }
    let created = member
        .call(
            Method::POST,
            &format!("{orgp}/api-keys"),
            Some(json!({ "name": "bench" })),
            201,
        )
        .await?;
    let member_key = Api::with_token(&client, base, str_field(&created, "secret")?);
    Ok(Setting {
        member,
        member_key,
        org,
        workspaces,
    })
}

/// One phase: worker `i` sends `request(i)` as `api`.
async fn phase(
    args: &Args,
    name: &str,
    api: &Api,
    setting: &Arc<Setting>,
    request: fn(&Setting, u64) -> String,
) -> PhaseResult {
    let setting = Arc::clone(setting);
    let api = api.clone();
    run_phase(name, args.bounds(CONCURRENCY), move |i| {
        let api = api.clone();
        let path = request(&setting, i);
        async move {
            api.call(Method::GET, &path, None, 200)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        }
    })
    .await
}

async fn run_once(args: &Args, run: usize) -> Result<Vec<PhaseResult>> {
    let database_url = crate::seed::fresh_database(args, "workspaces", run).await?;
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
    eprintln!("building 1,000 workspaces and 50 groups through the API");
    let seeder = crate::seed::Seeder::connect(&database_url).await?;
    let setting = Arc::new(build(&server.base_url, &seeder).await?);
    seeder.close().await;
    let first = setting
        .member
        .call(
            Method::GET,
            &format!("/v1/organizations/{}/workspaces?limit=100", setting.org),
            None,
            200,
        )
        .await?;
    let listed = first["data"].as_array().map_or(0, Vec::len);
    ensure!(
        listed == 100,
        "the member's first page holds {listed} workspaces"
    );
    let phases = vec![
        phase(
            args,
            "GET organization, session",
            &setting.member,
            &setting,
            |s, _| format!("/v1/organizations/{}", s.org),
        )
        .await,
        phase(
            args,
            "GET organization, API key",
            &setting.member_key,
            &setting,
            |s, _| format!("/v1/organizations/{}", s.org),
        )
        .await,
        phase(
            args,
            "effective access: GET workspace (50 groups, 1k workspaces)",
            &setting.member,
            &setting,
            |s, i| {
                let ws = &s.workspaces[i as usize % s.workspaces.len()];
                format!("/v1/organizations/{}/workspaces/{ws}", s.org)
            },
        )
        .await,
        phase(
            args,
            "my workspaces: first page of 100",
            &setting.member,
            &setting,
            |s, _| format!("/v1/organizations/{}/workspaces?limit=100", s.org),
        )
        .await,
        phase(
            args,
            "my workspaces: page of 100 at 90%, API key",
            &setting.member_key,
            &setting,
            |s, _| {
                let after = &s.workspaces[WORKSPACES * 9 / 10 - 1];
                format!(
                    "/v1/organizations/{}/workspaces?limit=100&after={after}",
                    s.org
                )
            },
        )
        .await,
        phase(
            args,
            "member list page, API key",
            &setting.member_key,
            &setting,
            |s, _| format!("/v1/organizations/{}/memberships?limit=100", s.org),
        )
        .await,
    ];
    server.stop().await?;
    crate::seed::drop_database(args, "workspaces", run).await?;
    Ok(phases)
}

/// Runs the scenario `args.runs` times and prints the table.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!(
            "== workspaces run {run}/{} on {:?}",
            args.runs, args.database
        );
        runs.push(run_once(args, run).await?);
    }
    println!(
        "\n### {:?}: workspaces and API keys, {CONCURRENCY} at once (median of {} runs)\n",
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
