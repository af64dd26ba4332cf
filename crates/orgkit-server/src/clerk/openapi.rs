//! `GET <prefix>/openapi.json`: the Clerk-compatible API's own OpenAPI document, separate from
//! `/v1`'s. The shapes are Clerk's (see `wire.rs`); this lists the operations, their
//! parameters and the error shape.

use axum::response::Response;
use serde_json::{json, Map, Value};

/// `(method, path, summary, query parameters)` of every operation.
const OPERATIONS: &[(&str, &str, &str, &[&str])] = &[
    (
        "get",
        "/v1/organizations",
        "List organizations",
        &["limit", "offset", "order_by", "query", "organization_id"],
    ),
    (
        "post",
        "/v1/organizations",
        "Create an organization (created_by becomes its admin)",
        &[],
    ),
    (
        "get",
        "/v1/organizations/{id}",
        "Get an organization by id or slug",
        &[],
    ),
    (
        "patch",
        "/v1/organizations/{id}",
        "Update an organization's name or slug",
        &[],
    ),
    (
        "delete",
        "/v1/organizations/{id}",
        "Delete an organization",
        &[],
    ),
    (
        "patch",
        "/v1/organizations/{id}/metadata",
        "Merge an organization's metadata",
        &[],
    ),
    (
        "put",
        "/v1/organizations/{id}/metadata",
        "Replace an organization's metadata",
        &[],
    ),
    (
        "get",
        "/v1/organizations/{id}/memberships",
        "List members",
        &[
            "limit",
            "offset",
            "order_by",
            "query",
            "user_id",
            "email_address",
            "role",
        ],
    ),
    (
        "post",
        "/v1/organizations/{id}/memberships",
        "Add a member",
        &[],
    ),
    (
        "patch",
        "/v1/organizations/{id}/memberships/{user_id}",
        "Change a member's role",
        &[],
    ),
    (
        "delete",
        "/v1/organizations/{id}/memberships/{user_id}",
        "Remove a member",
        &[],
    ),
    (
        "patch",
        "/v1/organizations/{id}/memberships/{user_id}/metadata",
        "Merge a membership's metadata",
        &[],
    ),
    (
        "get",
        "/v1/organizations/{id}/invitations",
        "List invitations",
        &["limit", "offset", "order_by", "status"],
    ),
    (
        "post",
        "/v1/organizations/{id}/invitations",
        "Invite an address",
        &[],
    ),
    (
        "post",
        "/v1/organizations/{id}/invitations/bulk",
        "Invite 1 to 10 addresses",
        &[],
    ),
    (
        "get",
        "/v1/organizations/{id}/invitations/{invitation_id}",
        "Get an invitation",
        &[],
    ),
    (
        "post",
        "/v1/organizations/{id}/invitations/{invitation_id}/revoke",
        "Revoke an invitation",
        &[],
    ),
    (
        "get",
        "/v1/users",
        "List users (a bare array)",
        &[
            "limit",
            "offset",
            "order_by",
            "query",
            "email_address",
            "user_id",
            "external_id",
        ],
    ),
    ("post", "/v1/users", "Create a user without a password", &[]),
    (
        "get",
        "/v1/users/count",
        "Count users",
        &["query", "email_address", "user_id", "external_id"],
    ),
    ("get", "/v1/users/{user_id}", "Get a user", &[]),
    ("delete", "/v1/users/{user_id}", "Delete a user", &[]),
    (
        "get",
        "/v1/users/{user_id}/organization_memberships",
        "List a user's memberships",
        &["limit", "offset"],
    ),
    (
        "get",
        "/v1/users/{user_id}/organization_invitations",
        "List a user's invitations",
        &["limit", "offset", "status"],
    ),
    (
        "get",
        "/v1/jwks",
        "Get the public keys that verify session tokens",
        &[],
    ),
];

/// Query keys whose value may repeat.
const REPEATED: &[&str] = &[
    "organization_id",
    "user_id",
    "email_address",
    "role",
    "status",
    "external_id",
];

fn parameters(path: &str, query: &[&str]) -> Vec<Value> {
    let mut out: Vec<Value> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    for name in query {
        let schema = match *name {
            "limit" => json!({"type": "integer", "minimum": 1, "maximum": 500, "default": 10}),
            "offset" => json!({"type": "integer", "minimum": 0, "default": 0}),
            "order_by" => json!({"type": "string", "pattern": "^[+-]?[a-z_]+$"}),
            n if REPEATED.contains(&n) => json!({"type": "array", "items": {"type": "string"}}),
            _ => json!({"type": "string"}),
        };
        out.push(
            json!({"name": name, "in": "query", "required": false, "schema": schema,
            "style": "form", "explode": true}),
        );
    }
    out
}

/// The whole document.
#[must_use]
pub fn document() -> Value {
    let mut paths = Map::new();
    for (i, (method, path, summary, query)) in OPERATIONS.iter().enumerate() {
        let mut operation = json!({
            "operationId": format!("clerk_{i}_{}", summary.to_lowercase().replace([' ', '\'', '(', ')'], "_")),
            "summary": summary,
            "parameters": parameters(path, query),
            "responses": {
                "200": {"description": "Clerk's object, list ({data, total_count}) or deleted object", "content": {"application/json": {}}},
                "default": {"description": "Clerk's error shape", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClerkErrors"}}}}
            }
        });
        if ["post", "patch", "put"].contains(method) {
            operation["requestBody"] = json!({"required": false,
                "content": {"application/json": {"schema": {}}}});
        }
        let item = paths.entry((*path).to_owned()).or_insert_with(|| json!({}));
        item[*method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "orgkit: Clerk-compatible Backend API", "version": env!("CARGO_PKG_VERSION"),
            "description": "The routes @clerk/backend 3.x calls for organizations, memberships, invitations and users. Authorization: Bearer <instance secret key> (orgkit-server secret-keys create)."},
        "security": [{"secretKey": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"secretKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {"ClerkErrors": {"type": "object", "required": ["errors"], "properties": {
                "errors": {"type": "array", "items": {"type": "object", "required": ["code", "message", "long_message", "meta"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}, "long_message": {"type": "string"}, "meta": {"type": "object"}}}},
                "clerk_trace_id": {"type": "string"}}}}
        }
    })
}

/// `GET <prefix>/openapi.json`.
pub async fn serve() -> Response {
    super::wire::ok(&document())
}

/// The number of operations, for tests.
#[must_use]
pub fn operation_count() -> usize {
    OPERATIONS.len()
}
