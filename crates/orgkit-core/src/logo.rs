//! An organization's logo: PNG, JPEG or WebP of at most [`MAX_LOGO_BYTES`], its format judged
//! by its content (magic bytes and a basic header check), never by a name or a declared type.

use crate::error::{DomainError, ErrorCode};

#[cfg(test)]
mod tests;

/// The largest logo accepted: 1 MB.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// The formats a logo may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    Png,
    Jpeg,
    Webp,
}

impl LogoFormat {
    /// The media type the logo is served with.
    #[must_use]
    pub const fn content_type(self) -> &'static str {
        match self {
            LogoFormat::Png => "image/png",
            LogoFormat::Jpeg => "image/jpeg",
            LogoFormat::Webp => "image/webp",
        }
    }
}

const TOO_LARGE: DomainError =
    DomainError::new(ErrorCode::LogoTooLarge, "A logo must be at most 1 MB.");
const UNSUPPORTED: DomainError = DomainError::new(
    ErrorCode::LogoUnsupported,
    "A logo must be a PNG, JPEG or WebP image.",
);

/// Checks a logo's size alone (the SDK asks this before it reads the file).
pub fn check_size(len: usize) -> Result<(), DomainError> {
    if len == 0 {
        return Err(UNSUPPORTED);
    }
    if len > MAX_LOGO_BYTES {
        return Err(TOO_LARGE);
    }
    Ok(())
}

/// How many first bytes [`check_head`] needs.
pub const HEAD_BYTES: usize = 32;

/// Checks a logo: its size, then its format from its first bytes.
pub fn check(bytes: &[u8]) -> Result<LogoFormat, DomainError> {
    check_head(bytes.get(..HEAD_BYTES).unwrap_or(bytes), bytes.len())
}

/// Checks a logo of `len` bytes from its first [`HEAD_BYTES`] (or all of it, when shorter):
/// what the SDK asks before it sends a file.
pub fn check_head(head: &[u8], len: usize) -> Result<LogoFormat, DomainError> {
    check_size(len)?;
    if is_png(head) {
        Ok(LogoFormat::Png)
    } else if is_jpeg(head) {
        Ok(LogoFormat::Jpeg)
    } else if is_webp(head, len) {
        Ok(LogoFormat::Webp)
    } else {
        Err(UNSUPPORTED)
    }
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The PNG signature, then an `IHDR` chunk of 13 bytes with a non-zero width and height and a
/// known bit depth.
fn is_png(b: &[u8]) -> bool {
    const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    b.len() >= 8 + 8 + 13
        && b[..8] == SIGNATURE
        && be32(b, 8) == Some(13)
        && &b[12..16] == b"IHDR"
        && be32(b, 16).is_some_and(|w| w > 0)
        && be32(b, 20).is_some_and(|h| h > 0)
        && matches!(b[24], 1 | 2 | 4 | 8 | 16)
}

/// SOI (`FF D8`), then a marker segment (`FF` and a marker byte that is not a fill byte).
fn is_jpeg(b: &[u8]) -> bool {
    b.len() >= 4 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff && (0xc0..=0xfe).contains(&b[3])
}

/// `RIFF`, a size that fits the file of `len` bytes, `WEBP`, then a `VP8 `, `VP8L` or `VP8X`
/// chunk.
fn is_webp(b: &[u8], len: usize) -> bool {
    b.len() >= 20
        && &b[..4] == b"RIFF"
        && &b[8..12] == b"WEBP"
        && le32(b, 4).is_some_and(|size| size >= 12 && size as usize + 8 <= len)
        && matches!(&b[12..16], b"VP8 " | b"VP8L" | b"VP8X")
}
