//! Counters in PostgreSQL, shared by every instance on the database: the `rate_limits` table
//! and its `orgkit_rate_limit` function (migration 0005), one round trip per attempt.

use super::Limit;
use crate::db::Db;
use serde_json::json;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::sync::atomic::{AtomicU64, Ordering};

/// Every this many attempts, counters of past minutes are swept, in the background.
const SWEEP_EVERY: u64 = 1_000;
/// The connections of the counters' own pool.
const CONNECTIONS: u32 = 4;

pub(super) struct Counters {
    pool: AnyPool,
    attempts: AtomicU64,
}

impl Counters {
    /// Counters in `db`, through a small pool of their own, opened on first use: some
    /// attempts are counted inside a write transaction, which holds a connection of the main
    /// pool, and writers queued on the same organization hold the others.
    pub(super) fn new(db: &Db) -> Counters {
        let options = (*db.pool.connect_options()).clone();
        Counters {
            pool: AnyPoolOptions::new()
                .max_connections(CONNECTIONS)
                .connect_lazy_with(options),
            attempts: AtomicU64::new(0),
        }
    }

    /// Counts `limits` in `minute` when every key has room; answers whether it did. One call
    /// of `orgkit_rate_limit`, which locks the keys' rows in key order, counts, and takes the
    /// attempt back when a limit is passed: concurrent attempts on any instance see either
    /// all of an attempt or none of it.
    pub(super) async fn count(&self, limits: &[Limit], minute: i64) -> Result<bool, sqlx::Error> {
        let attempt: Vec<_> = limits
            .iter()
            .flat_map(|l| {
                l.keys
                    .iter()
                    .map(move |key| json!({"key": key, "cost": l.cost, "lim": l.limit}))
            })
            .collect();
        let (counted,): (bool,) = sqlx::query_as("SELECT orgkit_rate_limit($1, $2)")
            .bind(serde_json::Value::from(attempt).to_string())
            .bind(minute)
            .fetch_one(&self.pool)
            .await?;
        if self.attempts.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            let pool = self.pool.clone();
            tokio::spawn(async move {
                if let Err(e) = sweep(&pool, minute).await {
                    tracing::warn!(error = ?e, "rate-limit sweep failed");
                }
            });
        }
        Ok(counted)
    }

    /// See [`sweep`].
    pub(super) async fn sweep(&self, minute: i64) -> Result<u64, sqlx::Error> {
        sweep(&self.pool, minute).await
    }
}

/// Deletes the counters of minutes before the one preceding `minute` (a minute of slack for
/// instances whose clocks differ); answers how many went. Rows an attempt holds are skipped,
/// so the sweep never waits for an attempt and cannot deadlock with one.
async fn sweep(pool: &AnyPool, minute: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM rate_limits WHERE key IN \
         (SELECT key FROM rate_limits WHERE minute < $1 FOR UPDATE SKIP LOCKED)",
    )
    .bind(minute - 1)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
