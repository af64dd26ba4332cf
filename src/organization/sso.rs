//! An organization's SSO connections (holders of `org:sso:manage`): create one, list them,
//! and through each `SsoConnection` change, test or delete it. Every method checks with the
//! rule book (`sso::connection`, the policy) first and sends nothing when it refuses.

use super::members::page_query;
use super::{Checked, Organization};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{
    array, check_ids, date, field, number, object, params, segment, set, string_list, text,
};
use crate::send::Then;
use js_sys::{Array, Promise};
use orgkit_core::policy::Action;
use orgkit_core::sso::connection::{self as rules, ConnectionChange, ConnectionState};
use orgkit_core::{DomainId, SsoConnectionId};
use wasm_bindgen::prelude::*;

/// An SSO (OIDC) connection of an organization. Its data (`issuer`, `state`, `domains`, …)
/// are own properties; its client secret is never shown.
///
/// @example
/// ```js
/// const connection = await org.createSsoConnection({
///   name: "Okta", issuer: "https://acme.okta.com", clientId, clientSecret, domainIds: [domain.id],
/// });
/// const report = await connection.test();
/// if (report.ok) await connection.update({ state: "active" });
/// ```
#[wasm_bindgen]
pub struct SsoConnection {
    org: Organization,
    data: JsValue,
}

impl SsoConnection {
    fn wrap(org: Organization, data: JsValue) -> JsValue {
        for key in ["createdAt", "updatedAt"] {
            set(&data, key, &date(number(&data, key)));
        }
        let fields = js_sys::Object::from(data.clone());
        let instance = JsValue::from(SsoConnection { org, data });
        js_sys::Object::assign(&js_sys::Object::from(instance.clone()), &fields);
        instance
    }

    fn path(&self, rest: &str) -> String {
        self.org
            .path(&("/sso-connections/".to_owned() + &segment(&text(&self.data, "id")) + rest))
    }
}

/// Sends a checked request; answers an `SsoConnection`, a page of them, or (`raw`) the plain
/// answer.
fn sso_call(org: &Organization, checked: Checked, raw: bool) -> Promise {
    let shared = org.state.client.clone();
    let org = org.clone();
    let then = Then::Map(Box::new(move |answer| {
        if raw {
            return Ok(answer);
        }
        let data = field(&answer, "data");
        if !Array::is_array(&data) {
            return Ok(SsoConnection::wrap(org, answer));
        }
        let items: Array = Array::from(&data)
            .iter()
            .map(|item| SsoConnection::wrap(org.clone(), item))
            .collect();
        set(&answer, "data", &items);
        Ok(answer)
    }));
    crate::send::send(shared, checked, then)
}

const CREATE: &str = "createSsoConnection needs { name, issuer, clientId, clientSecret, scopes?, \
    pkce?, claimMapping?, jitEnabled?, jitRole?, domainIds? }.";
const UPDATE: &str = "update takes { name?, issuer?, clientId?, clientSecret?, scopes?, pkce?, \
    claimMapping?, jitEnabled?, jitRole?, domainIds?, state? }.";

/// The connection fields of `p` checked by the rule book, copied into a request body;
/// `required` for creation. Answers the body and the number of domain ids given, if any.
fn body(
    org: &Organization,
    p: &JsValue,
    required: bool,
    usage: &'static str,
) -> Result<(JsValue, Option<usize>), JsValue> {
    params(p, usage)?;
    org.authorize(Action::ManageSso)?;
    let out = object(&[]);
    type Rule<'a> = &'a dyn Fn(&str) -> Result<(), orgkit_core::DomainError>;
    let text_field = |key: &str, needed: bool, check: Rule<'_>| {
        let v = field(p, key);
        if v.is_undefined() || v.is_null() {
            return if needed {
                Err(invalid_input(usage))
            } else {
                Ok(())
            };
        }
        let s = v.as_string().ok_or_else(|| invalid_input(usage))?;
        check(&s).map_err(local)?;
        set(&out, key, &v);
        Ok(())
    };
    text_field("name", required, &|s| rules::check_name(s).map(drop))?;
    text_field("issuer", required, &|s| rules::check_issuer_url(s, true))?;
    text_field("clientId", required, &rules::check_client_id)?;
    text_field("clientSecret", required, &rules::check_client_secret)?;
    text_field("scopes", false, &rules::check_scope_list)?;
    let role = field(p, "jitRole");
    if !(role.is_undefined() || role.is_null()) {
        let name = role.as_string().ok_or_else(|| invalid_input(usage))?;
        org.authorize(Action::SetSsoJitRole { role: &name })?;
        set(&out, "jitRole", &role);
    }
    for key in ["pkce", "jitEnabled"] {
        let v = field(p, key);
        if v.as_bool().is_some() {
            set(&out, key, &v);
        } else if !(v.is_undefined() || v.is_null()) {
            return Err(invalid_input(usage));
        }
    }
    let mapping = field(p, "claimMapping");
    if mapping.is_object() {
        for key in ["email", "name", "emailVerified"] {
            if let Some(claim) = field(&mapping, key).as_string() {
                rules::check_claim(&claim).map_err(local)?;
            }
        }
        set(&out, "claimMapping", &mapping);
    } else if !(mapping.is_undefined() || mapping.is_null()) {
        return Err(invalid_input(usage));
    }
    let count = match string_list(p, "domainIds", usage)? {
        Some(ids) => {
            check_ids(&ids, DomainId::is_well_formed)?;
            set(&out, "domainIds", &field(p, "domainIds"));
            Some(ids.len())
        }
        None => None,
    };
    Ok((out, count))
}

