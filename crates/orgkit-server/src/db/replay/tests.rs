use super::*;
use crate::db::{p, Db};

#[test]
fn placeholders_read_the_json_argument_array_by_type() {
    let cases: &[(&str, Vec<Value>, &str)] = &[
        (
            "SELECT a FROM t WHERE k = $1 AND n = $2",
            vec![p("x"), p(5i64)],
            "SELECT a FROM t WHERE k = ($1->>0) AND n = (($1->>1)::bigint)",
        ),
        // Two digits are one placeholder, not `$1` followed by `0`.
        (
            "VALUES ($10, $1)",
            (1..=10).map(|i| p(format!("v{i}"))).collect(),
            "VALUES (($1->>9), ($1->>0))",
        ),
        // A NULL keeps its type: an integer NULL is still cast.
        (
            "UPDATE t SET n = $1, s = $2",
            vec![p(None::<i64>), p(None::<&str>)],
            "UPDATE t SET n = (($1->>0)::bigint), s = ($1->>1)",
        ),
        ("SELECT '$' || x FROM t", vec![], "SELECT '$' || x FROM t"),
        (
            "SELECT $1 || substr(id, 5)",
            vec![p("dlv_")],
            "SELECT ($1->>0) || substr(id, 5)",
        ),
    ];
    for (sql, params, expected) in cases {
        assert_eq!(with_json_args(sql, params), *expected, "{sql}");
    }
}

#[test]
fn a_conflict_log_names_the_recorded_statement() {
    let reads =
        r#"[{"sql":"SELECT 1","args":[],"rows":[]},{"sql":"SELECT 2","args":[],"rows":[]}]"#;
    assert_eq!(recorded_sql(reads, 1).as_deref(), Some("SELECT 2"));
    assert_eq!(recorded_sql(reads, 2), None);
    assert_eq!(recorded_sql(reads, -1), None);
}

