//! `Organization`: one organization as the signed-in user sees it, with their role in it.
//! Its profile is here; its members, its invitations, its audit log and its webhook endpoints
//! are in the submodules.

mod fields;
mod from_js;
mod governance;
mod invitations;
mod members;
mod ownership;
mod roles;
mod roster;

pub(crate) use members::page_query;
mod links;
pub(crate) use roles::role_params;
pub use roles::OrgRole;

use crate::checks::{refs, MemberRoster, ME};
use crate::context::Client;
use crate::error::local;
use crate::http::Method;
use crate::js::{date, field, number, object, optional_param, params, segment, strings, text};
use crate::pending::Pending;
use crate::send::Then;
use js_sys::Promise;
use orgkit_core::policy::{self, Action, Actor};
use orgkit_core::{validate, Timestamp, UserId};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// An organization as the server describes it to me.
struct OrgData {
    id: String,
    name: String,
    slug: String,
    created_at: f64,
    role: String,
    /// My roles, the primary one (`role`) first.
    roles: Vec<String>,
    permissions: Vec<String>,
    allow_join_requests: bool,
    require_sso: bool,
    sso_join_url: String,
    max_allowed_memberships: f64,
    has_image: bool,
    image_url: Option<String>,
    is_owner: bool,
    creator_protection: bool,
    /// Who may create API keys here; `None` when the server did not say.
    api_key_policy: Option<orgkit_core::api_key::ApiKeyPolicy>,
}

impl OrgData {
    fn read(value: &JsValue) -> OrgData {
        let role = text(value, "role");
        OrgData {
            id: text(value, "id"),
            name: text(value, "name"),
            slug: text(value, "slug"),
            created_at: number(value, "createdAt"),
            roles: role_list(value, &role),
            role,
            permissions: strings(value, "permissions"),
            allow_join_requests: field(value, "allowJoinRequests").is_truthy(),
            require_sso: field(value, "requireSso").is_truthy(),
            sso_join_url: text(value, "ssoJoinUrl"),
            max_allowed_memberships: number(value, "maxAllowedMemberships"),
            has_image: field(value, "hasImage").is_truthy(),
            image_url: field(value, "imageUrl").as_string(),
            is_owner: field(value, "isOwner").is_truthy(),
            creator_protection: field(value, "creatorProtection").is_truthy(),
            api_key_policy: orgkit_core::api_key::ApiKeyPolicy::parse(&text(value, "apiKeyPolicy")),
        }
    }
}

/// Shared by an organization and the memberships and invitations read through it.
struct OrgState {
    client: Rc<Client>,
    data: RefCell<OrgData>,
    roster: RefCell<MemberRoster>,
    /// How many domains it has, once `getDomains` was read (for the limit of 10).
    domains: std::cell::Cell<Option<u32>>,
}

/// An organization, with the signed-in user's role in it.
///
/// @example
/// ```js
/// const org = await kit.createOrganization({ name: "Acme Corp" });
/// if (org.can("org:invitations:manage")) {
///   await org.inviteMember({ emailAddress: "grace@example.com", role: "basic_member" });
/// }
/// ```
#[wasm_bindgen]
#[derive(Clone)]
pub struct Organization {
    state: Rc<OrgState>,
}

/// The request a method sends once its local checks passed, or its local refusal.
pub(crate) type Checked = Result<(Method, String, Option<JsValue>), JsValue>;

/// Sends one request and resolves to its JSON answer, with the timestamps of the answer (or of
/// each item of its `data` page) as `Date`s (`send.rs`'s `Then::Data`).
pub(crate) fn send(
    client: Rc<Client>,
    method: Method,
    path: String,
    body: Option<JsValue>,
) -> Promise {
    crate::send::send(client, Ok((method, path, body)), Then::Data)
}

pub(crate) fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// The `roles` of a membership or organization answer, or `[role]` from a server that sends
/// only the primary one.
pub(crate) fn role_list(value: &JsValue, role: &str) -> Vec<String> {
    let roles = strings(value, "roles");
    if roles.is_empty() {
        vec![role.to_owned()]
    } else {
        roles
    }
}

