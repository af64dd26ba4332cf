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
use serde_json::{json, Value};

/// An answer with the content type exactly `application/json`: the client reads any other
/// (even with a charset) as text.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
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

pub fn membership(state: &AppState, member: &MemberRecord, org: &OrgRecord) -> Value {
    let permissions = state
        .catalog
        .permissions(&member.role)
        .map(|p| p.names())
        .unwrap_or_default();
    let (first_name, last_name) = split_name(&member.name);
    json!({
        "object": "organization_membership",
        "id": member.id,
        "role": role_key(&member.role),
        "role_name": role_name(&member.role),
        "permissions": permissions,
        "public_metadata": metadata(&member.public_metadata),
        "private_metadata": metadata(&member.private_metadata),
        "created_at": member.created_at,
        "updated_at": member.created_at,
        "organization": organization(org),
        "public_user_data": {
            "user_id": member.user_id,
            "identifier": member.email,
            "first_name": first_name,
            "last_name": last_name,
            "image_url": "",
            "has_image": false,
        },
    })
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
