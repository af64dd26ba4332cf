//! Instance secret keys: the server-to-server credential of the Clerk-compatible API. A key is
//! shown once when created; only its SHA-256 is stored, with a name and its last 4 characters.

use crate::db::Db;
use crate::error::ApiResult;
use crate::token::{hash, new_id, new_secret, now};

/// Every key starts with this, so that secret scanners and people can tell what it is.
pub const KEY_PREFIX: &str = "sk_orgkit_";
/// The prefix of a key's id. Keys act under their id, and no user id has this prefix (those
/// start with `user_`), so the rule book can tell a key from a person (`service::check`).
pub const KEY_ID_PREFIX: &str = "key_";

/// A key as listed: never the key itself.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecretKey {
    pub id: String,
    pub name: String,
    pub last4: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// Creates a key named `name`: answers its record and the key, which is not stored.
pub async fn create(db: &Db, name: &str) -> anyhow::Result<(SecretKey, String)> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 100,
        "the name must be 1 to 100 characters"
    );
    let key = format!("{KEY_PREFIX}{}", new_secret());
    let record = SecretKey {
        id: new_id(KEY_ID_PREFIX),
        name: name.to_owned(),
        last4: key[key.len() - 4..].to_owned(),
        created_at: now().millis(),
        revoked_at: None,
    };
    sqlx::query(
        "INSERT INTO clerk_secret_keys (id, name, key_hash, last4, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&record.id)
    .bind(&record.name)
    .bind(hash(&key))
    .bind(&record.last4)
    .bind(record.created_at)
    .execute(&db.pool)
    .await?;
    Ok((record, key))
}

/// Every key, oldest first, revoked ones included.
pub async fn list(db: &Db) -> anyhow::Result<Vec<SecretKey>> {
    Ok(sqlx::query_as(
        "SELECT id, name, last4, created_at, revoked_at FROM clerk_secret_keys ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// Revokes a key at once; answers whether a live key with this id was revoked.
pub async fn revoke(db: &Db, id: &str) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE clerk_secret_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(now().millis())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The live key `presented` is, if any.
pub async fn find(db: &Db, presented: &str) -> ApiResult<Option<SecretKey>> {
    if !presented.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    Ok(sqlx::query_as(
        "SELECT id, name, last4, created_at, revoked_at FROM clerk_secret_keys \
         WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash(presented))
    .fetch_optional(&db.pool)
    .await?)
}
