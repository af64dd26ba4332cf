//! Installing the JS families (`src/js/*.js`): their methods go on the prototypes of `OrgKit`
//! and `Organization`, read from one instance of each, and they are handed the rule book.

use super::Rules;
use crate::client::OrgKit;
use crate::context::Client;
use crate::organization::Organization;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/common.js")]
extern "C" {
    /// Hands the JS families the rule book, and frees the two instances they were installed from.
    fn init(rules: Rules, kit: JsValue, org: JsValue);
}

#[wasm_bindgen(module = "/src/js/workspaces.js")]
extern "C" {
    /// Puts the workspace family's methods on the prototypes of `kit` and `org`.
    #[wasm_bindgen(js_name = install)]
    fn install_workspaces(kit: &JsValue, org: &JsValue);
}

#[wasm_bindgen(module = "/src/js/domains.js")]
extern "C" {
    /// Puts the domain methods on `org` and the suggestions on `kit`.
    #[wasm_bindgen(js_name = install)]
    fn install_domains(kit: &JsValue, org: &JsValue);
}

#[wasm_bindgen(module = "/src/js/sso.js")]
extern "C" {
    /// Puts the SSO connection methods on `org`.
    #[wasm_bindgen(js_name = install)]
    fn install_sso(kit: &JsValue, org: &JsValue);
}

#[wasm_bindgen(module = "/src/js/links.js")]
extern "C" {
    /// Puts the invite link methods on `org`.
    #[wasm_bindgen(js_name = install)]
    fn install_links(kit: &JsValue, org: &JsValue);
}

#[wasm_bindgen(module = "/src/js/join_requests.js")]
extern "C" {
    /// Puts the join request methods on `kit` and `org`.
    #[wasm_bindgen(js_name = install)]
    fn install_join_requests(kit: &JsValue, org: &JsValue);
}

#[wasm_bindgen(module = "/src/js/webhooks.js")]
extern "C" {
    /// Puts the webhook and audit log methods on the prototype of `org`.
    #[wasm_bindgen(js_name = install)]
    fn install_webhooks(kit: &JsValue, org: &JsValue);
}

static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Installs the JS families, once (`OrgKit`'s constructor): their methods go on the prototypes
/// of `OrgKit` and `Organization`, read from one instance of each.
pub(crate) fn install_once() {
    if INSTALLED.swap(true, Ordering::Relaxed) {
        return;
    }
    let client = Rc::new(Client::new(None, None));
    let org: JsValue = Organization::new(client.clone(), &JsValue::UNDEFINED).into();
    let kit: JsValue = OrgKit { client }.into();
    install_workspaces(&kit, &org);
    install_webhooks(&kit, &org);
    install_domains(&kit, &org);
    install_sso(&kit, &org);
    install_links(&kit, &org);
    install_join_requests(&kit, &org);
    init(Rules, kit, org);
}
