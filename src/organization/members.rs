//! An organization's members: pages of them, role changes and removals (leaving included).

use super::Organization;
use crate::checks::{check_member_action, refs, Me, ME};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{
    array, check_member_ref, cursor, field, object, optional_param, param, params, segment, string,
};
use crate::membership::OrganizationMembership;
use crate::pending::Pending;
use crate::send::Then;
use js_sys::{Array, Promise};
use orgkit_core::{validate, MembershipId, Permission};
use wasm_bindgen::prelude::*;

impl Organization {
    fn member_path(&self, user_id: &str) -> String {
        self.path("/memberships/") + &segment(user_id)
    }

    /// Checks a removal of `user_id`, with what the fetched pages tell about the target and
    /// the admins.
    fn check_removal(&self, user_id: &str) -> Result<(), JsValue> {
        let my_id = self.client().me.borrow().clone();
        let mine = self.state.data.borrow().roles.clone();
        let my_roles = refs(&mine);
        let roster = self.state.roster.borrow();
        let target = roster.roles_of(user_id).unwrap_or_default();
        let me = Me {
            id: my_id.as_deref(),
            roles: &my_roles,
            manages_members: self.can(Permission::MembershipsManage.as_str()),
        };
        check_member_action(me, &roster, &self.judge(&target), user_id, None, |action| {
            self.authorize(action)
        })
    }

    fn membership(&self, data: &JsValue) -> OrganizationMembership {
        OrganizationMembership::new(self.clone(), data)
    }

    /// Removes `user_id` (leaving when it is me), after the local check; notes it in the
    /// roster.
    pub(crate) fn remove(&self, user_id: String) -> Pending<()> {
        let request = self
            .check_removal(&user_id)
            .map(|()| (Method::Delete, self.member_path(&user_id), None));
        let org = self.clone();
        let then = Then::Map(Box::new(move |_| {
            org.state.roster.borrow_mut().remove(&user_id);
            Ok(JsValue::UNDEFINED)
        }));
        crate::send::pending(self.state.client.clone(), request, then)
    }

    /// Fetches one page of members and notes it in the roster; resolves to the list of
    /// memberships (`whole`: `{ data, nextCursor }`).
    fn fetch_page(
        &self,
        limit: Result<Option<u32>, JsValue>,
        after: Option<String>,
        whole: bool,
    ) -> Promise {
        // Any member may ask: without `org:memberships:read` the server answers only my own
        // membership (the rule book's `member_list_scope`), which says nothing of the others.
        let everyone = self.can(Permission::MembershipsRead.as_str());
        let request = limit
            .and_then(|limit| validate::page_limit(limit).map_err(local))
            .map(|limit| {
                let mut path = self.path("/memberships?limit=") + &limit.to_string();
                if let Some(after) = after.as_deref().filter(|a| !a.is_empty()) {
                    path.push_str("&after=");
                    path.push_str(&segment(after));
                }
                (Method::Get, path, None)
            });
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| {
            let members: Vec<OrganizationMembership> = array(&answer, "data")
                .iter()
                .map(|m| org.membership(&m))
                .collect();
            let next = string(&answer, "nextCursor");
            if everyone {
                let seen = members
                    .iter()
                    .map(|m| (m.user_id(), m.role_list()))
                    .collect();
                org.state
                    .roster
                    .borrow_mut()
                    .record_page(after.as_deref(), seen, next.clone());
            }
            let list: Array = members.into_iter().map(JsValue::from).collect();
            Ok(if whole {
                object(&[
                    ("data", list.into()),
                    ("nextCursor", next.map_or(JsValue::NULL, JsValue::from)),
                ])
            } else {
                list.into()
            })
        }));
        crate::send::send(self.state.client.clone(), request, then)
    }
}

/// The `{ limit?, after? }` of a page request, which may be left out altogether; `usage` is
/// the refusal's message.
pub(crate) fn page_params(
    p: &JsValue,
    usage: &str,
) -> Result<(Option<u32>, Option<String>), JsValue> {
    if p.is_undefined() || p.is_null() {
        return Ok((None, None));
    }
    params(p, usage)?;
    let raw = field(p, "limit");
    let limit = if raw.is_undefined() {
        None
    } else {
        let n = raw
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 0.0)
            .ok_or_else(|| invalid_input(usage))?;
        Some(n.min(f64::from(u32::MAX)) as u32)
    };
    Ok((limit, optional_param(p, "after", usage)?))
}

/// `?limit=…&after=…` of a page request: a limit the rule book accepts, and an empty cursor
/// (the first page) or an id `well_formed` accepts.
pub(crate) fn page_query(
    p: &JsValue,
    usage: &str,
    well_formed: fn(&str) -> bool,
) -> Result<String, JsValue> {
    let (limit, after) = page_params(p, usage)?;
    let limit = validate::page_limit(limit).map_err(local)?;
    let mut query = "?limit=".to_owned() + &limit.to_string();
    if let Some(after) = cursor(after, well_formed)? {
        query.push_str("&after=");
        query.push_str(&segment(&after));
    }
    Ok(query)
}

#[wasm_bindgen]
impl Organization {
    /// The first page of members (up to 100), in join order; only my own membership when my
    /// roles lack `org:memberships:read`.
    #[wasm_bindgen(
        js_name = getMemberships,
        unchecked_return_type = "Promise<OrganizationMembership[]>"
    )]
    pub fn get_memberships(&self) -> Pending<Vec<OrganizationMembership>> {
        self.fetch_page(Ok(Some(100)), None, false).into()
    }

    /// One page of members: `{ data, nextCursor }`; pass `nextCursor` as `after` for the next.
    #[wasm_bindgen(
        js_name = getMembershipsPage,
        unchecked_return_type = "Promise<MembershipsPage>"
    )]
    pub fn get_memberships_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | undefined")] p: JsValue,
    ) -> Pending<JsValue> {
        let checked = page_params(&p, "getMembershipsPage takes { limit?, after? }.").and_then(
            |(limit, after)| {
                validate::page_limit(limit).map_err(local)?;
                Ok((limit, cursor(after, MembershipId::is_well_formed)?))
            },
        );
        match checked {
            Ok((limit, after)) => self.fetch_page(Ok(limit), after, true).into(),
            Err(refusal) => Promise::reject(&refusal).into(),
        }
    }

    /// Gives a member another role (admins). An organization always keeps an admin.
    #[wasm_bindgen(js_name = updateRole, unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn update_role(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateRoleParams")] p: JsValue,
    ) -> js_sys::Promise {
        const USAGE: &str = "updateRole needs { userId, role }.";
        let checked = params(&p, USAGE)
            .and_then(|()| Ok((param(&p, "userId", USAGE)?, param(&p, "role", USAGE)?)));
        match checked {
            Ok((user_id, role)) => self.update_roles_of(user_id, vec![role], false),
            Err(refusal) => js_sys::Promise::reject(&refusal),
        }
    }

    /// Removes a member (admins), or leaves when the id is mine.
    #[wasm_bindgen(js_name = removeMember, unchecked_return_type = "Promise<void>")]
    pub fn remove_member(&self, user_id: String) -> Pending<()> {
        match check_member_ref(&user_id) {
            Ok(()) => self.remove(user_id),
            Err(refusal) => Promise::reject(&refusal).into(),
        }
    }

    /// Leaves the organization. The last admin cannot leave.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn leave(&self) -> Pending<()> {
        self.remove(ME.to_owned())
    }
}
