//! `ServiceAccount`, `ApiKey`, and the organization's service account, API key and API key
//! policy methods.

use super::{check_id, Kind};
use crate::error::{invalid_input, judged, local};
use crate::http::Method;
use crate::js::string_list;
use crate::js::{field, object, optional_param, param, params, segment, text};
use crate::organization::webhooks::page_query;
use crate::organization::{now, Checked, Organization};
use js_sys::Promise;
use orgkit_core::api_key::{
    check_create, check_expiry, check_reason, check_revoke, check_set_policy, sees_all_keys,
    ApiKeyPolicy, NewKey,
};
use orgkit_core::policy::Action;
use orgkit_core::workspace::{check_description, check_name};
use orgkit_core::{ApiKeyId, ServiceAccountId, Timestamp};
use wasm_bindgen::prelude::*;

/// A service account: a machine principal of the organization, acting through its API keys
/// with its organization role. Its fields (`id`, `organizationId`, `name`, `description`,
/// `role`, `createdAt`, `createdBy`) are own properties.
///
/// @example
/// ```js
/// const ci = await org.createServiceAccount({ name: "CI", role: "basic_member" });
/// const { secret } = await ci.createApiKey({ name: "deploys" });
/// ```
#[wasm_bindgen]
pub struct ServiceAccount {
    pub(super) org: Organization,
    pub(super) data: JsValue,
}

/// An API key of a member or a service account, never with its secret (`createApiKey`
/// answers that, once). Its fields (`id`, `organizationId`, `owner`, `name`, `description`,
/// `last4`, `permissions`, `expiresAt`, `createdAt`, `lastUsedAt`, `revokedAt`,
/// `revokeReason`) are own properties.
#[wasm_bindgen]
pub struct ApiKey {
    pub(super) org: Organization,
    pub(super) data: JsValue,
}

const KEY_USAGE: &str =
    "createApiKey needs { name, description?, expiresAt?: Date | number, permissions? }.";

/// The name and description of a service account's parameters, checked when given.
fn account_text(p: &JsValue, usage: &'static str, create: bool) -> Result<JsValue, JsValue> {
    params(p, usage)?;
    let name = if create {
        Some(param(p, "name", usage)?)
    } else {
        optional_param(p, "name", usage)?
    };
    let name = name.map(|n| check_name(&n)).transpose().map_err(local)?;
    let description = optional_param(p, "description", usage)?
        .map(|d| check_description(&d))
        .transpose()
        .map_err(local)?;
    let text = |v: Option<String>| v.map_or(JsValue::UNDEFINED, JsValue::from);
    Ok(object(&[
        ("name", text(name)),
        ("description", text(description)),
    ]))
}

/// A timestamp parameter given as a `Date` or milliseconds; `None` when absent.
fn timestamp(p: &JsValue, key: &str, usage: &'static str) -> Result<Option<Timestamp>, JsValue> {
    let raw = field(p, key);
    if raw.is_undefined() || raw.is_null() {
        return Ok(None);
    }
    let ms = match raw.dyn_ref::<js_sys::Date>() {
        Some(d) => d.get_time(),
        None => raw.as_f64().unwrap_or(f64::NAN),
    };
    if ms.is_finite() {
        Ok(Some(Timestamp(ms as i64)))
    } else {
        Err(invalid_input(usage))
    }
}

impl Organization {
    /// `/service-accounts/{id}`.
    fn account_path(&self, data: &JsValue) -> String {
        self.path("/service-accounts/") + &segment(&text(data, "id"))
    }

    /// The request of `createApiKey`, for me or for the service account `account` (its id and
    /// role), after the rule book's checks: the text, the expiry, the scope's keys, the
    /// policy, my permissions and the scope within its owner's (`permission_escalation`, with
    /// `missingPermissions`).
    fn key_request(&self, p: &JsValue, account: Option<(&str, &str)>) -> Checked {
        params(p, KEY_USAGE)?;
        let name = check_name(&param(p, "name", KEY_USAGE)?).map_err(local)?;
        let description = optional_param(p, "description", KEY_USAGE)?;
        if let Some(description) = &description {
            check_description(description).map_err(local)?;
        }
        let expires_at = timestamp(p, "expiresAt", KEY_USAGE)?;
        check_expiry(expires_at, now()).map_err(local)?;
        let keys = string_list(p, "permissions", KEY_USAGE)?;
        let role = account.map(|(_, role)| role);
        let catalog = self.judge(role.as_slice());
        let held = self.held();
        // A scope key or a role the judged catalog does not know yet is the server's to judge.
        let scope = match &keys {
            Some(keys) => catalog.permission_catalog().parse_all(keys).ok(),
            None => None,
        };
        let owner = match role {
            Some(role) => catalog.permissions_of(&[role]).ok(),
            None => Some(held),
        };
        let policy = self.state.data.borrow().api_key_policy;
        let key = NewKey {
            for_service_account: account.is_some(),
            scope: scope.filter(|_| owner.is_some()),
            owner_permissions: owner.unwrap_or(held),
        };
        // Unknown to the SDK, the policy is taken as the widest; the server holds the real one.
        check_create(policy.unwrap_or(ApiKeyPolicy::Members), held, key)
            .map_err(|e| judged(&catalog, e))?;
        let list = keys.map_or(JsValue::UNDEFINED, |keys| {
            keys.iter()
                .map(JsValue::from)
                .collect::<js_sys::Array>()
                .into()
        });
        let body = object(&[
            ("name", name.into()),
            (
                "description",
                description.map_or(JsValue::UNDEFINED, JsValue::from),
            ),
            (
                "expiresAt",
                expires_at.map_or(JsValue::UNDEFINED, |t| JsValue::from(t.millis() as f64)),
            ),
            ("permissions", list),
            (
                "serviceAccountId",
                account.map_or(JsValue::UNDEFINED, |(id, _)| id.into()),
            ),
        ]);
        Ok((Method::Post, self.path("/api-keys"), Some(body)))
    }

