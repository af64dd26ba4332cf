//! When each API key was last used, without a write per request.
//!
//! Every authenticated key request records `key id → now` in [`KeyUsage`], an in-memory map in
//! `AppState`. A background task ([`run_flusher`]) writes the map to `api_keys.last_used_at`
//! every [`FLUSH_EVERY`] (one `UPDATE` per key used since the last flush) and `serve` flushes
//! once more at shutdown, so `lastUsedAt` lags by at most a few seconds and a process killed
//! without a shutdown loses at most that much. A failed flush keeps its entries for the next.
//! Several servers on one database each flush their own uses; the `UPDATE` only moves the
//! time forward.

use crate::error::ApiResult;
use crate::state::AppState;
use orgkit_core::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How often the recorded uses are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// The keys used since the last flush, with the last time each was used (ms).
#[derive(Debug, Default)]
pub struct KeyUsage {
    pending: Mutex<HashMap<String, i64>>,
}

impl KeyUsage {
    /// Records a use of `key_id` at `at`.
    pub fn record(&self, key_id: &str, at: Timestamp) {
        if let Ok(mut pending) = self.pending.lock() {
            let last = pending.entry(key_id.to_owned()).or_insert(at.millis());
            *last = (*last).max(at.millis());
        }
    }

    /// The use of `key_id` not yet written, if any.
    #[must_use]
    pub fn pending(&self, key_id: &str) -> Option<i64> {
        self.pending.lock().ok()?.get(key_id).copied()
    }

    fn take(&self) -> HashMap<String, i64> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    fn put_back(&self, entries: impl IntoIterator<Item = (String, i64)>) {
        for (id, at) in entries {
            self.record(&id, Timestamp(at));
        }
    }
}

/// Writes the recorded uses to the database; answers how many keys were written.
pub async fn flush(state: &AppState) -> ApiResult<usize> {
    let taken: Vec<(String, i64)> = state.api_key_usage.take().into_iter().collect();
    for (i, (id, at)) in taken.iter().enumerate() {
        let done = sqlx::query(
            "UPDATE api_keys SET last_used_at = $1 \
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)",
        )
        .bind(*at)
        .bind(id.as_str())
        .execute(&state.db.pool)
        .await;
        if let Err(e) = done {
            state.api_key_usage.put_back(taken[i..].iter().cloned());
            return Err(e.into());
        }
    }
    Ok(taken.len())
}

/// Flushes every [`FLUSH_EVERY`], for the life of the process.
pub async fn run_flusher(state: AppState) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = flush(&state).await {
            tracing::warn!(error = ?e, "API key last-used flush failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KeyUsage;
    use orgkit_core::Timestamp;

    #[test]
    fn the_latest_use_is_kept_until_taken() {
        let usage = KeyUsage::default();
        usage.record("ak_1", Timestamp(20));
        usage.record("ak_1", Timestamp(10));
        assert_eq!(usage.pending("ak_1"), Some(20));
        assert_eq!(usage.take().len(), 1);
        assert_eq!(usage.pending("ak_1"), None);
    }
}
