//! The SDK's methods written in JS (`src/js/workspaces.js`, `webhooks.js`, `domains.js`, `sso.js`, `links.js`, `join_requests.js`), called from the tests by their JS
//! names on the same objects an app holds, under the names the Rust methods had.

use super::get;
use js_sys::{Function, Promise};
use orgkit::{OrgKit, Organization};
use wasm_bindgen::{JsCast, JsValue};

/// `this[name](arg)`, a method an app calls.
fn js_call(this: JsValue, name: &str, arg: JsValue) -> Promise {
    let f: Function = get(&this, name)
        .dyn_into()
        .unwrap_or_else(|_| panic!("no method {name}"));
    f.call1(&this, &arg).unwrap().dyn_into().unwrap()
}

/// The organization's workspace, group, service account and API key methods.
pub(crate) trait WorkspaceMethods {
    fn create_workspace(&self, p: JsValue) -> Promise;
    fn get_workspaces(&self, p: JsValue) -> Promise;
    fn get_workspace(&self, id: &str) -> Promise;
    fn get_personal_workspace(&self) -> Promise;
    fn create_group(&self, p: JsValue) -> Promise;
    fn get_groups(&self, p: JsValue) -> Promise;
    fn create_service_account(&self, p: JsValue) -> Promise;
    fn get_service_accounts(&self, p: JsValue) -> Promise;
    fn create_api_key(&self, p: JsValue) -> Promise;
    fn get_api_keys(&self, p: JsValue) -> Promise;
    fn get_api_key_policy(&self) -> Promise;
    fn set_api_key_policy(&self, policy: JsValue) -> Promise;
}

impl WorkspaceMethods for Organization {
    fn create_workspace(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createWorkspace", p)
    }
    fn get_workspaces(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getWorkspaces", p)
    }
    fn get_workspace(&self, id: &str) -> Promise {
        js_call(self.clone().into(), "getWorkspace", id.into())
    }
    fn get_personal_workspace(&self) -> Promise {
        js_call(
            self.clone().into(),
            "getPersonalWorkspace",
            JsValue::UNDEFINED,
        )
    }
    fn create_group(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createGroup", p)
    }
    fn get_groups(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getGroups", p)
    }
    fn create_service_account(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createServiceAccount", p)
    }
    fn get_service_accounts(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getServiceAccounts", p)
    }
    fn create_api_key(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createApiKey", p)
    }
    fn get_api_keys(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getApiKeys", p)
    }
    fn get_api_key_policy(&self) -> Promise {
        js_call(self.clone().into(), "getApiKeyPolicy", JsValue::UNDEFINED)
    }
    fn set_api_key_policy(&self, policy: JsValue) -> Promise {
        js_call(self.clone().into(), "setApiKeyPolicy", policy)
    }
}

/// The kit's workspace method.
pub(crate) trait KitWorkspaceMethods {
    fn get_my_workspaces(&self, p: JsValue) -> Promise;
}

impl KitWorkspaceMethods for OrgKit {
    fn get_my_workspaces(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getMyWorkspaces", p)
    }
}

/// `this[name](a, b)`.
fn js_call2(this: JsValue, name: &str, a: JsValue, b: JsValue) -> Promise {
    let f: Function = get(&this, name)
        .dyn_into()
        .unwrap_or_else(|_| panic!("no method {name}"));
    f.call2(&this, &a, &b).unwrap().dyn_into().unwrap()
}

/// The organization's webhook and audit log methods (`src/js/webhooks.js`).
pub(crate) trait WebhookMethods {
    fn get_webhook_endpoints(&self, p: JsValue) -> Promise;
    fn create_webhook_endpoint(&self, p: JsValue) -> Promise;
    fn update_webhook_endpoint(&self, id: &str, p: JsValue) -> Promise;
    fn delete_webhook_endpoint(&self, id: &str) -> Promise;
    fn rotate_webhook_secret(&self, id: &str) -> Promise;
    fn send_test_webhook(&self, id: &str) -> Promise;
    fn get_webhook_attempts(&self, id: &str, p: JsValue) -> Promise;
    fn resend_webhook(&self, id: &str, message_id: &str) -> Promise;
    fn get_audit_events(&self, p: JsValue) -> Promise;
}

