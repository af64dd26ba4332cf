//! Clerk's JSON shapes, from the records `service::instance` reads. Every object carries
//! `object`; timestamps are integer milliseconds; a live object never carries `deleted` (the
//! client reads any object with it as a `DeletedObject`).

use crate::service::instance::{InvitationRecord, MemberRecord, OrgRecord, UserRecord};
use crate::state::AppState;
use crate::token::now;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use orgkit_core::clerk::{role_key, role_name};
use orgkit_core::InvitationStatus;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// An answer with the content type exactly `application/json`: the client reads any other
/// (even with a charset) as text.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    text_response(status, body.to_string())
}

/// An answer whose body is JSON text already.
fn text_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `200` with `body`.
pub fn ok(body: &Value) -> Response {
    json_response(StatusCode::OK, body)
}

/// `{"data": [...], "total_count": N}`.
pub fn list(data: Vec<Value>, total_count: i64) -> Response {
    ok(&json!({"data": data, "total_count": total_count}))
}

/// `{"object", "id", "slug"?, "deleted": true}`.
pub fn deleted(object: &str, id: &str, slug: Option<&str>) -> Response {
    let mut body = json!({"object": object, "id": id, "deleted": true});
    if let Some(slug) = slug {
        body["slug"] = json!(slug);
    }
    ok(&body)
}

fn metadata(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| json!({}))
}

/// First name and last name from a stored display name: the first word and the rest.
fn split_name(name: &str) -> (Value, Value) {
    match name.trim().split_once(' ') {
        Some((first, last)) => (json!(first), json!(last.trim())),
        None if name.trim().is_empty() => (Value::Null, Value::Null),
        None => (json!(name.trim()), Value::Null),
    }
}

pub fn organization(org: &OrgRecord) -> Value {
    json!({
        "object": "organization",
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "image_url": "",
        "has_image": false,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
        "public_metadata": metadata(&org.public_metadata),
        "private_metadata": metadata(&org.private_metadata),
        "max_allowed_memberships": 0,
        "admin_delete_enabled": true,
        "members_count": org.members_count,
        "created_by": org.created_by,
    })
}

/// A membership as Clerk writes it, borrowing from its record: the organization, the role's
/// permissions and the metadata are JSON already (read or rendered once per page).
#[derive(Serialize)]
struct MembershipOut<'a> {
    object: &'static str,
    id: &'a str,
    role: String,
    role_name: String,
    permissions: &'a RawValue,
    public_metadata: &'a RawValue,
    private_metadata: &'a RawValue,
    created_at: i64,
    updated_at: i64,
    organization: &'a RawValue,
    public_user_data: PublicUserData<'a>,
}

#[derive(Serialize)]
struct PublicUserData<'a> {
    user_id: &'a str,
    identifier: &'a str,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    image_url: &'static str,
    has_image: bool,
}

/// Stored metadata as raw JSON (`{}` should the text ever be invalid).
fn raw_metadata(text: &str) -> &RawValue {
    serde_json::from_str(text).unwrap_or_else(|_| empty_object())
}

fn empty_object() -> &'static RawValue {
    serde_json::from_str("{}").unwrap_or_else(|_| unreachable!("`{{}}` is JSON"))
}

/// What every membership of one organization shares: its JSON and each role's permissions.
struct MembershipContext {
    organization: Box<RawValue>,
    permissions: Vec<(String, Box<RawValue>)>,
}

impl MembershipContext {
    fn new(
        state: &AppState,
        org: &OrgRecord,
        members: &[MemberRecord],
    ) -> serde_json::Result<Self> {
        let organization = RawValue::from_string(organization(org).to_string())?;
        let mut permissions: Vec<(String, Box<RawValue>)> = Vec::new();
        for member in members {
            if !permissions.iter().any(|(role, _)| *role == member.role) {
                let names = state
                    .catalog
                    .permissions(&member.role)
                    .map(|p| state.catalog.names(p))
                    .unwrap_or_default();
                let json = RawValue::from_string(serde_json::to_string(&names)?)?;
                permissions.push((member.role.clone(), json));
            }
        }
        Ok(MembershipContext {
            organization,
            permissions,
        })
    }

    fn render<'a>(&'a self, member: &'a MemberRecord) -> MembershipOut<'a> {
        let permissions: &'a RawValue = match self
            .permissions
            .iter()
            .find(|(role, _)| *role == member.role)
        {
            Some((_, json)) => json,
            None => empty_array(),
        };
        let (first_name, last_name) = name_parts(&member.name);
        MembershipOut {
            object: "organization_membership",
            id: &member.id,
            role: role_key(&member.role),
            role_name: role_name(&member.role),
            permissions,
            public_metadata: raw_metadata(&member.public_metadata),
            private_metadata: raw_metadata(&member.private_metadata),
            created_at: member.created_at,
            updated_at: member.created_at,
            organization: &self.organization,
            public_user_data: PublicUserData {
                user_id: &member.user_id,
                identifier: &member.email,
                first_name,
                last_name,
                image_url: "",
                has_image: false,
            },
        }
    }
}

