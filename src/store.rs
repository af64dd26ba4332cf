//! The reactive store's entry points on `OrgKit` (`getSnapshot`, `subscribe`, `keep`, `setActive`,
//! `revalidate`, `setRevalidation`, `has`, `load`). The state and its snapshots live in the JS
//! snippet `src/js/store.js`; the rules (which lists a write touches) are Rust's, in `touched`.

pub(crate) mod touched;

use crate::client::OrgKit;
use crate::error::invalid_input;
use crate::http::Method;
use crate::js::{field, object};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/store.js")]
extern "C" {
    /// The JS store: the snapshot, the kept lists, revalidation and cross-tab sign-out.
    #[derive(Clone)]
    pub type Store;
    #[wasm_bindgen(constructor)]
    fn new(kit: JsValue) -> Store;
    #[wasm_bindgen(method, js_name = getSnapshot)]
    fn get_snapshot(this: &Store) -> JsValue;
    #[wasm_bindgen(method)]
    fn subscribe(this: &Store, listener: &Function) -> JsValue;
    #[wasm_bindgen(method)]
    fn keep(this: &Store, lists: &JsValue) -> JsValue;
    #[wasm_bindgen(method, js_name = setActive)]
    fn set_active(this: &Store, id: Option<String>, persisted: Promise) -> Promise;
    #[wasm_bindgen(method)]
    fn revalidate(this: &Store) -> Promise;
    #[wasm_bindgen(method, js_name = setRevalidation)]
    fn set_revalidation(this: &Store, options: &JsValue);
    #[wasm_bindgen(method)]
    fn has(this: &Store, permission: &str) -> bool;
    #[wasm_bindgen(method)]
    fn load(this: &Store) -> Promise;
    /// After a successful write: what it touched (`touched::touched`).
    #[wasm_bindgen(method)]
    pub fn touched(this: &Store, bits: u16, org: Option<String>);
    /// The session of `user` (when known) ended; `broadcast`: here, so tell the other tabs.
    #[wasm_bindgen(method, js_name = signedOut)]
    pub fn signed_out(this: &Store, broadcast: bool, user: Option<String>);
}

/// The keys of `keep`'s options, which take `true` or `{ pageSize? }` (1 to 100).
const LISTS: [&str; 6] = [
    "memberships",
    "invitations",
    "joinRequests",
    "domains",
    "userMemberships",
    "userInvitations",
];

/// Checks `keep`'s options: an object whose lists are `true` or `{ pageSize?: 1..100 }`.
fn check_keep(lists: &JsValue) -> Result<(), JsValue> {
    const USAGE: &str = "keep takes { memberships?, invitations?, joinRequests?, domains?, userMemberships?, userInvitations? }, each true or { pageSize?: 1 to 100 }.";
    if !lists.is_object() {
        return Err(invalid_input(USAGE));
    }
    for key in LISTS {
        let v = field(lists, key);
        if v.is_undefined() || v.as_bool().is_some() {
            continue;
        }
        if !v.is_object() {
            return Err(invalid_input(USAGE));
        }
        let size = field(&v, "pageSize");
        // The page size's bound is the rule book's, as for every list the SDK pages.
        let most = f64::from(orgkit_core::validate::MAX_PAGE_LIMIT);
        let good = size.is_undefined()
            || size
                .as_f64()
                .is_some_and(|n| n.fract() == 0.0 && (1.0..=most).contains(&n));
        let status = field(&v, "status");
        // Only pending invitations can be kept today.
        let good = good && (status.is_undefined() || status_is_pending(&status));
        if !good {
            return Err(invalid_input(USAGE));
        }
    }
    Ok(())
}

/// Whether `status` is `["pending"]`.
fn status_is_pending(status: &JsValue) -> bool {
    let list = js_sys::Array::from(status);
    js_sys::Array::is_array(status)
        && list.length() == 1
        && list.get(0).as_string().as_deref() == Some("pending")
}

