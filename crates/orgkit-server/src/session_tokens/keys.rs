//! The ES256 keys that sign session tokens, in the `signing_keys` table: the private half
//! sealed with `--secret-key`, the public half as a JWK.
//!
//! One key is active (a unique index on `active` holds it to one, across instances); the first
//! is made on first use. Rotation retires the active key and makes a new one; a retired key
//! stays published for [`PUBLISHED_AFTER_RETIREMENT_SECONDS`].
//!
//! Each instance keeps the active key in memory for [`CACHE_SECONDS`]: after a rotation on one
//! instance, the others sign with the new key within that bound. The old key is published long
//! enough to cover it. The key set served to verifiers is read from the database every time.

use crate::db::{is_unique_violation, Db};
use crate::token::{new_id_at, now};
use crate::webhooks::Sealer;
use anyhow::Context;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use orgkit_core::session_token::RETIRED_KEY_GRACE_SECONDS;
use orgkit_core::wire::Jwk;
use orgkit_core::Timestamp;
use p256::ecdsa::SigningKey;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long an instance signs with the active key it read before reading it again.
pub const CACHE_SECONDS: i64 = 5;

/// How long a retired key stays in the key set: its last tokens (signed up to
/// [`CACHE_SECONDS`] after the rotation by instances that had not seen it) have expired, even
/// for a verifier whose clock runs late.
pub const PUBLISHED_AFTER_RETIREMENT_SECONDS: i64 = RETIRED_KEY_GRACE_SECONDS + CACHE_SECONDS;

/// The algorithm of every key.
pub const ALGORITHM: &str = "ES256";

/// The key that signs, opened.
pub struct ActiveKey {
    pub kid: String,
    pub key: SigningKey,
}

/// A key as listed by `orgkit-server signing-keys list`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub kid: String,
    pub algorithm: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

/// This instance's copy of the active key.
#[derive(Default)]
pub struct KeyCache(Mutex<Option<(Instant, Arc<ActiveKey>)>>);

impl KeyCache {
    /// The active key: cached for [`CACHE_SECONDS`], else read, else made.
    pub async fn active(&self, db: &Db, sealer: &Sealer) -> anyhow::Result<Arc<ActiveKey>> {
        let mut slot = self.0.lock().await;
        if let Some((read_at, key)) = slot.as_ref() {
            if read_at.elapsed() < Duration::from_secs(CACHE_SECONDS.unsigned_abs()) {
                return Ok(Arc::clone(key));
            }
        }
        let key = Arc::new(active_or_create(db, sealer).await?);
        *slot = Some((Instant::now(), Arc::clone(&key)));
        Ok(key)
    }
}

/// The active key, made if there is none. Two instances making it at once: the unique index
/// refuses the second, which then reads the first's.
pub async fn active_or_create(db: &Db, sealer: &Sealer) -> anyhow::Result<ActiveKey> {
    for _ in 0..3 {
        if let Some(key) = read_active(db, sealer).await? {
            return Ok(key);
        }
        let mut tx = db.begin_write().await?;
        match insert_new(&mut tx, sealer).await {
            Ok(key) => {
                tx.commit().await?;
                tracing::info!(kid = %key.kid, "signing key created");
                return Ok(key);
            }
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    anyhow::bail!("no active signing key after three attempts")
}

/// Retires the active key (if any) and makes a new one, in one transaction. Returns the new
/// kid.
pub async fn rotate(db: &Db, sealer: &Sealer) -> anyhow::Result<String> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE signing_keys SET active = NULL, retired_at = $1 WHERE active = 1")
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
    let key = insert_new(&mut tx, sealer)
        .await
        .context("another rotation ran at the same time; try again")?;
    tx.commit().await?;
    tracing::info!(kid = %key.kid, "signing keys rotated");
    Ok(key.kid)
}

/// Every key, newest first.
pub async fn list(db: &Db) -> anyhow::Result<Vec<KeyRow>> {
    Ok(sqlx::query_as(
        "SELECT kid, algorithm, created_at, retired_at FROM signing_keys ORDER BY created_at DESC, kid DESC",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// The public keys verifiers need at `at`: the active one and those retired less than
/// [`PUBLISHED_AFTER_RETIREMENT_SECONDS`] ago.
pub async fn published(db: &Db, at: Timestamp) -> anyhow::Result<Vec<Jwk>> {
    let since = at
        .plus_millis(-PUBLISHED_AFTER_RETIREMENT_SECONDS * 1000)
        .millis();
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT public_jwk FROM signing_keys WHERE retired_at IS NULL OR retired_at > $1 \
         ORDER BY created_at DESC, kid DESC",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|(jwk,)| serde_json::from_str(jwk).context("a stored public key is not a JWK"))
        .collect()
}

async fn read_active(db: &Db, sealer: &Sealer) -> anyhow::Result<Option<ActiveKey>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT kid, private_sealed FROM signing_keys WHERE active = 1")
            .fetch_optional(&db.pool)
            .await?;
    let Some((kid, sealed)) = row else {
        return Ok(None);
    };
    let scalar = hex::decode(sealer.open(&kid, &sealed)?)?;
    let key = SigningKey::from_slice(&scalar).context("a stored signing key is not P-256")?;
    Ok(Some(ActiveKey { kid, key }))
}

async fn insert_new(tx: &mut crate::db::Tx, sealer: &Sealer) -> Result<ActiveKey, sqlx::Error> {
    let at = now();
    let kid = new_id_at("key_", at);
    let key = SigningKey::random(&mut rand::rngs::OsRng);
    let jwk = public_jwk(&kid, &key);
    let sealed = sealer
        .seal(&kid, &hex::encode(key.to_bytes()))
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let jwk = serde_json::to_string(&jwk).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    sqlx::query(
        "INSERT INTO signing_keys (kid, algorithm, public_jwk, private_sealed, created_at, active) \
         VALUES ($1, $2, $3, $4, $5, 1)",
    )
    .bind(&kid)
    .bind(ALGORITHM)
    .bind(jwk)
    .bind(sealed)
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(ActiveKey { kid, key })
}

/// The public half of `key` as a JWK.
#[must_use]
pub fn public_jwk(kid: &str, key: &SigningKey) -> Jwk {
    let point = key.verifying_key().to_encoded_point(false);
    let coordinate =
        |c: Option<&p256::FieldBytes>| c.map(|c| URL_SAFE_NO_PAD.encode(c)).unwrap_or_default();
    Jwk {
        kty: "EC".to_owned(),
        crv: "P-256".to_owned(),
        x: coordinate(point.x()),
        y: coordinate(point.y()),
        kid: kid.to_owned(),
        alg: ALGORITHM.to_owned(),
        use_: "sig".to_owned(),
    }
}
