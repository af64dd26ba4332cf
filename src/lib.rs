//! The orgkit browser SDK: organizations, memberships and invitations for JS apps.
//!
//! ```js
//! import init, { OrgKit } from "orgkit";
//! await init();
//! const kit = new OrgKit({ baseUrl: "https://orgs.example.com" });
//! const org = await kit.createOrganization({ name: "Acme Corp" });
//! await org.inviteMember({ emailAddress: "grace@example.com", role: "basic_member" });
//! ```
//!
//! Every method checks the rules of `orgkit-core` locally (the same code the server runs)
//! and rejects what it can already see is wrong without a request. `http.rs` is the only
//! module that talks to the network.

mod checks;
mod client;
mod context;
mod error;
mod http;
mod invitation;
mod js;
mod membership;
mod organization;
mod password;
mod pending;
mod rules;
mod send;
mod session;
mod sso;
mod store;
mod types;

pub use client::OrgKit;
pub use invitation::Invitation;
pub use membership::OrganizationMembership;
pub use organization::{OrgRole, Organization};
pub use pending::{Answer, Pending};

use wasm_bindgen::prelude::*;

/// Suggests a URL slug for an organization name, as the server would: "Acme Corp" gives
/// "acme-corp".
#[wasm_bindgen(js_name = suggestSlug)]
#[must_use]
pub fn suggest_slug(name: &str) -> String {
    orgkit_core::validate::suggest_slug(name)
}

/// The event types a webhook endpoint can subscribe to, in catalog order: every one but
/// `webhook.test`, which only `sendTestWebhook` sends.
#[wasm_bindgen(js_name = webhookEventTypes, unchecked_return_type = "SubscribableWebhookEventType[]")]
#[must_use]
pub fn webhook_event_types() -> JsValue {
    js::names(&subscribable_event_types())
}

/// `webhookEventTypes()`'s list.
fn subscribable_event_types() -> Vec<&'static str> {
    orgkit_core::EventType::ALL
        .into_iter()
        .filter(|e| e.is_subscribable())
        .map(orgkit_core::EventType::as_str)
        .collect()
}

// lol_alloc instead of std's dlmalloc: 3.3 KB less gzipped `.wasm` (BENCHMARKS.md). The SDK is
// single-threaded, so the lock is never contended; `LockedAllocator` keeps this free of
// `unsafe` (which `AssumeSingleThreaded` would need).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
