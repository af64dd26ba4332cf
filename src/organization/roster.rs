//! The organization's roster (members, pending invitations and requests to join, in one
//! list) and removing several members at once.

use super::members::page_params;
use super::{Checked, Organization};
use crate::checks::{check_bulk_removal, Me};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{field, object, optional_param, segment, strings_of};
use js_sys::{Array, Promise};
use orgkit_core::policy::Actor;
use orgkit_core::roster::{roster_query, roster_statuses, RosterCursor};
use orgkit_core::{validate, Permission, RosterStatus, UserId};
use wasm_bindgen::prelude::*;

const USAGE: &str = "getRoster takes { status?, query?, limit?, after? }.";
const REMOVE_USAGE: &str = "removeMembers takes an array of user ids.";

#[wasm_bindgen]
impl Organization {
    /// One page of the organization's people, ordered by email address: members (`joined`,
    /// needs `org:memberships:read`), pending invitations (`invited`, needs
    /// `org:invitations:manage`) and pending requests to join (`requested`, needs
    /// `org:requests:manage`). `status` picks some of them (default: all I may see); `query`
    /// matches the start of a name or address, case-insensitively.
    ///
    /// @example
    /// ```js
    /// const { data, nextCursor } = await org.getRoster({ status: ["invited"], query: "ad" });
    /// ```
    #[wasm_bindgen(js_name = getRoster, unchecked_return_type = "Promise<RosterPage>")]
    pub fn get_roster(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RosterParams | undefined")] p: JsValue,
    ) -> Promise {
        self.call(self.roster_request(&p))
    }

    /// Removes up to 100 members at once (admins), in one transaction: resolves to one result
    /// per member, `{ memberId, removed, error? }`. An organization always keeps an admin.
    #[wasm_bindgen(
        js_name = removeMembers,
        unchecked_return_type = "Promise<BulkRemoveResponse>"
    )]
    pub fn remove_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] member_ids: JsValue,
    ) -> Promise {
        self.call(self.bulk_remove_request(member_ids))
    }
}

impl Organization {
    /// The request of `getRoster`, after the local checks.
    fn roster_request(&self, p: &JsValue) -> Checked {
        let (limit, after) = page_params(p, USAGE)?;
        let after = after.filter(|a| !a.is_empty());
        let query = if p.is_object() {
            optional_param(p, "query", USAGE)?
        } else {
            None
        };
        let raw = if p.is_object() {
            field(p, "status")
        } else {
            JsValue::UNDEFINED
        };
        let mut asked = Vec::new();
        if !raw.is_undefined() && !raw.is_null() {
            for s in strings_of(raw, "status", USAGE)? {
                asked.push(RosterStatus::parse(&s).ok_or_else(|| invalid_input(USAGE))?);
            }
        }
        let mine = self.state.data.borrow().roles.clone();
        let me = UserId(crate::checks::ME.to_owned());
        let my_roles = crate::checks::refs(&mine);
        let actor = Actor {
            user_id: &me,
            roles: Some(&my_roles),
        };
        let statuses = roster_statuses(&self.judge(&[]), actor, &asked).map_err(local)?;
        let query = roster_query(query.as_deref().unwrap_or("")).map_err(local)?;
        let limit = validate::page_limit(limit).map_err(local)?;
        if let Some(after) = &after {
            RosterCursor::decode(after).map_err(local)?;
        }
        let mut path = self.path("/roster?limit=") + &limit.to_string();
        if !asked.is_empty() {
            path.push_str("&status=");
            for (i, s) in statuses.iter().enumerate() {
                if i > 0 {
                    path.push(',');
                }
                path.push_str(s.as_str());
            }
        }
        for (key, value) in [("q", query), ("after", after)] {
            if let Some(value) = value {
                path.push('&');
                path.push_str(key);
                path.push('=');
                path.push_str(&segment(&value));
            }
        }
        Ok((Method::Get, path, None))
    }

    /// The request of `removeMembers`, after the local checks.
    fn bulk_remove_request(&self, ids: JsValue) -> Checked {
        let ids = strings_of(ids, "memberIds", REMOVE_USAGE)?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let my_id = self.client().me.borrow().clone();
        let mine = self.state.data.borrow().roles.clone();
        let my_roles = crate::checks::refs(&mine);
        let me = Me {
            id: my_id.as_deref(),
            roles: &my_roles,
            manages_members: self.can(Permission::MembershipsManage.as_str()),
        };
        check_bulk_removal(me, &self.state.roster.borrow(), &self.judge(&[]), &refs)
            .map_err(local)?;
        // The answer is per member and not read back here: the remembered pages no longer
        // tell the admins apart, so later checks leave the last-admin rule to the server.
        self.state.roster.borrow_mut().forget();
        let list: Array = ids.into_iter().map(JsValue::from).collect();
        let body = object(&[("memberIds", list.into())]);
        Ok((
            Method::Post,
            self.path("/memberships/bulk-remove"),
            Some(body),
        ))
    }
}