#[test]
fn arguments_are_a_json_array_with_nulls() {
    let args = json_args(&[p("a\"b"), p(7i64), p(None::<i64>), p(None::<&str>)]);
    assert_eq!(args, r#"["a\"b",7,null,null]"#);
}

#[test]
fn the_written_table_is_read_off_the_statement() {
    let cases = [
        ("UPDATE memberships SET role = $1", Some("memberships")),
        (
            "INSERT INTO audit_events (id) VALUES ($1)",
            Some("audit_events"),
        ),
        ("insert into t(id) values ($1)", Some("t")),
        (
            "DELETE FROM group_members WHERE org_id = $1",
            Some("group_members"),
        ),
        ("SELECT 1", None),
    ];
    for (sql, table) in cases {
        assert_eq!(written_table(sql), table, "{sql}");
    }
}

#[test]
fn the_read_before_the_call_takes_no_lock() {
    let cases = [
        (
            "SELECT a FROM o WHERE id = $1 FOR UPDATE OF o",
            "SELECT a FROM o WHERE id = $1",
        ),
        ("SELECT a FROM o FOR UPDATE", "SELECT a FROM o"),
        (
            "SELECT (SELECT 1 FROM o FOR UPDATE) FROM t",
            "SELECT (SELECT 1 FROM o FOR UPDATE) FROM t",
        ),
        ("SELECT a FROM o", "SELECT a FROM o"),
    ];
    for (sql, read) in cases {
        assert_eq!(without_lock(sql), read, "{sql}");
    }
}

#[test]
fn a_table_is_mentioned_only_as_a_whole_word() {
    assert!(mentions("SELECT * FROM memberships m", "memberships"));
    assert!(mentions(
        "SELECT (SELECT 1 FROM memberships)",
        "memberships"
    ));
    assert!(!mentions("SELECT * FROM membership_roles", "memberships"));
    assert!(!mentions("SELECT * FROM memberships_old", "memberships"));
}

#[test]
fn json_rows_read_back_by_column_name() {
    let rows = rows_of(r#"[{"n": 3, "s": "x", "z": null, "b": true}]"#).expect("rows");
    let row = rows.first().expect("one row");
    assert_eq!(row.int("n").expect("n"), 3);
    assert_eq!(row.text("s").expect("s"), "x");
    assert_eq!(row.opt_text("z").expect("z"), None);
    assert_eq!(row.int("b").expect("b"), 1);
    assert!(row.int("missing").is_err());
    assert!(rows_of("[]").expect("no rows").is_empty());
}

/// A scratch PostgreSQL database with the migrations (so `orgkit_replay`), replays on, and a
/// table `t`, or `None` when `ORGKIT_TEST_POSTGRES_URL` is not set.
async fn scratch() -> Option<(Db, String, String)> {
    let (mut db, server, name) = crate::db::scratch::postgres("replay").await?;
    db.enable_replays();
    sqlx::query("CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT NOT NULL)")
        .execute(&db.pool)
        .await
        .expect("table");
    sqlx::query("INSERT INTO t (k, n) VALUES ('a', 1), ('b', 2)")
        .execute(&db.pool)
        .await
        .expect("rows");
    Some((db, server, name))
}

async fn n_of(db: &Db, k: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT n FROM t WHERE k = $1")
        .bind(k)
        .fetch_one(&db.pool)
        .await
        .expect("read");
    n
}

/// A body: reads `a`, then writes `b = a + 10` (recorded, not run).
async fn body(tx: &mut Replay) -> Result<i64, sqlx::Error> {
    let row = tx
        .fetch_optional("SELECT n FROM t WHERE k = $1", &[p("a")])
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let a = row.int("n")?;
    tx.write("UPDATE t SET n = $1 WHERE k = $2", &[p(a + 10), p("b")])
        .await?;
    Ok(a)
}

#[tokio::test]
async fn a_replay_applies_its_writes_when_its_reads_still_hold() {
    let Some((db, server, name)) = scratch().await else {
        return;
    };
    let mut replay = db.begin_replay().await.expect("a replay on PostgreSQL");
    let read = body(&mut replay).await;
    assert_eq!(
        n_of(&db, "b").await,
        2,
        "nothing is written before the call"
    );
    assert_eq!(replay.finish(read).await, Some(1));
    assert_eq!(n_of(&db, "b").await, 11);
    let stats = db.replay.as_ref().expect("stats");
    assert_eq!(stats.committed.load(Ordering::Relaxed), 1);
    assert_eq!(stats.fell_back.load(Ordering::Relaxed), 0);
    crate::db::scratch::drop(db, &server, &name).await;
}

#[tokio::test]
async fn a_changed_read_writes_nothing_and_falls_back() {
    let Some((db, server, name)) = scratch().await else {
        return;
    };
    let mut replay = db.begin_replay().await.expect("a replay on PostgreSQL");
    let read = body(&mut replay).await;
    sqlx::query("UPDATE t SET n = 5 WHERE k = 'a'")
        .execute(&db.pool)
        .await
        .expect("a concurrent change");
    assert_eq!(replay.finish(read).await, None);
    assert_eq!(n_of(&db, "b").await, 2, "the stale decision wrote nothing");
    let stats = db.replay.as_ref().expect("stats");
    assert_eq!(stats.fell_back.load(Ordering::Relaxed), 1);
    crate::db::scratch::drop(db, &server, &name).await;
}

#[tokio::test]
async fn a_refused_write_rolls_back_the_whole_call() {
    let Some((db, server, name)) = scratch().await else {
        return;
    };
    let mut replay = db.begin_replay().await.expect("a replay on PostgreSQL");
    let write = async {
        replay
            .write("UPDATE t SET n = 100 WHERE k = $1", &[p("a")])
            .await?;
        // A duplicate key: the database refuses the second write.
        replay
            .write("INSERT INTO t (k, n) VALUES ($1, 0)", &[p("b")])
            .await
    };
    let done = write.await;
    assert_eq!(replay.finish(done).await, None);
    assert_eq!(n_of(&db, "a").await, 1, "the first write was rolled back");
    crate::db::scratch::drop(db, &server, &name).await;
}

#[tokio::test]
async fn what_a_replay_cannot_answer_fails_the_body() {
    let Some((db, server, name)) = scratch().await else {
        return;
    };
    let mut replay = db.begin_replay().await.expect("a replay on PostgreSQL");
    let counted = replay
        .execute("UPDATE t SET n = 0 WHERE k = $1", &[p("a")])
        .await;
    assert!(counted.is_err(), "a row count is not known before the call");
    replay
        .write("UPDATE t SET n = 0 WHERE k = $1", &[p("a")])
        .await
        .expect("recorded");
    let after_write = replay
        .fetch_all("SELECT n FROM t WHERE k = $1", &[p("a")])
        .await;
    assert!(after_write.is_err(), "a read of a written table is refused");
    assert!(replay.finish(after_write).await.is_none());
    assert_eq!(n_of(&db, "a").await, 1);
    crate::db::scratch::drop(db, &server, &name).await;
}
