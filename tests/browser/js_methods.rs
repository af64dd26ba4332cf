//! The SDK's methods written in JS (`src/js/*.js`), called from the tests by their JS names on
//! the same objects an app holds, under the names the Rust methods had.

use super::get;
use js_sys::{Array, Function, Promise};
use orgkit::{OrgKit, Organization};
use wasm_bindgen::{JsCast, JsValue};

/// `this[name](...args)`, a method an app calls.
fn js_call(this: JsValue, name: &str, args: &[JsValue]) -> Promise {
    let f: Function = get(&this, name)
        .dyn_into()
        .unwrap_or_else(|_| panic!("no method {name}"));
    let args: Array = args.iter().collect();
    f.apply(&this, &args).unwrap().dyn_into().unwrap()
}

/// A trait of JS methods for `$owner`: each Rust name calls the JS name with its arguments.
macro_rules! js_methods {
    ($(#[$doc:meta])* $name:ident for $owner:ty {
        $(fn $method:ident($($arg:ident: $ty:ty),*) = $js:literal;)*
    }) => {
        $(#[$doc])*
        pub(crate) trait $name {
            $(fn $method(&self $(, $arg: $ty)*) -> Promise;)*
        }
        impl $name for $owner {
            $(fn $method(&self $(, $arg: $ty)*) -> Promise {
                js_call(self.clone().into(), $js, &[$(JsValue::from($arg)),*])
            })*
        }
    };
}

js_methods! {
    /// The organization's workspace, group, service account and API key methods.
    WorkspaceMethods for Organization {
        fn create_workspace(p: JsValue) = "createWorkspace";
        fn get_workspaces(p: JsValue) = "getWorkspaces";
        fn get_workspace(id: &str) = "getWorkspace";
        fn get_personal_workspace() = "getPersonalWorkspace";
        fn create_group(p: JsValue) = "createGroup";
        fn get_groups(p: JsValue) = "getGroups";
        fn create_service_account(p: JsValue) = "createServiceAccount";
        fn get_service_accounts(p: JsValue) = "getServiceAccounts";
        fn create_api_key(p: JsValue) = "createApiKey";
        fn get_api_keys(p: JsValue) = "getApiKeys";
        fn get_api_key_policy() = "getApiKeyPolicy";
        fn set_api_key_policy(policy: JsValue) = "setApiKeyPolicy";
    }
}

js_methods! {
    /// The kit's workspace method.
    KitWorkspaceMethods for OrgKit {
        fn get_my_workspaces(p: JsValue) = "getMyWorkspaces";
    }
}

js_methods! {
    /// The organization's webhook and audit log methods.
    WebhookMethods for Organization {
        fn get_webhook_endpoints(p: JsValue) = "getWebhookEndpoints";
        fn create_webhook_endpoint(p: JsValue) = "createWebhookEndpoint";
        fn update_webhook_endpoint(id: &str, p: JsValue) = "updateWebhookEndpoint";
        fn delete_webhook_endpoint(id: &str) = "deleteWebhookEndpoint";
        fn rotate_webhook_secret(id: &str) = "rotateWebhookSecret";
        fn send_test_webhook(id: &str) = "sendTestWebhook";
        fn get_webhook_attempts(id: &str, p: JsValue) = "getWebhookAttempts";
        fn resend_webhook(id: &str, message_id: &str) = "resendWebhook";
        fn get_audit_events(p: JsValue) = "getAuditEvents";
    }
}

js_methods! {
    /// The organization's domain methods.
    DomainMethods for Organization {
        fn get_domains() = "getDomains";
        fn add_domain(p: JsValue) = "addDomain";
    }
}

js_methods! {
    /// The kit's domain suggestions.
    KitDomainMethods for OrgKit {
        fn get_user_suggestions() = "getUserSuggestions";
    }
}

js_methods! {
    /// The organization's SSO connection methods.
    SsoMethods for Organization {
        fn get_sso_connections(p: JsValue) = "getSsoConnections";
        fn create_sso_connection(p: JsValue) = "createSsoConnection";
    }
}

js_methods! {
    /// The organization's invite link methods.
    LinkMethods for Organization {
        fn create_invite_link(p: JsValue) = "createInviteLink";
        fn get_invite_links(p: JsValue) = "getInviteLinks";
    }
}

js_methods! {
    /// The organization's join request method.
    JoinRequestMethods for Organization {
        fn get_join_requests(p: JsValue) = "getJoinRequests";
    }
}

js_methods! {
    /// The kit's join request methods.
    KitJoinRequestMethods for OrgKit {
        fn request_to_join(p: JsValue) = "requestToJoin";
        fn get_my_join_requests() = "getMyJoinRequests";
    }
}

js_methods! {
    /// The organization's governance methods.
    GovernanceMethods for Organization {
        fn get_metadata() = "getMetadata";
        fn update_metadata(p: JsValue) = "updateMetadata";
        fn set_logo(file: web_sys::Blob) = "setLogo";
        fn delete_logo() = "deleteLogo";
        fn get_billing_profile() = "getBillingProfile";
        fn update_billing_profile(p: JsValue) = "updateBillingProfile";
    }
}