fn optional(value: Option<String>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

impl Organization {
    /// An organization read from a server answer, with no member pages seen yet.
    pub(crate) fn new(client: Rc<Client>, data: &JsValue) -> Organization {
        let org = Organization {
            state: Rc::new(OrgState {
                client,
                data: RefCell::new(OrgData::read(data)),
                roster: RefCell::new(MemberRoster::default()),
                domains: std::cell::Cell::new(None),
            }),
        };
        org.check_fresh();
        org
    }

    /// Takes in the organization as the server answered a change to it (its profile, owner or
    /// logo), and resolves to this same object.
    pub(crate) fn changed_to(self, answer: &JsValue) -> JsValue {
        *self.state.data.borrow_mut() = OrgData::read(answer);
        self.check_fresh();
        self.into()
    }

    fn client(&self) -> &Client {
        &self.state.client
    }

    /// The shared context, for `send.rs`.
    pub(crate) fn client_rc(&self) -> Rc<Client> {
        self.state.client.clone()
    }

    pub(crate) fn path(&self, rest: &str) -> String {
        "/v1/organizations/".to_owned() + &segment(&self.state.data.borrow().id) + rest
    }

    /// Answers the Promise of a checked request: the server's plain-data answer, or the local
    /// refusal. The methods that answer plain data (the audit log, webhooks) check
    /// synchronously and share this one future, instead of being `async fn` exports that carry
    /// a state machine each (about 3 KB gzipped apiece).
    pub(crate) fn call(&self, checked: Checked) -> Promise {
        crate::send::send(self.state.client.clone(), checked, Then::Data)
    }

    /// Asks the rule book whether I, with my roles here, may perform `action` now, over the
    /// organization's role catalog (see `judge`). The one place the SDK asks it, for the
    /// organization and for its invitations.
    pub(crate) fn authorize(&self, action: Action<'_>) -> Result<(), JsValue> {
        let catalog = self.judge(&roles::named_roles(&action));
        let data = self.state.data.borrow();
        let me = UserId(ME.to_owned());
        let my_roles = refs(&data.roles);
        let actor = Actor {
            user_id: &me,
            roles: Some(&my_roles),
        };
        policy::authorize(&catalog, actor, action, now())
            .map_err(|e| crate::error::judged(&catalog, e))
    }
}

#[wasm_bindgen]
impl Organization {
    /// Renames the organization or changes its slug (admins), turns requests to join on or
    /// off (`allowJoinRequests`, needs `org:requests:manage`), requires SSO (`requireSso`,
    /// needs `org:sso:manage` and an active connection), sets the member limit
    /// (`maxAllowedMemberships`, 0 for unlimited, needs `org:profile:manage`), or protects the
    /// creator (`creatorProtection`, owners).
    #[wasm_bindgen(unchecked_return_type = "Promise<Organization>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateOrganizationParams")] p: JsValue,
    ) -> Pending<Organization> {
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| Ok(org.changed_to(&answer))));
        crate::send::pending(self.state.client.clone(), self.check_update(&p), then)
    }

    /// Deletes the organization with its memberships and invitations (owners), confirmed
    /// with its slug repeated: `destroy({ confirm: org.slug })`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn destroy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ confirm: string }")] p: JsValue,
    ) -> Pending<()> {
        let request = self.authorize(Action::DeleteOrganization).and_then(|()| {
            let confirm = field(&p, "confirm").as_string();
            let data = self.state.data.borrow();
            orgkit_core::ownership::check_delete(data.is_owner, &data.slug, confirm.as_deref())
                .map_err(local)?;
            Ok((
                Method::Delete,
                self.path("?confirm=") + &segment(&data.slug),
                None,
            ))
        });
        crate::send::pending(self.state.client.clone(), request, Then::Unit)
    }
}

impl Organization {
    /// The checks and the request of `update`.
    fn check_update(&self, p: &JsValue) -> Checked {
        const USAGE: &str =
            "update needs { name?, slug?, allowJoinRequests?, requireSso?, maxAllowedMemberships?, creatorProtection? }.";
        params(p, USAGE)?;
        let (name, slug) = (
            optional_param(p, "name", USAGE)?,
            optional_param(p, "slug", USAGE)?,
        );
        let allow = field(p, "allowJoinRequests");
        let allow = if allow.is_undefined() || allow.is_null() {
            JsValue::UNDEFINED
        } else if allow.as_bool().is_some() {
            self.authorize(Action::SetAllowJoinRequests)?;
            allow
        } else {
            return Err(crate::error::invalid_input(USAGE));
        };
        let require = field(p, "requireSso");
        let require = if require.is_undefined() || require.is_null() {
            JsValue::UNDEFINED
        } else if require.as_bool().is_some() {
            self.authorize(Action::ManageSso)?;
            require
        } else {
            return Err(crate::error::invalid_input(USAGE));
        };
        let max = field(p, "maxAllowedMemberships");
        let max = if max.is_undefined() || max.is_null() {
            JsValue::UNDEFINED
        } else {
            match max.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 => {
                    orgkit_core::limits::check_max_allowed_memberships(n as u64).map_err(local)?;
                    self.authorize(Action::UpdateOrganization)?;
                    max
                }
                _ => return Err(crate::error::invalid_input(USAGE)),
            }
        };
        let protection = field(p, "creatorProtection");
        let protection = if protection.is_undefined() || protection.is_null() {
            JsValue::UNDEFINED
        } else if protection.as_bool().is_some() {
            let owner = self.state.data.borrow().is_owner;
            orgkit_core::ownership::check_creator_protection_setting(owner).map_err(local)?;
            protection
        } else {
            return Err(crate::error::invalid_input(USAGE));
        };
        let only_settings = !(allow.is_undefined()
            && require.is_undefined()
            && protection.is_undefined()
            && max.is_undefined());
        if name.is_some() || slug.is_some() || !only_settings {
            self.authorize(Action::UpdateOrganization)?;
        }
        if let Some(name) = &name {
            validate::organization_name(name).map_err(local)?;
        }
        if let Some(slug) = &slug {
            validate::slug(slug).map_err(local)?;
        }
        let body = object(&[
            ("name", optional(name)),
            ("slug", optional(slug)),
            ("allowJoinRequests", allow),
            ("requireSso", require),
            ("maxAllowedMemberships", max),
            ("creatorProtection", protection),
        ]);
        Ok((Method::Patch, self.path(""), Some(body)))
    }
}
