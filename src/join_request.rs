//! `JoinRequest`: a request to join an organization, as its requester sees it (from
//! `kit.getMyJoinRequests()`) or as an admin does (from `org.getJoinRequests()`).

use crate::context::Client;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{
    array, date, field, number, object, optional_param, params, segment, set, string, text,
};
use crate::membership::OrganizationMembership;
use crate::organization::{Checked, Organization};
use crate::send::Then;
use js_sys::{Array, Promise};
use orgkit_core::join_request::{self as rules, JoinRequestStatus};
use orgkit_core::policy::Action;
use orgkit_core::{validate, DomainError, ErrorCode, OrganizationId, UserId};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What an answer becomes.
#[derive(Clone, Copy)]
pub(crate) enum Answer {
    /// One request.
    One,
    /// `{data: [request]}`, with or without `nextCursor`: the list becomes `JoinRequest`s.
    Many,
    /// `{data: [request]}`, resolved to the list of `JoinRequest`s itself.
    List,
    /// A membership of the organization the request was read through.
    Membership,
}

/// Sends one checked request and turns the answer into `answer`'s shape. One shared future
/// for every join-request method, instead of an `async fn` export each.
pub(crate) fn send(
    client: Rc<Client>,
    organization: Option<Organization>,
    checked: Checked,
    answer: Answer,
) -> Promise {
    let shared = client.clone();
    let then = Then::Map(Box::new(move |data| {
        Ok(match (answer, organization) {
            (Answer::Many | Answer::List, org) => {
                let list: Array = array(&data, "data")
                    .iter()
                    .map(|item| JsValue::from(JoinRequest::new(client.clone(), item, org.clone())))
                    .collect();
                if matches!(answer, Answer::List) {
                    return Ok(list.into());
                }
                set(&data, "data", &list);
                data
            }
            (Answer::Membership, Some(org)) => OrganizationMembership::new(org, &data).into(),
            (_, org) => JoinRequest::new(client, data, org).into(),
        })
    }));
    crate::send::send(shared, checked, then)
}

/// A request to join an organization.
///
/// @example
/// ```js
/// const { data } = await org.getJoinRequests({ status: "pending" });
/// await data[0].accept({ role: "basic_member" });
/// ```
#[wasm_bindgen]
pub struct JoinRequest {
    client: Rc<Client>,
    /// The organization, when read through it (admins).
    organization: Option<Organization>,
    data: JsValue,
}

impl JoinRequest {
    pub(crate) fn new(
        client: Rc<Client>,
        data: JsValue,
        organization: Option<Organization>,
    ) -> Self {
        JoinRequest {
            client,
            organization,
            data,
        }
    }

    fn status_now(&self) -> Option<JoinRequestStatus> {
        JoinRequestStatus::parse(&text(&self.data, "status"))
    }

    fn path(&self, verb: &str) -> String {
        let id = segment(&text(&self.data, "id"));
        match &self.organization {
            Some(org) => org.path("/join-requests/") + &id + "/" + verb,
            None => "/v1/me/join-requests/".to_owned() + &id + "/" + verb,
        }
    }

    /// The checks of accepting with `role` (or the default), as an admin.
    fn accept_request(&self, p: &JsValue) -> Checked {
        const USAGE: &str = "accept takes { role? }.";
        let role = if p.is_undefined() || p.is_null() {
            None
        } else {
            params(p, USAGE)?;
            optional_param(p, "role", USAGE)?
        };
        let org = self.organization.as_ref().ok_or_else(not_found)?;
        let proposed = string(&self.data, "role");
        // Without a role chosen or proposed, the organization's default role is granted: known
        // once its catalog is; before, only the permission and the status are checked here.
        let default = org.known().map(|k| k.body.default_role.clone());
        let granted = match (&role, &proposed, &default) {
            (None, None, None) => None,
            _ => Some(rules::accept_role(
                role.as_deref(),
                proposed.as_deref(),
                default.as_deref().unwrap_or_default(),
            )),
        };
        if let Some(status) = self.status_now() {
            org.authorize(match granted {
                Some(granted) => Action::AcceptJoinRequest {
                    status,
                    role: granted,
                    already_member: false,
                },
                None => Action::RejectJoinRequest { status },
            })?;
        }
        let body = object(&[("role", role.map_or(JsValue::UNDEFINED, JsValue::from))]);
        Ok((Method::Post, self.path("accept"), Some(body)))
    }

    fn reject_request(&self) -> Checked {
        let org = self.organization.as_ref().ok_or_else(not_found)?;
        if let Some(status) = self.status_now() {
            org.authorize(Action::RejectJoinRequest { status })?;
        }
        Ok((Method::Post, self.path("reject"), None))
    }

    fn withdraw_request(&self) -> Checked {
        // Read through an organization, the request is someone else's: its requester is no
        // member, and I am.
        let me = UserId(String::new());
        let requester = if self.organization.is_some() {
            UserId("other".to_owned())
        } else {
            me.clone()
        };
        if let Some(status) = self.status_now() {
            rules::check_withdraw(&me, &requester, status).map_err(local)?;
        }
        Ok((Method::Post, self.path("withdraw"), None))
    }
}

fn not_found() -> JsValue {
    local(DomainError::new(ErrorCode::NotFound, "Request not found."))
}

