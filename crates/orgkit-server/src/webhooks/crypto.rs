//! Webhook secrets: made random, sealed at rest with the server's key, and used to sign.
//!
//! A signing secret is not hashed like the other secrets of orgkit: the server must read it
//! back to sign every message, so it is encrypted instead (AES-256-GCM, a random nonce per
//! value, the endpoint id as associated data so that a sealed secret copied to another row
//! does not open).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::{anyhow, bail, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a signing secret (the specification asks for 24 to 64).
const SECRET_BYTES: usize = 32;
/// The version tag of a sealed value, so the format can change later.
const SEALED_PREFIX: &str = "v1.";
const NONCE_BYTES: usize = 12;

/// Seals and opens secrets with the server's key (`--secret-key`).
pub struct Sealer(Aes256Gcm);

impl Sealer {
    /// The sealer of a base64 key of 32 bytes.
    pub fn from_base64(key: &str) -> anyhow::Result<Sealer> {
        let bytes = STANDARD
            .decode(key.trim())
            .context("--secret-key is not base64 (make one with: openssl rand -base64 32)")?;
        if bytes.len() != 32 {
            bail!(
                "--secret-key must be 32 bytes in base64, not {} bytes (make one with: openssl rand -base64 32)",
                bytes.len()
            );
        }
        let cipher = Aes256Gcm::new_from_slice(&bytes).map_err(|_| anyhow!("bad key length"))?;
        Ok(Sealer(cipher))
    }

    /// `v1.` and the base64 of a random nonce followed by the ciphertext, bound to `context`.
    pub fn seal(&self, context: &str, secret: &str) -> anyhow::Result<String> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = self
            .0
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("sealing a secret failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{SEALED_PREFIX}{}", STANDARD.encode(out)))
    }

    /// Opens what [`Sealer::seal`] made with the same key and `context`.
    pub fn open(&self, context: &str, sealed: &str) -> anyhow::Result<String> {
        let raw = sealed
            .strip_prefix(SEALED_PREFIX)
            .ok_or_else(|| anyhow!("unknown sealed-secret format"))?;
        let bytes = STANDARD
            .decode(raw)
            .context("sealed secret is not base64")?;
        if bytes.len() <= NONCE_BYTES {
            bail!("sealed secret is too short");
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .0
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("the secret does not open with this --secret-key"))?;
        String::from_utf8(plain).context("sealed secret is not text")
    }
}

/// A new signing secret: `whsec_` and the base64 of 32 random bytes.
#[must_use]
pub fn new_signing_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// The Standard Webhooks signature of a message: `v1,` and the base64 of
/// HMAC-SHA256(secret bytes, `"{id}.{timestamp}.{body}"`).
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> anyhow::Result<String> {
    let key = STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .context("signing secret is not base64")?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .map_err(|_| anyhow!("bad signing key length"))?;
    mac.update(format!("{message_id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> String {
        STANDARD.encode([7u8; 32])
    }

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_context() {
        let sealer = Sealer::from_base64(&key()).expect("key");
        let secret = new_signing_secret();
        let sealed = sealer.seal("whe_1", &secret).expect("seal");
        assert!(!sealed.contains(&secret[SECRET_PREFIX.len()..]));
        assert_ne!(
            sealed,
            sealer.seal("whe_1", &secret).expect("seal"),
            "random nonce"
        );
        assert_eq!(sealer.open("whe_1", &sealed).expect("open"), secret);
        assert!(sealer.open("whe_2", &sealed).is_err(), "another row");
        let other = Sealer::from_base64(&STANDARD.encode([8u8; 32])).expect("key");
        assert!(other.open("whe_1", &sealed).is_err(), "another key");
        let mut tampered = sealed.clone();
        tampered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert!(sealer.open("whe_1", &tampered).is_err());
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(Sealer::from_base64("not base64!").is_err());
        assert!(Sealer::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        assert!(Sealer::from_base64(&format!(" {} ", key())).is_ok());
    }

    #[test]
    fn secrets_follow_the_specification() {
        let secret = new_signing_secret();
        let bytes = STANDARD
            .decode(&secret[SECRET_PREFIX.len()..])
            .expect("base64");
        assert_eq!(bytes.len(), SECRET_BYTES);
        assert_ne!(secret, new_signing_secret());
    }

    #[test]
    fn signatures_verify_with_the_reference_library() {
        let secret = new_signing_secret();
        let ts = orgkit_core::Timestamp(crate::token::now().millis()).seconds();
        let body = r#"{"type":"webhook.test","timestamp":"2024-06-01T00:00:00.000Z","data":{}}"#;
        let signature = sign(&secret, "msg_1", ts, body).expect("sign");
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("webhook-id", "msg_1".parse().expect("header"));
        headers.insert("webhook-timestamp", ts.to_string().parse().expect("header"));
        headers.insert("webhook-signature", signature.parse().expect("header"));
        let webhook = standardwebhooks::Webhook::new(&secret).expect("secret");
        webhook.verify(body.as_bytes(), &headers).expect("verifies");
        let reference = webhook
            .sign("msg_1", ts, body.as_bytes())
            .expect("reference signature");
        assert_eq!(signature, reference);
        assert!(webhook.verify(b"{}", &headers).is_err());
    }
}
