//! `GET /v1/openapi.json`: the OpenAPI 3.1 document, generated from the handlers' annotations
//! and the wire types of orgkit-core.

use crate::routes::{auth, dev, invitations, memberships, organizations};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "orgkit",
        description = "Organizations, memberships and invitations. Every error answers {\"error\": {\"code\", \"message\"}} with a stable code."
    ),
    paths(
        auth::sign_up,
        auth::sign_in,
        auth::sign_out,
        auth::verify_email,
        auth::me,
        organizations::create,
        organizations::read,
        organizations::update,
        organizations::destroy,
        organizations::check_permission,
        organizations::my_memberships,
        memberships::list,
        memberships::update,
        memberships::remove,
        invitations::invite,
        invitations::list,
        invitations::revoke,
        invitations::resend,
        invitations::accept,
        invitations::preview,
        invitations::mine,
        invitations::accept_mine,
        dev::mailbox,
    ),
    components(schemas(
        orgkit_core::ErrorCode,
        orgkit_core::wire::ErrorDetail,
        orgkit_core::Permission
    ))
)]
pub struct ApiDoc;

/// The document, as JSON.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
