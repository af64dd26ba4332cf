//! `orgkit-bench`: the load driver behind BENCHMARKS.md.
//!
//! It starts the real server (pinned to one core with `--pin`), seeds large organizations
//! straight into the database, signs users in through the API, then runs each operation as its
//! own bounded phase over loopback and prints req/s, p50, p99, errors and the server's peak RSS.
//!
//! ```text
//! cargo run --release -p orgkit-bench -- --database sqlite --runs 3 --pin
//! cargo run --release -p orgkit-bench -- --scenario mail --server-bin OLD/orgkit-server
//! cargo run --release -p orgkit-bench -- --scenario webhooks --database postgres
//! cargo run --release -p orgkit-bench -- --scenario links --database sqlite
//! cargo run --release -p orgkit-bench -- --scenario roster --sizes 1000,100000
//! cargo run --release -p orgkit-bench -- --scenario sso --database sqlite
//! cargo run --release -p orgkit-bench -- --scenario clerk --database sqlite --runs 1
//! cargo run --release -p orgkit-bench -- --scenario tokens --database sqlite --runs 1
//! cargo run --release -p orgkit-bench -- --scenario workspaces --database sqlite --runs 1
//! cargo run --release -p orgkit-bench -- --scenario paired --pin --runs 1   # scripts/bench-paired.sh
//! cargo run --release -p orgkit-bench -- --scenario paired --pin --database postgres
//! ```

mod api;
mod ba_api;
mod ba_phases;
mod ba_seed;
mod clerk;
mod links;
mod load;
mod mail;
mod paired;
mod phases;
mod plan;
mod report;
mod roster;
mod seed;
mod server;
mod sso;
mod tokens;
mod webhooks;
mod workspaces;

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Database {
    Sqlite,
    Postgres,
}

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Every operation, the tables of BENCHMARKS.md.
    Plan,
    /// Bulk invitations of 50 addresses, one after another, mailed to a local aiosmtpd:
    /// request times and delivery throughput.
    Mail,
    /// The plan's invite phase alone (one address per request, no SMTP server).
    Invite,
    /// The invite phase without webhook endpoints and with 3, and webhook deliveries per
    /// second to a local receiver.
    Webhooks,
    /// Accepting invite links: joining, and filing a join request (links that require
    /// approval), 16 people at once.
    Links,
    /// Roster pages (members + invitations) at each of `--sizes`, and bulk removal of 100
    /// members per request.
    Roster,
    /// Sign-in cost: the SSO callback (with a real OIDC provider) against password sign-in.
    Sso,
    /// The Clerk-compatible API's cost: a member page and an invitation through /clerk/v1
    /// against the same through /v1.
    Clerk,
    /// Session token issuance (ES256), with and without an organization, against `GET /v1/me`.
    Tokens,
    /// API key requests against session requests, and workspace access for a member in 50
    /// groups across 1,000 workspaces (issue 8).
    Workspaces,
    /// Issue 14's paired benchmark: orgkit, then Better Auth's organization plugin (from
    /// `--better-auth-dir`), on the same seven operations from this driver, with the driver's
    /// own CPU use per phase and the ratio table, both on `--database` (Better Auth through
    /// better-sqlite3 or node-postgres).
    Paired,
}

#[derive(Debug, Clone, Parser)]
#[command(about = "Measures orgkit-server operation by operation")]
pub struct Args {
    /// What to measure.
    #[arg(long, value_enum, default_value = "plan")]
    pub scenario: Scenario,
    /// The database to run the server on.
    #[arg(long, value_enum, default_value = "sqlite")]
    pub database: Database,
    /// A PostgreSQL server URL; each run creates and drops its own database in it.
    #[arg(
        long,
        env = "ORGKIT_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
    /// The server binary (build it with `cargo build --release -p orgkit-server`).
    #[arg(long, default_value = "target/release/orgkit-server")]
    pub server_bin: PathBuf,
    /// Pin the server to CPU 0 and this driver to CPU 1 with taskset.
    #[arg(long)]
    pub pin: bool,
    /// Runs of every phase; the report gives medians.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// The longest each phase runs, in seconds.
    #[arg(long, default_value_t = 8)]
    pub seconds: u64,
    /// An unmeasured window before each phase's measured one, in seconds, on the same request
    /// index counter (caches, the page cache and the allocator warm up; nothing is reused).
    #[arg(long, default_value_t = 0)]
    pub warmup_seconds: u64,
    /// Requests in flight in the plan's role update and member removal phases.
    #[arg(long, default_value_t = 16)]
    pub write_concurrency: usize,
    /// The most requests each phase sends.
    #[arg(long, default_value_t = 20_000)]
    pub requests: u64,
    /// Custom roles seeded into the 1k and 10k organizations before the phases (issue 15's
    /// measure: the permission check and role updates with 20 custom roles in the catalog).
    #[arg(long, default_value_t = 0)]
    pub custom_roles: usize,
    /// Organization sizes for the pagination-scaling table (members).
    #[arg(long, value_delimiter = ',', default_value = "1000,100000,1000000")]
    pub sizes: Vec<u64>,
    /// Mail scenario: bulk invitations per run, sent one after another.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=200))]
    pub mail_requests: u64,
    /// Mail scenario: the longest a run waits for its requests and then for every message to
    /// reach the SMTP server, in seconds.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub mail_timeout: u64,
    /// Mail scenario: the SMTP server acknowledges each message body at once, taking out the
    /// 40 ms Nagle/delayed-ACK stall that lettre's two writes per message cause on Linux.
    #[arg(long)]
    pub smtp_quick_ack: bool,
    /// Mail scenario: no SMTP server; the server runs with `--dev` and sends nothing, so the
    /// requests measure the database work of a bulk invitation alone.
    #[arg(long)]
    pub no_smtp: bool,
    /// Paired scenario: the pinned Better Auth project (`server.mjs` and its `node_modules`,
    /// installed with `npm ci`).
    #[arg(long, default_value = "bench/better-auth")]
    pub better_auth_dir: PathBuf,
    /// Paired scenario: the Node.js binary that runs Better Auth.
    #[arg(long, default_value = "node")]
    pub node: PathBuf,
    /// Where the SQLite databases go.
    #[arg(long, default_value = "target/bench")]
    pub work_dir: PathBuf,
}

impl Args {
    fn bounds(&self, concurrency: usize) -> load::Bounds {
        load::Bounds {
            concurrency,
            max_requests: self.requests,
            max_duration: Duration::from_secs(self.seconds),
            warmup: Duration::from_secs(self.warmup_seconds),
        }
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.pin {
        // The driver takes CPU 1; the server gets CPU 0 when it starts.
        let status = std::process::Command::new("taskset")
            .args(["-cp", "1", &std::process::id().to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .context("taskset is needed for --pin")?;
        anyhow::ensure!(status.success(), "taskset failed");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(if args.pin { 1 } else { 2 })
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match args.scenario {
            Scenario::Plan => plan::run_all(&args).await,
            Scenario::Mail => mail::run_all(&args).await,
            Scenario::Invite => plan::run_invite_only(&args).await,
            Scenario::Webhooks => webhooks::run_all(&args).await,
            Scenario::Links => links::run_all(&args).await,
            Scenario::Roster => roster::run_all(&args).await,
            Scenario::Sso => sso::run_all(&args).await,
            Scenario::Clerk => clerk::run_all(&args).await,
            Scenario::Tokens => tokens::run_all(&args).await,
            Scenario::Workspaces => workspaces::run_all(&args).await,
            Scenario::Paired => paired::run_all(&args).await,
        }
    })
}
