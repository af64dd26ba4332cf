//! The delivery queue: outbound work (mail, webhooks) in the `deliveries` table, written in the
//! transaction of the change that causes it, and the worker that delivers it.
//!
//! The worker claims due items by leasing them (`leased_until`): on PostgreSQL with `FOR UPDATE
//! SKIP LOCKED`, so several server instances share the queue and never claim the same item; on
//! SQLite inside the process's one write transaction at a time. A lease outlives any attempt,
//! so the items of a killed server come back when their lease ends. A failed attempt is tried
//! again after the rule book's [`RetrySchedule`] wait (with jitter); after the last attempt the
//! item is dead: it stays in the table, and `orgkit-server deliveries retry` revives it.
//! Delivering a payload that holds a live token erases it (outside `--dev`), so no readable
//! token outlives its delivery.

use crate::db::writer::block_on;
use crate::db::{p, Kind, Row, Value, WriteTx};
use crate::error::ApiResult;
use crate::mail::Email;
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::delivery::RetrySchedule;
use orgkit_core::Timestamp;
use rand::Rng;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// The kind of an email item.
pub const MAIL: &str = "mail";
/// The kind of a webhook item.
pub const WEBHOOK: &str = "webhook";

/// The id prefix of delivery items.
pub const DELIVERY_PREFIX: &str = "dlv_";

/// Items one worker delivers at the same time.
const CONCURRENCY: usize = 32;

/// How the worker is woken: after a commit that enqueued work, so that it goes out at once.
#[derive(Default)]
pub struct Queue {
    wake: Notify,
}

impl Queue {
    /// Tells this process's worker that work is waiting. Other instances find it when they poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// One claimed item.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub kind: String,
    pub org_id: Option<String>,
    /// Mail: the recipient. Webhook: the endpoint id.
    pub target: String,
    /// Mail: the subject. Webhook: the event type.
    pub topic: String,
    pub message_id: String,
    pub payload: Option<String>,
    pub link: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub created_at: i64,
    /// The lease this worker holds; finishing the item checks it is still ours.
    pub leased_until: i64,
}

