//! Seeds Better Auth's database straight, as `seed.rs` does for orgkit: users, and
//! organizations of 1k and 10k members, in the schema Better Auth's Kysely adapter creates
//! (tables `user`, `organization`, `member`, camelCase column names). On SQLite it stores dates
//! as ISO 8601 text and booleans as 0/1; on PostgreSQL (through node-postgres) as
//! `timestamptz` and `boolean`, with foreign keys from `member` to `user` and `organization`.
//!
//! Ids follow `seed.rs`'s shapes: user `user_sNNNNNNNN`, member `mem_<tag>NNNNNNNN`
//! (`mem_<tag>00000000` is the owner), organization `org_<tag>`.

use crate::seed::{pad_sql, series_sql};
use anyhow::{Context, Result};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Executor, Pool};
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

/// A connection to the database a running Better Auth server uses.
pub enum BaSeeder {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl BaSeeder {
    /// Opens the SQLite file the running Better Auth server uses (it holds it in WAL mode).
    pub async fn connect_sqlite(path: &Path) -> Result<BaSeeder> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        Ok(BaSeeder::Sqlite(pool))
    }

    /// Connects to the PostgreSQL database the running Better Auth server uses.
    pub async fn connect_postgres(url: &str) -> Result<BaSeeder> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        Ok(BaSeeder::Postgres(pool))
    }

    fn sql(&self) -> BaSql {
        BaSql {
            postgres: matches!(self, BaSeeder::Postgres(_)),
        }
    }

    /// Runs `statements` in one transaction.
    async fn transaction(&self, statements: &[String]) -> Result<()> {
        match self {
            BaSeeder::Sqlite(pool) => transaction(pool, statements).await,
            BaSeeder::Postgres(pool) => transaction(pool, statements).await,
        }
    }

    /// Creates seeded users 1..=n.
    pub async fn seed_users(&self, n: u64) -> Result<()> {
        self.transaction(&[self.sql().users(n)])
            .await
            .context("seeding Better Auth users")
    }

    /// Creates an organization of `size` members: `owner_id` as its owner (the role Better
    /// Auth gives an organization's creator) and seeded users 1..size as members.
    pub async fn seed_org(&self, tag: &str, size: u64, owner_id: &str) -> Result<BaOrg> {
        let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).collect();
        self.transaction(&self.sql().organization(&tag, size, owner_id))
            .await
            .context("seeding a Better Auth organization")?;
        Ok(BaOrg {
            id: format!("org_{tag}"),
            tag,
        })
    }

    /// Refreshes PostgreSQL's planner statistics after the bulk inserts, as `Seeder::analyze`
    /// does for orgkit (autovacuum would within a minute); nothing on SQLite.
    pub async fn analyze(&self) -> Result<()> {
        if let BaSeeder::Postgres(pool) = self {
            pool.execute("ANALYZE").await.context("ANALYZE")?;
        }
        Ok(())
    }

    pub async fn close(self) {
        match self {
            BaSeeder::Sqlite(pool) => pool.close().await,
            BaSeeder::Postgres(pool) => pool.close().await,
        }
    }
}

