//! The writer thread on a scratch database: savepoints isolate a failing or panicking job,
//! and answers come after the `COMMIT`.

use super::{block_on, Synchronous, Writer};
use crate::db::store::{p, WriteTx};
use crate::error::ApiError;
use std::sync::Arc;
use tokio::sync::Mutex;

fn scratch() -> (tempfile::TempDir, String, Writer) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.db").to_string_lossy().into_owned();
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
        .expect("schema");
    drop(conn);
    let writer = Writer::start(&path, Synchronous::Full, Arc::new(Mutex::new(()))).expect("start");
    (dir, path, writer)
}

fn count(path: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
        .expect("count")
}

#[tokio::test]
async fn a_failing_or_panicking_job_rolls_back_only_itself() {
    let (_dir, path, writer) = scratch();
    let mut waits = Vec::new();
    for i in 0..40i64 {
        let writer = writer.clone();
        waits.push(tokio::spawn(async move {
            writer
                .run(move |tx| {
                    block_on(async move {
                        tx.execute(
                            "INSERT INTO t (k, v) VALUES ($2, $1)",
                            &[p(i), p(format!("k{i}"))],
                        )
                        .await?;
                        match i % 10 {
                            3 => Err(ApiError::validation("refused")),
                            7 => panic!("job {i} panics"),
                            _ => Ok(i),
                        }
                    })
                })
                .await
        }));
    }
    let mut ok = 0;
    for wait in waits {
        if wait.await.expect("join").is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 32);
    // Every acknowledged job is committed and visible to another connection.
    assert_eq!(count(&path), 32);
}

#[tokio::test]
async fn rows_read_back_by_name_and_unique_violations_keep_their_kind() {
    let (_dir, _path, writer) = scratch();
    let got = writer
        .run(|tx| {
            block_on(async move {
                tx.execute("INSERT INTO t (k, v) VALUES ($1, $2)", &[p("a"), p(5i64)])
                    .await?;
                let row = tx
                    .fetch_optional(
                        "SELECT k AS name, v, NULL AS none FROM t WHERE k = $1",
                        &[p("a")],
                    )
                    .await?
                    .ok_or_else(|| ApiError::not_found("row"))?;
                let dup = tx
                    .execute("INSERT INTO t (k, v) VALUES ($1, $2)", &[p("a"), p(6i64)])
                    .await;
                let unique = matches!(&dup, Err(e) if crate::db::is_unique_violation(e));
                Ok((
                    row.text("name")?,
                    row.int("v")?,
                    row.opt_text("none")?,
                    unique,
                ))
            })
        })
        .await
        .expect("job");
    assert_eq!(got, ("a".to_owned(), 5, None, true));
}

#[tokio::test]
async fn the_checkpoint_thread_copies_commits_into_the_database_file() {
    let (_dir, path, writer) = scratch();
    let file_size = || std::fs::metadata(&path).expect("database file").len();
    let before = file_size();
    // About 400 pages: far below the writer's own checkpoint (SAFETY_NET_PAGES), so only the
    // thread can move them from the WAL into the database file.
    writer
        .run(|tx| {
            block_on(async move {
                for i in 0..400i64 {
                    tx.execute(
                        "INSERT INTO t (k, v) VALUES ($1 || hex(zeroblob(2000)), $2)",
                        &[p(format!("k{i}")), p(i)],
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .await
        .expect("job");
    const { assert!(400 < super::SAFETY_NET_PAGES) };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while file_size() < before + 400 * 4096 && std::time::Instant::now() < deadline {
        tokio::time::sleep(super::checkpoint::INTERVAL).await;
    }
    assert!(
        file_size() >= before + 400 * 4096,
        "the database file is {} bytes (was {before}): no checkpoint ran",
        file_size()
    );
    assert_eq!(count(&path), 400);
}
