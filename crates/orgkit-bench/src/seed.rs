//! Seeds large organizations straight into the server's database, in a few set-based SQL
//! statements, because signing up a million people through the API would measure argon2.
//!
//! Seeded rows follow the server's schema (crates/orgkit-server/migrations) and id shapes:
//! user `user_sNNNNNNNN` (email `seedN@bench.test`, no usable password), membership
//! `mem_<tag>NNNNNNNN`, organization `org_<tag>`.

use crate::{Args, Database};
use anyhow::{Context, Result};
use sqlx::{AnyPool, Connection, Executor};

/// An organization the phases act on.
#[derive(Debug, Clone)]
pub struct SeededOrg {
    pub id: String,
}

/// The user id of the `i`-th seeded member (0-based) of any seeded organization.
#[must_use]
pub fn member_user_id(i: u64) -> String {
    format!("user_s{:08}", i + 1)
}

pub struct Seeder {
    pool: AnyPool,
    postgres: bool,
}

impl Seeder {
    pub async fn connect(url: &str) -> Result<Seeder> {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(2)
            .connect(url)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        Ok(Seeder {
            pool,
            postgres: url.starts_with("postgres"),
        })
    }

    /// `expr` as an 8-digit zero-padded string, in this database's dialect.
    fn pad(&self, expr: &str) -> String {
        pad_sql(self.postgres, expr)
    }

    /// A row source `s(i)` of 1..=n.
    fn series(&self, n: u64) -> String {
        series_sql(self.postgres, n)
    }

    /// Creates seeded users 1..=n.
    pub async fn seed_users(&self, n: u64) -> Result<()> {
        let id = self.pad("s.i");
        let sql = format!(
            "INSERT INTO users (id, email, name, password_hash, email_verified, created_at) \
             SELECT 'user_s' || {id}, 'seed' || s.i || '@bench.test', 'Seed ' || s.i, 'seeded: no password', 1, 0 FROM {}",
            self.series(n)
        );
        self.pool
            .execute(sql.as_str())
            .await
            .context("seeding users")?;
        Ok(())
    }

