//! Scratch PostgreSQL databases for unit tests: created migrated, dropped at the end.

use super::Db;
use std::sync::atomic::{AtomicU64, Ordering};

/// A new migrated database named after `label`, with the server URL and its name (for
/// [`drop`]), or `None` when `ORGKIT_TEST_POSTGRES_URL` is not set (said on stderr).
pub async fn postgres(label: &str) -> Option<(Db, String, String)> {
    let Some(server) = std::env::var("ORGKIT_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("NOT RUN on PostgreSQL: ORGKIT_TEST_POSTGRES_URL is not set ({label})");
        return None;
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "orgkit_{label}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = sqlx::PgPool::connect(&server).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create database");
    let url = match server.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("no database in {server}"),
    };
    let db = Db::connect(&url, 4).await.expect("migrate");
    Some((db, server, name))
}

/// Drops a database made by [`postgres`].
pub async fn drop(db: Db, server: &str, name: &str) {
    db.pool.close().await;
    let admin = sqlx::PgPool::connect(server).await.expect("connect");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .expect("drop database");
}
