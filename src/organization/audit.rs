//! An organization's audit log, newest first.

use super::members::page_params;
use super::{Checked, Organization};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{cursor, field, optional_param, segment};
use js_sys::{Date, Promise};
use orgkit_core::audit::{check_filter, AuditFilter};
use orgkit_core::policy::Action;
use orgkit_core::{validate, AuditEventId, Timestamp};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const USAGE: &str =
    "getAuditEvents takes { actor?, action?, subject?, from?, to?, limit?, after? }.";

/// An optional instant: a `Date` or milliseconds since the epoch.
fn instant(p: &JsValue, key: &str) -> Result<Option<Timestamp>, JsValue> {
    let v = field(p, key);
    let ms = if v.is_undefined() || v.is_null() {
        return Ok(None);
    } else if let Some(d) = v.dyn_ref::<Date>() {
        d.get_time()
    } else {
        v.as_f64().ok_or_else(|| invalid_input(USAGE))?
    };
    if ms.is_finite() {
        Ok(Some(Timestamp(ms as i64)))
    } else {
        Err(invalid_input(USAGE))
    }
}

#[wasm_bindgen]
impl Organization {
    /// One page of the organization's audit events, newest first (needs `org:audit:read`):
    /// `{ data, nextCursor }`. Every filter is optional: `actor` (a user id), `action` (such as
    /// `"membership.role_changed"`), `subject`, and `from` / `to` (a `Date` or milliseconds).
    ///
    /// @example
    /// ```js
    /// const { data, nextCursor } = await org.getAuditEvents({ action: "membership.removed" });
    /// ```
    #[wasm_bindgen(
        js_name = getAuditEvents,
        unchecked_return_type = "Promise<AuditEventsPage>"
    )]
    pub fn get_audit_events(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AuditEventsParams | undefined")] p: JsValue,
    ) -> Promise {
        self.call(self.audit_request(&p))
    }
}

impl Organization {
    /// The request of `getAuditEvents`, after the local checks.
    fn audit_request(&self, p: &JsValue) -> Checked {
        let (limit, after) = page_params(p, USAGE)?;
        // An empty cursor is the first page, as for members.
        let after = cursor(after, AuditEventId::is_well_formed)?;
        let text = |key| optional_param(p, key, USAGE);
        let (actor, action, subject) = (text("actor")?, text("action")?, text("subject")?);
        let filter = AuditFilter {
            actor: actor.as_deref(),
            action: action.as_deref(),
            subject: subject.as_deref(),
            from: instant(p, "from")?,
            to: instant(p, "to")?,
        };
        self.authorize(Action::ReadAuditLog)?;
        let filter = check_filter(filter).map_err(local)?;
        validate::page_limit(limit).map_err(local)?;
        // Built by hand: `format!` and `join` cost the `.wasm` more than these pushes.
        let mut path = self.path("/audit-events?");
        for (key, value) in [
            ("actor", filter.actor.map(str::to_owned)),
            ("action", filter.action.map(str::to_owned)),
            ("subject", filter.subject.map(str::to_owned)),
            ("from", filter.from.map(|t| t.millis().to_string())),
            ("to", filter.to.map(|t| t.millis().to_string())),
            ("limit", limit.map(|n| n.to_string())),
            ("after", after),
        ] {
            if let Some(value) = value {
                if !path.ends_with('?') {
                    path.push('&');
                }
                path.push_str(key);
                path.push('=');
                path.push_str(&segment(&value));
            }
        }
        Ok((Method::Get, path, None))
    }
}
