//! Passwords, sessions and email verification.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::token::{hash, new_secret, now};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use orgkit_core::wire::User;
use orgkit_core::{Timestamp, UserId};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "orgkit_session";
/// How long a session lasts: 30 days.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// How long an email-verification link lasts: 2 days.
pub const VERIFICATION_TTL_MS: i64 = 2 * 24 * 3600 * 1000;

/// argon2id with fixed parameters, and a dummy hash to verify against for unknown accounts so
/// that sign-in takes the same time either way.
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    dummy_hash: String,
}

impl PasswordHasher {
    /// `default`: OWASP's argon2id parameters (19 MiB, 2 passes). `fast`: 1 MiB, 1 pass, for
    /// tests only.
    pub fn new(cost: &str) -> anyhow::Result<Self> {
        let params = match cost {
            "default" => Params::new(19 * 1024, 2, 1, None),
            "fast" => Params::new(1024, 1, 1, None),
            other => anyhow::bail!("unknown password hashing cost {other:?} (default or fast)"),
        }
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut hasher = PasswordHasher {
            argon2,
            dummy_hash: String::new(),
        };
        hasher.dummy_hash = hasher.hash("not a real password")?;
        Ok(hasher)
    }

    pub fn hash(&self, password: &str) -> anyhow::Result<String> {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        self.argon2
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is no account.
    #[must_use]
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let target = stored.unwrap_or(&self.dummy_hash);
        let ok = PasswordHash::new(target)
            .map(|h| self.argon2.verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        ok && stored.is_some()
    }
}

/// Runs password hashing off the async threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// The signed-in user, as read with their session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
}

impl CurrentUser {
    #[must_use]
    pub fn id(&self) -> &str {
        self.user.id.as_str()
    }
}

type UserRow = (String, String, String, i64, i64);

pub(crate) fn user_from_row((id, email, name, verified, created_at): UserRow) -> User {
    User {
        id: UserId(id),
        email_address: email,
        name,
        email_verified: verified != 0,
        created_at: Timestamp(created_at),
    }
}

/// The user a session token belongs to, if the session is live.
pub async fn user_for_session(db: &Db, token: &str) -> ApiResult<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.email_verified, u.created_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(hash(token))
    .bind(now().millis())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(user_from_row))
}

/// Starts a session for `user_id` and returns its token (only the hash is stored).
pub async fn create_session(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: &str,
) -> ApiResult<String> {
    let token = new_secret();
    let at = now().millis();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash(&token))
        .bind(user_id)
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

/// The `Set-Cookie` value for a new session.
#[must_use]
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        SESSION_TTL_MS / 1000
    )
}

/// The `Set-Cookie` value that clears the session cookie.
#[must_use]
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_unknown_accounts_never_do() {
        let hasher = PasswordHasher::new("fast").expect("hasher");
        let stored = hasher.hash("correct horse").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse", Some(&stored)));
        assert!(!hasher.verify("wrong horse", Some(&stored)));
        assert!(!hasher.verify("not a real password", None));
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let cookie = session_cookie("abc", false);
        assert!(cookie.starts_with("orgkit_session=abc;"));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(session_cookie("abc", true).contains("Secure"));
    }
}
