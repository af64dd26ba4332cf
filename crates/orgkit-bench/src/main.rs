//! `orgkit-bench`: the load driver behind BENCHMARKS.md.
//!
//! It starts the real server (pinned to one core with `--pin`), seeds large organizations
//! straight into the database, signs users in through the API, then runs each operation as its
//! own bounded phase over loopback and prints req/s, p50, p99, errors and the server's peak RSS.
//!
//! ```text
//! cargo run --release -p orgkit-bench -- --database sqlite --runs 3 --pin
//! ```

mod api;
mod load;
mod phases;
mod plan;
mod report;
mod seed;
mod server;

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

#[derive(Debug, Clone, Parser)]
#[command(about = "Measures orgkit-server operation by operation")]
pub struct Args {
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
    /// The most requests each phase sends.
    #[arg(long, default_value_t = 20_000)]
    pub requests: u64,
    /// Organization sizes for the pagination-scaling table (members).
    #[arg(long, value_delimiter = ',', default_value = "1000,100000,1000000")]
    pub sizes: Vec<u64>,
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
    runtime.block_on(plan::run_all(&args))
}
