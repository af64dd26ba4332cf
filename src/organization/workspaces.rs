//! Workspaces, groups, service accounts and API keys (issue 8): the classes `Workspace`,
//! `Group`, `ServiceAccount` and `ApiKey`, and the organization's methods that make and list
//! them.
//!
//! Lean by design, as invite links are: each method checks synchronously with the rule book
//! (`orgkit_core::workspace`, `api_key`, `validate`, the ids' shapes) and hands its one request
//! to one shared future, [`resource_call`], which wraps the answer in the class it names. The
//! classes carry the answer's fields as their own properties (declared in `types/workspaces.rs`),
//! no getter each.

mod group;
mod keys;
mod workspace;

pub use group::Group;
pub use keys::{ApiKey, ServiceAccount};
pub use workspace::Workspace;

use super::{Checked, Organization};
use crate::context::Client;
use crate::error::invalid_input;
use crate::http::Method;
use crate::js::{date, field, object, segment, set, text};
use crate::send::Then;
use js_sys::{Array, Object, Promise};
use orgkit_core::workspace::PrincipalKind;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What an answer becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Workspace,
    Group,
    ServiceAccount,
    ApiKey,
    /// `{ apiKey, secret }`: the key wrapped, the secret as it is.
    Created,
    /// `{ policy }`: noted on the organization; resolves to the policy.
    Policy,
    /// Plain data (grants, group members, effective access), timestamps as `Date`s.
    Plain,
}

/// The timestamps of these answers, turned into `Date`s; `null` stays `null`.
const DATES: [&str; 4] = ["createdAt", "expiresAt", "lastUsedAt", "revokedAt"];

/// Sends one checked request and answers what `kind` says: an instance, a page of them
/// (`data` wrapped), plain data, or nothing for a 204. A refused check rejects with no request.
pub(crate) fn resource_call(
    client: Rc<Client>,
    org: Option<Organization>,
    checked: Checked,
    kind: Kind,
) -> Promise {
    let shared = client.clone();
    let then = Then::Map(Box::new(move |answer| {
        if answer.is_undefined() {
            return Ok(answer);
        }
        match kind {
            Kind::Policy => {
                if let Some(org) = &org {
                    org.state.data.borrow_mut().api_key_policy =
                        orgkit_core::api_key::ApiKeyPolicy::parse(&text(&answer, "policy"));
                }
                return Ok(field(&answer, "policy"));
            }
            Kind::Created => {
                let key = wrap(
                    &client,
                    org.as_ref(),
                    Kind::ApiKey,
                    field(&answer, "apiKey"),
                );
                set(&answer, "apiKey", &key);
                return Ok(answer);
            }
            _ => {}
        }
        let data = field(&answer, "data");
        if !Array::is_array(&data) {
            return Ok(wrap(&client, org.as_ref(), kind, answer));
        }
        let items: Array = Array::from(&data)
            .iter()
            .map(|item| wrap(&client, org.as_ref(), kind, item))
            .collect();
        set(&answer, "data", &items);
        Ok(answer)
    }));
    crate::send::send(shared, checked, then)
}

/// The instance of `kind` for one answer, with the answer's fields as its own properties.
fn wrap(client: &Rc<Client>, org: Option<&Organization>, kind: Kind, data: JsValue) -> JsValue {
    for key in DATES {
        if let Some(ms) = field(&data, key).as_f64() {
            set(&data, key, &date(ms));
        }
    }
    let fields = data.clone();
    let instance: JsValue = match (kind, org) {
        (Kind::Workspace, _) => Workspace {
            client: client.clone(),
            data,
        }
        .into(),
        (Kind::Group, Some(org)) => Group {
            org: org.clone(),
            data,
        }
        .into(),
        (Kind::ServiceAccount, Some(org)) => ServiceAccount {
            org: org.clone(),
            data,
        }
        .into(),
        (Kind::ApiKey, Some(org)) => ApiKey {
            org: org.clone(),
            data,
        }
        .into(),
        _ => return data,
    };
    Object::assign(&Object::from(instance.clone()), &Object::from(fields));
    instance
}

/// `{ <key>: id }` of a principal's parameters: its kind and id, the id well formed (else
/// `validation_failed`, as the server's path check).
fn principal_of(
    p: &JsValue,
    kinds: &[(&str, PrincipalKind)],
    usage: &'static str,
) -> Result<(PrincipalKind, String), JsValue> {
    crate::js::params(p, usage)?;
    let (kind, id) = kinds
        .iter()
        .find_map(|(key, kind)| crate::js::string(p, key).map(|id| (*kind, id)))
        .ok_or_else(|| invalid_input(usage))?;
    check_id(kind.is_well_formed_id(&id))?;
    Ok((kind, id))
}

pub(crate) use crate::js::check_id;

/// `/{kind}/{id}` of a principal, in a path.
fn principal_path(kind: PrincipalKind, id: &str) -> String {
    "/".to_owned() + kind.as_str() + "/" + &segment(id)
}

/// The `{ role }` body of a grant or group membership.
fn role_body(role: &str) -> Option<JsValue> {
    Some(object(&[("role", role.into())]))
}

impl Organization {
    /// Sends a checked request of this organization, answering `kind`.
    pub(crate) fn resource(&self, checked: Checked, kind: Kind) -> Promise {
        resource_call(self.state.client.clone(), Some(self.clone()), checked, kind)
    }

    /// `Method::Get` of `path` with a page query.
    fn list(&self, rest: &str, query: Result<String, JsValue>) -> Checked {
        Ok((Method::Get, self.path(rest) + &query?, None))
    }
}
