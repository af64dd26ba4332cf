//! Public and private metadata of organizations and memberships (Clerk's `publicMetadata`,
//! members read it, and `privateMetadata`, admins only): JSON objects of at most
//! [`MAX_METADATA_BYTES`] once serialized. A merge update removes the keys set to `null`
//! (the server merges; this module judges the result).

use crate::error::{DomainError, ErrorCode};

#[cfg(test)]
mod tests;

/// The largest metadata value, as compact JSON text (8 KiB, as Clerk's).
pub const MAX_METADATA_BYTES: usize = 8 * 1024;

const NOT_AN_OBJECT: DomainError = DomainError::new(
    ErrorCode::ValidationFailed,
    "Metadata must be a JSON object.",
);
const TOO_LARGE: DomainError = DomainError::new(
    ErrorCode::MetadataTooLarge,
    "Metadata must be at most 8 KiB of JSON.",
);

/// Checks one metadata value given as compact JSON text (`JSON.stringify` in the browser,
/// `serde_json::to_string` on the server): an object, at most [`MAX_METADATA_BYTES`].
/// The text is assumed to be well-formed JSON; only its shape and size are judged.
pub fn check(json: &str) -> Result<(), DomainError> {
    let trimmed = json.trim();
    if !(trimmed.starts_with('{') && trimmed.ends_with('}')) {
        return Err(NOT_AN_OBJECT);
    }
    if trimmed.len() > MAX_METADATA_BYTES {
        return Err(TOO_LARGE);
    }
    Ok(())
}
