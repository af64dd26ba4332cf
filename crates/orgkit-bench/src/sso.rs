//! The SSO scenario: what a sign-in through SSO costs the server, against password sign-in.
//!
//! Each run starts a fresh server (`--dev`, a `--secret-key`, real argon2id) and the test
//! identity provider (`tests/oidc/provider.mjs`, oidc-provider on Node). An admin makes an
//! organization whose verified domain an active connection serves. Then, one request at a time:
//! password sign-in of one account; and SSO sign-ins, each a start, the provider's scripted
//! login and the callback, of new people (the callback creates the user, the identity and the
//! membership) and of people seen before (it finds them by issuer and subject). Only the
//! callback is timed; the server's CPU time per request (from /proc) is its own cost, without
//! the provider's, which runs in another process.

use crate::api::{http_client, str_field, Api};
use crate::report::median;
use crate::server::RunningServer;
use crate::Args;
use anyhow::{bail, Context, Result};
use reqwest::Method;
use serde_json::json;
use std::time::Instant;
use tokio::io::AsyncBufReadExt;

/// Sign-ins per phase.
const SIGN_INS: usize = 200;

/// One phase's numbers: latency percentiles and server CPU per request.
struct Measured {
    name: &'static str,
    p50_ms: f64,
    p99_ms: f64,
    cpu_ms: f64,
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let rank = ((sorted.len().max(1) as f64 - 1.0) * q).round() as usize;
    sorted.get(rank).copied().unwrap_or(0.0)
}

fn measured(name: &'static str, mut latencies: Vec<f64>, cpu_ms: f64) -> Measured {
    latencies.sort_by(f64::total_cmp);
    Measured {
        name,
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        cpu_ms: cpu_ms / latencies.len().max(1) as f64,
    }
}

/// The browser side of one SSO sign-in, up to the callback URL; answers the browser (its
/// cookie ties the sign-in to it) and the URL.
async fn to_callback(base: &str, email: &str) -> Result<(reqwest::Client, String)> {
    let browser = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let start = browser
        .post(format!("{base}/v1/sso/start"))
        .json(&json!({"emailAddress": email}))
        .send()
        .await?;
    let body: serde_json::Value = start.json().await?;
    let mut url = str_field(&body, "redirectUrl")?.to_owned();
    for _ in 0..5 {
        let response = browser.get(&url).send().await?;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .with_context(|| format!("the provider answered {}", response.status()))?;
        let next = reqwest::Url::parse(&url)?.join(location)?.to_string();
        if next.starts_with(base) {
            return Ok((browser, next));
        }
        url = next;
    }
    bail!("the provider never sent the browser back")
}

/// `SIGN_INS` SSO sign-ins of `emails(i)`; only the callbacks are timed.
async fn sso_phase(
    name: &'static str,
    server: &RunningServer,
    emails: impl Fn(usize) -> String,
) -> Result<Measured> {
    let mut latencies = Vec::with_capacity(SIGN_INS);
    let mut cpu = 0.0;
    for i in 0..SIGN_INS {
        // The callback's 303 is the answer measured, not the page it leads to.
        let (client, callback) = to_callback(&server.base_url, &emails(i)).await?;
        let before = server.cpu_ms()?;
        let at = Instant::now();
        let response = client.get(&callback).send().await?;
        latencies.push(at.elapsed().as_secs_f64() * 1000.0);
        cpu += server.cpu_ms()? - before;
        if response.status().as_u16() != 303 || response.headers().get("set-cookie").is_none() {
            bail!("{name}: the callback answered {}", response.status());
        }
    }
    Ok(measured(name, latencies, cpu))
}