fn empty_array() -> &'static RawValue {
    serde_json::from_str("[]").unwrap_or_else(|_| unreachable!("`[]` is JSON"))
}

/// First name and last name from a stored display name: the first word and the rest.
fn name_parts(name: &str) -> (Option<&str>, Option<&str>) {
    let name = name.trim();
    match name.split_once(' ') {
        Some((first, last)) => (Some(first), Some(last.trim())),
        None if name.is_empty() => (None, None),
        None => (Some(name), None),
    }
}

/// One membership with its full organization.
pub fn membership(state: &AppState, member: &MemberRecord, org: &OrgRecord) -> Value {
    MembershipContext::new(state, org, std::slice::from_ref(member))
        .and_then(|context| serde_json::to_value(context.render(member)))
        .unwrap_or(Value::Null)
}

/// A page of one organization's memberships, `{"data": [...], "total_count": N}`, written
/// straight to text: the organization and each role's permissions are rendered once.
pub fn membership_page(
    state: &AppState,
    org: &OrgRecord,
    members: &[MemberRecord],
    total_count: i64,
) -> Response {
    #[derive(Serialize)]
    struct Page<'a> {
        data: Vec<MembershipOut<'a>>,
        total_count: i64,
    }
    let body = MembershipContext::new(state, org, members).and_then(|context| {
        let data = members.iter().map(|m| context.render(m)).collect();
        serde_json::to_string(&Page { data, total_count })
    });
    match body {
        Ok(text) => text_response(StatusCode::OK, text),
        Err(e) => {
            tracing::error!(error = %e, "rendering a membership page");
            json_response(StatusCode::INTERNAL_SERVER_ERROR, &json!({"errors": []}))
        }
    }
}

pub fn invitation(invitation: &InvitationRecord) -> Value {
    let stored = InvitationStatus::parse(&invitation.status).unwrap_or(InvitationStatus::Revoked);
    let status = InvitationStatus::effective(stored, invitation.expires_at.into(), now()).as_str();
    json!({
        "object": "organization_invitation",
        "id": invitation.id,
        "email_address": invitation.email,
        "role": role_key(&invitation.role),
        "role_name": role_name(&invitation.role),
        "organization_id": invitation.org_id,
        "created_at": invitation.created_at,
        "updated_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "url": null,
        "status": status,
        "public_metadata": metadata(&invitation.public_metadata),
        "private_metadata": metadata(&invitation.private_metadata),
        "public_organization_data": {
            "id": invitation.org_id,
            "name": invitation.org_name,
            "slug": invitation.org_slug,
            "image_url": "",
            "has_image": false,
        },
    })
}

/// The id of a user's one email address, derived from the user's id.
fn email_address_id(user_id: &str) -> String {
    format!("idn_{}", user_id.trim_start_matches("user_"))
}

pub fn user(user: &UserRecord) -> Value {
    let (first_name, last_name) = split_name(&user.name);
    let email_id = email_address_id(&user.id);
    let verification = if user.email_verified != 0 {
        json!({"status": "verified", "strategy": "email_link", "attempts": null, "expire_at": null})
    } else {
        json!({"status": "unverified", "strategy": "email_link", "attempts": null, "expire_at": null})
    };
    json!({
        "object": "user",
        "id": user.id,
        "external_id": user.external_id,
        "username": null,
        "first_name": first_name,
        "last_name": last_name,
        "image_url": "",
        "has_image": false,
        "primary_email_address_id": email_id,
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "password_enabled": user.has_password != 0,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "banned": false,
        "locked": false,
        "email_addresses": [{
            "object": "email_address",
            "id": email_id,
            "email_address": user.email,
            "verification": verification,
            "linked_to": [],
        }],
        "phone_numbers": [],
        "web3_wallets": [],
        "external_accounts": [],
        "enterprise_accounts": [],
        "public_metadata": metadata(&user.public_metadata),
        "private_metadata": metadata(&user.private_metadata),
        "unsafe_metadata": metadata(&user.unsafe_metadata),
        "last_sign_in_at": null,
        "last_active_at": null,
        "created_at": user.created_at,
        "updated_at": user.created_at,
        "create_organization_enabled": true,
        "delete_self_enabled": false,
        "legal_accepted_at": null,
    })
}