impl WebhookMethods for Organization {
    fn get_webhook_endpoints(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getWebhookEndpoints", p)
    }
    fn create_webhook_endpoint(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createWebhookEndpoint", p)
    }
    fn update_webhook_endpoint(&self, id: &str, p: JsValue) -> Promise {
        js_call2(self.clone().into(), "updateWebhookEndpoint", id.into(), p)
    }
    fn delete_webhook_endpoint(&self, id: &str) -> Promise {
        js_call(self.clone().into(), "deleteWebhookEndpoint", id.into())
    }
    fn rotate_webhook_secret(&self, id: &str) -> Promise {
        js_call(self.clone().into(), "rotateWebhookSecret", id.into())
    }
    fn send_test_webhook(&self, id: &str) -> Promise {
        js_call(self.clone().into(), "sendTestWebhook", id.into())
    }
    fn get_webhook_attempts(&self, id: &str, p: JsValue) -> Promise {
        js_call2(self.clone().into(), "getWebhookAttempts", id.into(), p)
    }
    fn resend_webhook(&self, id: &str, message_id: &str) -> Promise {
        js_call2(
            self.clone().into(),
            "resendWebhook",
            id.into(),
            message_id.into(),
        )
    }
    fn get_audit_events(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getAuditEvents", p)
    }
}

/// The organization's domain methods and the kit's suggestions (`src/js/domains.js`).
pub(crate) trait DomainMethods {
    fn get_domains(&self) -> Promise;
    fn add_domain(&self, p: JsValue) -> Promise;
}

impl DomainMethods for Organization {
    fn get_domains(&self) -> Promise {
        js_call(self.clone().into(), "getDomains", JsValue::UNDEFINED)
    }
    fn add_domain(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "addDomain", p)
    }
}

/// The kit's suggestions.
pub(crate) trait KitDomainMethods {
    fn get_user_suggestions(&self) -> Promise;
}

impl KitDomainMethods for OrgKit {
    fn get_user_suggestions(&self) -> Promise {
        js_call(
            self.clone().into(),
            "getUserSuggestions",
            JsValue::UNDEFINED,
        )
    }
}

/// The organization's SSO connection methods (`src/js/sso.js`).
pub(crate) trait SsoMethods {
    fn get_sso_connections(&self, p: JsValue) -> Promise;
    fn create_sso_connection(&self, p: JsValue) -> Promise;
}

impl SsoMethods for Organization {
    fn get_sso_connections(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getSsoConnections", p)
    }
    fn create_sso_connection(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createSsoConnection", p)
    }
}

/// The organization's invite link methods (`src/js/links.js`).
pub(crate) trait LinkMethods {
    fn create_invite_link(&self, p: JsValue) -> Promise;
    fn get_invite_links(&self, p: JsValue) -> Promise;
}

impl LinkMethods for Organization {
    fn create_invite_link(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "createInviteLink", p)
    }
    fn get_invite_links(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getInviteLinks", p)
    }
}

/// The organization's join request method (`src/js/join_requests.js`).
pub(crate) trait JoinRequestMethods {
    fn get_join_requests(&self, p: JsValue) -> Promise;
}

impl JoinRequestMethods for Organization {
    fn get_join_requests(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "getJoinRequests", p)
    }
}

/// The kit's join request methods.
pub(crate) trait KitJoinRequestMethods {
    fn request_to_join(&self, p: JsValue) -> Promise;
    fn get_my_join_requests(&self) -> Promise;
}

impl KitJoinRequestMethods for OrgKit {
    fn request_to_join(&self, p: JsValue) -> Promise {
        js_call(self.clone().into(), "requestToJoin", p)
    }
    fn get_my_join_requests(&self) -> Promise {
        js_call(self.clone().into(), "getMyJoinRequests", JsValue::UNDEFINED)
    }
}
