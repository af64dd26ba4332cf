//! `GET /v1/openapi.json`: the OpenAPI 3.1 document. Each handler's `#[utoipa::path]` gives its
//! route (the router is built from the same list, see `routes::api`) and the answers only it
//! gives; the wire types of orgkit-core give the bodies and their bounds. [`complete`] then adds
//! what the extractors and the server make true of every route, so no route can forget it.

mod roles;
use crate::state::AppState;
use axum::http::header;
use axum::routing::{get, MethodRouter};
use orgkit_core::{
    EventType, InvitationId, MembershipId, OrganizationId, RoleCatalog, UserId, WebhookAttemptId,
    WebhookEndpointId, WebhookMessageId,
};
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "orgkit",
        description = "Organizations, memberships and invitations. Every error answers {\"error\": {\"code\", \"message\"}} with a stable code."
    ),
    components(schemas(
        orgkit_core::wire::ErrorBody,
        orgkit_core::ErrorCode,
        orgkit_core::wire::ErrorDetail,
        orgkit_core::Permission
    ))
)]
struct ApiDoc;

/// The document's start, before the routes add their paths.
#[must_use]
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /v1/openapi.json`, serialized once.
pub fn serve(doc: &Value) -> MethodRouter<AppState> {
    let body = axum::body::Bytes::from(doc.to_string());
    get(move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body) }
    })
}

/// The routes' document, completed: shared answers, auth schemes, and the shapes that the
/// derive cannot state (id patterns, the catalog's roles, "exactly one of" in invitations).
#[must_use]
pub fn complete(doc: &utoipa::openapi::OpenApi, catalog: &RoleCatalog) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_else(|_| json!({}));
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        complete_components(components, catalog);
    }
    let paths = doc.get_mut("paths").and_then(Value::as_object_mut);
    for item in paths.into_iter().flat_map(|p| p.values_mut()) {
        for (method, operation) in item.as_object_mut().into_iter().flatten() {
            common_answers(method, operation);
            // Handler names repeat across resources (`list`, `update`): the tag tells them apart.
            if let (Some(tag), Some(id)) = (
                operation["tags"][0].as_str(),
                operation["operationId"].as_str(),
            ) {
                operation["operationId"] = json!(format!("{tag}_{id}"));
            }
        }
    }
    doc
}

fn error(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

/// What every route can answer, from the extractors and the server rather than the handler.
fn common_answers(method: &str, operation: &mut Value) {
    let has = |key: &str| {
        operation
            .get(key)
            .is_some_and(|v| v.as_array().map_or(!v.is_null(), |a| !a.is_empty()))
    };
    let (takes_input, secured) = (has("requestBody") || has("parameters"), has("security"));
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut add = |status: &str, description: &str| {
        let text = match responses
            .get(status)
            .and_then(|r| r["description"].as_str())
        {
            // "code: why" after "code: why else" reads "code: why else; or why".
            Some(own) if !own.is_empty() => match description.split_once(": ") {
                Some((code, why)) if own.starts_with(code) => format!("{own}; or {why}"),
                _ => format!("{own}; or {description}"),
            },
            _ => description.to_owned(),
        };
        responses.insert(status.to_owned(), error(&text));
    };
    if takes_input {
        add("400", "validation_failed: the body is not a JSON object of this shape, or a path segment or query parameter is malformed");
    }
    if secured {
        add(
            "401",
            "unauthenticated: no live session (Bearer token or session cookie)",
        );
        if method != "get" {
            add(
                "403",
                "forbidden: a cookie-authenticated write from an Origin that is not allowed",
            );
        }
    }
    add(
        "500",
        "internal: a failure of the server, logged and not shown",
    );
    add(
        "503",
        "unavailable: the database is unreachable; retry after Retry-After seconds",
    );
    for status in ["429", "503"] {
        if let Some(answer) = responses.get_mut(status) {
            answer["headers"] = json!({"Retry-After": {
                "description": "Seconds to wait before trying again",
                "required": true,
                "schema": {"type": "integer", "minimum": 1}
            }});
        }
    }
}

/// An id's shape, as `is_well_formed` checks it.
fn id_pattern(prefix: &str) -> String {
    format!("^{prefix}[A-Za-z0-9]{{1,64}}$")
}

fn complete_components(components: &mut Map<String, Value>, catalog: &RoleCatalog) {
    components.insert(
        "securitySchemes".to_owned(),
        json!({
            "bearer": {"type": "http", "scheme": "bearer",
                "description": "The session token that sign-up and sign-in answer"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE,
                "description": "The HttpOnly session cookie; writes also need an allowed Origin"}
        }),
    );
    let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) else {
        return;
    };
    let ids = [
        ("OrganizationId", OrganizationId::PREFIX),
        ("UserId", UserId::PREFIX),
        ("MembershipId", MembershipId::PREFIX),
        ("InvitationId", InvitationId::PREFIX),
        ("JoinRequestId", orgkit_core::JoinRequestId::PREFIX),
        ("WebhookEndpointId", WebhookEndpointId::PREFIX),
        ("WebhookMessageId", WebhookMessageId::PREFIX),
        ("WebhookAttemptId", WebhookAttemptId::PREFIX),
    ];
    for (name, prefix) in ids {
        if let Some(schema) = schemas.get_mut(name) {
            schema["type"] = json!("string");
            schema["pattern"] = json!(id_pattern(prefix));
        }
    }
    if let Some(role) = schemas.get_mut("Role") {
        let keys: Vec<&str> = catalog.roles().iter().map(|r| r.key.as_str()).collect();
        role["enum"] = json!(keys);
    }
    // Bulk invitations: a list of 1 to 50 entries, or one string of entries separated by
    // commas, semicolons or spaces (`str::trim`'s). Each entry succeeds or fails on its own.
    let separators =
        r"[^,;\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
    schemas.insert(
        "EmailList".to_owned(),
        json!({"oneOf": [
            {"type": "array", "minItems": 1, "maxItems": orgkit_core::validate::MAX_BULK_INVITES,
                "items": {"type": "string"}},
            {"type": "string", "pattern": separators, "description": "At most 50 entries"}
        ]}),
    );
    complete_webhook_requests(schemas);
    roles::complete(schemas, catalog);
    // An invitation names exactly one of `emailAddress` and `emailAddresses` (null is absent).
    if let Some(invite) = schemas.get_mut("InviteRequest") {
        invite["oneOf"] = json!([
            {"required": ["emailAddress"], "properties": {"emailAddress": {"type": "string"}}},
            {"required": ["emailAddresses"], "properties": {"emailAddresses": {"type": ["array", "string"]}}}
        ]);
    }
}

/// The URLs `webhook::endpoint_url` takes, as a pattern: `https`, a host name (its last label
/// starting with a letter), a dotted-quad IPv4 address or a bracketed IPv6 address, a port of
/// 1 to 65535, then a path or query of printable ASCII without `#` or `\`. Plain `http` to a
/// loopback host on a `--dev` server is also taken, and left out here; an address the server
/// refuses to call (private, loopback, …) matches and answers `403 webhook_url_forbidden`.
fn webhook_url_pattern() -> String {
    let label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let last_label = "[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let octet = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    let group = "[0-9A-Fa-f]{1,4}";
    let port =
        "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
    format!(
        "^[Hh][Tt][Tt][Pp][Ss]://(({label}\\.)*{last_label}|({octet}\\.){{3}}{octet}|\\[(({group}:){{7}}{group}|::(({group}:){{0,5}}{group})?)\\])(:{port})?([/?][!\"$-\\[\\]-~]*)?$"
    )
}