/// Runs `statements` (no parameters) in one transaction on `pool`.
async fn transaction<DB: sqlx::Database>(pool: &Pool<DB>, statements: &[String]) -> Result<()>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let mut tx = pool.begin().await?;
    for statement in statements {
        (&mut *tx).execute(statement.as_str()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The seeding statements in Better Auth's schema, in PostgreSQL's or SQLite's dialect. Values
/// are inlined as literals (`quote`), so each statement runs as one simple query.
#[derive(Debug, Clone, Copy)]
struct BaSql {
    postgres: bool,
}

impl BaSql {
    /// The seeding timestamp: `timestamptz` on PostgreSQL, ISO 8601 text on SQLite.
    fn seeded_at(self) -> String {
        if self.postgres {
            format!("{}::timestamptz", quote(SEEDED_AT))
        } else {
            quote(SEEDED_AT)
        }
    }

    /// `false`: a `boolean` on PostgreSQL, 0 on SQLite.
    fn no(self) -> &'static str {
        if self.postgres {
            "false"
        } else {
            "0"
        }
    }

    /// Seeded users 1..=n (`user_sNNNNNNNN`, `seedN@bench.test`).
    fn users(self, n: u64) -> String {
        format!(
            "INSERT INTO \"user\" (id, name, email, \"emailVerified\", image, \"createdAt\", \"updatedAt\") \
             SELECT 'user_s' || {id}, 'Seed ' || s.i, 'seed' || s.i || '@bench.test', {no}, NULL, {at}, {at} FROM {series}",
            id = pad_sql(self.postgres, "s.i"),
            no = self.no(),
            at = self.seeded_at(),
            series = series_sql(self.postgres, n),
        )
    }

    /// Organization `org_<tag>` with `owner_id` as its owner (`mem_<tag>00000000`) and seeded
    /// users 1..size as members (`mem_<tag>NNNNNNNN` is user `user_sNNNNNNNN`).
    fn organization(self, tag: &str, size: u64, owner_id: &str) -> Vec<String> {
        let (org, at) = (format!("org_{tag}"), self.seeded_at());
        let member = |id: &str, user: &str, role: &str| {
            format!("{id}, {org}, {user}, '{role}', {at}", org = quote(&org))
        };
        let insert_member =
            "INSERT INTO member (id, \"organizationId\", \"userId\", role, \"createdAt\")";
        let mut statements = vec![
            format!(
                "INSERT INTO organization (id, name, slug, logo, \"createdAt\", metadata) \
                 VALUES ({}, {}, {}, NULL, {at}, NULL)",
                quote(&org),
                quote(&format!("Bench {tag}")),
                quote(&format!("bench-{}", tag.to_ascii_lowercase())),
            ),
            format!(
                "{insert_member} VALUES ({})",
                member(
                    &quote(&format!("mem_{tag}00000000")),
                    &quote(owner_id),
                    "owner"
                )
            ),
        ];
        if size > 1 {
            let padded = pad_sql(self.postgres, "s.i");
            statements.push(format!(
                "{insert_member} SELECT {} FROM {}",
                member(
                    &format!("'mem_{tag}' || {padded}"),
                    &format!("'user_s' || {padded}"),
                    "member"
                ),
                series_sql(self.postgres, size - 1)
            ));
        }
        statements
    }
}

/// `value` as an SQL string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
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

    #[test]
    fn literals_are_quoted() {
        assert_eq!(quote("o'k"), "'o''k'");
    }

    #[test]
    fn users_speak_each_dialect() {
        let pg = BaSql { postgres: true }.users(3);
        assert!(pg.starts_with("INSERT INTO \"user\" (id, name, email, \"emailVerified\""));
        assert!(pg.contains("'user_s' || lpad((s.i)::text, 8, '0')"));
        assert!(pg.contains(", false, NULL, '2026-01-01T00:00:00.000Z'::timestamptz,"));
        assert!(pg.ends_with("FROM generate_series(1, 3) AS s(i)"));
        let sqlite = BaSql { postgres: false }.users(3);
        assert!(sqlite.contains("'user_s' || printf('%08d', s.i)"));
        assert!(sqlite.contains(", 0, NULL, '2026-01-01T00:00:00.000Z', "));
        assert!(sqlite.ends_with(&crate::seed::sqlite_series(3)));
    }

    #[test]
    fn an_organization_is_its_row_its_owner_and_its_members() {
        let pg = BaSql { postgres: true }.organization("bench1k", 1_000, "abc'd");
        assert_eq!(pg.len(), 3);
        assert_eq!(
            pg[0],
            "INSERT INTO organization (id, name, slug, logo, \"createdAt\", metadata) \
             VALUES ('org_bench1k', 'Bench bench1k', 'bench-bench1k', NULL, \
             '2026-01-01T00:00:00.000Z'::timestamptz, NULL)"
        );
        assert_eq!(
            pg[1],
            "INSERT INTO member (id, \"organizationId\", \"userId\", role, \"createdAt\") \
             VALUES ('mem_bench1k00000000', 'org_bench1k', 'abc''d', 'owner', \
             '2026-01-01T00:00:00.000Z'::timestamptz)"
        );
        assert_eq!(
            pg[2],
            "INSERT INTO member (id, \"organizationId\", \"userId\", role, \"createdAt\") \
             SELECT 'mem_bench1k' || lpad((s.i)::text, 8, '0'), 'org_bench1k', \
             'user_s' || lpad((s.i)::text, 8, '0'), 'member', \
             '2026-01-01T00:00:00.000Z'::timestamptz FROM generate_series(1, 999) AS s(i)"
        );
        // An organization of its owner alone has no member insert.
        let sqlite = BaSql { postgres: false }.organization("solo", 1, "u1");
        assert_eq!(sqlite.len(), 2);
        assert!(sqlite[1].ends_with("'owner', '2026-01-01T00:00:00.000Z')"));
    }
}
