//! `/v1/users`: create, list (a bare array), count, get, delete. Users made here have no
//! password (see README, "Moving from Clerk").

use super::errors::ClerkResult;
use super::query::{body, metadata_text, Params};
use super::{wire, Key};
use crate::service::instance::{self, lists, users::NewUser};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use orgkit_core::clerk::ClerkError;
use orgkit_core::UserId;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/users", get(list).post(create))
        .route("/v1/users/count", get(count))
        .route("/v1/users/{user_id}", get(read).delete(delete))
}

#[derive(Deserialize)]
struct CreateBody {
    #[serde(default)]
    email_address: Vec<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    external_id: Option<String>,
    password: Option<String>,
    password_digest: Option<String>,
    public_metadata: Option<Value>,
    private_metadata: Option<Value>,
    unsafe_metadata: Option<Value>,
}

/// `POST /v1/users`: one email address (verified), names, `external_id` and metadata.
async fn create(State(state): State<AppState>, Key(me): Key, raw: Bytes) -> ClerkResult<Response> {
    let req: CreateBody = body(&raw)?;
    if req.password.is_some() || req.password_digest.is_some() {
        return Err(ClerkError::invalid(
            "password",
            "orgkit does not take passwords through this API: the user signs in through SSO.",
        )
        .into());
    }
    let email = match req.email_address.as_slice() {
        [] => return Err(ClerkError::missing("email_address").into()),
        [one] => one.clone(),
        _ => {
            return Err(ClerkError::invalid(
                "email_address",
                "orgkit users have one email address.",
            )
            .into())
        }
    };
    let new = NewUser {
        email,
        first_name: req.first_name,
        last_name: req.last_name,
        external_id: req.external_id,
        public_metadata: metadata_text(req.public_metadata.as_ref(), "public_metadata")?,
        private_metadata: metadata_text(req.private_metadata.as_ref(), "private_metadata")?,
        unsafe_metadata: metadata_text(req.unsafe_metadata.as_ref(), "unsafe_metadata")?,
    };
    let user = instance::users::create(&state, &me, new).await?;
    Ok(wire::ok(&wire::user(&user)))
}

/// The filters `GET /v1/users` and `GET /v1/users/count` share: `email_address`, `user_id`,
/// `external_id` and `organization_id` (repeated) and `query`.
fn filter(params: &Params) -> lists::Filter {
    let emails: Vec<String> = params
        .all("email_address")
        .iter()
        .map(|e| e.trim().to_ascii_lowercase())
        .collect();
    let mut filter = lists::Filter::default();
    filter
        .any_of("u.email", &emails)
        .any_of("u.id", &params.all("user_id"))
        .any_of("u.external_id", &params.all("external_id"))
        .member_of_any("u.id", &params.all("organization_id"))
        .contains(&["u.email", "u.name"], params.one("query"));
    filter
}

/// `GET /v1/users`: a bare array (the client asks `/users/count` for the total).
async fn list(
    State(state): State<AppState>,
    Key(_): Key,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let paging = params.paging()?;
    let order = params.order_by(&[
        "created_at",
        "updated_at",
        "email_address",
        "first_name",
        "last_name",
        "username",
    ])?;
    let listed = lists::users(&state, &filter(&params), order, paging).await?;
    let data: Vec<Value> = listed.data.iter().map(wire::user).collect();
    Ok(wire::ok(&Value::Array(data)))
}

/// `GET /v1/users/count`: `{"object": "total_count", "total_count": N}`.
async fn count(
    State(state): State<AppState>,
    Key(_): Key,
    RawQuery(raw): RawQuery,
) -> ClerkResult<Response> {
    let params = Params::parse(raw.as_deref());
    let total = lists::count_users(&state, &filter(&params)).await?;
    Ok(wire::ok(
        &json!({"object": "total_count", "total_count": total}),
    ))
}

/// `GET /v1/users/{user_id}`.
async fn read(
    State(state): State<AppState>,
    Key(_): Key,
    Path(user_id): Path<String>,
) -> ClerkResult<Response> {
    let user = instance::user(&state, &user_id).await?;
    Ok(wire::ok(&wire::user(&user)))
}

/// `DELETE /v1/users/{user_id}`: `{"object": "user", "id", "deleted": true}`; refused for the
/// last admin of an organization.
async fn delete(
    State(state): State<AppState>,
    Key(me): Key,
    Path(user_id): Path<String>,
) -> ClerkResult<Response> {
    instance::users::delete(&state, &me, &UserId(user_id.clone())).await?;
    Ok(wire::deleted("user", &user_id, None))
}
