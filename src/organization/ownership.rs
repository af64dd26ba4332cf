//! Owners and suspended members: `isOwner`, `creatorProtection`, `transferOwnership`, and
//! the suspension of a member (`membership.suspend()` and `membership.reactivate()`).

use super::{Checked, Organization};
use crate::checks::ME;
use crate::error::{judged, local};
use crate::http::Method;
use crate::js::{check_member_ref, field, object, param, params, segment};
use crate::membership::OrganizationMembership;
use crate::pending::Pending;
use crate::send::Then;
use js_sys::Promise;
use orgkit_core::ownership::{self, OrgFacts, Standing};
use orgkit_core::suspension::{self, SuspendFacts};
use orgkit_core::Role;
use wasm_bindgen::prelude::*;

impl Organization {
    /// Whether `user_id` is me (by id, or the `me` stand-in).
    pub(super) fn is_me(&self, user_id: &str) -> bool {
        user_id == ME || self.client().me.borrow().as_deref() == Some(user_id)
    }

    /// Suspends (`suspend`) or reactivates the member `user_id` (whose owner flag, roles and
    /// state are `target`, `roles`), after the rule book's check; resolves to the membership.
    pub(crate) fn set_suspended(
        &self,
        user_id: &str,
        roles: &[&str],
        target: Standing,
        suspend: bool,
    ) -> Promise {
        let data = self.state.data.borrow();
        let checked = if suspend {
            suspension::check_suspend(SuspendFacts {
                held: self.held(),
                actor_is_owner: data.is_owner,
                target,
                is_self: self.is_me(user_id),
                target_is_admin: self.judge(roles).holds_admin(roles),
                // The pages seen do not tell suspended admins and owners apart: the server
                // counts them.
                admin_count: None,
                org: OrgFacts {
                    owner_count: None,
                    creator_protection: data.creator_protection,
                },
            })
        } else {
            suspension::check_reactivate(self.held())
        };
        if let Err(refusal) = checked {
            return Promise::reject(&local(refusal));
        }
        let tail = if suspend { "/suspend" } else { "/reactivate" };
        let path = self.path("/memberships/") + &segment(user_id) + tail;
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| {
            Ok(OrganizationMembership::new(org, &answer).into())
        }));
        crate::send::send(self.client_rc(), Ok((Method::Post, path, None)), then)
    }
}

#[wasm_bindgen]
impl Organization {
    /// Whether I own the organization. Only an owner changes, removes or makes owners,
    /// transfers ownership, protects the creator or deletes the organization.
    #[wasm_bindgen(getter, js_name = isOwner)]
    pub fn is_owner(&self) -> bool {
        self.state.data.borrow().is_owner
    }

    /// Whether the creator can neither leave nor be removed until they transfer ownership.
    #[wasm_bindgen(getter, js_name = creatorProtection)]
    pub fn creator_protection(&self) -> bool {
        self.state.data.borrow().creator_protection
    }

    /// Transfers ownership to another active member (owners): they become an owner with the
    /// `admin` role; I keep `keepRole` (default `admin`) and am no longer an owner.
    #[wasm_bindgen(js_name = transferOwnership, unchecked_return_type = "Promise<Organization>")]
    pub fn transfer_ownership(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TransferOwnershipParams")] p: JsValue,
    ) -> Pending<Organization> {
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| Ok(org.changed_to(&answer))));
        crate::send::pending(self.client_rc(), self.transfer_request(&p), then)
    }
}

impl Organization {
    /// The checks and the request of `transferOwnership`.
    fn transfer_request(&self, p: &JsValue) -> Checked {
        const USAGE: &str = "transferOwnership needs { userId, keepRole? }.";
        params(p, USAGE)?;
        let user_id = param(p, "userId", USAGE)?;
        check_member_ref(&user_id)?;
        let keep = field(p, "keepRole")
            .as_string()
            .unwrap_or_else(|| Role::ADMIN.to_owned());
        let owner = self.state.data.borrow().is_owner;
        let catalog = self.judge(&[&keep]);
        // A suspended target is the server's to see: the pages do not say.
        ownership::check_transfer(
            &catalog,
            owner,
            self.held(),
            Standing::default(),
            self.is_me(&user_id),
            &keep,
        )
        .map_err(|e| judged(&catalog, e))?;
        let body = object(&[("userId", user_id.into()), ("keepRole", keep.into())]);
        Ok((Method::Post, self.path("/transfer-ownership"), Some(body)))
    }
}
