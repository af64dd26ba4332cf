//! Passwords, sessions and email verification.

use crate::db::{p, Db};
use crate::error::{ApiError, ApiResult};
use crate::token::{hash, new_secret, now};
use argon2::password_hash::{Output, PasswordHash, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum_extra::extract::cookie::{Cookie, SameSite};
use orgkit_core::wire::User;
use orgkit_core::{OrganizationId, Timestamp, UserId};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "orgkit_session";
/// How long a session lasts: 30 days.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;

/// argon2id with fixed parameters, and a dummy hash to verify against for unknown accounts so
/// that sign-in takes the same time either way.
///
/// Each hash needs `m_cost` KiB of working memory (19 MiB by default). The hasher keeps one
/// buffer per core and reuses it, so memory stays bounded under any sign-in load instead of
/// growing with every thread's allocator arena.
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    params: Params,
    dummy_hash: String,
    /// Reusable working memory, one buffer per hash in flight.
    memory: std::sync::Mutex<Vec<Vec<Block>>>,
    /// At most one hash per core at a time: more only adds memory, not speed.
    slots: tokio::sync::Semaphore,
}

impl PasswordHasher {
    /// `default`: OWASP's argon2id parameters (19 MiB, 2 passes). `fast`: 1 MiB, 1 pass, for
    /// tests only.
    pub fn new(cost: &str) -> anyhow::Result<Self> {
        let params = match cost {
            "default" => Params::new(19 * 1024, 2, 1, Some(32)),
            "fast" => Params::new(1024, 1, 1, Some(32)),
            other => anyhow::bail!("unknown password hashing cost {other:?} (default or fast)"),
        }
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut hasher = PasswordHasher {
            argon2,
            params,
            dummy_hash: String::new(),
            memory: std::sync::Mutex::new(Vec::new()),
            slots: tokio::sync::Semaphore::new(cores),
        };
        hasher.dummy_hash = hasher.hash("not a real password")?;
        Ok(hasher)
    }

    /// Runs argon2 over `password` and the raw `salt` into `out`, in a reused buffer.
    fn compute(&self, password: &str, salt: &[u8], out: &mut [u8]) -> anyhow::Result<()> {
        let taken = self.memory.lock().ok().and_then(|mut pool| pool.pop());
        let mut blocks = taken.unwrap_or_else(|| vec![Block::default(); self.params.block_count()]);
        let result = self
            .argon2
            .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut blocks)
            .map_err(|e| anyhow::anyhow!("argon2: {e}"));
        if let Ok(mut pool) = self.memory.lock() {
            pool.push(blocks);
        }
        result
    }

    /// A PHC string (`$argon2id$v=19$m=…$salt$hash`) for `password`, with a random salt.
    pub fn hash(&self, password: &str) -> anyhow::Result<String> {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let mut raw_salt = [0u8; 64];
        let raw_salt = salt
            .decode_b64(&mut raw_salt)
            .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        let mut out = [0u8; 32];
        self.compute(password, raw_salt, &mut out)?;
        let phc = PasswordHash {
            algorithm: argon2::ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params: (&self.params)
                .try_into()
                .map_err(|e| anyhow::anyhow!("params: {e}"))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
        };
        Ok(phc.to_string())
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is no account.
    #[must_use]
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let target = stored.unwrap_or(&self.dummy_hash);
        let Ok(phc) = PasswordHash::new(target) else {
            return false;
        };
        let same_params = Params::try_from(&phc).is_ok_and(|p| p == self.params);
        let ok = match (phc.salt, phc.hash) {
            (Some(salt), Some(expected)) if same_params => {
                let mut raw_salt = [0u8; 64];
                let mut out = vec![0u8; expected.len()];
                salt.decode_b64(&mut raw_salt).is_ok_and(|raw| {
                    self.compute(password, raw, &mut out).is_ok()
                        && Output::new(&out).is_ok_and(|o| o == expected)
                })
            }
            // Hashes made with other parameters are checked the standard way.
            _ => self
                .argon2
                .verify_password(password.as_bytes(), &phc)
                .is_ok(),
        };
        ok && stored.is_some()
    }
}

impl PasswordHasher {
    /// Hashes on a blocking thread, one per core at most.
    pub async fn hash_async(self: &std::sync::Arc<Self>, password: String) -> ApiResult<String> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        let me = std::sync::Arc::clone(self);
        Ok(blocking(move || me.hash(&password)).await??)
    }

    /// Verifies on a blocking thread, one per core at most.
    pub async fn verify_async(
        self: &std::sync::Arc<Self>,
        password: String,
        stored: Option<String>,
    ) -> ApiResult<bool> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        let me = std::sync::Arc::clone(self);
        blocking(move || me.verify(&password, stored.as_deref())).await
    }
}

