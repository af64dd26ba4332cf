//! Fixed-window rate limits, per key (an account, a client address, an address mailed): at
//! most `limit` attempts per key and clock minute. Several limits count together or not at
//! all, and a refused attempt is not counted.
//!
//! On PostgreSQL the counters live in the database (`postgres.rs`, one round trip per
//! attempt), so every instance on it shares the limits. On SQLite, one instance by design,
//! they live in the process (`memory.rs`).

mod memory;
mod postgres;

use crate::db::{Db, Kind};
use crate::error::ApiError;

const WINDOW_MS: i64 = 60_000;

/// The server's rate limits, counted where its database says.
pub struct RateLimiter {
    counters: Counters,
}

enum Counters {
    Memory(memory::Counters),
    Postgres(postgres::Counters),
}

/// One limit to count an attempt against: `cost` attempts for each of `keys`, at most `limit`
/// per key and minute.
pub struct Limit {
    pub keys: Vec<String>,
    pub cost: u32,
    pub limit: u32,
}

impl Limit {
    /// One email to `address`, against the per-target-address limit of `limit` a minute: every
    /// path that sends mail (sign-up, invitation, resend) counts through this.
    #[must_use]
    pub fn mail_to(address: &str, limit: u32) -> Limit {
        Limit {
            keys: vec![mail_to_key(address)],
            cost: 1,
            limit,
        }
    }
}

impl RateLimiter {
    /// Counters for `db`: in the database on PostgreSQL, shared by every instance; in this
    /// process on SQLite.
    #[must_use]
    pub fn for_db(db: &Db) -> RateLimiter {
        let counters = match db.kind {
            Kind::Postgres => Counters::Postgres(postgres::Counters::new(db)),
            Kind::Sqlite => Counters::Memory(memory::Counters::default()),
        };
        RateLimiter { counters }
    }

    /// Counters in this process only.
    #[must_use]
    pub fn in_memory() -> RateLimiter {
        RateLimiter {
            counters: Counters::Memory(memory::Counters::default()),
        }
    }

    /// Counts `cost` attempts for every key at `now_ms`; refuses when any key would pass
    /// `limit` attempts in the current minute. A refused attempt is not counted.
    pub async fn check(
        &self,
        keys: &[String],
        cost: u32,
        limit: u32,
        now_ms: i64,
    ) -> Result<(), ApiError> {
        let keys = keys.to_vec();
        self.check_all(&[Limit { keys, cost, limit }], now_ms).await
    }

    /// Counts one attempt against several limits at once: either every limit has room and all
    /// are counted, or the attempt is refused (`rate_limited`, with the seconds left in the
    /// minute) and none is. With counters in the process (SQLite's) it never waits: the
    /// future is ready at its first poll, so a job on SQLite's writer thread may call it.
    pub async fn check_all(&self, limits: &[Limit], now_ms: i64) -> Result<(), ApiError> {
        if limits.iter().all(|l| l.keys.is_empty()) {
            return Ok(());
        }
        let minute = now_ms.div_euclid(WINDOW_MS);
        let counted = match &self.counters {
            Counters::Memory(counters) => counters.count(limits, minute)?,
            Counters::Postgres(counters) => counters.count(limits, minute).await?,
        };
        if counted {
            return Ok(());
        }
        let retry_after_secs = ((minute + 1) * WINDOW_MS - now_ms).div_euclid(1000).max(1) as u64;
        Err(ApiError::RateLimited { retry_after_secs })
    }

    /// Forgets the counters of minutes before `now_ms`'s (on PostgreSQL, before the minute
    /// preceding it); answers how many went. Both kinds also sweep on their own.
    pub async fn sweep(&self, now_ms: i64) -> Result<u64, ApiError> {
        let minute = now_ms.div_euclid(WINDOW_MS);
        match &self.counters {
            Counters::Memory(counters) => counters.sweep(minute),
            Counters::Postgres(counters) => Ok(counters.sweep(minute).await?),
        }
    }
}

/// The rate-limit key of emails sent to `address`, whichever path sends them (sign-up,
/// invitation, resend): nobody can make the server mail one address over and over.
#[must_use]
fn mail_to_key(address: &str) -> String {
    format!("mail:to:{}", address.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_past_the_limit_until_the_next_window() {
        let limiter = RateLimiter::in_memory();
        let keys = ["acct:a".to_owned(), "ip:1".to_owned()];
        for _ in 0..3 {
            assert!(limiter.check(&keys, 1, 3, 1_000).await.is_ok());
        }
        let refused = limiter
            .check(&keys, 1, 3, 2_000)
            .await
            .expect_err("fourth attempt");
        assert!(matches!(
            refused,
            ApiError::RateLimited {
                retry_after_secs: 58
            }
        ));
        // Another account from the same address is refused too: the address is spent.
        assert!(limiter
            .check(&["acct:b".to_owned(), "ip:1".to_owned()], 1, 3, 2_000)
            .await
            .is_err());
        assert!(limiter.check(&keys, 1, 3, 61_000).await.is_ok());
    }

    #[tokio::test]
    async fn several_limits_count_together_or_not_at_all() {
        let limiter = &RateLimiter::in_memory();
        let attempt = |address: &str| {
            let ip = Limit {
                keys: vec!["sign-up:ip:1".to_owned()],
                cost: 1,
                limit: 3,
            };
            let limits = [ip, Limit::mail_to(address, 1)];
            async move { limiter.check_all(&limits, 0).await.is_ok() }
        };
        assert!(attempt("a@x.io").await);
        // The address is spent; the refused attempt does not count against the IP.
        assert!(!attempt("A@x.io").await);
        assert!(attempt("b@x.io").await);
        assert!(attempt("c@x.io").await);
        // Now the IP is spent, whatever the address.
        assert!(!attempt("d@x.io").await);
    }

    /// SQLite's writer thread runs the per-address mail limit inside its jobs, whose futures
    /// must complete in one poll (`writer::block_on` answers an error for one that waits).
    #[test]
    fn in_process_counters_answer_at_the_first_poll() {
        use crate::db::writer::block_on;
        let limiter = RateLimiter::in_memory();
        let once = || block_on(limiter.check_all(&[Limit::mail_to("a@x.io", 1)], 0));
        assert!(once().is_ok());
        assert!(matches!(
            once(),
            Err(ApiError::RateLimited {
                retry_after_secs: 60
            })
        ));
    }

    #[tokio::test]
    async fn a_bulk_cost_counts_whole() {
        let limiter = RateLimiter::in_memory();
        let keys = ["acct:a".to_owned()];
        assert!(limiter.check(&keys, 5, 6, 0).await.is_ok());
        assert!(limiter.check(&keys, 2, 6, 0).await.is_err());
        assert!(limiter.check(&keys, 1, 6, 0).await.is_ok());
    }

    #[tokio::test]
    async fn the_sweep_forgets_past_minutes_only() {
        let limiter = RateLimiter::in_memory();
        assert!(limiter.check(&["old".to_owned()], 1, 1, 0).await.is_ok());
        assert!(limiter
            .check(&["new".to_owned()], 1, 1, 60_000)
            .await
            .is_ok());
        assert_eq!(limiter.sweep(60_000).await.ok(), Some(1));
        assert!(limiter
            .check(&["new".to_owned()], 1, 1, 60_000)
            .await
            .is_err());
    }
}
