//! The rules of `crate::rules` that build what they answer: a domain's ASCII name, and the
//! queries of join request pages and of the audit log's filters.

use crate::error::{invalid_input, local};
use crate::js::segment;
use js_sys::Array;
use orgkit_core::audit::{self, AuditFilter};
use orgkit_core::domain;
use orgkit_core::join_request::{self, JoinRequestStatus};
use orgkit_core::{validate, DomainError, Timestamp};
use wasm_bindgen::prelude::*;

/// The ASCII form of a domain name, by the browser's URL parser (IDNA, so the SDK carries no
/// Unicode tables), held to the rule book.
pub(super) fn ascii_name(raw: &str) -> Result<String, JsValue> {
    const INVALID: DomainError = DomainError::new(
        orgkit_core::ErrorCode::DomainInvalid,
        "That is not a valid domain name.",
    );
    let raw = raw.trim();
    // A byte scan: `str::contains(char)` searches for a non-ASCII char as a substring, which
    // brings in the substring searcher and the slicing panic (1.9 KB of `.wasm`).
    if raw.is_empty() || raw.bytes().any(|b| b"/?#@:\\[]% ".contains(&b)) {
        return Err(local(INVALID));
    }
    let host = web_sys::Url::new(&("http://".to_owned() + raw))
        .map_err(|_| local(INVALID))?
        .hostname();
    domain::check_domain(&host).map_err(local)
}

/// `status=…&limit=…&after=…&` of a page of join requests: a status the rule book names, a
/// limit within bounds, a cursor of their lists' shape.
pub(super) fn requests_query(
    status: &JsValue,
    limit: &JsValue,
    after: &JsValue,
    usage: &str,
) -> Result<String, JsValue> {
    let status = status.as_string();
    if status
        .as_deref()
        .is_some_and(|s| JoinRequestStatus::parse(s).is_none())
    {
        return Err(invalid_input(usage));
    }
    let limit = limit.as_f64().map(|n| n.min(f64::from(u32::MAX)) as u32);
    validate::page_limit(limit).map_err(local)?;
    let after = after.as_string().filter(|a| !a.is_empty());
    if after
        .as_deref()
        .is_some_and(|a| !join_request::is_list_cursor(a))
    {
        return Err(invalid_input("The cursor is not valid."));
    }
    let mut query = String::new();
    for (key, value) in [
        ("status", status),
        ("limit", limit.map(|n| n.to_string())),
        ("after", after),
    ] {
        if let Some(value) = value {
            query.push_str(key);
            query.push('=');
            query.push_str(&segment(&value));
            query.push('&');
        }
    }
    Ok(query)
}

/// `&actor=…&action=…&subject=…&from=…&to=…` of the audit log's filters, once
/// `audit::check_filter` took them (`instants` is `[from, to]`, milliseconds or `undefined`).
pub(super) fn audit_query(
    actor: &JsValue,
    action: &JsValue,
    subject: &JsValue,
    instants: &JsValue,
) -> Result<String, JsValue> {
    let (actor, action, subject) = (actor.as_string(), action.as_string(), subject.as_string());
    let instant = |i| {
        Array::from(instants)
            .get(i)
            .as_f64()
            .map(|ms| Timestamp(ms as i64))
    };
    let filter = audit::check_filter(AuditFilter {
        actor: actor.as_deref(),
        action: action.as_deref(),
        subject: subject.as_deref(),
        from: instant(0),
        to: instant(1),
    })
    .map_err(local)?;
    // Built by hand: `format!` and `join` cost the `.wasm` more than these pushes.
    let mut query = String::new();
    for (key, value) in [
        ("actor", filter.actor.map(str::to_owned)),
        ("action", filter.action.map(str::to_owned)),
        ("subject", filter.subject.map(str::to_owned)),
        ("from", filter.from.map(|t| t.millis().to_string())),
        ("to", filter.to.map(|t| t.millis().to_string())),
    ] {
        if let Some(value) = value {
            query.push('&');
            query.push_str(key);
            query.push('=');
            query.push_str(&segment(&value));
        }
    }
    Ok(query)
}
