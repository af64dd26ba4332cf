//! `/v1/organizations`: create, get by id or slug, list, update, delete, and metadata.

use super::errors::ClerkResult;
use super::query::{body, metadata, metadata_text, required, Params};
use super::{wire, Key};
use crate::service::instance::{self, lists, metadata::MetadataChange};
use crate::service::organizations::{self, Metadata};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, patch};
use axum::Router;
use orgkit_core::wire::{CreateOrganizationRequest, UpdateOrganizationRequest};
use orgkit_core::{OrganizationId, UserId};
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/organizations", get(list).post(create))
        .route(
            "/v1/organizations/{id}",
            get(read).patch(update).delete(delete),
        )
        .route(
            "/v1/organizations/{id}/metadata",
            patch(merge_metadata).put(replace_metadata),
        )
}

#[derive(Deserialize)]
struct CreateBody {
    name: Option<String>,
    slug: Option<String>,
    created_by: Option<String>,
    public_metadata: Option<Value>,
    private_metadata: Option<Value>,
}

/// `POST /v1/organizations`: `created_by` becomes its first admin (orgkit keeps one admin in
/// every organization, so it is required).
async fn create(State(state): State<AppState>, Key(me): Key, raw: Bytes) -> ClerkResult<Response> {
    let req: CreateBody = body(&raw)?;
    let name = required(req.name.as_deref(), "name")?.to_owned();
    let owner = UserId(required(req.created_by.as_deref(), "created_by")?.to_owned());
    let meta = Metadata {
        public: metadata_text(req.public_metadata.as_ref(), "public_metadata")?,
        private: metadata_text(req.private_metadata.as_ref(), "private_metadata")?,
    };
    let request = CreateOrganizationRequest {
        name,
        slug: req.slug,
    };
    let created = organizations::create_for(&state, &me, &owner, request, &meta).await?;
    let org = instance::organization(&state, created.id.as_str()).await?;
    Ok(wire::ok(&wire::organization(&org)))
}

/// `GET /v1/organizations/{id or slug}`.
async fn read(
    State(state): State<AppState>,
    Key(_): Key,
    Path(id): Path<String>,
) -> ClerkResult<Response> {
    let org = instance::organization(&state, &id).await?;
    Ok(wire::ok(&wire::organization(&org)))
}

/// `GET /v1/organizations`: `query` (name or slug), `organization_id` (repeated), `order_by`
/// (`name`, `created_at`, `members_count`), `limit`, `offset`.
async fn list(
    State(state): State<AppState>,
    Key(_): Key,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let paging = params.paging()?;
    let order = params.order_by(&["name", "created_at", "members_count"])?;
    let mut filter = lists::Filter::default();
    filter
        .any_of("o.id", &params.all("organization_id"))
        .contains(&["o.name", "o.slug"], params.one("query"));
    let listed = lists::organizations(&state, &filter, order, paging).await?;
    let data = listed.data.iter().map(wire::organization).collect();
    Ok(wire::list(data, listed.total_count))
}

#[derive(Deserialize)]
struct UpdateBody {
    name: Option<String>,
    slug: Option<String>,
    public_metadata: Option<Value>,
    private_metadata: Option<Value>,
}

/// `PATCH /v1/organizations/{id}`: the name and slug, as `/v1` changes them; metadata given
/// here (as `@clerk/backend` 2.x sends it) replaces the stored metadata.
async fn update(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    raw: Bytes,
) -> ClerkResult<Response> {
    let req: UpdateBody = body(&raw)?;
    let change = MetadataChange {
        public: metadata(req.public_metadata.as_ref(), "public_metadata")?,
        private: metadata(req.private_metadata.as_ref(), "private_metadata")?,
        merge: false,
    };
    let org_id = OrganizationId(instance::organization(&state, &id).await?.id);
    let has_metadata = change.public.is_some() || change.private.is_some();
    if req.name.is_some() || req.slug.is_some() || !has_metadata {
        let request = UpdateOrganizationRequest {
            name: req.name,
            slug: req.slug,
            allow_join_requests: None,
            require_sso: None,
            max_allowed_memberships: None,
        };
        organizations::update(&state, &me, &org_id, request).await?;
    }
    if has_metadata {
        instance::metadata::organization(&state, &me, &org_id, &change).await?;
    }
    let org = instance::organization(&state, org_id.as_str()).await?;
    Ok(wire::ok(&wire::organization(&org)))
}

/// `DELETE /v1/organizations/{id}`: `{"object": "organization", "id", "slug", "deleted": true}`.
async fn delete(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
) -> ClerkResult<Response> {
    let org = instance::organization(&state, &id).await?;
    let org_id = OrganizationId(org.id.clone());
    organizations::delete(&state, &me, &org_id).await?;
    Ok(wire::deleted("organization", &org.id, Some(&org.slug)))
}

#[derive(Deserialize)]
struct MetadataBody {
    public_metadata: Option<Value>,
    private_metadata: Option<Value>,
}

async fn change_metadata(
    state: AppState,
    me: crate::auth::CurrentUser,
    id: String,
    raw: Bytes,
    merge: bool,
) -> ClerkResult<Response> {
    let req: MetadataBody = body(&raw)?;
    let change = MetadataChange {
        public: metadata(req.public_metadata.as_ref(), "public_metadata")?,
        private: metadata(req.private_metadata.as_ref(), "private_metadata")?,
        merge,
    };
    let org_id = OrganizationId(instance::organization(&state, &id).await?.id);
    instance::metadata::organization(&state, &me, &org_id, &change).await?;
    let org = instance::organization(&state, org_id.as_str()).await?;
    Ok(wire::ok(&wire::organization(&org)))
}

/// `PATCH /v1/organizations/{id}/metadata`: a deep merge; `null` removes a key.
async fn merge_metadata(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    raw: Bytes,
) -> ClerkResult<Response> {
    change_metadata(state, me, id, raw, true).await
}

/// `PUT /v1/organizations/{id}/metadata`: each given field replaced whole.
async fn replace_metadata(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    raw: Bytes,
) -> ClerkResult<Response> {
    change_metadata(state, me, id, raw, false).await
}
