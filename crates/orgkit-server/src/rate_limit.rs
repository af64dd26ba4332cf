//! Fixed-window rate limits, per key (an account or a client address), in memory.
//!
//! Each server instance counts on its own, so N instances allow up to N times the limit; a
//! shared counter in the database is the step up when that matters.

use crate::error::ApiError;
use std::collections::HashMap;
use std::sync::Mutex;

const WINDOW_MS: i64 = 60_000;
/// Keys kept before old windows are swept.
const SWEEP_AT: usize = 100_000;

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
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
    /// Counts `cost` attempts for every key at `now_ms`; refuses when any key would pass
    /// `limit` attempts in the current minute. A refused attempt is not counted.
    pub fn check(
        &self,
        keys: &[String],
        cost: u32,
        limit: u32,
        now_ms: i64,
    ) -> Result<(), ApiError> {
        let keys = keys.to_vec();
        self.check_all(&[Limit { keys, cost, limit }], now_ms)
    }

    /// Counts one attempt against several limits at once: either every limit has room and all
    /// are counted, or the attempt is refused and none is.
    pub fn check_all(&self, limits: &[Limit], now_ms: i64) -> Result<(), ApiError> {
        let window = now_ms.div_euclid(WINDOW_MS);
        let mut windows = self
            .windows
            .lock()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("rate limiter lock poisoned")))?;
        if windows.len() > SWEEP_AT {
            windows.retain(|_, (w, _)| *w == window);
        }
        let over = limits.iter().any(|l| {
            l.keys.iter().any(|key| {
                let used = match windows.get(key) {
                    Some((w, n)) if *w == window => *n,
                    _ => 0,
                };
                used.saturating_add(l.cost) > l.limit
            })
        });
        if over {
            let retry_after_secs =
                ((window + 1) * WINDOW_MS - now_ms).div_euclid(1000).max(1) as u64;
            return Err(ApiError::RateLimited { retry_after_secs });
        }
        for l in limits {
            for key in &l.keys {
                let entry = windows.entry(key.clone()).or_insert((window, 0));
                if entry.0 != window {
                    *entry = (window, 0);
                }
                entry.1 = entry.1.saturating_add(l.cost);
            }
        }
        Ok(())
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

    #[test]
    fn refuses_past_the_limit_until_the_next_window() {
        let limiter = RateLimiter::default();
        let keys = ["acct:a".to_owned(), "ip:1".to_owned()];
        for _ in 0..3 {
            assert!(limiter.check(&keys, 1, 3, 1_000).is_ok());
        }
        let refused = limiter
            .check(&keys, 1, 3, 2_000)
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
            .is_err());
        assert!(limiter.check(&keys, 1, 3, 61_000).is_ok());
    }

    #[test]
    fn several_limits_count_together_or_not_at_all() {
        let limiter = RateLimiter::default();
        let attempt = |address: &str| {
            let ip = Limit {
                keys: vec!["sign-up:ip:1".to_owned()],
                cost: 1,
                limit: 3,
            };
            limiter
                .check_all(&[ip, Limit::mail_to(address, 1)], 0)
                .is_ok()
        };
        assert!(attempt("a@x.io"));
        // The address is spent; the refused attempt does not count against the IP.
        assert!(!attempt("A@x.io"));
        assert!(attempt("b@x.io"));
        assert!(attempt("c@x.io"));
        // Now the IP is spent, whatever the address.
        assert!(!attempt("d@x.io"));
    }

    #[test]
    fn a_bulk_cost_counts_whole() {
        let limiter = RateLimiter::default();
        let keys = ["acct:a".to_owned()];
        assert!(limiter.check(&keys, 5, 6, 0).is_ok());
        assert!(limiter.check(&keys, 2, 6, 0).is_err());
        assert!(limiter.check(&keys, 1, 6, 0).is_ok());
    }
}
