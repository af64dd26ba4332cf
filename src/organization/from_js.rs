//! The hidden methods the SDK's JS families (`src/js/*.js`: workspaces, groups, service accounts
//! and API keys; webhooks and the audit log) call on `Organization` and `OrgKit`: `__send`, the
//! one send path; `__me`; and `__rule`, the rules that need my roles and permissions in the
//! organization (the others are `crate::rules`). The families' methods are put on these classes'
//! prototypes by `crate::rules::install_once`.

use super::Organization;
use crate::client::OrgKit;
use crate::error::{invalid_input, judged, local};
use crate::http::Method;
use crate::membership::OrganizationMembership;
use crate::send::Then;
use js_sys::{Array, Promise};
use orgkit_core::api_key::{
    check_create, check_revoke, check_set_policy, sees_all_keys, ApiKeyPolicy, NewKey,
};
use orgkit_core::billing;
use orgkit_core::domain::{check_domain_count, EnrollmentMode};
use orgkit_core::join_request::{accept_role, JoinRequestStatus};
use orgkit_core::policy::Action;
use orgkit_core::sso::connection::{check_change, ConnectionChange, ConnectionState};
use orgkit_core::workspace::{decide_group, GroupAction, GroupRole};
use orgkit_core::{DomainError, ErrorCode};
use wasm_bindgen::prelude::*;

/// Sends a request built in JS and resolves to the server's answer as it is (`undefined` for
/// 204): the same path as every Rust method's (`send.rs`), the store's invalidation included.
fn send_raw(
    client: std::rc::Rc<crate::context::Client>,
    method: &str,
    path: String,
    body: JsValue,
) -> Promise {
    let method = match method.as_bytes() {
        b"POST" => Method::Post,
        b"PATCH" => Method::Patch,
        b"PUT" => Method::Put,
        b"DELETE" => Method::Delete,
        _ => Method::Get,
    };
    let body = (!body.is_undefined()).then_some(body);
    crate::send::send(client, Ok((method, path, body)), Then::Map(Box::new(Ok)))
}

/// The hidden methods the JS module calls: the send path, and the checks that need my roles
/// and permissions here.
impl Organization {
    /// Accepting a join request in `facts` (`[status, proposedRole]`) with `role` (or the one
    /// proposed, else the organization's default role, known once its catalog is; before, only
    /// the permission and the status are checked).
    fn accept_request(&self, facts: &JsValue, role: Option<String>) -> Result<(), JsValue> {
        let facts = Array::from(facts);
        let Some(status) = facts
            .get(0)
            .as_string()
            .and_then(|s| JoinRequestStatus::parse(&s))
        else {
            return Ok(());
        };
        let proposed = facts.get(1).as_string();
        let default = self.known().map(|k| k.body.default_role.clone());
        let granted = match (&role, &proposed, &default) {
            (None, None, None) => None,
            _ => Some(accept_role(
                role.as_deref(),
                proposed.as_deref(),
                default.as_deref().unwrap_or_default(),
            )),
        };
        self.authorize(match granted {
            Some(granted) => Action::AcceptJoinRequest {
                status,
                role: granted,
                already_member: false,
            },
            None => Action::RejectJoinRequest { status },
        })
    }

    /// A new API key of mine, or of a service account with `account_role`, limited to
    /// `permissions` when given: the policy, my permissions, and the scope within its owner's
    /// (`permission_escalation`, with `missingPermissions`).
    fn check_key(
        &self,
        permissions: &JsValue,
        account_role: Option<String>,
    ) -> Result<(), JsValue> {
        let keys: Option<Vec<String>> = Array::is_array(permissions).then(|| {
            Array::from(permissions)
                .iter()
                .filter_map(|k| k.as_string())
                .collect()
        });
        let role = account_role.as_deref();
        let catalog = self.judge(role.as_slice());
        let held = self.held();
        // A scope key or a role the judged catalog does not know yet is the server's to judge.
        let scope = keys
            .as_ref()
            .and_then(|keys| catalog.permission_catalog().parse_all(keys).ok());
        let owner = match role {
            Some(role) => catalog.permissions_of(&[role]).ok(),
            None => Some(held),
        };
        let key = NewKey {
            for_service_account: role.is_some(),
            scope: scope.filter(|_| owner.is_some()),
            owner_permissions: owner.unwrap_or(held),
        };
        // Unknown to the SDK, the policy is taken as the widest; the server holds the real one.
        let policy = self.state.data.borrow().api_key_policy;
        check_create(policy.unwrap_or(ApiKeyPolicy::Members), held, key)
            .map_err(|e| judged(&catalog, e))
    }
}

