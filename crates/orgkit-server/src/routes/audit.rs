//! `/v1/organizations/{org_id}/audit-events`: the audit log, newest first.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::audit;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use orgkit_core::audit::AuditFilter;
use orgkit_core::wire::{AuditEvent, ErrorBody, Page};
use orgkit_core::{OrganizationId, Timestamp};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The audit log's filters; each is optional, and they combine.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Events by this user.
    #[param(pattern = "^(user_[A-Za-z0-9]{1,64})?$")]
    pub actor: Option<String>,
    /// Events of this action, for example `membership.role_changed`.
    #[param(pattern = "^([a-z0-9_]+(\\.[a-z0-9_]+)+)?$", max_length = 128)]
    pub action: Option<String>,
    /// Events about this subject (a user, invitation or organization id).
    #[param(max_length = 128)]
    pub subject: Option<String>,
    /// From this instant, inclusive (milliseconds since the epoch).
    pub from: Option<i64>,
    /// Until this instant, exclusive (milliseconds since the epoch). A range that ends before
    /// it starts matches nothing.
    pub to: Option<i64>,
}

/// One page of the organization's audit events, newest first (needs `org:audit:read`).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/audit-events", tag = "audit",
    params(("org_id" = OrganizationId, Path), AuditQuery, PageQuery,
        ("after" = Option<String>, Query, pattern = "^(evt_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<AuditEvent>),
        (status = 400, body = ErrorBody, description = "validation_failed: a filter, the limit or the cursor is out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not read the audit log"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(f): AppQuery<AuditQuery>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<AuditEvent>>> {
    let filter = AuditFilter {
        actor: f.actor.as_deref(),
        action: f.action.as_deref(),
        subject: f.subject.as_deref(),
        from: f.from.map(Timestamp),
        to: f.to.map(Timestamp),
    };
    let page = audit::list(&state, &me, &org_id, filter, q.limit, q.after.as_deref()).await?;
    Ok(Json(page))
}
