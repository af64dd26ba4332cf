//! The database: one `sqlx::Any` pool over SQLite or PostgreSQL, its migrations, and write
//! transactions that serialize the changes of one organization.
//!
//! SQL is written once, with `$1` placeholders, which both drivers accept. The few places
//! where the dialects differ ask [`Db::kind`].

use anyhow::Context;
use orgkit_core::{OrgLock, OrganizationId, UserId};
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

pub mod reads;
pub mod replay;
#[cfg(test)]
pub mod scratch;
pub mod store;
pub mod writer;

pub use store::{p, Row, Value, WriteTx};

/// How SQLite runs: its durability, and whether writes go through the writer thread.
#[derive(Debug, Clone, Copy)]
pub struct SqliteOptions {
    pub synchronous: writer::Synchronous,
    /// Start the writer thread and read the hot paths inline over rusqlite (see [`reads`]);
    /// `--no-sqlite-writer` turns both off.
    pub writer: bool,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            synchronous: writer::Synchronous::Normal,
            writer: false,
        }
    }
}

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// The most connections a SQLite pool opens.
const SQLITE_MAX_CONNECTIONS: u32 = 4;

/// A write transaction. On SQLite it also holds the process's writer lock, so writers queue
/// in memory instead of polling SQLite's busy timeout. It derefs to the connection, so
/// `&mut *tx` is an executor.
pub struct Tx {
    inner: Transaction<'static, Any>,
    _writer: Option<OwnedMutexGuard<()>>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    /// Rolls back now, releasing the transaction's locks before the connection is reused
    /// (dropping it only queues the rollback).
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub kind: Kind,
    /// SQLite allows one writer at a time; this queues them fairly inside the process (the
    /// writer thread takes it too, for each batch).
    writer: Arc<Mutex<()>>,
    /// SQLite's writer thread, when on (see [`writer`]).
    pub lite_writer: Option<writer::Writer>,
    /// SQLite's inline reads, on with the writer (see [`reads`]).
    lite_reads: Option<Arc<reads::LiteReads>>,
    /// PostgreSQL's one-round-trip writes, when on (see [`replay`]): their counters.
    pub replay: Option<Arc<replay::ReplayStats>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects and runs the migrations. A SQLite file is created if missing and put in WAL
    /// mode.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        Db::connect_with(url, max_connections, SqliteOptions::default()).await
    }

    /// [`Db::connect`] with SQLite's options: its `synchronous` and the writer thread (off for
    /// an in-memory database, which another connection would not see).
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        sqlite: SqliteOptions,
    ) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let (kind, url) = if url.starts_with("sqlite:") {
            let url = if url.contains("mode=") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Kind::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Kind::Postgres, url.to_owned())
        } else {
            anyhow::bail!("unsupported database URL (use sqlite:// or postgres://): {url}");
        };
        // SQLite has one writer at a time and reads from a local file: a few connections
        // serve any load, and each one holds its own page cache.
        let connections = match kind {
            Kind::Sqlite => max_connections.clamp(1, SQLITE_MAX_CONNECTIONS),
            Kind::Postgres => max_connections.max(1),
        };
        // The file SQLite's writer thread and inline readers open, when they are on.
        let writer_file = sqlite_file(&url).filter(|_| kind == Kind::Sqlite && sqlite.writer);
        let mut options = AnyPoolOptions::new().max_connections(connections);
        if kind == Kind::Sqlite {
            // With the writer, its checkpoint thread keeps the WAL short: a pool commit then
            // checkpoints by itself only past the writer's safety net, as the writer does.
            let checkpoints = if writer_file.is_some() {
                writer::SAFETY_NET_PAGES
            } else {
                1000
            };
            let pragmas = format!(
                "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = {}; \
                 PRAGMA wal_autocheckpoint = {checkpoints};",
                sqlite.synchronous.as_sql()
            );
            options = options.after_connect(move |conn, _| {
                let pragmas = pragmas.clone();
                Box::pin(async move {
                    Executor::execute(conn, pragmas.as_str()).await?;
                    Ok(())
                })
            });
        }
        let pool = options
            .connect(&url)
            .await
            .with_context(|| format!("connecting to {}", redact(&url)))?;
        if kind == Kind::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let migrator = match kind {
            Kind::Sqlite => &SQLITE_MIGRATIONS,
            Kind::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.context("running migrations")?;
        let writer = Arc::new(Mutex::new(()));
        let (lite_writer, lite_reads) = match writer_file {
            Some(path) => (
                Some(
                    writer::Writer::start(&path, sqlite.synchronous, Arc::clone(&writer))
                        .context("starting the SQLite writer")?,
                ),
                Some(Arc::new(
                    reads::LiteReads::open(&path).context("opening SQLite's readers")?,
                )),
            ),
            _ => (None, None),
        };
        Ok(Db {
            pool,
            kind,
            writer,
            lite_writer,
            lite_reads,
            replay: None,
        })
    }

    /// Closes the database: sqlx's pool, the writer thread's queue and the inline readers.
    /// Every later request that needs it answers `503 unavailable`.
    pub async fn close(&self) {
        if let Some(writer) = &self.lite_writer {
            writer.close();
        }
        if let Some(reads) = &self.lite_reads {
            reads.close();
        }
        self.pool.close().await;
    }

    /// Reads one row outside any transaction: inline over rusqlite on SQLite when on (see
    /// [`reads`]; only bounded, indexed reads), else through the pool.
    pub async fn read_optional(
        &self,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<Row>, sqlx::Error> {
        if let Some(reads) = &self.lite_reads {
            return Ok(reads.query(sql, params, true)?.into_iter().next());
        }
        let mut conn = self.pool.acquire().await?;
        WriteTx::fetch_optional(&mut *conn, sql, params).await
    }

    /// Turns PostgreSQL's replays on (`--pg-replay`); SQLite has none.
    pub fn enable_replays(&mut self) {
        if self.kind == Kind::Postgres {
            self.replay = Some(Arc::default());
        }
    }

    /// A PostgreSQL replay to run a write body on (see [`replay`]), or `None`: SQLite, replays
    /// turned off, or no connection (the classic transaction then reports it).
    pub async fn begin_replay(&self) -> Option<replay::Replay> {
        let stats = Arc::clone(self.replay.as_ref()?);
        replay::Replay::begin(&self.pool, stats).await.ok()
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so concurrent writers queue instead of deadlocking on a lock upgrade.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.kind {
            Kind::Sqlite => {
                let writer = Arc::clone(&self.writer).lock_owned().await;
                let inner = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Tx {
                    inner,
                    _writer: Some(writer),
                })
            }
            Kind::Postgres => Ok(Tx {
                inner: self.pool.begin().await?,
                _writer: None,
            }),
        }
    }

    /// Locks an organization's row for the rest of `tx`, so that every change to its
    /// memberships and invitations runs one at a time, and reads its name and `user_id`'s role
    /// in it, with whether they own it and are suspended, in one statement. `None`: no such
    /// organization.
    pub async fn lock_organization<W: WriteTx + ?Sized>(
        &self,
        tx: &mut W,
        org_id: &OrganizationId,
        user_id: &UserId,
    ) -> Result<Option<LockedOrg>, sqlx::Error> {
        self.lock_organization_as(tx, org_id, user_id, OrgLock::Exclusive)
            .await
    }

    /// [`Db::lock_organization`], holding the row as `lock` says. On PostgreSQL a shared
    /// write takes `FOR KEY SHARE`, which conflicts only with an exclusive write's
    /// `FOR UPDATE`, and my membership is read after the lock is taken, by a function with a
    /// snapshot of its own (migration 0021): a join would show it as it was before the lock's
    /// wait. On SQLite every write holds the database's one write lock from its start.
    pub async fn lock_organization_as<W: WriteTx + ?Sized>(
        &self,
        tx: &mut W,
        org_id: &OrganizationId,
        user_id: &UserId,
        lock: OrgLock,
    ) -> Result<Option<LockedOrg>, sqlx::Error> {
        let columns = "o.name, o.roles_version, m.role AS my_role, m.is_owner AS my_is_owner, \
                       m.suspended_at AS my_suspended_at";
        let sql = match self.kind {
            Kind::Postgres => {
                let mode = match lock {
                    OrgLock::Exclusive => "UPDATE",
                    OrgLock::Shared => "KEY SHARE",
                };
                format!(
                    "SELECT {columns}, m.extra_roles AS my_extra_roles FROM \
                     (SELECT id, name, roles_version FROM organizations WHERE id = $1 FOR {mode}) o \
                     LEFT JOIN LATERAL orgkit_membership_now(o.id, $2) m ON true"
                )
            }
            Kind::Sqlite => {
                let extra_roles = crate::service::access::EXTRA_ROLES_SQL;
                format!(
                    "SELECT {columns}, {extra_roles} AS my_extra_roles FROM organizations o \
                     LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1"
                )
            }
        };
        let row = tx
            .fetch_optional(&sql, &[p(org_id.as_str()), p(user_id.as_str())])
            .await?;
        row.map(|row| LockedOrg::from_row(&row)).transpose()
    }
}

