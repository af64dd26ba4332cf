//! The writer thread's rusqlite side of [`WriteTx`]: statements, rows and errors.

use super::{LiteValue, Row, Value, WriteTx};
use sqlx::error::{DatabaseError, ErrorKind};
use std::future::Future;
use std::sync::Arc;

/// The writer thread's connection inside its open batch transaction. It owns `&mut
/// Connection` (not a `rusqlite::Transaction`, which is not `Send`): the writer issues the
/// `BEGIN`, savepoints and `COMMIT` itself.
pub struct LiteTx<'c> {
    pub(crate) conn: &'c mut rusqlite::Connection,
}

impl LiteTx<'_> {
    /// Prepares `sql` (from the connection's statement cache) and binds `params` by the
    /// number in each `$N` placeholder, which SQLite numbers in order of first use.
    fn prepare<'s>(
        conn: &'s rusqlite::Connection,
        sql: &str,
        params: &[Value],
    ) -> Result<rusqlite::CachedStatement<'s>, sqlx::Error> {
        let mut stmt = conn.prepare_cached(sql).map_err(lite_error)?;
        for index in 1..=stmt.parameter_count() {
            let n = stmt
                .parameter_name(index)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(index);
            let value = params.get(n - 1).ok_or_else(|| {
                sqlx::Error::Protocol(format!("no parameter ${n} for the statement"))
            })?;
            let bound = match value {
                Value::Int(i) => stmt.raw_bind_parameter(index, *i),
                Value::Text(t) => stmt.raw_bind_parameter(index, t.as_deref()),
            };
            bound.map_err(lite_error)?;
        }
        Ok(stmt)
    }

    fn run_execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, sqlx::Error> {
        let mut stmt = Self::prepare(self.conn, sql, params)?;
        let mut rows = stmt.raw_query();
        while rows.next().map_err(lite_error)?.is_some() {}
        drop(rows);
        Ok(self.conn.changes())
    }

    pub(crate) fn run_query(
        &mut self,
        sql: &str,
        params: &[Value],
        first_only: bool,
    ) -> Result<Vec<Row>, sqlx::Error> {
        let mut stmt = Self::prepare(self.conn, sql, params)?;
        let names: Arc<[String]> = stmt
            .column_names()
            .iter()
            .map(|n| (*n).to_owned())
            .collect();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(lite_error)? {
            let mut values = Vec::with_capacity(names.len());
            for i in 0..names.len() {
                use rusqlite::types::ValueRef;
                values.push(match row.get_ref(i).map_err(lite_error)? {
                    ValueRef::Null => LiteValue::Null,
                    ValueRef::Integer(v) => LiteValue::Int(v),
                    ValueRef::Real(v) => LiteValue::Real(v),
                    ValueRef::Text(t) => LiteValue::Text(utf8(t)),
                    ValueRef::Blob(b) => LiteValue::Blob(b.to_vec()),
                });
            }
            out.push(Row::Lite {
                names: Arc::clone(&names),
                values,
            });
            if first_only {
                break;
            }
        }
        Ok(out)
    }
}

impl WriteTx for LiteTx<'_> {
    fn kind(&self) -> crate::db::Kind {
        crate::db::Kind::Sqlite
    }

    fn execute(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        std::future::ready(self.run_execute(sql, params))
    }

    fn fetch_optional(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Option<Row>, sqlx::Error>> + Send {
        std::future::ready(
            self.run_query(sql, params, true)
                .map(|rows| rows.into_iter().next()),
        )
    }

    fn fetch_all(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Vec<Row>, sqlx::Error>> + Send {
        std::future::ready(self.run_query(sql, params, false))
    }
}

/// SQLite's text as a `String`: checked by `str::from_utf8`'s fast path (a page of members is
/// 30 KB; `from_utf8_lossy`'s chunked walk was 4% of a page), lossy only when not UTF-8.
fn utf8(text: &[u8]) -> String {
    match std::str::from_utf8(text) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(text).into_owned(),
    }
}

/// A rusqlite error as sqlx's, keeping what callers ask of it (a unique violation).
pub(crate) fn lite_error(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::SqliteFailure(code, message) => {
            let kind = match code.extended_code {
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => ErrorKind::UniqueViolation,
                rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
                rusqlite::ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
                rusqlite::ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
                _ => ErrorKind::Other,
            };
            let message = message.unwrap_or_else(|| code.to_string());
            sqlx::Error::Database(Box::new(LiteDbError {
                message,
                kind,
                code: code.extended_code,
            }))
        }
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

/// A database error from a rusqlite connection (the writer's or a reader's).
#[derive(Debug)]
struct LiteDbError {
    message: String,
    kind: ErrorKind,
    /// SQLite's extended result code, as sqlx's SQLite errors give it (`error::is_outage`
    /// reads busy and locked from it).
    code: i32,
}

impl std::fmt::Display for LiteDbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LiteDbError {}

impl DatabaseError for LiteDbError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.kind {
            ErrorKind::UniqueViolation => ErrorKind::UniqueViolation,
            ErrorKind::ForeignKeyViolation => ErrorKind::ForeignKeyViolation,
            ErrorKind::NotNullViolation => ErrorKind::NotNullViolation,
            ErrorKind::CheckViolation => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
