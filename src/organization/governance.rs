//! A member's metadata, written through the membership (`membership.getMetadata` and
//! `updateMetadata`): the body held to the rule book's `metadata::check`, and the policy's check
//! of changing that member. The organization's own metadata, logo and billing profile are
//! written in JS: `src/js/governance.js`.

use super::{Checked, Organization};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::field;
use js_sys::JSON;
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::UserId;
use wasm_bindgen::prelude::*;

const METADATA_USAGE: &str = "updateMetadata takes { publicMetadata?, privateMetadata? }.";

/// The `{ publicMetadata?, privateMetadata? }` body, each given field held to the rule book
/// (an object of at most 8 KiB of JSON).
fn metadata_body(p: &JsValue) -> Result<JsValue, JsValue> {
    if !p.is_object() {
        return Err(invalid_input(METADATA_USAGE));
    }
    for key in ["publicMetadata", "privateMetadata"] {
        let value = field(p, key);
        if value.is_undefined() || value.is_null() {
            continue;
        }
        let text: String = JSON::stringify(&value)
            .map_err(|_| invalid_input(METADATA_USAGE))?
            .into();
        orgkit_core::metadata::check(&text).map_err(local)?;
    }
    Ok(p.clone())
}

impl Organization {
    /// The metadata path of the member `user_id` and the local check of writing it (what
    /// changing their role needs, as on the server).
    pub(crate) fn member_metadata(&self, user_id: &str, roles: &[&str], p: &JsValue) -> Checked {
        let body = metadata_body(p)?;
        let target = UserId(user_id.to_owned());
        self.authorize(Action::ChangeRole {
            target: TargetMember {
                user_id: &target,
                roles,
            },
            new_roles: roles,
            admin_count: None,
        })?;
        let path = self.path("/memberships/") + &crate::js::segment(user_id) + "/metadata";
        Ok((Method::Patch, path, Some(body)))
    }
}
