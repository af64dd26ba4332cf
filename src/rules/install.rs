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

/// Imports each family's `install(kit, org)`, which puts its methods on the prototypes of `kit`
/// and `org`, and calls them all in `install_families`. Each module is named by its own import,
/// so wasm-bindgen ships it.
macro_rules! families {
    ($($module:literal => $install:ident),* $(,)?) => {
        $(
            #[wasm_bindgen(module = $module)]
            extern "C" {
                #[wasm_bindgen(js_name = install)]
                fn $install(kit: &JsValue, org: &JsValue);
            }
        )*

        fn install_families(kit: &JsValue, org: &JsValue) {
            $($install(kit, org);)*
        }
    };
}

families! {
    "/src/js/workspaces.js" => install_workspaces,
    "/src/js/webhooks.js" => install_webhooks,
    "/src/js/domains.js" => install_domains,
    "/src/js/sso.js" => install_sso,
    "/src/js/links.js" => install_links,
    "/src/js/join_requests.js" => install_join_requests,
    "/src/js/governance.js" => install_governance,
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
    install_families(&kit, &org);
    init(Rules, kit, org);
}
