//! Seeds Better Auth's SQLite file straight, as `seed.rs` does for orgkit: users, and
//! organizations of 1k and 10k members, in Better Auth's schema (tables `user`,
//! `organization`, `member`; dates as ISO 8601 text and booleans as 0/1, as its Kysely
//! adapter stores them on SQLite).
//!
//! Ids follow `seed.rs`'s shapes: user `user_sNNNNNNNN`, member `mem_<tag>NNNNNNNN`
//! (`mem_<tag>00000000` is the owner), organization `org_<tag>`.

use anyhow::{Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::Executor;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The timestamp every seeded row carries.
const SEEDED_AT: &str = "2026-01-01T00:00:00.000Z";

/// An organization seeded into Better Auth's database.
#[derive(Debug, Clone)]
pub struct BaOrg {
    pub id: String,
    tag: String,
}

impl BaOrg {
    /// The member id of the `i`-th seeded member (0-based, owner excluded); that member is
    /// seeded user `crate::seed::member_user_id(i)`.
    #[must_use]
    pub fn member_id(&self, i: u64) -> String {
        format!("mem_{}{:08}", self.tag, i + 1)
    }
}

pub struct BaSeeder {
    pool: SqlitePool,
}

impl BaSeeder {
    /// Opens the file the running Better Auth server uses (it holds it in WAL mode).
    pub async fn connect(path: &Path) -> Result<BaSeeder> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        Ok(BaSeeder { pool })
    }

    /// Creates seeded users 1..=n.
    pub async fn seed_users(&self, n: u64) -> Result<()> {
        let sql = format!(
            "INSERT INTO \"user\" (id, name, email, emailVerified, image, createdAt, updatedAt) \
             SELECT 'user_s' || printf('%08d', s.i), 'Seed ' || s.i, 'seed' || s.i || '@bench.test', 0, NULL, \
               '{SEEDED_AT}', '{SEEDED_AT}' FROM {}",
            crate::seed::sqlite_series(n)
        );
        self.pool
            .execute(sql.as_str())
            .await
            .context("seeding Better Auth users")?;
        Ok(())
    }

    /// Creates an organization of `size` members: `owner_id` as its owner (the role Better
    /// Auth gives an organization's creator) and seeded users 1..size as members.
    pub async fn seed_org(&self, tag: &str, size: u64, owner_id: &str) -> Result<BaOrg> {
        let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).collect();
        let org = format!("org_{tag}");
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO organization (id, name, slug, logo, createdAt, metadata) VALUES (?, ?, ?, NULL, ?, NULL)",
        )
        .bind(&org)
        .bind(format!("Bench {tag}"))
        .bind(format!("bench-{}", tag.to_ascii_lowercase()))
        .bind(SEEDED_AT)
        .execute(&mut *tx)
        .await
        .context("seeding a Better Auth organization")?;
        sqlx::query(
            "INSERT INTO member (id, organizationId, userId, role, createdAt) VALUES (?, ?, ?, 'owner', ?)",
        )
        .bind(format!("mem_{tag}00000000"))
        .bind(&org)
        .bind(owner_id)
        .bind(SEEDED_AT)
        .execute(&mut *tx)
        .await?;
        if size > 1 {
            let sql = format!(
                "INSERT INTO member (id, organizationId, userId, role, createdAt) \
                 SELECT 'mem_{tag}' || printf('%08d', s.i), '{org}', 'user_s' || printf('%08d', s.i), 'member', \
                   '{SEEDED_AT}' FROM {}",
                crate::seed::sqlite_series(size - 1)
            );
            tx.execute(sql.as_str())
                .await
                .context("seeding Better Auth members")?;
        }
        tx.commit().await?;
        Ok(BaOrg { id: org, tag })
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_match_the_seeded_rows() {
        let org = BaOrg {
            id: "org_bench1k".to_owned(),
            tag: "bench1k".to_owned(),
        };
        // Seeded member s.i is user s.i: member 0 is the first seeded user.
        assert_eq!(org.member_id(0), "mem_bench1k00000001");
        assert_eq!(crate::seed::member_user_id(0), "user_s00000001");
        assert_eq!(org.member_id(9_998), "mem_bench1k00009999");
    }
}
