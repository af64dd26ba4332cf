//! What an instance secret key reads and does beyond `/v1`'s operations, for the
//! Clerk-compatible API: records with their metadata and timestamps, offset-paged lists with
//! a total count, users, and metadata writes. Every write still asks the rule book (see
//! `service::check`) inside one transaction and writes its audit event.

pub mod lists;
pub mod metadata;
pub mod users;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::{InvitationId, OrganizationId, UserId};

/// An organization as the Clerk-compatible API shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRecord {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub public_metadata: String,
    pub private_metadata: String,
    pub members_count: i64,
}

pub(crate) const ORG_COLUMNS: &str = "o.id, o.name, o.slug, o.created_by, o.created_at, \
    o.updated_at, o.public_metadata, o.private_metadata, \
    (SELECT COUNT(*) FROM memberships c WHERE c.org_id = o.id) AS members_count";

/// A membership with its person, as the Clerk-compatible API shows it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct MemberRecord {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    pub role: String,
    pub created_at: i64,
    pub public_metadata: String,
    pub private_metadata: String,
    pub email: String,
    pub name: String,
}

pub(crate) const MEMBER_COLUMNS: &str = "m.id, m.org_id, m.user_id, m.role, m.created_at, \
    m.public_metadata, m.private_metadata, u.email, u.name";

/// The same columns as JSON keys, for pages the database renders as one JSON array.
pub(crate) const MEMBER_FIELDS: &[(&str, &str)] = &[
    ("id", "m.id"),
    ("org_id", "m.org_id"),
    ("user_id", "m.user_id"),
    ("role", "m.role"),
    ("created_at", "m.created_at"),
    ("public_metadata", "m.public_metadata"),
    ("private_metadata", "m.private_metadata"),
    ("email", "u.email"),
    ("name", "u.name"),
];

/// An invitation with its organization's public data.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRecord {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub role: String,
    pub status: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub public_metadata: String,
    pub private_metadata: String,
    pub org_name: String,
    pub org_slug: String,
}

pub(crate) const INVITATION_COLUMNS: &str = "i.id, i.org_id, i.email, i.role, i.status, \
    i.created_at, i.expires_at, i.public_metadata, i.private_metadata, o.name AS org_name, \
    o.slug AS org_slug";

/// A user as the Clerk-compatible API shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub name: String,
    pub email_verified: i64,
    pub has_password: i64,
    pub created_at: i64,
    pub external_id: Option<String>,
    pub public_metadata: String,
    pub private_metadata: String,
    pub unsafe_metadata: String,
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.email, u.name, u.email_verified, \
    CAST(CASE WHEN u.password_hash LIKE '!%' THEN 0 ELSE 1 END AS BIGINT) AS has_password, u.created_at, \
    u.external_id, u.public_metadata, u.private_metadata, u.unsafe_metadata";

/// An organization by id or by slug.
pub async fn organization(state: &AppState, id_or_slug: &str) -> ApiResult<OrgRecord> {
    let sql = format!("SELECT {ORG_COLUMNS} FROM organizations o WHERE o.id = $1 OR o.slug = $1");
    sqlx::query_as(&sql)
        .bind(id_or_slug)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))
}

/// The organizations with these ids, in any order.
pub async fn organizations(state: &AppState, ids: &[&str]) -> ApiResult<Vec<OrgRecord>> {
    let mut found = Vec::with_capacity(ids.len());
    let mut unique: Vec<&str> = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    for id in unique {
        found.push(organization(state, id).await?);
    }
    Ok(found)
}

/// One member of an organization.
pub async fn member(
    state: &AppState,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<MemberRecord> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.user_id = $2"
    );
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(user_id.as_str())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("Membership"))
}

/// One invitation of an organization.
pub async fn invitation(
    state: &AppState,
    org_id: &OrganizationId,
    id: &InvitationId,
) -> ApiResult<InvitationRecord> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.org_id = $1 AND i.id = $2"
    );
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("Invitation"))
}

/// One user.
pub async fn user(state: &AppState, id: &str) -> ApiResult<UserRecord> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))
}
