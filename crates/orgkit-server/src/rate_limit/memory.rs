//! Counters in this process: SQLite's, one instance by design.

use super::Limit;
use crate::error::ApiError;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Keys kept before past minutes are swept.
const SWEEP_AT: usize = 100_000;

/// Each key's minute and count.
type Windows = HashMap<String, (i64, u32)>;

#[derive(Default)]
pub(super) struct Counters {
    windows: Mutex<Windows>,
}

impl Counters {
    /// Counts `limits` in `minute` when every key has room; answers whether it did.
    pub(super) fn count(&self, limits: &[Limit], minute: i64) -> Result<bool, ApiError> {
        let mut windows = self.lock()?;
        if windows.len() > SWEEP_AT {
            windows.retain(|_, (w, _)| *w >= minute);
        }
        let over = limits.iter().any(|l| {
            l.keys.iter().any(|key| {
                let used = match windows.get(key) {
                    Some((w, n)) if *w == minute => *n,
                    _ => 0,
                };
                used.saturating_add(l.cost) > l.limit
            })
        });
        if over {
            return Ok(false);
        }
        for l in limits {
            for key in &l.keys {
                let entry = windows.entry(key.clone()).or_insert((minute, 0));
                if entry.0 != minute {
                    *entry = (minute, 0);
                }
                entry.1 = entry.1.saturating_add(l.cost);
            }
        }
        Ok(true)
    }

    /// Forgets the counters of minutes before `minute`; answers how many went.
    pub(super) fn sweep(&self, minute: i64) -> Result<u64, ApiError> {
        let mut windows = self.lock()?;
        let before = windows.len();
        windows.retain(|_, (w, _)| *w >= minute);
        Ok((before - windows.len()) as u64)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Windows>, ApiError> {
        self.windows
            .lock()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("rate limiter lock poisoned")))
    }
}
