//! Clerk's query strings and bodies. Arrays come as repeated keys (`user_id=a&user_id=b`),
//! which axum's `Query` cannot read, so the raw query is parsed here; falsy values are never
//! sent, so a missing key means the default. Bodies may be empty with a JSON content type.

use super::errors::{ClerkApiError, ClerkResult};
use axum::body::Bytes;
use orgkit_core::clerk::{self, ClerkError, OrderBy, Paging};
use serde::de::DeserializeOwned;

/// The decoded pairs of a query string, in order, repeated keys kept.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query (`None`: no query).
    #[must_use]
    pub fn parse(raw: Option<&str>) -> Params {
        let raw = raw.unwrap_or_default();
        Params(
            url::form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `key`.
    #[must_use]
    pub fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    #[must_use]
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// `limit` and `offset`, checked by the rule book.
    pub fn paging(&self) -> ClerkResult<Paging> {
        Ok(clerk::paging(self.one("limit"), self.one("offset"))?)
    }

    /// `order_by` among `allowed`, checked by the rule book.
    pub fn order_by<'a>(&self, allowed: &[&'a str]) -> ClerkResult<OrderBy<'a>> {
        Ok(clerk::order_by(self.one("order_by"), allowed)?)
    }
}

/// A JSON body as `T`; an empty body reads as `{}`.
pub fn body<T: DeserializeOwned>(bytes: &Bytes) -> ClerkResult<T> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(text).map_err(|e| {
        ClerkApiError::from(ClerkError::invalid(
            "body",
            format!("The request body is not valid: {e}."),
        ))
    })
}

/// A required string field: `form_param_missing` when absent or empty.
pub fn required<'a>(value: Option<&'a str>, param: &str) -> ClerkResult<&'a str> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ClerkError::missing(param).into()),
    }
}

/// A metadata field: a JSON object of at most 8 KiB, or absent.
pub fn metadata(
    value: Option<&serde_json::Value>,
    param: &str,
) -> ClerkResult<Option<serde_json::Value>> {
    match value {
        None => Ok(None),
        // The rule book's shape and size (`orgkit_core::metadata`), in Clerk's terms.
        Some(v) => match orgkit_core::metadata::check(&v.to_string()) {
            Ok(()) => Ok(Some(v.clone())),
            Err(e) if e.code == orgkit_core::ErrorCode::MetadataTooLarge => {
                Err(ClerkError::invalid(param, format!("{param} must be at most 8 KiB.")).into())
            }
            Err(_) => Err(ClerkError::invalid(param, format!("{param} must be an object.")).into()),
        },
    }
}

/// A metadata field as stored text (`{}` when absent).
pub fn metadata_text(value: Option<&serde_json::Value>, param: &str) -> ClerkResult<String> {
    Ok(metadata(value, param)?.map_or_else(|| "{}".to_owned(), |v| v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgkit_core::metadata::MAX_METADATA_BYTES;

    #[test]
    fn repeated_keys_are_all_kept() {
        let params = Params::parse(Some("user_id=a&limit=5&user_id=b&query=x%20y"));
        assert_eq!(params.all("user_id"), vec!["a", "b"]);
        assert_eq!(params.one("query"), Some("x y"));
        assert_eq!(params.one("offset"), None);
        assert!(Params::parse(None).all("user_id").is_empty());
    }

    #[test]
    fn metadata_is_an_object_of_at_most_8_kib() {
        let small = serde_json::json!({"plan": "pro"});
        assert!(metadata(Some(&small), "public_metadata").is_ok());
        assert!(metadata(None, "public_metadata").is_ok_and(|m| m.is_none()));
        let list = serde_json::json!([1]);
        assert!(metadata(Some(&list), "public_metadata").is_err());
        let big = serde_json::json!({"blob": "x".repeat(MAX_METADATA_BYTES)});
        assert!(metadata(Some(&big), "public_metadata").is_err());
    }

    #[test]
    fn empty_bodies_read_as_empty_objects() {
        let value: serde_json::Value = body(&Bytes::from_static(b"")).expect("empty");
        assert_eq!(value, serde_json::json!({}));
        assert!(body::<serde_json::Value>(&Bytes::from_static(b"{")).is_err());
    }
}
