//! `/v1/organizations/{id}/invitations` (create, bulk, get, list, revoke) and a user's
//! `organization_invitations`.

use super::errors::{ClerkApiError, ClerkResult};
use super::query::{body, metadata, required, Params};
use super::{wire, Key};
use crate::auth::CurrentUser;
use crate::service::instance::{self, lists, metadata::MetadataChange};
use crate::service::invitations;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use orgkit_core::clerk::{bulk_invitations, role_from_key};
use orgkit_core::delivery::InvitationDelivery;
use orgkit_core::{InvitationId, OrganizationId};
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/organizations/{id}/invitations", get(list).post(create))
        .route("/v1/organizations/{id}/invitations/bulk", post(create_bulk))
        .route(
            "/v1/organizations/{id}/invitations/{invitation_id}",
            get(read),
        )
        .route(
            "/v1/organizations/{id}/invitations/{invitation_id}/revoke",
            post(revoke),
        )
        .route(
            "/v1/users/{user_id}/organization_invitations",
            get(list_of_user),
        )
}

/// One invitation of a create request. `inviter_user_id`, `expires_in_days` and
/// `redirect_url` are accepted and not used: the key is the inviter, the server's
/// `--invitation-ttl-seconds` sets the expiry and the emailed link is orgkit's.
#[derive(Deserialize)]
struct InvitationBody {
    email_address: Option<String>,
    role: Option<String>,
    public_metadata: Option<Value>,
    private_metadata: Option<Value>,
}

/// Creates one invitation through `/v1`'s service, then sets its metadata.
async fn invite_one(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: &InvitationBody,
) -> ClerkResult<Value> {
    let email = required(req.email_address.as_deref(), "email_address")?.to_owned();
    let role = role_from_key(required(req.role.as_deref(), "role")?)?;
    let change = MetadataChange {
        public: metadata(req.public_metadata.as_ref(), "public_metadata")?,
        private: metadata(req.private_metadata.as_ref(), "private_metadata")?,
        merge: false,
    };
    let ip = me.client.ip.clone();
    let mut results = invitations::invite(
        state,
        me,
        org_id,
        &[email],
        Some(&role),
        InvitationDelivery::Email,
        &ip,
    )
    .await?;
    let created = results
        .pop()
        .ok_or_else(|| ClerkApiError::from(crate::error::ApiError::not_found("Invitation")))??;
    if change.public.is_some() || change.private.is_some() {
        instance::metadata::invitation(state, me, org_id, created.id.as_str(), &change).await?;
    }
    let record = instance::invitation(state, org_id, &created.id).await?;
    Ok(wire::invitation(&record))
}

/// `POST /v1/organizations/{id}/invitations`.
async fn create(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    raw: Bytes,
) -> ClerkResult<Response> {
    let req: InvitationBody = body(&raw)?;
    let org_id = OrganizationId(id);
    Ok(wire::ok(&invite_one(&state, &me, &org_id, &req).await?))
}

/// `POST /v1/organizations/{id}/invitations/bulk`: 1 to 10 invitations, each checked before
/// any is made; made one after the other, stopping at the first refusal (those before it stay).
async fn create_bulk(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    raw: Bytes,
) -> ClerkResult<Response> {
    let reqs: Vec<InvitationBody> = body(&raw)?;
    bulk_invitations(reqs.len())?;
    for req in &reqs {
        required(req.email_address.as_deref(), "email_address")?;
        role_from_key(required(req.role.as_deref(), "role")?)?;
    }
    let org_id = OrganizationId(id);
    let mut data = Vec::with_capacity(reqs.len());
    for req in &reqs {
        data.push(invite_one(&state, &me, &org_id, req).await?);
    }
    let count = data.len() as i64;
    Ok(wire::list(data, count))
}

/// `GET /v1/organizations/{id}/invitations/{invitation_id}`.
async fn read(
    State(state): State<AppState>,
    Key(_): Key,
    Path((id, invitation_id)): Path<(String, String)>,
) -> ClerkResult<Response> {
    let record =
        instance::invitation(&state, &OrganizationId(id), &InvitationId(invitation_id)).await?;
    Ok(wire::ok(&wire::invitation(&record)))
}

/// `GET /v1/organizations/{id}/invitations`: `status` (repeated), `order_by`, `limit`,
/// `offset`.
async fn list(
    State(state): State<AppState>,
    Key(me): Key,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let paging = params.paging()?;
    let order = params.order_by(&["created_at"])?;
    let mut filter = lists::Filter::default();
    filter.any_of("i.status", &statuses(&params)?);
    let org_id = OrganizationId(id);
    let listed = lists::invitations(&state, &me, &org_id, &mut filter, order, paging).await?;
    let data = listed.data.iter().map(wire::invitation).collect();
    Ok(wire::list(data, listed.total_count))
}

/// The `status` filters, each one of Clerk's invitation statuses.
fn statuses(params: &Params) -> ClerkResult<Vec<String>> {
    let all = params.all("status");
    for status in &all {
        if !["pending", "accepted", "revoked", "expired"].contains(&status.as_str()) {
            return Err(orgkit_core::clerk::ClerkError::invalid(
                "status",
                "status must be pending, accepted, revoked or expired.",
            )
            .into());
        }
    }
    Ok(all)
}

/// `GET /v1/users/{user_id}/organization_invitations`: `status`, `limit`, `offset`.
async fn list_of_user(
    State(state): State<AppState>,
    Key(_): Key,
    Path(user_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let paging = params.paging()?;
    let mut filter = lists::Filter::default();
    filter.any_of("i.status", &statuses(&params)?);
    let listed = lists::invitations_of(&state, &user_id, &mut filter, paging).await?;
    let data = listed.data.iter().map(wire::invitation).collect();
    Ok(wire::list(data, listed.total_count))
}

/// `POST /v1/organizations/{id}/invitations/{invitation_id}/revoke`.
async fn revoke(
    State(state): State<AppState>,
    Key(me): Key,
    Path((id, invitation_id)): Path<(String, String)>,
) -> ClerkResult<Response> {
    let (org_id, invitation_id) = (OrganizationId(id), InvitationId(invitation_id));
    invitations::revoke(&state, &me, &org_id, &invitation_id).await?;
    let record = instance::invitation(&state, &org_id, &invitation_id).await?;
    Ok(wire::ok(&wire::invitation(&record)))
}