#[wasm_bindgen]
impl JoinRequest {
    /// The request's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        text(&self.data, "id")
    }

    /// `pending`, `accepted`, `rejected` or `withdrawn`.
    #[wasm_bindgen(getter, unchecked_return_type = "JoinRequestStatus")]
    pub fn status(&self) -> String {
        text(&self.data, "status")
    }

    /// How it came: `request`, `link` or `suggestion`.
    #[wasm_bindgen(getter, unchecked_return_type = "JoinRequestSource")]
    pub fn source(&self) -> String {
        text(&self.data, "source")
    }

    /// The requester's message, if any.
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> Option<String> {
        string(&self.data, "message")
    }

    /// The role proposed (an invite link's) or, once accepted, granted; `null`: the default.
    #[wasm_bindgen(getter, unchecked_return_type = "Role | null")]
    pub fn role(&self) -> Option<String> {
        string(&self.data, "role")
    }

    /// The organization's id.
    #[wasm_bindgen(getter, js_name = organizationId)]
    pub fn organization_id(&self) -> String {
        text(&self.data, "organizationId")
    }

    /// The organization's name.
    #[wasm_bindgen(getter, js_name = organizationName)]
    pub fn organization_name(&self) -> String {
        text(&self.data, "organizationName")
    }

    /// The organization's slug.
    #[wasm_bindgen(getter, js_name = organizationSlug)]
    pub fn organization_slug(&self) -> String {
        text(&self.data, "organizationSlug")
    }

    /// The requester: `{ userId, identifier, name }` (`identifier` is the email address).
    #[wasm_bindgen(getter, js_name = publicUserData, unchecked_return_type = "PublicUserData")]
    pub fn public_user_data(&self) -> JsValue {
        field(&self.data, "publicUserData")
    }

    /// When it was filed.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(number(&self.data, "createdAt"))
    }

    /// When it was accepted, rejected or withdrawn; `null` while pending.
    #[wasm_bindgen(getter, js_name = decidedAt)]
    pub fn decided_at(&self) -> Option<js_sys::Date> {
        field(&self.data, "decidedAt").as_f64().map(date)
    }

    /// Withdraws my pending request. Resolves to the withdrawn request.
    #[wasm_bindgen(unchecked_return_type = "Promise<JoinRequest>")]
    pub fn withdraw(&self) -> Promise {
        send(
            self.client.clone(),
            None,
            self.withdraw_request(),
            Answer::One,
        )
    }

    /// Accepts the request (needs `org:requests:manage`): the requester becomes a member with
    /// `role`, by default the role proposed, else the default role. Resolves to the membership.
    #[wasm_bindgen(unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn accept(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AcceptJoinRequestParams | undefined")] p: JsValue,
    ) -> Promise {
        let checked = self.accept_request(&p);
        send(
            self.client.clone(),
            self.organization.clone(),
            checked,
            Answer::Membership,
        )
    }

    /// Rejects the request (needs `org:requests:manage`). Resolves to the rejected request.
    #[wasm_bindgen(unchecked_return_type = "Promise<JoinRequest>")]
    pub fn reject(&self) -> Promise {
        let checked = self.reject_request();
        send(
            self.client.clone(),
            self.organization.clone(),
            checked,
            Answer::One,
        )
    }
}

/// The checks of `kit.requestToJoin`: the organization is a slug or an id, the message fits.
pub(crate) fn file_request(p: &JsValue) -> Checked {
    const USAGE: &str = "requestToJoin needs { organization, message? } (a slug or an id).";
    params(p, USAGE)?;
    let organization = crate::js::param(p, "organization", USAGE)?;
    let message = optional_param(p, "message", USAGE)?;
    if !OrganizationId::is_well_formed(&organization) {
        validate::slug(&organization).map_err(local)?;
    }
    let message = rules::message(message.as_deref()).map_err(local)?;
    let body = object(&[
        ("organization", organization.into()),
        ("message", message.map_or(JsValue::UNDEFINED, JsValue::from)),
    ]);
    Ok((Method::Post, "/v1/join-requests".to_owned(), Some(body)))
}

/// The checks of `org.getJoinRequests`.
pub(crate) fn list_request(org: &Organization, p: &JsValue) -> Checked {
    const USAGE: &str = "getJoinRequests takes { status?, limit?, after? }.";
    let (limit, after) = crate::organization::page_params(p, USAGE)?;
    let status = if p.is_object() {
        optional_param(p, "status", USAGE)?
    } else {
        None
    };
    org.authorize(Action::ListJoinRequests)?;
    if status
        .as_deref()
        .is_some_and(|s| JoinRequestStatus::parse(s).is_none())
    {
        return Err(invalid_input(USAGE));
    }
    validate::page_limit(limit).map_err(local)?;
    let after = after.filter(|a| !a.is_empty());
    if after.as_deref().is_some_and(|a| !rules::is_list_cursor(a)) {
        return Err(invalid_input("The cursor is not valid."));
    }
    let mut path = org.path("/join-requests?");
    for (key, value) in [
        ("status", status),
        ("limit", limit.map(|n| n.to_string())),
        ("after", after),
    ] {
        if let Some(value) = value {
            path.push_str(key);
            path.push('=');
            path.push_str(&segment(&value));
            path.push('&');
        }
    }
    Ok((Method::Get, path, None))
}
