//! `/v1/organizations/{id}/memberships` and a user's `organization_memberships`.

use super::errors::ClerkResult;
use super::query::{body, metadata, required, Params};
use super::{wire, Key};
use crate::service::instance::{self, lists, metadata::MetadataChange, MemberRecord, OrgRecord};
use crate::service::memberships;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, patch};
use axum::Router;
use orgkit_core::clerk::role_from_key;
use orgkit_core::{OrganizationId, UserId};
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/organizations/{id}/memberships", get(list).post(create))
        .route(
            "/v1/organizations/{id}/memberships/{user_id}",
            patch(update).delete(delete),
        )
        .route(
            "/v1/organizations/{id}/memberships/{user_id}/metadata",
            patch(merge_metadata),
        )
        .route(
            "/v1/users/{user_id}/organization_memberships",
            get(list_of_user),
        )
}

/// Memberships in Clerk's shape, each with its full organization.
async fn render(state: &AppState, members: &[MemberRecord]) -> ClerkResult<Vec<Value>> {
    let ids: Vec<&str> = members.iter().map(|m| m.org_id.as_str()).collect();
    let orgs: Vec<OrgRecord> = instance::organizations(state, &ids).await?;
    Ok(members
        .iter()
        .filter_map(|m| {
            let org = orgs.iter().find(|o| o.id == m.org_id)?;
            Some(wire::membership(state, m, org))
        })
        .collect())
}

async fn one(state: &AppState, org_id: &OrganizationId, user_id: &UserId) -> ClerkResult<Value> {
    let member = instance::member(state, org_id, user_id).await?;
    let org = instance::organization(state, org_id.as_str()).await?;
    Ok(wire::membership(state, &member, &org))
}

/// `GET /v1/organizations/{id}/memberships`: `user_id`, `email_address` and `role` (repeated),
/// `query`, `order_by`, `limit`, `offset`.
async fn list(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let paging = params.paging()?;
    let order = params.order_by(&[
        "created_at",
        "email_address",
        "first_name",
        "last_name",
        "username",
        "phone_number",
    ])?;
    let roles = params
        .all("role")
        .iter()
        .map(|key| role_from_key(key))
        .collect::<Result<Vec<_>, _>>()?;
    let emails: Vec<String> = params
        .all("email_address")
        .iter()
        .map(|e| e.trim().to_ascii_lowercase())
        .collect();
    let mut filter = lists::Filter::default();
    filter
        .any_of("m.user_id", &params.all("user_id"))
        .any_of("u.email", &emails)
        .any_of("m.role", &roles)
        .contains(&["u.email", "u.name"], params.one("query"));
    let org_id = OrganizationId(id);
    let (org, listed) = lists::members(&state, &me, &org_id, &mut filter, order, paging).await?;
    Ok(wire::membership_page(
        &state,
        &org,
        &listed.data,
        listed.total_count,
    ))
}

/// `GET /v1/users/{user_id}/organization_memberships`: `limit`, `offset`.
async fn list_of_user(
    State(state): State<AppState>,
    Key(_): Key,
    Path(user_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let listed = lists::memberships_of(&state, &user_id, params.paging()?).await?;
    let data = render(&state, &listed.data).await?;
    Ok(wire::list(data, listed.total_count))
}

#[derive(Deserialize)]
struct MemberBody {
    user_id: Option<String>,
    role: Option<String>,
}

/// `POST /v1/organizations/{id}/memberships`: adds a user directly, without an invitation.
async fn create(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    raw: Bytes,
) -> ClerkResult<Response> {
    let req: MemberBody = body(&raw)?;
    let user_id = UserId(required(req.user_id.as_deref(), "user_id")?.to_owned());
    let role = role_from_key(required(req.role.as_deref(), "role")?)?;
    let org_id = OrganizationId(id);
    memberships::add(&state, &me, &org_id, &user_id, &role).await?;
    Ok(wire::ok(&one(&state, &org_id, &user_id).await?))
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}`: a new role, under the last-admin rule.
async fn update(
    State(state): State<AppState>,
    Key(me): Key,
    Path((id, user_id)): Path<(String, String)>,
    raw: Bytes,
) -> ClerkResult<Response> {
    let req: MemberBody = body(&raw)?;
    let role = role_from_key(required(req.role.as_deref(), "role")?)?;
    let (org_id, user_id) = (OrganizationId(id), UserId(user_id));
    memberships::update_roles(&state, &me, &org_id, &user_id, &[&role]).await?;
    Ok(wire::ok(&one(&state, &org_id, &user_id).await?))
}

/// `DELETE /v1/organizations/{id}/memberships/{user_id}`: answers the removed membership.
async fn delete(
    State(state): State<AppState>,
    Key(me): Key,
    Path((id, user_id)): Path<(String, String)>,
) -> ClerkResult<Response> {
    let (org_id, user_id) = (OrganizationId(id), UserId(user_id));
    let removed = one(&state, &org_id, &user_id).await?;
    memberships::remove(&state, &me, &org_id, &user_id).await?;
    Ok(wire::ok(&removed))
}

#[derive(Deserialize)]
struct MetadataBody {
    public_metadata: Option<Value>,
    private_metadata: Option<Value>,
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}/metadata`: a deep merge.
async fn merge_metadata(
    State(state): State<AppState>,
    Key(me): Key,
    Path((id, user_id)): Path<(String, String)>,
    raw: Bytes,
) -> ClerkResult<Response> {
    let req: MetadataBody = body(&raw)?;
    let change = MetadataChange {
        public: metadata(req.public_metadata.as_ref(), "public_metadata")?,
        private: metadata(req.private_metadata.as_ref(), "private_metadata")?,
        merge: true,
    };
    let (org_id, user_id) = (OrganizationId(id), UserId(user_id));
    instance::metadata::membership(&state, &me, &org_id, &user_id, &change).await?;
    Ok(wire::ok(&one(&state, &org_id, &user_id).await?))
}
