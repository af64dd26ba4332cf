//! The `mail` scenario: bulk invitations of 50 addresses, one request after another, with the
//! server sending to a real local SMTP server (aiosmtpd, `smtp_sink.py`). It measures each
//! request's time and how soon every message has reached the SMTP server.

use crate::api::{http_client, Api};
use crate::load::{run_phase, Bounds, PhaseResult};
use crate::report::median;
use crate::server::RunningServer;
use crate::Args;
use anyhow::{bail, Context, Result};
use reqwest::Method;
use serde_json::json;
use std::collections::HashSet;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;

/// Addresses per bulk invitation: the API's maximum.
pub const BATCH: u64 = 50;
/// The domain of invited addresses; other mail (the admin's verification email) is not counted.
const DOMAIN: &str = "@mail.bench.test";
/// The sink script, next to this crate's manifest.
const SINK_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp_sink.py");

/// What the SMTP server has received so far, of the invited addresses.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    messages: u64,
    distinct: u64,
    last: Option<Instant>,
}

/// A running `smtp_sink.py` on 127.0.0.1; it stops when its stdin closes (on drop).
struct Sink {
    _child: Child,
    port: u16,
    tally: watch::Receiver<Tally>,
}

impl Sink {
    async fn start(quick_ack: bool) -> Result<Sink> {
        let mut child = Command::new("python3")
            .arg(SINK_SCRIPT)
            .args(quick_ack.then_some("--quick-ack"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting python3 smtp_sink.py (aiosmtpd: scripts/setup.sh)")?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        let port = loop {
            let Some(line) = lines.next_line().await? else {
                bail!("smtp_sink.py exited before it was ready");
            };
            if let Some(port) = line.strip_prefix("READY ") {
                break port.trim().parse()?;
            }
        };
        let (tx, tally) = watch::channel(Tally::default());
        tokio::spawn(async move {
            let mut seen = HashSet::new();
            while let Ok(Some(line)) = lines.next_line().await {
                let at = Instant::now();
                let Some(rcpts) = line.strip_prefix("MSG ") else {
                    continue;
                };
                let ours: Vec<&str> = rcpts.split(' ').filter(|r| r.ends_with(DOMAIN)).collect();
                if ours.is_empty() {
                    continue;
                }
                for r in &ours {
                    seen.insert((*r).to_owned());
                }
                tx.send_modify(|t| {
                    t.messages += ours.len() as u64;
                    t.distinct = seen.len() as u64;
                    t.last = Some(at);
                });
            }
        });
        Ok(Sink {
            _child: child,
            port,
            tally,
        })
    }

    /// Waits until `want` messages arrived or `deadline` passed; answers the tally then.
    async fn wait_for(&mut self, want: u64, deadline: Instant) -> Tally {
        let wait = self.tally.wait_for(|t| t.messages >= want);
        let _ = tokio::time::timeout_at(deadline.into(), wait).await;
        *self.tally.borrow()
    }
}

/// What one run measured.
struct MailRun {
    requests: PhaseResult,
    /// From the first request to the last answer.
    answered: Duration,
    /// From the first request to the last message at the SMTP server (`None`: not all came).
    delivered: Option<Duration>,
    expected: u64,
    tally: Tally,
}

/// Runs the scenario `args.runs` times and prints one row per run and the medians.
pub async fn run_all(args: &Args) -> Result<()> {
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        eprintln!("== mail run {run}/{} on {:?}", args.runs, args.database);
        runs.push(run_once(args, run).await?);
    }
    println!(
        "\n### {:?}: bulk invitation of {BATCH} addresses, {} requests one after another, {}\n",
        args.database,
        args.mail_requests,
        match (args.no_smtp, args.smtp_quick_ack) {
            (true, _) => "no SMTP server (--dev: nothing sent)",
            (false, true) => "SMTP to aiosmtpd on 127.0.0.1 (quick ACK)",
            (false, false) => "SMTP to aiosmtpd on 127.0.0.1",
        }
    );
    println!(
        "server: {}\n\n| run | request p50 ms | request p99 ms | request mean ms | all answered s | all delivered s | delivered msg/s | messages (distinct) / expected | errors |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        args.server_bin.display()
    );
    let missing = if args.no_smtp { "no SMTP" } else { "timed out" };
    let rows: Vec<Row> = runs.iter().map(Row::of).collect();
    for (i, (row, r)) in rows.iter().zip(&runs).enumerate() {
        let messages = match args.no_smtp {
            true => "–".to_owned(),
            false => format!(
                "{} ({}) / {}",
                r.tally.messages, r.tally.distinct, r.expected
            ),
        };
        println!(
            "| {} | {} | {messages} | {} |",
            i + 1,
            row.cells(missing),
            r.requests.errors,
        );
    }
    println!("| **median** | {} | | |", Row::median(&rows).cells(missing));
    if let Some(e) = runs.iter().find_map(|r| r.requests.first_error.clone()) {
        println!("first error: {e}");
    }
    Ok(())
}