#[wasm_bindgen]
impl Organization {
    /// One page of the organization's SSO connections, oldest first (needs `org:sso:manage`).
    #[wasm_bindgen(js_name = getSsoConnections, unchecked_return_type = "Promise<SsoConnectionsPage>")]
    pub fn get_sso_connections(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getSsoConnections takes { limit?, after? }.";
        let checked = self.authorize(Action::ManageSso).and_then(|()| {
            let query = page_query(&p, USAGE, SsoConnectionId::is_well_formed)?;
            Ok((Method::Get, self.path("/sso-connections") + &query, None))
        });
        sso_call(self, checked, false)
    }

    /// Creates an SSO connection, as a draft (needs `org:sso:manage`, and a JIT role I could
    /// grant). Its domains must be the organization's, with ownership verified by DNS.
    #[wasm_bindgen(js_name = createSsoConnection, unchecked_return_type = "Promise<SsoConnection>")]
    pub fn create_sso_connection(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateSsoConnectionParams")] p: JsValue,
    ) -> Promise {
        let checked = body(self, &p, true, CREATE).and_then(|(out, count)| {
            rules::check_domain_count(ConnectionState::Draft, count.unwrap_or(0)).map_err(local)?;
            Ok((Method::Post, self.path("/sso-connections"), Some(out)))
        });
        sso_call(self, checked, false)
    }
}

#[wasm_bindgen]
impl SsoConnection {
    /// Changes the connection: its settings, domains (`domainIds` replaces them), client
    /// secret, or state (`"active"` needs a domain; an active connection keeps its issuer and
    /// client id). Answers the connection as it now is.
    #[wasm_bindgen(unchecked_return_type = "Promise<SsoConnection>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateSsoConnectionParams")] p: JsValue,
    ) -> Promise {
        let checked = body(&self.org, &p, false, UPDATE).and_then(|(out, count)| {
            let from = ConnectionState::parse(&text(&self.data, "state"))
                .unwrap_or(ConnectionState::Draft);
            let to = match field(&p, "state").as_string() {
                Some(s) => ConnectionState::parse(&s).ok_or_else(|| invalid_input(UPDATE))?,
                None => from,
            };
            set(&out, "state", &JsValue::from(to.as_str()));
            let differs = |key: &str| {
                field(&out, key)
                    .as_string()
                    .is_some_and(|v| v != text(&self.data, key))
            };
            rules::check_change(ConnectionChange {
                from,
                to,
                changes_provider: differs("issuer") || differs("clientId"),
                domain_count: count.unwrap_or(array(&self.data, "domains").length() as usize),
                require_sso: self.org.state.data.borrow().require_sso,
                // The other connections are the server's to count.
                other_active: 1,
            })
            .map_err(local)?;
            Ok((Method::Patch, self.path(""), Some(out)))
        });
        sso_call(&self.org, checked, false)
    }

    /// Runs OIDC discovery at the issuer and reports what it found (`ok`, endpoints, signing
    /// algorithms, unsupported scopes and claims) or why it failed (`error`). Changes nothing.
    #[wasm_bindgen(unchecked_return_type = "Promise<SsoConnectionTest>")]
    pub fn test(&self) -> Promise {
        let checked = self
            .org
            .authorize(Action::ManageSso)
            .map(|()| (Method::Post, self.path("/test"), None));
        sso_call(&self.org, checked, true)
    }

    /// Deletes the connection; an active one must be deactivated first.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self) -> Promise {
        let checked = self.org.authorize(Action::ManageSso).and_then(|()| {
            let state = ConnectionState::parse(&text(&self.data, "state"))
                .unwrap_or(ConnectionState::Draft);
            rules::check_delete(state).map_err(local)?;
            Ok((Method::Delete, self.path(""), None))
        });
        sso_call(&self.org, checked, true)
    }
}
