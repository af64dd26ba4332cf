//! SQLite's inline reads: the hot point reads and pages run on the calling thread over a
//! rusqlite connection taken from a small idle list, instead of crossing to sqlx's worker
//! thread once per statement and row (the hand-offs were most of a page's cost on one core).
//!
//! Invariant: only indexed point reads and pages of at most a few hundred rows come here. A
//! read blocks its runtime thread while it runs (tens to a few hundred microseconds), so a
//! scan of unbounded size must stay on sqlx's pool. In WAL mode a reader never waits for the
//! writer; the busy timeout below only covers a WAL recovery.

use super::store::{lite_error, LiteTx};
use super::{Row, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The longest an inline read waits on a lock (only a WAL recovery or checkpoint restart
/// takes one a reader must wait for).
const BUSY_TIMEOUT_MS: u32 = 1_000;

/// The most idle connections kept; more are opened under load and closed when returned.
const MAX_IDLE: usize = 8;

/// Read-only rusqlite connections to one SQLite file.
#[derive(Debug)]
pub struct LiteReads {
    path: String,
    idle: Mutex<Vec<rusqlite::Connection>>,
    /// Set by [`LiteReads::close`]: later reads fail as a closed pool's do.
    closed: AtomicBool,
}

impl LiteReads {
    /// Opens the first connection now, so that a bad path fails at start-up.
    pub fn open(path: &str) -> anyhow::Result<LiteReads> {
        let first = connect(path)?;
        Ok(LiteReads {
            path: path.to_owned(),
            idle: Mutex::new(vec![first]),
            closed: AtomicBool::new(false),
        })
    }

    /// Closes the idle connections and refuses every later read with `PoolClosed` (a `503
    /// unavailable`).
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    /// Runs one statement and reads its rows (only the first with `first_only`).
    pub fn query(
        &self,
        sql: &str,
        params: &[Value],
        first_only: bool,
    ) -> Result<Vec<Row>, sqlx::Error> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(sqlx::Error::PoolClosed);
        }
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut conn = match taken {
            Some(conn) => conn,
            None => connect(&self.path).map_err(|e| sqlx::Error::Protocol(e.to_string()))?,
        };
        let rows = LiteTx { conn: &mut conn }.run_query(sql, params, first_only);
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_IDLE && !self.closed.load(Ordering::Relaxed) {
                idle.push(conn);
            }
        }
        rows
    }
}

fn connect(path: &str) -> anyhow::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(&format!(
        "PRAGMA query_only = ON; PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};"
    ))
    .map_err(lite_error)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::LiteReads;
    use crate::db::store::p;

    fn scratch() -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.db").to_string_lossy().into_owned();
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER); \
             INSERT INTO t VALUES ('a', 1), ('b', NULL);",
        )
        .expect("schema");
        (dir, path)
    }

    #[test]
    fn reads_rows_by_numbered_parameters_and_sees_later_commits() {
        let (_dir, path) = scratch();
        let reads = LiteReads::open(&path).expect("open");
        let sql = "SELECT k, v FROM t WHERE k >= $2 AND ($1 IS NULL OR v = $1) ORDER BY k";
        let rows = reads
            .query(sql, &[p(None::<i64>), p("a")], false)
            .expect("query");
        let keys: Vec<String> = rows.iter().map(|r| r.text("k").expect("k")).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(rows[1].opt_int("v").expect("v"), None);
        let first = reads.query(sql, &[p(1i64), p("")], true).expect("query");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].int("v").expect("v"), 1);

        // A write committed on another connection is seen by the next read, on the same
        // (reused) connection.
        let writer = rusqlite::Connection::open(&path).expect("open");
        writer
            .execute("INSERT INTO t VALUES ('c', 3)", [])
            .expect("insert");
        let rows = reads.query(sql, &[p(3i64), p("")], false).expect("query");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].text("k").expect("k"), "c");
    }

    #[test]
    fn refuses_writes_and_reports_bad_sql_as_errors() {
        let (_dir, path) = scratch();
        let reads = LiteReads::open(&path).expect("open");
        let write = reads.query("DELETE FROM t", &[], false);
        assert!(write.is_err(), "a reader must be query-only");
        assert!(reads.query("SELECT nope FROM t", &[], false).is_err());
        let rows = reads.query("SELECT COUNT(*) AS n FROM t", &[], true);
        assert_eq!(rows.expect("count")[0].int("n").expect("n"), 2);
        reads.close();
        let closed = reads.query("SELECT COUNT(*) AS n FROM t", &[], true);
        assert!(
            matches!(closed, Err(sqlx::Error::PoolClosed)),
            "{:?}",
            closed.err()
        );
    }
}
