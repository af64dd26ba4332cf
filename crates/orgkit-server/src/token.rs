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
    new_id_at(prefix, now())
}

/// A new id made at `at`, for rows that also store `at`: the id and the timestamp agree.
#[must_use]
pub fn new_id_at(prefix: &str, at: Timestamp) -> String {
    let mut random = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut random);
    encode_id(prefix, at, random)
}

/// The smallest id `prefix` can have at `at`: every id made at or after `at` sorts at or after
/// it, every id made before sorts before. Turns a time bound into an index range.
#[must_use]
pub fn id_floor(prefix: &str, at: Timestamp) -> String {
    encode_id(prefix, at, [0u8; 10])
}

fn encode_id(prefix: &str, at: Timestamp, random: [u8; 10]) -> String {
    let mut bytes = [0u8; 16];
    let ms = at.millis().clamp(0, (1 << 48) - 1) as u64;
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    bytes[6..].copy_from_slice(&random);
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
    fn id_floors_bound_the_ids_of_their_instant() {
        let before = id_floor("evt_", now());
        let id = new_id("evt_");
        let after = id_floor("evt_", now().plus_millis(1));
        assert!(before <= id && id < after, "{before} {id} {after}");
        assert!(id_floor("evt_", Timestamp(-5)) <= id_floor("evt_", Timestamp(0)));
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
