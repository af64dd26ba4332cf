//! PostgreSQL's one-round-trip write: a write body runs against a [`Replay`], which reads
//! through the pool without a transaction and records each read's rows and each write. One
//! call of the `orgkit_replay` function (migration 0020) then, inside one statement's
//! transaction, runs the reads again in order (the first takes the organization's row lock,
//! as it does on the classic path), and applies the writes only if every read returns exactly
//! the rows the body decided on. The rule book's decisions stay in Rust: the database only
//! checks that their inputs did not change, so no rule is written twice.
//!
//! The caller runs the classic transaction instead when the body fails, when a read changed
//! in between (a conflict), or when the body does what a replay cannot answer: it uses a
//! write's row count ([`WriteTx::execute`]), or reads a table it wrote before.

use super::store::{LiteValue, Row, Value, WriteTx};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How many writes committed through a replay, and how many fell back to the classic
/// transaction: tests and benchmarks read them.
#[derive(Debug, Default)]
pub struct ReplayStats {
    pub committed: AtomicU64,
    pub fell_back: AtomicU64,
}

/// A write body's reads and writes, recorded for one `orgkit_replay` call.
pub struct Replay {
    conn: PoolConnection<Any>,
    stats: Arc<ReplayStats>,
    /// The JSON objects `{"sql", "args", "rows"}` of the reads, comma-separated.
    reads: String,
    /// The JSON objects `{"sql", "args"}` of the writes, comma-separated.
    writes: String,
    /// The tables written so far (a later read of one cannot be answered).
    written: Vec<String>,
}

/// Why a replay cannot answer a statement; the caller runs the classic transaction.
const CANNOT_REPLAY: &str = "orgkit: this write body cannot run as a replay";

impl Replay {
    /// Takes a connection from `pool` for the body's reads and its one write call.
    pub async fn begin(pool: &AnyPool, stats: Arc<ReplayStats>) -> Result<Replay, sqlx::Error> {
        Ok(Replay {
            conn: pool.acquire().await?,
            stats,
            reads: String::new(),
            writes: String::new(),
            written: Vec::new(),
        })
    }

