//! SQLite's writer thread: one thread owns one rusqlite connection and runs every write
//! transaction handed to it as a closure, in one hand-off each instead of one per statement.
//!
//! Group commit: the thread takes the jobs waiting at that moment (up to [`MAX_BATCH`]), opens
//! one transaction, runs each job inside its own `SAVEPOINT` (a job that fails or panics rolls
//! back to it, and only it), then `COMMIT`s once. Architecture invariant: a job is answered
//! only after that `COMMIT` returned; a failed `COMMIT` answers every job of the batch with an
//! error.

mod checkpoint;

use super::store::{lite_error, LiteTx};
use crate::error::{ApiError, ApiResult};
use checkpoint::Commits;
pub use checkpoint::SAFETY_NET_PAGES;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use tokio::sync::{oneshot, Mutex};

/// The most jobs one `COMMIT` covers.
pub const MAX_BATCH: usize = 64;

/// `synchronous` in WAL mode: `Normal` may lose the last transactions on a power loss (never
/// on a process crash), `Full` syncs the WAL at every commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Synchronous {
    Normal,
    Full,
}

impl Synchronous {
    /// The pragma's value.
    #[must_use]
    pub fn as_sql(self) -> &'static str {
        match self {
            Synchronous::Normal => "NORMAL",
            Synchronous::Full => "FULL",
        }
    }
}

/// A job as the thread sees it: it runs, then says whether to keep its savepoint and how to
/// be answered once the batch's fate is known.
type Job = Box<dyn FnOnce(&mut LiteTx<'_>) -> Ran + Send>;

/// How a job is answered, once its batch's `COMMIT` is known (`Err`: its message).
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;

struct Ran {
    ok: bool,
    answer: Answer,
}

/// The handle the server keeps: sends jobs to the thread.
#[derive(Debug, Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    /// Set by [`Writer::close`]: new jobs are refused as a closed database (and the checkpoint
    /// thread stops).
    closed: Arc<AtomicBool>,
}

impl Writer {
    /// Opens the connection (same pragmas as the sqlx pool) and starts the thread. `lock` is
    /// the process's SQLite writer lock, which sqlx's write transactions take too.
    pub fn start(
        path: &str,
        synchronous: Synchronous,
        lock: Arc<Mutex<()>>,
    ) -> anyhow::Result<Writer> {
        let conn = rusqlite::Connection::open(path)?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
             PRAGMA synchronous = {};",
            synchronous.as_sql()
        ))?;
        conn.set_prepared_statement_cache_capacity(256);
        // Each job's savepoint copies the pages it changes into a statement journal; in a
        // temporary file past 64 KiB, that was a quarter of an invitation's time in pwrite.
        conn.execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = {}; PRAGMA temp_store = MEMORY;",
            checkpoint::SAFETY_NET_PAGES
        ))?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let (commits, closed) = (Arc::new(Commits::default()), Arc::default());
        checkpoint::start(path, Arc::downgrade(&commits), Arc::clone(&closed))?;
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, &queue, &lock, &commits))?;
        Ok(Writer { jobs, closed })
    }

    /// Refuses every later job with `PoolClosed` (a `503 unavailable`), as sqlx's closed pool
    /// does; jobs already queued still run.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
    }

    /// Runs `job` on the writer thread inside its own savepoint and answers after the batch's
    /// `COMMIT`. A job whose body is async (to share its SQL with sqlx's path) wraps it in
    /// [`block_on`]: every statement on this connection is ready at once.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut LiteTx<'_>) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(sqlx::Error::PoolClosed.into());
        }
        let (send, recv) = oneshot::channel::<ApiResult<T>>();
        let job: Job = Box::new(move |tx| {
            let result = catch_unwind(AssertUnwindSafe(|| job(tx))).unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(ApiError::Internal(anyhow::anyhow!(
                    "a write job panicked: {what}"
                )))
            });
            Ran {
                ok: result.is_ok(),
                answer: Box::new(move |committed| {
                    let answer = match committed {
                        Ok(()) => result,
                        // A failed job's own error says more than the commit's.
                        Err(e) => result.and_then(|_| {
                            Err(ApiError::Internal(anyhow::anyhow!("commit failed: {e}")))
                        }),
                    };
                    let _ = send.send(answer);
                }),
            }
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the SQLite writer has stopped")))?;
        recv.await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the SQLite writer dropped a job")))?
    }
}

/// The thread: waits for a job, takes every other one waiting (up to [`MAX_BATCH`]), runs the
/// batch, repeats until the server drops its handle.
fn run(
    mut conn: rusqlite::Connection,
    queue: &mpsc::Receiver<Job>,
    lock: &Mutex<()>,
    commits: &Commits,
) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let turn = lock.blocking_lock();
        let answers = run_batch(&mut conn, batch);
        let committed = conn
            .execute_batch("COMMIT")
            .map_err(|e| lite_error(e).to_string());
        if committed.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        } else {
            commits.committed();
        }
        drop(turn);
        for answer in answers {
            answer(committed.clone());
        }
    }
}

/// Opens the batch's transaction and runs each job in its own savepoint. Answers the jobs'
/// reply functions, to call once the `COMMIT` is done.
fn run_batch(conn: &mut rusqlite::Connection, batch: Vec<Job>) -> Vec<Answer> {
    let mut answers = Vec::with_capacity(batch.len());
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let e = lite_error(e).to_string();
        for job in batch {
            // Never run: answered with the error. A job that cannot start answers itself.
            let ran = job_failed(job, &e);
            answers.push(ran);
        }
        return answers;
    }
    for job in batch {
        if let Err(e) = conn.execute_batch("SAVEPOINT job") {
            answers.push(job_failed(job, &lite_error(e).to_string()));
            continue;
        }
        let ran = job(&mut LiteTx { conn: &mut *conn });
        let end = if ran.ok {
            "RELEASE job"
        } else {
            "ROLLBACK TO job; RELEASE job"
        };
        if let Err(e) = conn.execute_batch(end) {
            tracing::error!("the SQLite writer could not end a savepoint: {e}");
        }
        answers.push(ran.answer);
    }
    answers
}

/// Answers a job that never ran with `error`.
fn job_failed(job: Job, error: &str) -> Answer {
    let error = error.to_owned();
    // Dropping the job drops its sender: the waiting request sees "dropped a job".
    drop(job);
    Box::new(move |_| tracing::error!("a write job could not start: {error}"))
}

/// Polls a future that never waits to its end. A job awaiting anything but the writer's
/// connection is a bug, answered as an error rather than blocking the thread.
pub fn block_on<T>(future: impl Future<Output = ApiResult<T>>) -> ApiResult<T> {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(out) => out,
        Poll::Pending => Err(ApiError::Internal(anyhow::anyhow!(
            "a write job awaited something other than the SQLite writer"
        ))),
    }
}

#[cfg(test)]
mod tests;
