//! One body of SQL over two drivers: [`WriteTx`] runs a statement with typed parameters on
//! sqlx (PostgreSQL, and SQLite when the writer thread is off) or on the writer thread's
//! rusqlite connection (see [`super::writer`]). The statements keep the `$1` placeholders both
//! dialects accept; only the I/O differs, the rule book's decisions stay in `orgkit-core`.

use sqlx::any::AnyRow;
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
    /// The database the statements run on, for the few whose best form differs.
    fn kind(&self) -> super::Kind;

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
    fn kind(&self) -> super::Kind {
        if self.backend_name() == "SQLite" {
            super::Kind::Sqlite
        } else {
            super::Kind::Postgres
        }
    }

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
    fn kind(&self) -> super::Kind {
        WriteTx::kind(&**self)
    }

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

mod lite;
pub(crate) use lite::lite_error;
pub use lite::LiteTx;