/// The hidden methods the JS module calls: the send path, who I am, and the rules that need my
/// roles and permissions here.
#[wasm_bindgen]
impl Organization {
    #[wasm_bindgen(js_name = __send, skip_typescript)]
    pub fn send_from_js(&self, method: &str, path: String, body: JsValue) -> Promise {
        send_raw(self.client_rc(), method, path, body)
    }

    /// My user id, when known.
    #[wasm_bindgen(js_name = __me, skip_typescript)]
    pub fn me(&self) -> Option<String> {
        self.client().me.borrow().clone()
    }

    /// Runs the rule `name` with my permissions here on `a`, `b`; answers its value (or
    /// `undefined`), or throws its refusal:
    /// - `authorize(action)`: `webhooks`, `domains` or `sso` (managing them), `audit` (reading
    ///   the log) or `profile` (changing the organization: its metadata, its logo);
    /// - `billing(read | manage)`: reading or replacing the billing profile;
    /// - `logoDeleted()`: notes that the organization has no logo; `changedTo(answer)`: takes in
    ///   the organization the server answered a change with, and answers it;
    /// - `enrollment(mode, verified)`: setting a domain's enrollment mode;
    /// - `listRequests()`; `acceptRequest([status, proposedRole], role)` (see `accept_request`);
    ///   `rejectRequest(status)`; `membership(answer)`: the `OrganizationMembership` an
    ///   accepted request answered;
    /// - `link(role)`: creating (or resetting) an invite link for `role`, a role I could grant;
    ///   without a role, managing them;
    /// - `jitRole(role)`: an SSO connection's just-in-time role, one I could grant;
    /// - `ssoChange([from, to], [changesProvider, domainCount])`: changing an SSO connection
    ///   (answers the state it goes to);
    /// - `domainRoom()`: room for one more domain, once the domains were listed;
    /// - `domains(listed, change)`: notes how many domains there are (`listed`), or that one was
    ///   added or deleted (`change`, once they were listed);
    /// - `createWorkspace()`;
    /// - `group(action, myRole)`: `manage`, or changing its members, with my role in the group;
    /// - `serviceAccount(role)`: managing service accounts, giving `role` when named;
    /// - `key(permissions, accountRole)`: a new API key (see `check_key`);
    /// - `keysOf()`: listing a service account's keys;
    /// - `revoke(mine, forAccount)`: revoking a key, mine or a service account's;
    /// - `setPolicy(policy)`: a policy's name, and my permission to set it;
    /// - `notePolicy(policy)`: notes the policy the server answered (`org.apiKeyPolicy`).
    #[wasm_bindgen(js_name = __rule, skip_typescript)]
    pub fn rule(&self, name: &str, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
        let policy = || a.as_string().and_then(|p| ApiKeyPolicy::parse(&p));
        match name.as_bytes() {
            b"authorize" => self.authorize(match a.as_string().as_deref() {
                Some("audit") => Action::ReadAuditLog,
                Some("domains") => Action::ManageDomains,
                Some("sso") => Action::ManageSso,
                Some("profile") => Action::UpdateOrganization,
                _ => Action::ManageWebhooks,
            })?,
            b"enrollment" => {
                let mode = a.as_string().and_then(|m| EnrollmentMode::parse(&m));
                let mode = mode.ok_or_else(|| invalid_input("Not an enrollment mode."))?;
                self.authorize(Action::SetEnrollmentMode {
                    mode,
                    verified: b.is_truthy(),
                })?;
            }
            b"link" => match a.as_string() {
                Some(role) => self.authorize(Action::CreateInviteLink { role: &role })?,
                None => self.authorize(Action::ManageInviteLinks)?,
            },
            b"listRequests" => self.authorize(Action::ListJoinRequests)?,
            b"billing" => {
                let held = self.held();
                if a.as_string().as_deref() == Some("read") {
                    billing::check_read(held)
                } else {
                    billing::check_manage(held)
                }
                .map_err(local)?;
            }
            b"logoDeleted" => {
                let mut data = self.state.data.borrow_mut();
                data.has_image = false;
                data.image_url = None;
            }
            b"changedTo" => return Ok(self.clone().changed_to(&a)),
            b"acceptRequest" => self.accept_request(&a, b.as_string())?,
            b"rejectRequest" => {
                if let Some(status) = a.as_string().and_then(|s| JoinRequestStatus::parse(&s)) {
                    self.authorize(Action::RejectJoinRequest { status })?;
                }
            }
            b"membership" => return Ok(OrganizationMembership::new(self.clone(), &a).into()),
            b"jitRole" => self.authorize(Action::SetSsoJitRole {
                role: &a.as_string().unwrap_or_default(),
            })?,
            b"ssoChange" => {
                let (states, facts) = (Array::from(&a), Array::from(&b));
                let state = |i| {
                    states
                        .get(i)
                        .as_string()
                        .and_then(|s| ConnectionState::parse(&s))
                };
                let from = state(0).unwrap_or(ConnectionState::Draft);
                let to = state(1).unwrap_or(from);
                check_change(ConnectionChange {
                    from,
                    to,
                    changes_provider: facts.get(0).is_truthy(),
                    domain_count: facts.get(1).as_f64().unwrap_or(0.0) as usize,
                    require_sso: self.state.data.borrow().require_sso,
                    // The other connections are the server's to count.
                    other_active: 1,
                })
                .map_err(local)?;
                return Ok(to.as_str().into());
            }
            b"domainRoom" => {
                if let Some(known) = self.state.domains.get() {
                    check_domain_count(u64::from(known)).map_err(local)?;
                }
            }
            b"domains" => {
                let known = self.state.domains.get();
                let count = match (a.as_f64(), b.as_f64(), known) {
                    (Some(listed), _, _) => Some(listed as u32),
                    (None, Some(change), Some(known)) => {
                        Some((f64::from(known) + change).max(0.0) as u32)
                    }
                    _ => known,
                };
                self.state.domains.set(count);
            }
            b"createWorkspace" => {
                orgkit_core::workspace::check_create(self.held()).map_err(local)?;
            }
            b"group" => {
                let action = if a.as_string().as_deref() == Some("manage") {
                    GroupAction::Manage
                } else {
                    GroupAction::ChangeMembers
                };
                let my_role = b.as_string().and_then(|r| GroupRole::parse(&r));
                decide_group(action, self.held(), my_role).map_err(local)?;
            }
            b"serviceAccount" => self.authorize(Action::ManageServiceAccount {
                role: a.as_string().as_deref(),
            })?,
            b"key" => self.check_key(&a, b.as_string())?,
            b"keysOf" => {
                if !sees_all_keys(self.held(), true) {
                    return Err(local(DomainError::new(
                        ErrorCode::Forbidden,
                        "Only an admin can list a service account's API keys.",
                    )));
                }
            }
            b"revoke" => {
                check_revoke(self.held(), a.is_truthy(), b.is_truthy()).map_err(local)?;
            }
            b"setPolicy" => {
                policy().ok_or_else(|| {
                    invalid_input("The policy must be nobody, admins or members.")
                })?;
                check_set_policy(self.held()).map_err(local)?;
            }
            _ => {
                self.state.data.borrow_mut().api_key_policy = policy();
                return Ok(a);
            }
        }
        Ok(JsValue::UNDEFINED)
    }
}

#[wasm_bindgen]
impl OrgKit {
    #[wasm_bindgen(js_name = __send, skip_typescript)]
    pub fn send_from_js(&self, method: &str, path: String, body: JsValue) -> Promise {
        send_raw(self.client.clone(), method, path, body)
    }

    /// My user id, when known.
    #[wasm_bindgen(js_name = __me, skip_typescript)]
    pub fn me(&self) -> Option<String> {
        self.client.me.borrow().clone()
    }
}
