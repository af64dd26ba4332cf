//! One body of SQL over two drivers: [`WriteTx`] runs a statement with typed parameters on
//! sqlx (PostgreSQL, and SQLite when the writer thread is off) or on the writer thread's
//! rusqlite connection (see [`super::writer`]). The statements keep the `$1` placeholders both
//! dialects accept; only the I/O differs, the rule book's decisions stay in `orgkit-core`.

use sqlx::any::AnyRow;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::{AnyConnection, Row as _};
use std::future::Future;
use std::sync::Arc;

/// A statement parameter. NULLs keep their type: PostgreSQL refuses a text NULL where a
/// bigint belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}

/// A parameter from anything that converts into one: `&[p(org_id.as_str()), p(1i64)]`.
pub fn p(v: impl Into<Value>) -> Value {
    v.into()
}

/// A row read through either driver; its getters are by column name.
pub enum Row {
    Any(AnyRow),
    Lite {
        names: Arc<[String]>,
        values: Vec<LiteValue>,
    },
}

/// A column value as rusqlite read it.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Row {
    fn lite(&self, col: &str) -> Result<Option<&LiteValue>, sqlx::Error> {
        match self {
            Row::Any(_) => Ok(None),
            Row::Lite { names, values } => names
                .iter()
                .position(|n| n == col)
                .and_then(|i| values.get(i))
                .map(Some)
                .ok_or_else(|| sqlx::Error::ColumnNotFound(col.to_owned())),
        }
    }

    /// A nullable integer column.
    pub fn opt_int(&self, col: &str) -> Result<Option<i64>, sqlx::Error> {
        if let Row::Any(row) = self {
            return row.try_get(col);
        }
        match self.lite(col)? {
            None | Some(LiteValue::Null) => Ok(None),
            Some(LiteValue::Int(v)) => Ok(Some(*v)),
            Some(other) => Err(mismatch(col, other)),
        }
    }

    /// A nullable text column.
    pub fn opt_text(&self, col: &str) -> Result<Option<String>, sqlx::Error> {
        if let Row::Any(row) = self {
            return row.try_get(col);
        }
        match self.lite(col)? {
            None | Some(LiteValue::Null) => Ok(None),
            Some(LiteValue::Text(v)) => Ok(Some(v.clone())),
            Some(other) => Err(mismatch(col, other)),
        }
    }

    /// An integer column that is never NULL.
    pub fn int(&self, col: &str) -> Result<i64, sqlx::Error> {
        self.opt_int(col)?.ok_or_else(|| null(col))
    }

    /// A text column that is never NULL.
    pub fn text(&self, col: &str) -> Result<String, sqlx::Error> {
        self.opt_text(col)?.ok_or_else(|| null(col))
    }
}

fn mismatch(col: &str, found: &LiteValue) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: col.to_owned(),
        source: format!("unexpected value {found:?}").into(),
    }
}

fn null(col: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: col.to_owned(),
        source: "unexpected NULL".into(),
    }
}

/// The statements a write transaction runs, over either driver. The rusqlite side answers at
/// once (its futures are ready when made), so a job's async body runs to its end in one poll.
pub trait WriteTx: Send {
    /// Runs a statement; answers the rows it changed.
    fn execute(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// Runs a statement whose row count the caller does not need: a PostgreSQL replay (see
    /// [`super::replay`]) can record it instead of running it at once.
    fn write(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let done = self.execute(sql, params);
        async move { done.await.map(drop) }
    }

    /// The first row of a query, if any.
    fn fetch_optional(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Option<Row>, sqlx::Error>> + Send;

    /// Every row of a query.
    fn fetch_all(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Vec<Row>, sqlx::Error>> + Send;
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    params: &[Value],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for v in params {
        query = match v {
            Value::Int(i) => query.bind(*i),
            Value::Text(t) => query.bind(t.clone()),
        };
    }
    query
}

impl WriteTx for AnyConnection {
    async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, sqlx::Error> {
        let done = bind_all(sqlx::query(sql), params).execute(self).await?;
        Ok(done.rows_affected())
    }

    async fn fetch_optional(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<Row>, sqlx::Error> {
        let row = bind_all(sqlx::query(sql), params)
            .fetch_optional(self)
            .await?;
        Ok(row.map(Row::Any))
    }

    async fn fetch_all(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, sqlx::Error> {
        let rows = bind_all(sqlx::query(sql), params).fetch_all(self).await?;
        Ok(rows.into_iter().map(Row::Any).collect())
    }
}

impl WriteTx for super::Tx {
    fn execute(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send {
        WriteTx::execute(&mut **self, sql, params)
    }

    fn fetch_optional(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Option<Row>, sqlx::Error>> + Send {
        WriteTx::fetch_optional(&mut **self, sql, params)
    }

    fn fetch_all(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Vec<Row>, sqlx::Error>> + Send {
        WriteTx::fetch_all(&mut **self, sql, params)
    }
}

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

    fn run_query(
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
                    ValueRef::Text(t) => LiteValue::Text(String::from_utf8_lossy(t).into_owned()),
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
            sqlx::Error::Database(Box::new(LiteDbError { message, kind }))
        }
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

/// A database error from the writer's connection.
#[derive(Debug)]
struct LiteDbError {
    message: String,
    kind: ErrorKind,
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