    /// Applies the recorded writes if the body succeeded and its reads still hold: `Some` of
    /// the body's result when committed, `None` when the caller must run the classic
    /// transaction (the body failed, a read changed, or the database refused a write).
    pub async fn finish<T, E: std::fmt::Debug>(mut self, body: Result<T, E>) -> Option<T> {
        let committed = match body {
            Ok(value) => self.apply().await.then_some(value),
            Err(e) => {
                tracing::debug!(error = ?e, "replay: the body failed");
                None
            }
        };
        let counter = match committed {
            Some(_) => &self.stats.committed,
            None => &self.stats.fell_back,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        committed
    }

    /// The one round trip: `orgkit_replay` answers -1 when it applied the writes, else the
    /// index of the first read that changed.
    async fn apply(&mut self) -> bool {
        let reads = format!("[{}]", self.reads);
        let writes = format!("[{}]", self.writes);
        let answer: Result<(i32,), sqlx::Error> =
            sqlx::query_as("SELECT orgkit_replay(CAST($1 AS jsonb), CAST($2 AS jsonb))")
                .bind(reads.as_str())
                .bind(writes)
                .fetch_one(&mut *self.conn)
                .await;
        match answer {
            Ok((-1,)) => true,
            Ok((changed,)) => {
                let sql = recorded_sql(&reads, changed);
                tracing::debug!(read = changed, ?sql, "replay conflict: a read changed");
                false
            }
            Err(e) => {
                tracing::debug!(error = %e, "replay refused by the database");
                false
            }
        }
    }

    async fn read(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, sqlx::Error> {
        if self.written.iter().any(|table| mentions(sql, table)) {
            return Err(sqlx::Error::Protocol(CANNOT_REPLAY.to_owned()));
        }
        // The lock is taken by the call; here the read only reads.
        let wrapped = format!(
            "SELECT CAST(coalesce(jsonb_agg(t), '[]'::jsonb) AS text) FROM ({}) t",
            without_lock(sql)
        );
        let mut query = sqlx::query_as::<_, (String,)>(&wrapped);
        for v in params {
            query = match v {
                Value::Int(i) => query.bind(*i),
                Value::Text(t) => query.bind(t.clone()),
            };
        }
        let (rows,) = query.fetch_one(&mut *self.conn).await?;
        let decoded = rows_of(&rows)?;
        self.record_read(sql, params, &rows);
        Ok(decoded)
    }

    fn record_read(&mut self, sql: &str, params: &[Value], rows: &str) {
        push_item(
            &mut self.reads,
            &format!(
                "{{\"sql\":{},\"args\":{},\"rows\":{rows}}}",
                json_string(&with_json_args(sql, params)),
                json_args(params)
            ),
        );
    }

    fn record_write(&mut self, sql: &str, params: &[Value]) {
        if let Some(table) = written_table(sql) {
            self.written.push(table.to_owned());
        }
        push_item(
            &mut self.writes,
            &format!(
                "{{\"sql\":{},\"args\":{}}}",
                json_string(&with_json_args(sql, params)),
                json_args(params)
            ),
        );
    }
}

impl WriteTx for Replay {
    fn kind(&self) -> super::Kind {
        super::Kind::Postgres
    }

    /// A write whose row count the body reads cannot be answered before the call.
    async fn execute(&mut self, _sql: &str, _params: &[Value]) -> Result<u64, sqlx::Error> {
        Err(sqlx::Error::Protocol(CANNOT_REPLAY.to_owned()))
    }

    async fn write(&mut self, sql: &str, params: &[Value]) -> Result<(), sqlx::Error> {
        self.record_write(sql, params);
        Ok(())
    }

    async fn fetch_optional(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<Row>, sqlx::Error> {
        Ok(self.read(sql, params).await?.into_iter().next())
    }

    async fn fetch_all(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, sqlx::Error> {
        self.read(sql, params).await
    }
}

/// The SQL of the `index`-th recorded statement in `list` (a JSON array), for a log line.
fn recorded_sql(list: &str, index: i32) -> Option<String> {
    let steps: Vec<serde_json::Value> = serde_json::from_str(list).ok()?;
    let step = steps.get(usize::try_from(index).ok()?)?;
    Some(step["sql"].as_str()?.to_owned())
}

fn push_item(list: &mut String, item: &str) {
    if !list.is_empty() {
        list.push(',');
    }
    list.push_str(item);
}

/// `sql` with each `$N` placeholder read from the function's one `jsonb` argument, an array:
/// text as `($1->>N-1)`, integers cast back to `bigint`.
pub(crate) fn with_json_args(sql: &str, params: &[Value]) -> String {
    let mut out = String::with_capacity(sql.len() + 16 * params.len());
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let digits: String = if c == '$' {
            sql[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        } else {
            String::new()
        };
        let Ok(n) = digits.parse::<usize>() else {
            out.push(c);
            continue;
        };
        for _ in 0..digits.len() {
            chars.next();
        }
        let index = n.saturating_sub(1);
        match params.get(index) {
            Some(Value::Int(_)) => out.push_str(&format!("(($1->>{index})::bigint)")),
            _ => out.push_str(&format!("($1->>{index})")),
        }
    }
    out
}

/// The parameters as a JSON array (NULLs as `null`).
pub(crate) fn json_args(params: &[Value]) -> String {
    let values: Vec<serde_json::Value> = params
        .iter()
        .map(|v| match v {
            Value::Int(i) => i.map_or(serde_json::Value::Null, serde_json::Value::from),
            Value::Text(t) => t.as_ref().map_or(serde_json::Value::Null, |t| {
                serde_json::Value::from(t.as_str())
            }),
        })
        .collect();
    serde_json::Value::Array(values).to_string()
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The table an `INSERT INTO`, `UPDATE` or `DELETE FROM` statement writes.
pub(crate) fn written_table(sql: &str) -> Option<&str> {
    let mut words = sql.split_whitespace();
    let first = words.next()?.to_ascii_uppercase();
    let table = match first.as_str() {
        "UPDATE" => words.next(),
        "INSERT" | "DELETE" => words.nth(1),
        _ => None,
    }?;
    Some(table.split('(').next().unwrap_or(table))
}

/// `sql` without its closing `FOR UPDATE` clause, if it has one.
pub(crate) fn without_lock(sql: &str) -> &str {
    match sql.rfind(" FOR UPDATE") {
        Some(at) if !sql[at..].contains(')') => &sql[..at],
        _ => sql,
    }
}

/// Whether `sql` names `table` as a whole word.
fn mentions(sql: &str, table: &str) -> bool {
    sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == table)
}

/// The rows of a `jsonb_agg` as the rows the body reads by column name.
fn rows_of(json: &str) -> Result<Vec<Row>, sqlx::Error> {
    let objects: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(objects
        .into_iter()
        .map(|object| {
            let (names, values): (Vec<String>, Vec<LiteValue>) = object
                .into_iter()
                .map(|(name, value)| (name, lite_value(value)))
                .unzip();
            Row::Lite {
                names: names.into(),
                values,
            }
        })
        .collect())
}

fn lite_value(value: serde_json::Value) -> LiteValue {
    match value {
        serde_json::Value::Null => LiteValue::Null,
        serde_json::Value::Bool(b) => LiteValue::Int(i64::from(b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => LiteValue::Int(i),
            None => LiteValue::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => LiteValue::Text(s),
        other => LiteValue::Text(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