    /// `GET /api-keys` with a page query (and a service account's id).
    fn keys_list(&self, p: &JsValue, account: Option<&str>) -> Checked {
        const USAGE: &str = "getApiKeys takes { limit?, after?, serviceAccountId? }.";
        let mut query = page_query(p, USAGE, ApiKeyId::is_well_formed)?;
        let account = match account {
            Some(id) => Some(id.to_owned()),
            None if p.is_object() => optional_param(p, "serviceAccountId", USAGE)?,
            None => None,
        };
        if let Some(id) = account {
            check_id(ServiceAccountId::is_well_formed(&id))?;
            if !sees_all_keys(self.held(), true) {
                return Err(local(orgkit_core::DomainError::new(
                    orgkit_core::ErrorCode::Forbidden,
                    "Only an admin can list a service account's API keys.",
                )));
            }
            query.push_str("&serviceAccountId=");
            query.push_str(&segment(&id));
        }
        Ok((Method::Get, self.path("/api-keys") + &query, None))
    }
}

#[wasm_bindgen]
impl ServiceAccount {
    /// Changes its name, description or role (needs `org:service_accounts:manage`, and a role
    /// I could grant).
    #[wasm_bindgen(unchecked_return_type = "Promise<ServiceAccount>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateServiceAccountParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "update takes { name?, description?, role? }.";
        let checked = account_text(&p, USAGE, false).and_then(|body| {
            let role = optional_param(&p, "role", USAGE)?;
            let role_ref = role.as_deref();
            self.org
                .authorize(Action::ManageServiceAccount { role: role_ref })?;
            crate::js::set(
                &body,
                "role",
                &role.map_or(JsValue::UNDEFINED, JsValue::from),
            );
            Ok((Method::Patch, self.org.account_path(&self.data), Some(body)))
        });
        self.org.resource(checked, Kind::ServiceAccount)
    }

    /// Deletes it (needs `org:service_accounts:manage`): its keys are revoked, its grants and
    /// group memberships removed.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn destroy(&self) -> Promise {
        let checked = self
            .org
            .authorize(Action::ManageServiceAccount { role: None })
            .map(|()| (Method::Delete, self.org.account_path(&self.data), None));
        self.org.resource(checked, Kind::Plain)
    }

    /// Creates an API key of this service account (needs `org:service_accounts:manage`, and
    /// what the organization's policy asks). Resolves to `{ apiKey, secret }`: the secret is
    /// shown only this once.
    #[wasm_bindgen(js_name = createApiKey, unchecked_return_type = "Promise<CreatedApiKey>")]
    pub fn create_api_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateApiKeyParams")] p: JsValue,
    ) -> Promise {
        let id = text(&self.data, "id");
        let role = text(&self.data, "role");
        let checked = self.org.key_request(&p, Some((&id, &role)));
        self.org.resource(checked, Kind::Created)
    }

    /// One page of its API keys (needs `org:api_keys:manage` or
    /// `org:service_accounts:manage`): `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getApiKeys, unchecked_return_type = "Promise<ApiKeysPage>")]
    pub fn get_api_keys(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        let checked = self.org.keys_list(&p, Some(&text(&self.data, "id")));
        self.org.resource(checked, Kind::ApiKey)
    }
}