async fn start_provider(base: &str) -> Result<(tokio::process::Child, String)> {
    let mut child = tokio::process::Command::new("node")
        .arg("tests/oidc/provider.mjs")
        .args(["--client-id", "bench", "--client-secret", "bench-secret"])
        .args(["--redirect-prefix", &format!("{base}/v1/sso/callback/")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("node runs the test identity provider (run npm ci first)")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut line = String::new();
    tokio::io::BufReader::new(stdout)
        .read_line(&mut line)
        .await?;
    Ok((child, line.trim().to_owned()))
}

async fn run_once(args: &Args, run: usize) -> Result<Vec<Measured>> {
    let database_url = crate::seed::fresh_database(args, "sso", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url.clone(),
        "--dev".to_owned(),
        // The test provider listens on loopback.
        "--sso-allow-private".to_owned(),
        "--secret-key".to_owned(),
        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let (_provider, issuer) = start_provider(&server.base_url).await?;
    let client = http_client()?;
    let admin = Api::sign_up(&client, &server.base_url, "admin@bench.test").await?;
    let org = admin.create_organization("SSO Bench").await?;
    let domain = admin
        .call(
            Method::POST,
            &format!("/v1/organizations/{org}/domains"),
            Some(json!({"name": "sso.bench.test"})),
            201,
        )
        .await?;
    let domain_id = str_field(&domain, "id")?.to_owned();
    {
        // Ownership is proven through DNS, which the bench does not run.
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&database_url)
            .await?;
        sqlx::query("UPDATE org_domains SET verified = 1, ownership_verified_at = 1")
            .execute(&pool)
            .await?;
        pool.close().await;
    }
    let path = format!("/v1/organizations/{org}/sso-connections");
    let body = json!({"name": "Bench IdP", "issuer": issuer, "clientId": "bench",
        "clientSecret": "bench-secret", "domainIds": [domain_id]});
    let connection = admin.call(Method::POST, &path, Some(body), 201).await?;
    let id = str_field(&connection, "id")?;
    admin
        .call(
            Method::PATCH,
            &format!("{path}/{id}"),
            Some(json!({"state": "active"})),
            200,
        )
        .await?;
    // Password sign-in of one account, one at a time.
    let mut latencies = Vec::with_capacity(SIGN_INS);
    let before = server.cpu_ms()?;
    for _ in 0..SIGN_INS {
        let at = Instant::now();
        let body = json!({"emailAddress": "admin@bench.test", "password": "correct horse battery"});
        let response = client
            .post(format!("{}/v1/auth/sign-in", server.base_url))
            .json(&body)
            .send()
            .await?;
        latencies.push(at.elapsed().as_secs_f64() * 1000.0);
        if response.status().as_u16() != 200 {
            bail!("password sign-in answered {}", response.status());
        }
    }
    let password = measured(
        "password sign-in (argon2id)",
        latencies,
        server.cpu_ms()? - before,
    );
    let new = sso_phase(
        "SSO callback, new person (JIT user + identity + membership)",
        &server,
        |i| format!("new{i}@sso.bench.test"),
    )
    .await?;
    let known = sso_phase(
        "SSO callback, known person (by issuer and subject)",
        &server,
        |i| format!("new{i}@sso.bench.test"),
    )
    .await?;
    server.stop().await?;
    crate::seed::drop_database(args, "sso", run).await?;
    Ok(vec![password, new, known])
}

/// Runs the scenario `args.runs` times and prints the table of medians.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== sso run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    println!(
        "\n### {:?}: sign-in cost, {SIGN_INS} sign-ins one at a time (median of {} runs)\n",
        args.database, args.runs
    );
    println!(
        "| sign-in | p50 ms | p99 ms | server CPU ms per sign-in |\n| --- | --- | --- | --- |"
    );
    for (i, first) in runs[0].iter().enumerate() {
        let of = |f: fn(&Measured) -> f64| median(runs.iter().map(|r| f(&r[i])).collect());
        println!(
            "| {} | {:.2} | {:.2} | {:.2} |",
            first.name,
            of(|m| m.p50_ms),
            of(|m| m.p99_ms),
            of(|m| m.cpu_ms)
        );
    }
    Ok(())
}