impl OrgKit {
    /// This client's store, made on first use.
    pub(crate) fn store(&self) -> Store {
        let mut held = self.client.http.store.borrow_mut();
        held.get_or_insert_with(|| {
            Store::new(
                OrgKit {
                    client: self.client.clone(),
                }
                .into(),
            )
        })
        .clone()
    }
}

#[wasm_bindgen]
impl OrgKit {
    /// The state as it is now: an immutable object, the same one until something changes.
    #[wasm_bindgen(js_name = getSnapshot, unchecked_return_type = "Snapshot")]
    pub fn get_snapshot(&self) -> JsValue {
        self.store().get_snapshot()
    }

    /// Calls `listener` after every change of the snapshot; the first call starts loading.
    /// Returns the function that unsubscribes.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn subscribe(&self, listener: &Function) -> JsValue {
        self.store().subscribe(listener)
    }

    /// Keeps these lists in the snapshot, loaded and revalidated, until the returned function
    /// is called (reference-counted: a list goes when nobody keeps it).
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn keep(
        &self,
        #[wasm_bindgen(unchecked_param_type = "KeepOptions")] lists: JsValue,
    ) -> Result<JsValue, JsValue> {
        check_keep(&lists)?;
        Ok(self.store().keep(&lists))
    }

    /// Makes `organization` (an id, or `null` for none) this tab's active organization: the
    /// snapshot's, and the one `getToken()` speaks for. The server remembers it for new tabs.
    #[wasm_bindgen(js_name = setActive, unchecked_return_type = "Promise<void>")]
    pub fn set_active(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SetActiveParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "setActive needs { organization: an organization id, or null }.";
        let chosen = match crate::session::organization(&p, "organization", USAGE) {
            Ok(Some(chosen)) => chosen,
            Ok(None) => return Promise::reject(&invalid_input(USAGE)),
            Err(e) => return Promise::reject(&e),
        };
        self.client.active.borrow_mut().clone_from(&chosen);
        let body = object(&[(
            "organizationId",
            chosen.clone().map_or(JsValue::NULL, JsValue::from),
        )]);
        let persisted = crate::organization::send(
            self.client.clone(),
            Method::Put,
            "/v1/me/active-organization".to_owned(),
            Some(body),
        );
        self.store().set_active(chosen, persisted)
    }

    /// Reads everything kept again now: who I am, the active organization, the kept lists.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn revalidate(&self) -> Promise {
        self.store().revalidate()
    }

    /// When to revalidate by itself: on focus (default on), and every `intervalMs` (`null`:
    /// never, the default).
    #[wasm_bindgen(js_name = setRevalidation)]
    pub fn set_revalidation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RevalidationOptions")] options: JsValue,
    ) -> Result<(), JsValue> {
        const USAGE: &str =
            "setRevalidation takes { onFocus?: boolean, intervalMs?: a number of at least 1000, or null }.";
        let on_focus = field(&options, "onFocus");
        let interval = field(&options, "intervalMs");
        let good = options.is_object()
            && (on_focus.is_undefined() || on_focus.as_bool().is_some())
            && (interval.is_undefined()
                || interval.is_null()
                || interval.as_f64().is_some_and(|n| n >= 1000.0));
        if !good {
            return Err(invalid_input(USAGE));
        }
        self.store().set_revalidation(&options);
        Ok(())
    }

    /// Whether I hold `permission` in the active organization, by the rule book over its role
    /// catalog (custom roles included). Local: no request; `false` with no active organization.
    pub fn has(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Permission | AppPermission")] permission: &str,
    ) -> bool {
        self.store().has(permission)
    }

    /// Starts loading the snapshot (as the first `subscribe` does); resolves once it is ready.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn load(&self) -> Promise {
        self.store().load()
    }

    /// The store's way back into the client: `"out"` drops the session another tab ended,
    /// `"active"` adopts the server's last active organization.
    #[wasm_bindgen(js_name = __fromStore, skip_typescript)]
    pub fn from_store(&self, what: &str, id: Option<String>) {
        if what == "out" {
            self.client.forget();
        } else {
            *self.client.active.borrow_mut() = id;
        }
    }
}