/// What locking an organization read along the way.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockedOrg {
    pub name: String,
    /// The number the organization's custom roles are at (see `service::access`).
    pub roles_version: i64,
    /// The locking user's primary role, or `None` when they are not a member.
    pub my_role: Option<String>,
    /// The locking user's further roles, joined by commas (see `service::access`).
    pub my_extra_roles: Option<String>,
    /// 1 when the locking user owns the organization (`None`: not a member).
    pub my_is_owner: Option<i64>,
    /// When the locking user's membership was suspended (`None`: active, or not a member).
    pub my_suspended_at: Option<i64>,
    /// The organization's catalog and the locking user's roles, filled in by
    /// `service::begin_org_write`.
    #[sqlx(skip)]
    pub access: crate::service::access::Access,
}

impl LockedOrg {
    fn from_row(row: &Row) -> Result<Self, sqlx::Error> {
        Ok(LockedOrg {
            name: row.text("name")?,
            roles_version: row.int("roles_version")?,
            my_role: row.opt_text("my_role")?,
            my_extra_roles: row.opt_text("my_extra_roles")?,
            my_is_owner: row.opt_int("my_is_owner")?,
            my_suspended_at: row.opt_int("my_suspended_at")?,
            access: crate::service::access::Access::default(),
        })
    }

    /// Whether the locking user owns the organization.
    #[must_use]
    pub fn i_own_it(&self) -> bool {
        self.my_is_owner == Some(1)
    }
}

/// Whether PostgreSQL broke a deadlock by failing this statement (SQLSTATE 40P01).
#[must_use]
pub fn is_deadlock(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("40P01"))
}

/// Whether an error is a unique-index violation.
#[must_use]
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The file of a `sqlite:` URL, or `None` for an in-memory database.
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:") && !url.contains("mode=memory"))
        .then(|| path.to_owned())
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn the_writer_opens_the_file_of_the_url_and_none_in_memory() {
        let cases = [
            ("sqlite:///tmp/a.db?mode=rwc", Some("/tmp/a.db")),
            ("sqlite://orgkit.db", Some("orgkit.db")),
            ("sqlite:orgkit.db?mode=rwc", Some("orgkit.db")),
            ("sqlite::memory:", None),
            ("sqlite://file.db?mode=memory", None),
            ("postgres://postgres@127.0.0.1/test", None),
        ];
        for (url, file) in cases {
            assert_eq!(sqlite_file(url).as_deref(), file, "{url}");
        }
    }
}