impl Delivery {
    /// Reads [`DELIVERY_COLUMNS`] from a row of either driver.
    fn from_row(row: &Row) -> Result<Delivery, sqlx::Error> {
        Ok(Delivery {
            id: row.text("id")?,
            kind: row.text("kind")?,
            org_id: row.opt_text("org_id")?,
            target: row.text("target")?,
            topic: row.text("topic")?,
            message_id: row.text("message_id")?,
            payload: row.opt_text("payload")?,
            link: row.opt_text("link")?,
            attempts: row.int("attempts")?,
            created_at: row.int("created_at")?,
            leased_until: row.int("leased_until")?,
        })
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// A failure worth another attempt, with its reason.
    Retry(String),
    /// A failure no attempt will cure (a bad address, a disabled endpoint).
    Dead(String),
}

const DELIVERY_COLUMNS: &str =
    "id, kind, org_id, target, topic, message_id, payload, link, attempts, created_at, leased_until";

/// Queues `email` as part of `tx`. A message with a link holds a live token: it is erased on
/// delivery. Call [`Queue::wake`] after the commit.
pub async fn enqueue_mail<W: WriteTx + ?Sized>(
    tx: &mut W,
    email: &Email,
    org_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let at = now();
    tx.write(
        "INSERT INTO deliveries (id, kind, org_id, target, topic, message_id, payload, link, secret, \
         status, attempts, next_attempt_at, leased_until, created_at) \
         VALUES ($1, 'mail', $2, $3, $4, $1, $5, $6, $7, 'pending', 0, $8, 0, $8)",
        &[
            p(new_id_at(DELIVERY_PREFIX, at)),
            p(org_id),
            p(&email.to),
            p(&email.subject),
            p(&email.body),
            p(email.link.as_deref()),
            p(i64::from(email.link.is_some())),
            p(at.millis()),
        ],
    )
    .await?;
    Ok(())
}

/// The retry schedule of a kind of item: the configured override (tests), or the rule book's.
fn schedule(state: &AppState, kind: &str) -> RetrySchedule {
    if !state.config.retry_schedule_ms.is_empty() {
        return RetrySchedule {
            delays_ms: state.config.retry_schedule_ms.clone(),
        };
    }
    match kind {
        WEBHOOK => RetrySchedule::webhooks(),
        _ => RetrySchedule::mail(),
    }
}

/// Runs the worker until the process ends: claims due items, delivers up to [`CONCURRENCY`]
/// at once, records the outcomes known at each moment together in one transaction, and sleeps
/// until woken or until the poll interval (`--delivery-poll-ms`) finds retries that came due.
pub async fn run_worker(state: AppState) {
    let poll = Duration::from_millis(state.config.delivery_poll_ms.max(10));
    let mut in_flight: JoinSet<(Delivery, Outcome)> = JoinSet::new();
    loop {
        let room = CONCURRENCY - in_flight.len();
        let claimed = if room > 0 {
            match claim(&state, now(), room).await {
                Ok(items) => items,
                Err(e) => {
                    tracing::warn!(error = ?e, "claiming deliveries failed");
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let claimed_any = !claimed.is_empty();
        for item in claimed {
            let state = state.clone();
            in_flight.spawn(async move {
                let outcome = attempt(&state, &item).await;
                (item, outcome)
            });
        }
        let mut done = Vec::new();
        if in_flight.is_empty() || !claimed_any || in_flight.len() == CONCURRENCY {
            tokio::select! {
                () = state.queue.wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
                Some(joined) = in_flight.join_next(), if !in_flight.is_empty() => done.extend(joined),
            }
        }
        while let Some(joined) = in_flight.try_join_next() {
            done.extend(joined);
        }
        if !done.is_empty() {
            if let Err(e) = finish(&state, &done).await {
                tracing::warn!(error = ?e, items = done.len(), "recording deliveries failed");
            }
        }
    }
}

/// Leases up to `limit` due items. On SQLite's writer thread when it runs (one hand-off, and
/// no second writer queueing for the write lock), else in a transaction of its own.
async fn claim(state: &AppState, at: Timestamp, limit: usize) -> ApiResult<Vec<Delivery>> {
    let lease_ms = i64::from(state.config.delivery_lease_seconds).saturating_mul(1000);
    let leased_until = at.millis() + lease_ms.max(1);
    let skip_locked = match state.db.kind {
        Kind::Postgres => " FOR UPDATE SKIP LOCKED",
        Kind::Sqlite => "",
    };
    let sql = format!(
        "UPDATE deliveries SET leased_until = $1, attempts = attempts + 1 WHERE id IN (\
           SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $2 \
           AND leased_until <= $2 ORDER BY next_attempt_at LIMIT $3{skip_locked}) \
         RETURNING {DELIVERY_COLUMNS}"
    );
    let params = [p(leased_until), p(at.millis()), p(limit as i64)];
    let rows = match &state.db.lite_writer {
        Some(writer) => {
            writer
                .run(move |tx| block_on(async move { Ok(tx.fetch_all(&sql, &params).await?) }))
                .await?
        }
        None => {
            let mut tx = state.db.begin_write().await?;
            let rows = tx.fetch_all(&sql, &params).await?;
            tx.commit().await?;
            rows
        }
    };
    Ok(rows
        .iter()
        .map(Delivery::from_row)
        .collect::<Result<_, _>>()?)
}

/// Makes one attempt at an item.
async fn attempt(state: &AppState, item: &Delivery) -> Outcome {
    match item.kind.as_str() {
        MAIL => state.mailer.send(item, state.config.dev).await,
        WEBHOOK => crate::webhooks::deliver(state, item).await,
        other => Outcome::Dead(format!("no deliverer for items of kind {other:?}")),
    }
}

/// Records outcomes, in one transaction, for the items whose lease is still ours: delivered
/// (erasing a secret payload outside `--dev`), due again after the schedule's wait, or dead.
/// On SQLite's writer thread when it runs, as [`claim`].
async fn finish(state: &AppState, done: &[(Delivery, Outcome)]) -> ApiResult<()> {
    let at = now().millis();
    let keep_secrets = i64::from(state.config.dev);
    let mut updates = Vec::with_capacity(done.len());
    for (item, outcome) in done {
        match outcome {
            Outcome::Delivered => updates.push((
                "UPDATE deliveries SET status = 'delivered', delivered_at = $1, \
                 leased_until = 0, last_error = NULL, \
                 payload = CASE WHEN secret = 1 AND $2 = 0 THEN NULL ELSE payload END, \
                 link = CASE WHEN secret = 1 AND $2 = 0 THEN NULL ELSE link END \
                 WHERE id = $3 AND leased_until = $4",
                vec![p(at), p(keep_secrets), p(&item.id), p(item.leased_until)],
            )),
            Outcome::Retry(reason) | Outcome::Dead(reason) => {
                let wait = match outcome {
                    Outcome::Retry(_) => {
                        let draw = rand::thread_rng().gen::<f64>();
                        schedule(state, &item.kind).next_delay_ms(item.attempts, draw)
                    }
                    _ => None,
                };
                let (status, next) = match wait {
                    Some(ms) => ("pending", at + ms),
                    None => ("dead", at),
                };
                if status == "dead" {
                    tracing::warn!(id = %item.id, kind = %item.kind, attempts = item.attempts, %reason, "delivery is dead");
                }
                updates.push((
                    "UPDATE deliveries SET status = $1, next_attempt_at = $2, leased_until = 0, \
                     last_error = $3 WHERE id = $4 AND leased_until = $5",
                    vec![
                        p(status),
                        p(next),
                        p(truncate(reason, 500)),
                        p(&item.id),
                        p(item.leased_until),
                    ],
                ));
            }
        }
    }
    match &state.db.lite_writer {
        Some(writer) => {
            writer
                .run(move |tx| block_on(async move { record(tx, &updates).await }))
                .await
        }
        None => {
            let mut tx = state.db.begin_write().await?;
            record(&mut tx, &updates).await?;
            Ok(tx.commit().await?)
        }
    }
}

/// Runs [`finish`]'s updates.
async fn record<W: WriteTx + ?Sized>(
    tx: &mut W,
    updates: &[(&'static str, Vec<Value>)],
) -> ApiResult<()> {
    for (sql, params) in updates {
        tx.execute(sql, params).await?;
    }
    Ok(())
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// One row of `orgkit-server deliveries list`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliverySummary {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub topic: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
}

/// The newest items, of one status or of any (`""`).
pub async fn list(
    db: &crate::db::Db,
    status: &str,
    limit: i64,
) -> Result<Vec<DeliverySummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, target, topic, status, attempts, last_error, created_at FROM deliveries \
         WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(status)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Revives dead items, one (`id`) or all (`None`): pending again, due now, with a fresh count
/// of attempts. Answers how many.
pub async fn retry_dead(db: &crate::db::Db, id: Option<&str>) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1, \
         leased_until = 0, last_error = NULL WHERE status = 'dead' AND ($2 = '' OR id = $2)",
    )
    .bind(now().millis())
    .bind(id.unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Deletes delivered and dead items older than `--delivery-retention-days` at `at`; answers
/// how many went.
pub async fn sweep(state: &AppState, at: Timestamp) -> Result<u64, sqlx::Error> {
    let retention_ms = i64::from(state.config.delivery_retention_days).saturating_mul(86_400_000);
    let cutoff = at.plus_millis(retention_ms.saturating_neg());
    let mut tx = state.db.begin_write().await?;
    let done = sqlx::query("DELETE FROM deliveries WHERE status <> 'pending' AND created_at < $1")
        .bind(cutoff.millis())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncate("héllo", 2), "hé");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
