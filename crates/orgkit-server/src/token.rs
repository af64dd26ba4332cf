//! Ids, secret tokens and the clock.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use orgkit_core::Timestamp;
use rand::RngCore;
use sha2::{Digest, Sha256};

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The current time.
#[must_use]
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp(ms)
}

/// A new id: `prefix`, then 48 bits of milliseconds and 80 random bits in Crockford base32
/// (26 characters), so ids sort by creation time.
#[must_use]
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    let ms = now().millis() as u64;
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    rand::thread_rng().fill_bytes(&mut bytes[6..]);
    let value = u128::from_be_bytes(bytes);
    let mut out = String::with_capacity(prefix.len() + 26);
    out.push_str(prefix);
    for i in (0..26).rev() {
        let index = ((value >> (i * 5)) & 0x1f) as usize;
        out.push(CROCKFORD[index] as char);
    }
    out
}

/// A new secret token: 256 random bits, base64url. Only its [`hash`] is stored.
#[must_use]
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token: SHA-256, hex. Tokens are 256 random bits, so a fast hash is
/// enough; there is nothing to brute-force.
#[must_use]
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_unique_and_time_ordered() {
        let a = new_id("org_");
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_id("org_");
        assert!(a.starts_with("org_") && a.len() == 30);
        assert!(a < b, "{a} {b}");
        assert!(orgkit_core::OrganizationId::is_well_formed(&a));
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
    }
}