/// Runs CPU-bound work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// The signed-in user, as read with their session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// Where the request came from, for the audit log.
    pub client: ClientInfo,
    /// The API key the request was made with (`Authorization: Bearer ok_…`), if any: then
    /// `user` is the key's owner (for a service account, `user.id` is its `sa_…` id) and every
    /// check is cut to the key's scope (see `service::access::Access::check`).
    pub key: Option<std::sync::Arc<KeyActor>>,
}

/// What an API key request acts as, read when the key was looked up.
#[derive(Debug, Clone)]
pub struct KeyActor {
    pub key_id: orgkit_core::ApiKeyId,
    /// The only organization the key acts in.
    pub org_id: orgkit_core::OrganizationId,
    /// The permissions the key is limited to (`None`: all of its owner's).
    pub scope: Option<orgkit_core::PermissionSet>,
    /// For a service account's key: its organization role, read with the key.
    pub service_account_role: Option<String>,
}

/// Where a request came from: the client address (behind trusted proxies, the client they
/// name) and its `User-Agent`, cut to [`MAX_USER_AGENT_CHARS`].
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: Option<String>,
}

/// The longest `User-Agent` the audit log keeps.
pub const MAX_USER_AGENT_CHARS: usize = 256;

impl CurrentUser {
    #[must_use]
    pub fn id(&self) -> &UserId {
        &self.user.id
    }

    /// The scope a request's checks are cut to: its API key's, or none.
    #[must_use]
    pub fn limit(&self) -> Option<orgkit_core::PermissionSet> {
        self.key.as_ref().and_then(|k| k.scope)
    }
}

/// A user as stored, without the password hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserRow {
    #[sqlx(try_from = "String")]
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// 0 or 1: the same integer column on both databases.
    pub email_verified: i64,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    /// The stored last active organization, only while I am an active member of it.
    pub last_active_org_id: Option<String>,
}

/// The select list of [`USER_COLUMNS`], as a macro so that the session lookup can `concat!`
/// it into a literal.
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, u.email_verified, u.created_at, \
         (SELECT m.org_id FROM memberships m WHERE m.org_id = u.last_active_org_id \
            AND m.user_id = u.id AND m.suspended_at IS NULL) AS last_active_org_id"
    };
}

/// The select list that yields a [`UserRow`] from `users u`. The last active organization is
/// read through my active membership of it (the unique `(org_id, user_id)` index), so a removal
/// by any path, a suspension or the organization's deletion never shows a stale value.
pub(crate) const USER_COLUMNS: &str = user_columns!();

impl UserRow {
    /// Reads [`USER_COLUMNS`] from a row of either driver.
    pub(crate) fn from_store(row: &crate::db::Row) -> Result<UserRow, sqlx::Error> {
        Ok(UserRow {
            id: UserId::from(row.text("id")?),
            email: row.text("email")?,
            name: row.text("name")?,
            email_verified: row.int("email_verified")?,
            created_at: Timestamp::from(row.int("created_at")?),
            last_active_org_id: row.opt_text("last_active_org_id")?,
        })
    }
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            email_address: row.email,
            name: row.name,
            email_verified: row.email_verified != 0,
            created_at: row.created_at,
            last_active_organization_id: row.last_active_org_id.map(OrganizationId),
        }
    }
}

/// The user of the live session whose token hashes to `$1` at `$2`. Every request runs this: a
/// literal built at compile time, not formatted, and read inline on SQLite (see `db::reads`).
/// The session is a scalar subquery, so the user is one primary key probe whatever the
/// statistics say: as a join, PostgreSQL planned a merge join that walked `users_pkey` from its
/// start while `sessions` looked small (BENCHMARKS.md).
const SESSION_USER_SQL: &str = concat!(
    "SELECT ",
    user_columns!(),
    " FROM users u WHERE u.id = (SELECT s.user_id FROM sessions s \
       WHERE s.token_hash = $1 AND s.expires_at > $2)",
);

/// The user a session token belongs to, if the session is live.
pub async fn user_for_session(db: &Db, token: &str) -> ApiResult<Option<User>> {
    let row = db
        .read_optional(SESSION_USER_SQL, &[p(hash(token)), p(now().millis())])
        .await?;
    row.map(|row| UserRow::from_store(&row).map(User::from))
        .transpose()
        .map_err(Into::into)
}

/// Starts a session for `user_id` and returns its token (only the hash is stored).
pub async fn create_session(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: &UserId,
) -> ApiResult<String> {
    let token = new_secret();
    let at = now().millis();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash(&token))
        .bind(user_id.as_str())
        .bind(at)
        .bind(at + SESSION_TTL_MS)
        .execute(executor)
        .await?;
    Ok(token)
}

/// Ends a session.
pub async fn delete_session(db: &Db, token: &str) -> ApiResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The session cookie: HttpOnly, SameSite=Lax, for the whole site, Secure when the public URL
/// is https.
#[must_use]
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(SESSION_TTL_MS / 1000))
        .secure(secure)
        .build()
}

/// The cookie that clears the session cookie (empty, `Max-Age=0`).
#[must_use]
pub fn clear_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests;
