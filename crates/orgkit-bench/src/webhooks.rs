//! The webhooks scenario: what queueing a webhook costs a write, and how fast the worker
//! delivers to a local receiver.
//!
//! Each run starts a fresh server with webhooks on, and a receiver in this process that
//! answers every POST with 204 and counts them. It measures the plan's invite phase twice: on an
//! organization without endpoints, and on one with 3 endpoints subscribed to
//! `organizationInvitation.created` (each invitation queues 3 messages in its transaction).
//! Then it waits until the receiver has every message and reports deliveries per second, from
//! the start of the second phase to the last message.

use crate::api::{http_client, Api};
use crate::load::PhaseResult;
use crate::phases::{admins_org, invite_members};
use crate::report::{medians, table};
use crate::server::RunningServer;
use crate::Args;
use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Endpoints on the measured organization.
const ENDPOINTS: usize = 3;

/// Starts the receiver: HTTP/1.1 with keep-alive, every request answered `204`. Answers its
/// URL and its request counter.
async fn start_receiver() -> Result<(String, Arc<AtomicU64>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let count = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut reader = BufReader::new(socket);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    // The request line and headers, up to the blank line.
                    loop {
                        line.clear();
                        match reader.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0u8; length.min(1 << 20)];
                    if reader.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let answer = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
                    if reader.get_mut().write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((url, count))
}

/// A base64 key for `--secret-key`, fixed: the bench's secrets are throwaway.
const BENCH_SECRET_KEY: &str = "YmVuY2gtb25seS1rZXktMzItYnl0ZXMtbG9uZy0hISE=";

/// What one run measured: the two invite phases, and delivery.
struct WebhookRun {
    phases: Vec<PhaseResult>,
    delivered: u64,
    delivery_seconds: f64,
}

async fn run_once(args: &Args, run: usize) -> Result<WebhookRun> {
    let (receiver_url, received) = start_receiver().await?;
    let database_url = crate::seed::fresh_database(args, "webhooks", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url,
        "--dev".to_owned(),
        "--webhook-allow-private".to_owned(),
        "--secret-key".to_owned(),
        BENCH_SECRET_KEY.to_owned(),
    ];
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let admin = Api::sign_up(&http_client()?, &server.base_url, "admin@bench.test").await?;
    let quiet = admins_org(&admin, "No endpoints").await?;
    let hooked = admins_org(&admin, "Three endpoints").await?;
    for _ in 0..ENDPOINTS {
        let body = json!({"url": receiver_url, "eventTypes": ["organizationInvitation.created"]});
        let path = format!("/v1/organizations/{}/webhooks", hooked.id);
        admin
            .call(Method::POST, &path, Some(body), 201)
            .await
            .context("creating an endpoint")?;
    }
    let mut without = invite_members(args, &admin, &quiet).await;
    without.name = "invite member, no endpoint".to_owned();
    let started = Instant::now();
    let mut with = invite_members(args, &admin, &hooked).await;
    with.name = format!("invite member, {ENDPOINTS} endpoints");
    let expected = (with.requests - with.errors) * ENDPOINTS as u64;
    let deadline = Duration::from_secs(args.seconds.max(1) * 30);
    while received.load(Ordering::SeqCst) < expected && started.elapsed() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let delivered = received.load(Ordering::SeqCst);
    let delivery_seconds = started.elapsed().as_secs_f64();
    server.stop().await?;
    crate::seed::drop_database(args, "webhooks", run).await?;
    anyhow::ensure!(
        delivered >= expected,
        "only {delivered} of {expected} webhook messages arrived within {deadline:?}"
    );
    Ok(WebhookRun {
        phases: vec![without, with],
        delivered,
        delivery_seconds,
    })
}

/// Runs the scenario `args.runs` times and prints the table and the delivery rates.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== webhooks run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    let phases: Vec<_> = runs.iter().map(|r| r.phases.clone()).collect();
    println!(
        "\n### {:?}: a write that queues webhooks (median of {} runs)\n",
        args.database, args.runs
    );
    print!("{}", table(&medians(&phases)));
    let mut rates: Vec<f64> = runs
        .iter()
        .map(|r| r.delivered as f64 / r.delivery_seconds)
        .collect();
    rates.sort_by(f64::total_cmp);
    println!(
        "\nWebhook deliveries to a local receiver, per second, from the first queued to the last \
         received (each run): {}",
        rates
            .iter()
            .map(|r| format!("{r:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