#[wasm_bindgen]
impl ApiKey {
    /// Revokes it, with an optional reason (at most 200 characters): it stops working at once.
    /// My own keys always; anyone else's need `org:api_keys:manage` (a service account's, that
    /// or `org:service_accounts:manage`).
    #[wasm_bindgen(unchecked_return_type = "Promise<ApiKey>")]
    pub fn revoke(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ reason?: string } | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "revoke takes { reason? }.";
        let checked = (|| {
            let reason = if p.is_undefined() || p.is_null() {
                None
            } else {
                params(&p, USAGE)?;
                optional_param(&p, "reason", USAGE)?
            };
            let reason = reason
                .map(|r| check_reason(&r))
                .transpose()
                .map_err(local)?;
            let owner = field(&self.data, "owner");
            let for_account = text(&owner, "type") == "service_account";
            let me = self.org.state.client.me.borrow().clone();
            // With my id unknown, the key may be mine: the server decides.
            let mine = me.is_none_or(|me| !for_account && text(&owner, "id") == me);
            check_revoke(self.org.held(), mine, for_account).map_err(local)?;
            let path = self.org.path("/api-keys/") + &segment(&text(&self.data, "id")) + "/revoke";
            let body = object(&[("reason", reason.map_or(JsValue::UNDEFINED, JsValue::from))]);
            Ok((Method::Post, path, Some(body)))
        })();
        self.org.resource(checked, Kind::ApiKey)
    }
}

#[wasm_bindgen]
impl Organization {
    /// Creates a service account with an organization role (needs
    /// `org:service_accounts:manage`, and a role I could grant).
    #[wasm_bindgen(js_name = createServiceAccount, unchecked_return_type = "Promise<ServiceAccount>")]
    pub fn create_service_account(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateServiceAccountParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "createServiceAccount needs { name, description?, role }.";
        let checked = account_text(&p, USAGE, true).and_then(|body| {
            let role = param(&p, "role", USAGE)?;
            self.authorize(Action::ManageServiceAccount { role: Some(&role) })?;
            crate::js::set(&body, "role", &role.into());
            Ok((Method::Post, self.path("/service-accounts"), Some(body)))
        });
        self.resource(checked, Kind::ServiceAccount)
    }

    /// One page of the organization's service accounts, by id (needs `org:memberships:read`):
    /// `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getServiceAccounts, unchecked_return_type = "Promise<ServiceAccountsPage>")]
    pub fn get_service_accounts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        let usage = "getServiceAccounts takes { limit?, after? }.";
        let query = page_query(&p, usage, ServiceAccountId::is_well_formed);
        self.resource(self.list("/service-accounts", query), Kind::ServiceAccount)
    }

    /// Creates an API key of mine, acting as me in this organization (within `permissions`,
    /// a subset of mine, when given), under the organization's policy (`api_keys_disabled`
    /// when it allows none). Resolves to `{ apiKey, secret }`: the secret (`ok_` and 64 hex
    /// digits) is shown only this once.
    ///
    /// @example
    /// ```js
    /// const { apiKey, secret } = await org.createApiKey({
    ///   name: "reporting", permissions: ["org:memberships:read"],
    /// });
    /// ```
    #[wasm_bindgen(js_name = createApiKey, unchecked_return_type = "Promise<CreatedApiKey>")]
    pub fn create_api_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateApiKeyParams")] p: JsValue,
    ) -> Promise {
        self.resource(self.key_request(&p, None), Kind::Created)
    }

    /// One page of API keys: mine, or everyone's with `org:api_keys:manage`; one service
    /// account's with `serviceAccountId`. `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getApiKeys, unchecked_return_type = "Promise<ApiKeysPage>")]
    pub fn get_api_keys(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetApiKeysParams | void")] p: JsValue,
    ) -> Promise {
        self.resource(self.keys_list(&p, None), Kind::ApiKey)
    }

    /// Who may create API keys here: `nobody`, `admins` (holders of `org:api_keys:manage`,
    /// the default) or `members` (each their own).
    #[wasm_bindgen(js_name = getApiKeyPolicy, unchecked_return_type = "Promise<ApiKeyPolicy>")]
    pub fn get_api_key_policy(&self) -> Promise {
        let checked = Ok((Method::Get, self.path("/api-key-policy"), None));
        self.resource(checked, Kind::Policy)
    }

    /// Sets who may create API keys (needs `org:api_keys:manage`). Existing keys stay.
    #[wasm_bindgen(js_name = setApiKeyPolicy, unchecked_return_type = "Promise<ApiKeyPolicy>")]
    pub fn set_api_key_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApiKeyPolicy")] policy: JsValue,
    ) -> Promise {
        let checked = (|| {
            let policy = policy
                .as_string()
                .and_then(|p| ApiKeyPolicy::parse(&p))
                .ok_or_else(|| invalid_input("The policy must be nobody, admins or members."))?;
            check_set_policy(self.held()).map_err(local)?;
            let body = object(&[("policy", policy.as_str().into())]);
            Ok((Method::Put, self.path("/api-key-policy"), Some(body)))
        })();
        self.resource(checked, Kind::Policy)
    }
}
