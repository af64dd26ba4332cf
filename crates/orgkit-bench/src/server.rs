//! Starts the real `orgkit-server` binary as a child process, optionally pinned to one core,
//! and reads its peak memory.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Flags that lift every rate limit out of the way of the load (flags both the current and
/// older servers have).
#[must_use]
pub fn no_rate_limits() -> Vec<String> {
    [
        "--sign-in-limit-per-minute",
        "--invite-limit-per-minute",
        "--sign-up-limit-per-minute",
        "--mail-to-address-limit-per-minute",
    ]
    .into_iter()
    .flat_map(|flag| [flag.to_owned(), "1000000000".to_owned()])
    .collect()
}

/// A running server; it is killed when dropped.
pub struct RunningServer {
    child: Child,
    pub base_url: String,
    pid: u32,
}

impl RunningServer {
    /// Spawns `binary` with `args` (`--listen 127.0.0.1:0` is added), pinned with `taskset` to
    /// `cpu` when given, and waits for its `listening on` line. The server logs warnings only,
    /// or what `ORGKIT_BENCH_SERVER_LOG` asks (a `RUST_LOG` filter, such as
    /// `warn,orgkit_server::db::replay=debug` to see why PostgreSQL replays fell back).
    pub async fn start(binary: &Path, args: &[String], cpu: Option<usize>) -> Result<Self> {
        let filter = std::env::var("ORGKIT_BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".into());
        Self::start_with_env(binary, args, cpu, &[("RUST_LOG", &filter)]).await
    }

    /// As `start`, with these environment variables set for the server.
    pub async fn start_with_env(
        binary: &Path,
        args: &[String],
        cpu: Option<usize>,
        env: &[(&str, &str)],
    ) -> Result<Self> {
        let mut command = match cpu {
            Some(cpu) => {
                let mut c = Command::new("taskset");
                c.arg("-c").arg(cpu.to_string()).arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let pid = child.id().context("server exited at once")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base_url = loop {
            let Some(line) = lines.next_line().await? else {
                bail!("the server exited before printing its address");
            };
            if let Some(url) = line.split("listening on ").nth(1) {
                break url.trim().to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(RunningServer {
            child,
            base_url,
            pid,
        })
    }

    /// The server's peak resident memory so far (VmHWM), in MiB. With `taskset` in front,
    /// the pid is taskset's, which `exec`s the server, so it is the server's own.
    pub fn peak_rss_mib(&self) -> Result<f64> {
        read_kib(self.pid, "VmHWM:").map(|kib| kib as f64 / 1024.0)
    }

    /// The server's resident memory now (VmRSS), in MiB.
    pub fn rss_mib(&self) -> Result<f64> {
        read_kib(self.pid, "VmRSS:").map(|kib| kib as f64 / 1024.0)
    }

    /// The CPU time the server has used so far (user + system), in milliseconds.
    pub fn cpu_ms(&self) -> Result<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))?;
        // Fields after the command name (which may hold spaces) closing with ')'.
        let rest = stat.rsplit_once(')').context("bad /proc stat")?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| -> Result<f64> {
            Ok(fields.get(i).context("short /proc stat")?.parse::<f64>()?)
        };
        // utime and stime are fields 14 and 15 (1-based), 12 and 13 after the name; the kernel
        // counts in clock ticks of 10 ms (USER_HZ = 100 on Linux).
        Ok((ticks(11)? + ticks(12)?) * 10.0)
    }

    pub async fn stop(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}

fn read_kib(pid: u32, field: &str) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}