    /// Creates an organization of `size` members: `admin_id` as its admin and seeded users
    /// 1..size as basic members.
    pub async fn seed_org(&self, tag: &str, size: u64, admin_id: &str) -> Result<SeededOrg> {
        let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).collect();
        let org = format!("org_{tag}");
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO organizations (id, name, slug, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, 0)")
            .bind(&org)
            .bind(format!("Bench {tag}"))
            .bind(format!("bench-{}", tag.to_ascii_lowercase()))
            .bind(admin_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, 'admin', 0)")
            .bind(format!("mem_{tag}00000000"))
            .bind(&org)
            .bind(admin_id)
            .execute(&mut *tx)
            .await?;
        if size > 1 {
            let (member, user) = (self.pad("s.i"), self.pad("s.i"));
            let sql = format!(
                "INSERT INTO memberships (id, org_id, user_id, role, created_at) \
                 SELECT 'mem_{tag}' || {member}, '{org}', 'user_s' || {user}, 'basic_member', 0 FROM {}",
                self.series(size - 1)
            );
            tx.execute(sql.as_str())
                .await
                .context("seeding memberships")?;
        }
        tx.commit().await?;
        Ok(SeededOrg { id: org })
    }

    /// Makes `user_id` a member of `org_id` with `role` (a person signed up through the API,
    /// for a scenario that needs their session).
    pub async fn add_member(&self, org_id: &str, user_id: &str, role: &str) -> Result<()> {
        sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, 0)")
            .bind(format!("mem_added{}", user_id.trim_start_matches("user_")))
            .bind(org_id)
            .bind(user_id)
            .bind(role)
            .execute(&self.pool)
            .await
            .context("adding a member")?;
        Ok(())
    }

    /// `n` custom roles in `org`'s catalog, as the roles routes store them: every fourth one
    /// manages members (so counting admins reads them too), the others hold a few
    /// permissions each.
    pub async fn seed_custom_roles(&self, org: &SeededOrg, n: usize) -> Result<()> {
        if n == 0 {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for i in 0..n {
            let permissions = if i % 4 == 0 {
                r#"["org:memberships:read","org:memberships:manage"]"#
            } else {
                r#"["org:memberships:read","org:billing:read","org:audit:read"]"#
            };
            sqlx::query(
                "INSERT INTO organization_roles (org_id, key, name, description, permissions, created_at, updated_at) \
                 VALUES ($1, $2, $3, '', $4, $5, $5)",
            )
            .bind(&org.id)
            .bind(format!("org:bench{i}"))
            .bind(format!("Bench role {i}"))
            .bind(permissions)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE organizations SET roles_version = roles_version + 1 WHERE id = $1")
            .bind(&org.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The cursor that starts the page at position `n` of an organization's member list.
    pub async fn cursor_at(&self, org: &SeededOrg, n: u64) -> Result<String> {
        let (id,): (String,) = sqlx::query_as(&format!(
            "SELECT id FROM memberships WHERE org_id = $1 ORDER BY id LIMIT 1 OFFSET {}",
            n.saturating_sub(1)
        ))
        .bind(&org.id)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Adds `n` pending invitations (`invN@bench.test`, valid for a day) to an organization,
    /// in one statement.
    pub async fn seed_invitations(&self, org: &SeededOrg, n: u64, inviter: &str) -> Result<()> {
        let id = self.pad("s.i");
        let far = 4_000_000_000_000_i64;
        let sql = format!(
            "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, created_at, expires_at) \
             SELECT 'inv_' || {id} || '{tag}', '{org}', 'inv' || s.i || '@bench.test', 'basic_member', 'pending', \
               'seeded-{tag}-' || s.i, '{inviter}', 0, {far} FROM {}",
            self.series(n),
            tag = org.id.trim_start_matches("org_"),
            org = org.id,
        );
        self.pool
            .execute(sql.as_str())
            .await
            .context("seeding invitations")?;
        Ok(())
    }

    /// The roster cursor (`<id>.<hex email>`) that starts the page at position `n` of an
    /// organization's roster (members and pending invitations, by email, then id).
    pub async fn roster_cursor_at(&self, org: &SeededOrg, n: u64) -> Result<String> {
        let (email, id): (String, String) = sqlx::query_as(&format!(
            "SELECT email, id FROM (SELECT email, id FROM memberships WHERE org_id = $1 \
               UNION ALL SELECT email, id FROM invitations WHERE org_id = $1 AND status = 'pending') r \
             ORDER BY email, id LIMIT 1 OFFSET {}",
            n.saturating_sub(1)
        ))
        .bind(&org.id)
        .fetch_one(&self.pool)
        .await?;
        let hex: String = email.bytes().map(|b| format!("{b:02x}")).collect();
        Ok(format!("{id}.{hex}"))
    }

    /// Refreshes PostgreSQL's planner statistics, as autovacuum would within a minute of a bulk
    /// import: without them, a table seeded with 80,000 rows at once still looks empty to the
    /// planner, which then sorts an organization instead of walking its index (SQLite's plans do
    /// not depend on statistics here).
    pub async fn analyze(&self) -> Result<()> {
        if self.postgres {
            self.pool.execute("ANALYZE").await.context("ANALYZE")?;
        }
        Ok(())
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// A run's PostgreSQL database (a label's `-` become `_`, so the name needs no quoting).
fn pg_database_name(label: &str, run: usize) -> String {
    format!("orgkit_{}_{run}", label.replace('-', "_"))
}

/// A run's SQLite file (its `-wal` and `-shm` files sit next to it).
pub(crate) fn sqlite_path(args: &Args, label: &str, run: usize) -> std::path::PathBuf {
    args.work_dir.join(format!("{label}-run{run}.db"))
}

fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// A new, empty database for one run of a scenario (`label`: `bench` for the plan); returns
/// the URL the server should use.
pub async fn fresh_database(args: &Args, label: &str, run: usize) -> Result<String> {
    match args.database {
        Database::Sqlite => {
            std::fs::create_dir_all(&args.work_dir)?;
            let path = sqlite_path(args, label, run);
            remove_sqlite(&path);
            Ok(format!("sqlite://{}", path.display()))
        }
        Database::Postgres => {
            let name = pg_database_name(label, run);
            let mut admin = sqlx::PgConnection::connect(&args.postgres_url).await?;
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await?;
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            let mut url = reqwest::Url::parse(&args.postgres_url)?;
            url.set_path(&format!("/{name}"));
            Ok(url.to_string())
        }
    }
}

/// Removes a run's database.
pub async fn drop_database(args: &Args, label: &str, run: usize) -> Result<()> {
    match args.database {
        Database::Sqlite => remove_sqlite(&sqlite_path(args, label, run)),
        Database::Postgres => {
            let mut admin = sqlx::PgConnection::connect(&args.postgres_url).await?;
            admin
                .execute(
                    format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        pg_database_name(label, run)
                    )
                    .as_str(),
                )
                .await?;
        }
    }
    Ok(())
}

/// The integers 1..=n as the rows `s(i)` of a SQLite query (a recursive CTE).
pub(crate) fn sqlite_series(n: u64) -> String {
    format!("(WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) SELECT i FROM c) AS s")
}

/// The integers 1..=n as the rows `s(i)` of a query: `generate_series` on PostgreSQL, a
/// recursive CTE on SQLite.
pub(crate) fn series_sql(postgres: bool, n: u64) -> String {
    if postgres {
        format!("generate_series(1, {n}) AS s(i)")
    } else {
        sqlite_series(n)
    }
}

/// `expr` (an integer) as an 8-digit zero-padded string, in PostgreSQL's or SQLite's dialect.
pub(crate) fn pad_sql(postgres: bool, expr: &str) -> String {
    if postgres {
        format!("lpad(({expr})::text, 8, '0')")
    } else {
        format!("printf('%08d', {expr})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_need_no_quoting() {
        assert_eq!(pg_database_name("paired-ba", 2), "orgkit_paired_ba_2");
        assert_eq!(pg_database_name("bench", 1), "orgkit_bench_1");
    }

    #[test]
    fn series_and_padding_speak_each_dialect() {
        assert_eq!(series_sql(true, 5), "generate_series(1, 5) AS s(i)");
        assert_eq!(series_sql(false, 5), sqlite_series(5));
        assert_eq!(pad_sql(true, "s.i"), "lpad((s.i)::text, 8, '0')");
        assert_eq!(pad_sql(false, "s.i"), "printf('%08d', s.i)");
    }
}
