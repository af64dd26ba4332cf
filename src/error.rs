//! Errors reach JS as `OrgKitError`s, a real subclass of `Error` exported by the package
//! (`src/js/error.js`), so `err instanceof OrgKitError` works: `name` is "OrgKitError", `code`
//! is a stable code from `orgkit_core::ErrorCode`, `status` the HTTP status (0 when no server
//! answered), and `retryAfter` the seconds of the server's `Retry-After` header, when it sent one.

use js_sys::Reflect;
use orgkit_core::{DomainError, ErrorCode};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/error.js")]
extern "C" {
    /// The JS class every rejection is an instance of.
    type OrgKitError;

    #[wasm_bindgen(constructor)]
    fn new(code: &str, status: u16, message: &str) -> OrgKitError;
}

/// Builds the `OrgKitError` that a method rejects with.
#[must_use]
pub fn orgkit_error(code: ErrorCode, status: u16, message: &str) -> JsValue {
    OrgKitError::new(code.as_str(), status, message).into()
}

/// A refusal by the local rule book: same code as the server's, status 0 (no request sent).
#[must_use]
pub fn local(e: DomainError) -> JsValue {
    orgkit_error(e.code, 0, e.message)
}

/// A refusal by the local rule book judged with `catalog`: an escalation also lists the
/// permissions I lack (`missingPermissions`), as the server's refusal does.
#[must_use]
pub fn judged(catalog: &orgkit_core::RoleCatalog, e: DomainError) -> JsValue {
    let error = orgkit_error(e.code, 0, e.message);
    if !e.missing.is_empty() {
        let names = catalog.names(e.missing);
        let missing = crate::js::names(&names);
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&error, &"missingPermissions".into(), &missing);
    }
    error
}

/// A failed or unreadable exchange with the server.
#[must_use]
pub fn network(message: &str) -> JsValue {
    orgkit_error(ErrorCode::NetworkError, 0, message)
}

/// A value the SDK could not read or write.
#[must_use]
pub fn invalid_input(message: &str) -> JsValue {
    orgkit_error(ErrorCode::ValidationFailed, 0, message)
}

/// An answer the server refused with: its `code` when it is one of ours, otherwise the code
/// the rule book reads from the bare status (a proxy's 404 or 429, an HTML error page);
/// `retryAfter` is set from the `Retry-After` header when it holds seconds.
#[must_use]
pub fn server_error(
    status: u16,
    code: Option<&str>,
    message: &str,
    retry_after: Option<&str>,
) -> JsValue {
    let error = orgkit_error(server_code(status, code), status, message);
    if let Some(seconds) = retry_after_seconds(retry_after) {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&error, &"retryAfter".into(), &JsValue::from(seconds));
    }
    error
}

/// The code of a refusal with HTTP `status` whose body named `code`.
fn server_code(status: u16, code: Option<&str>) -> ErrorCode {
    code.and_then(ErrorCode::parse)
        .unwrap_or(ErrorCode::for_bare_status(status))
}

/// The seconds of a `Retry-After` header. Only its seconds form is read (the server's); an
/// HTTP date or anything else gives `None`.
fn retry_after_seconds(header: Option<&str>) -> Option<u32> {
    let header = header?.trim();
    if header.is_empty() || !header.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    header.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_codes_are_kept_and_unknown_ones_fall_back_by_status() {
        let cases = [
            (503, Some("unavailable"), ErrorCode::Unavailable),
            (429, Some("rate_limited"), ErrorCode::RateLimited),
            (
                409,
                Some("verification_token_used"),
                ErrorCode::VerificationTokenUsed,
            ),
            (
                409,
                Some("verification_token_expired"),
                ErrorCode::VerificationTokenExpired,
            ),
            (409, Some("last_admin"), ErrorCode::LastAdmin),
            (503, Some("a_future_code"), ErrorCode::Unavailable),
            (500, Some("a_future_code"), ErrorCode::Internal),
            (502, None, ErrorCode::Internal),
            (503, None, ErrorCode::Unavailable),
            (404, None, ErrorCode::NotFound),
            (429, None, ErrorCode::RateLimited),
            (401, None, ErrorCode::Unauthenticated),
            (403, None, ErrorCode::Forbidden),
            (418, Some("a_future_code"), ErrorCode::ValidationFailed),
            (400, None, ErrorCode::ValidationFailed),
        ];
        for (status, code, expected) in cases {
            assert_eq!(server_code(status, code), expected, "{status} {code:?}");
        }
        // Every code the server can send is read as itself.
        for code in ErrorCode::ALL {
            assert_eq!(server_code(code.http_status(), Some(code.as_str())), code);
        }
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let cases = [
            (Some("30"), Some(30)),
            (Some(" 5 "), Some(5)),
            (Some("0"), Some(0)),
            (Some("Wed, 21 Oct 2015 07:28:00 GMT"), None),
            (Some("-1"), None),
            (Some("+1"), None),
            (Some("1.5"), None),
            (Some(""), None),
            (Some("99999999999"), None),
            (None, None),
        ];
        for (header, expected) in cases {
            assert_eq!(retry_after_seconds(header), expected, "{header:?}");
        }
    }
}