/// Webhook endpoint bodies: the URL as its pattern, the subscribable event types, and a
/// description without control characters, so that what the schema allows the server takes.
fn complete_webhook_requests(schemas: &mut Map<String, Value>) {
    let subscribable: Vec<&str> = EventType::ALL
        .into_iter()
        .filter(|e| e.is_subscribable())
        .map(EventType::as_str)
        .collect();
    let control = r"\u0000-\u001F\u007F-\u009F";
    for name in [
        "CreateWebhookEndpointRequest",
        "UpdateWebhookEndpointRequest",
    ] {
        let Some(properties) = schemas
            .get_mut(name)
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if let Some(url) = properties.get_mut("url") {
            url["pattern"] = json!(webhook_url_pattern());
        }
        if let Some(types) = properties.get_mut("eventTypes") {
            types["minItems"] = json!(1);
            types["items"] = json!({"type": "string", "enum": subscribable});
        }
        if let Some(description) = properties.get_mut("description") {
            description["pattern"] = json!(format!("^[^{control}]*$"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        let (_, doc) = crate::routes::api().split_for_parts();
        complete(&doc, &RoleCatalog::built_in())
    }

    #[test]
    fn every_operation_documents_the_shared_answers() {
        let doc = document();
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                operations += 1;
                let answers = &operation["responses"];
                for status in ["500", "503"] {
                    assert!(answers[status].is_object(), "{method} {path}: {status}");
                }
                if operation["security"].is_array() {
                    assert!(answers["401"].is_object(), "{method} {path}: 401");
                }
                if operation["requestBody"].is_object() || operation["parameters"].is_array() {
                    assert!(answers["400"].is_object(), "{method} {path}: 400");
                }
            }
        }
        assert_eq!(operations, 120);
    }

    #[test]
    fn shapes_follow_the_rule_book() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        let pattern = schemas["OrganizationId"]["pattern"].as_str().unwrap_or("");
        assert_eq!(pattern, "^org_[A-Za-z0-9]{1,64}$");
        assert_eq!(schemas["Role"]["enum"], json!(["admin", "basic_member"]));
        // A name is trimmed, then 1 to 256 characters: first, up to 254, last.
        let name = schemas["Name"]["pattern"].as_str();
        let inner = format!("{{0,{}}}", orgkit_core::validate::MAX_NAME_CHARS - 2);
        assert!(name.is_some_and(|p| p.contains(&inner)), "{name:?}");
        let create = &schemas["CreateOrganizationRequest"]["properties"];
        assert_eq!(create["name"]["$ref"], "#/components/schemas/Name");
        let (slug, password) = (&schemas["Slug"], &schemas["Password"]);
        assert_eq!(
            slug["minLength"],
            *orgkit_core::validate::SLUG_CHARS.start()
        );
        assert_eq!(slug["maxLength"], *orgkit_core::validate::SLUG_CHARS.end());
        assert_eq!(
            password["minLength"],
            *orgkit_core::validate::PASSWORD_CHARS.start()
        );
        assert_eq!(
            password["maxLength"],
            *orgkit_core::validate::PASSWORD_CHARS.end()
        );
        assert_eq!(schemas["EmailAddress"]["maxLength"], 254);
        let list = &doc["paths"]["/v1/organizations/{org_id}/memberships"]["get"]["parameters"];
        let limit = list
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "limit");
        let limit = &limit.map_or(Value::Null, |p| p["schema"].clone());
        assert_eq!(limit["minimum"], 1);
        assert_eq!(limit["maximum"], orgkit_core::validate::MAX_PAGE_LIMIT);
    }
}
