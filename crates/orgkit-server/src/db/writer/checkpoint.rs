//! The WAL's checkpoints, on a thread of their own instead of inside a write.
//!
//! SQLite's automatic checkpoint runs in whichever commit finds the WAL over 1,000 pages: that
//! commit copies the WAL into the database file and syncs it while every waiting write queues
//! behind it, and the hot pages (an organization's members, the audit log's indexes) are
//! copied again every 1,000 pages. Here the writer's connection checkpoints only as a safety
//! net ([`SAFETY_NET_PAGES`]); this thread runs a `PASSIVE` checkpoint on its own connection
//! every [`INTERVAL`] while there were commits. `PASSIVE` takes no lock a reader or the writer
//! waits on, so writes keep committing while it copies and syncs.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often the thread checkpoints while writes come in.
pub const INTERVAL: Duration = Duration::from_millis(100);

/// The WAL size, in pages, at which a commit checkpoints by itself (SQLite's
/// `wal_autocheckpoint`): only reached if this thread falls behind (40 MB of 4 KiB pages).
pub const SAFETY_NET_PAGES: u32 = 10_000;

/// What the writer and the checkpoint thread share.
#[derive(Debug, Default)]
pub struct Commits {
    /// Commits so far; the thread checkpoints when it moved.
    count: AtomicU64,
}

impl Commits {
    /// Called by the writer after each `COMMIT`.
    pub fn committed(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}

/// Starts the thread on its own connection to `path`. `commits` is owned by the writer thread,
/// so the checkpoints stop when that thread has ended (every writer handle is gone), or when
/// `closed` is set.
pub fn start(path: &str, commits: Weak<Commits>, closed: Arc<AtomicBool>) -> anyhow::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA wal_autocheckpoint = 0;")?;
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let mut seen = 0;
            while !closed.load(Ordering::Relaxed) {
                std::thread::sleep(INTERVAL);
                let Some(now) = commits.upgrade().map(|c| c.count.load(Ordering::Relaxed)) else {
                    return;
                };
                if now == seen {
                    continue;
                }
                seen = now;
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!("the WAL checkpoint failed: {e}");
                }
            }
        })?;
    Ok(())
}