/// The measured cells of one run (`None`: not every message arrived).
struct Row {
    p50_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    answered_s: f64,
    delivered_s: Option<f64>,
    per_second: Option<f64>,
}

impl Row {
    fn of(r: &MailRun) -> Row {
        let delivered_s = r.delivered.map(|d| d.as_secs_f64());
        Row {
            p50_ms: r.requests.percentile_ms(0.5),
            p99_ms: r.requests.percentile_ms(0.99),
            mean_ms: r.requests.mean_ms(),
            answered_s: r.answered.as_secs_f64(),
            delivered_s,
            per_second: delivered_s.map(|d| r.expected as f64 / d),
        }
    }

    /// Each cell's median across runs; a delivery cell only when every run delivered.
    fn median(rows: &[Row]) -> Row {
        let all = |f: fn(&Row) -> f64| median(rows.iter().map(f).collect());
        let every = |f: fn(&Row) -> Option<f64>| {
            let values: Option<Vec<f64>> = rows.iter().map(f).collect();
            values.map(median)
        };
        Row {
            p50_ms: all(|r| r.p50_ms),
            p99_ms: all(|r| r.p99_ms),
            mean_ms: all(|r| r.mean_ms),
            answered_s: all(|r| r.answered_s),
            delivered_s: every(|r| r.delivered_s),
            per_second: every(|r| r.per_second),
        }
    }

    /// The row's cells; `missing` stands for a delivery that was not measured.
    fn cells(&self, missing: &str) -> String {
        format!(
            "{:.2} | {:.2} | {:.2} | {:.2} | {} | {}",
            self.p50_ms,
            self.p99_ms,
            self.mean_ms,
            self.answered_s,
            self.delivered_s
                .map_or(missing.to_owned(), |d| format!("{d:.2}")),
            self.per_second
                .map_or("–".to_owned(), |r| format!("{r:.0}")),
        )
    }
}

async fn run_once(args: &Args, run: usize) -> Result<MailRun> {
    let mut sink = match args.no_smtp {
        true => None,
        false => Some(Sink::start(args.smtp_quick_ack).await?),
    };
    let database_url = crate::seed::fresh_database(args, "mail", run).await?;
    let mut server_args = vec![
        "--database-url".to_owned(),
        database_url,
        "--password-hashing".to_owned(),
        "fast".to_owned(),
    ];
    match &sink {
        Some(sink) => server_args.extend([
            "--smtp-url".to_owned(),
            format!("smtp://127.0.0.1:{}", sink.port),
        ]),
        // No SMTP server: the dev mailbox counts as the delivery (as in the plan).
        None => server_args.push("--dev".to_owned()),
    }
    server_args.extend(crate::server::no_rate_limits());
    let server =
        RunningServer::start(&args.server_bin, &server_args, args.pin.then_some(0)).await?;
    let client = http_client()?;
    let admin = Api::sign_up(&client, &server.base_url, "admin@bench.test").await?;
    let org = admin.create_organization("Mail").await?;
    let path = format!("/v1/organizations/{org}/invitations");

    let n = args.mail_requests;
    let timeout = Duration::from_secs(args.mail_timeout);
    let started = Instant::now();
    let bounds = Bounds {
        concurrency: 1,
        max_requests: n,
        max_duration: timeout,
        warmup: std::time::Duration::ZERO,
    };
    let requests = run_phase(
        &format!("bulk invitation of {BATCH} addresses"),
        bounds,
        move |i| {
            let (admin, path) = (admin.clone(), path.clone());
            async move {
                let emails: Vec<String> = (0..BATCH)
                    .map(|j| format!("r{run}-b{i}-{j}{DOMAIN}"))
                    .collect();
                let body = json!({"emailAddresses": emails, "role": "basic_member"});
                let answer = admin
                    .call(Method::POST, &path, Some(body), 200)
                    .await
                    .map_err(crate::phases::text)?;
                let invited = answer["data"].as_array().map_or(0, |d| {
                    d.iter().filter(|r| r["invitation"].is_object()).count()
                });
                match invited as u64 {
                    BATCH => Ok(()),
                    k => Err(format!("{k} of {BATCH} invited: {answer}")),
                }
            }
        },
    )
    .await;
    let answered = started.elapsed();
    let expected = (requests.requests - requests.errors) * BATCH;
    let tally = match &mut sink {
        Some(sink) => sink.wait_for(expected, started + timeout).await,
        None => Tally::default(),
    };
    let delivered = (tally.messages >= expected)
        .then(|| tally.last.map(|last| last.duration_since(started)))
        .flatten();
    eprintln!(
        "answered in {answered:.2?}, {} of {expected} messages at the SMTP server, last after {:.2?}",
        tally.messages,
        tally.last.map(|l| l.duration_since(started))
    );
    server.stop().await?;
    crate::seed::drop_database(args, "mail", run).await?;
    Ok(MailRun {
        requests,
        answered,
        delivered,
        expected,
        tally,
    })
}
