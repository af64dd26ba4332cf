//! Cookies, CSRF, CORS, hashed tokens and the OpenAPI document.

use crate::harness::{assert_error, sha256_hex, Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

pub async fn cookies_csrf_and_cors(backend: Backend) {
    let s = TestServer::start(backend).await;
    let browser = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .build()
        .unwrap();
    let response = browser
        .post(format!("{}/v1/auth/sign-up", s.url))
        .json(
            &json!({"emailAddress": "ada@example.com", "password": "correct horse", "name": "Ada"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("orgkit_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    let token = response.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // The cookie alone authenticates reads.
    let me = browser
        .get(format!("{}/v1/me", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    // A cookie write without an allowed Origin is refused; with one it goes through.
    let create = |origin: Option<&str>| {
        let mut request = browser
            .post(format!("{}/v1/organizations", s.url))
            .json(&json!({"name": "Cookie Co"}));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    for origin in [None, Some("http://evil.test")] {
        let response = create(origin).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "forbidden");
    }
    assert_eq!(
        create(Some("http://app.test")).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        create(Some(&s.url)).await.unwrap().status(),
        StatusCode::CREATED,
        "the server's own origin"
    );
    // A Bearer token needs no Origin.
    let (status, _) = s
        .raw(
            Method::POST,
            "/v1/organizations",
            Some(&token),
            Some(json!({"name": "Bearer Co"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // CORS: the allow-list, with credentials.
    let preflight = |origin: &str| {
        s.client
            .request(Method::OPTIONS, format!("{}/v1/organizations", s.url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("http://app.test").await.unwrap();
    assert!(allowed.status().is_success());
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://app.test"
    );
    assert_eq!(
        allowed.headers()["access-control-allow-credentials"],
        "true"
    );
    let refused = preflight("http://evil.test").await.unwrap();
    assert!(!refused
        .headers()
        .contains_key("access-control-allow-origin"));
    // A cross-origin app can read Retry-After (the SDK's `retryAfter`).
    let answer = s
        .client
        .get(format!("{}/v1/me", s.url))
        .header("origin", "http://app.test")
        .send()
        .await
        .unwrap();
    let exposed = answer.headers()["access-control-expose-headers"].to_str();
    assert_eq!(exposed.unwrap().to_ascii_lowercase(), "retry-after");

    // Sign-out clears the cookie and ends the session.
    let out = browser
        .post(format!("{}/v1/auth/sign-out", s.url))
        .header("origin", "http://app.test")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_error(
        &s.raw(Method::GET, "/v1/me", Some(&token), None).await,
        401,
        "unauthenticated",
    );
}

pub async fn tokens_are_stored_hashed(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    assert_eq!(admin.token.len(), 43, "256 bits, base64url");
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
            &admin.token
        )
        .await,
        0
    );
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
            &sha256_hex(&admin.token)
        )
        .await,
        1
    );
    let org = s.create_org(&admin, "Hashes").await;
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    assert_eq!(token.len(), 43);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM invitations WHERE token_hash = $1",
            &token
        )
        .await,
        0
    );
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM invitations WHERE token_hash = $1",
            &sha256_hex(&token)
        )
        .await,
        1
    );
    let verification = s.last_token("admin@example.com").await;
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM email_verifications WHERE token_hash = $1",
            &sha256_hex(&verification)
        )
        .await,
        1
    );
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(&admin.id)
        .fetch_one(&s.state.db.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

/// The document and the router come from one list (`routes::api`); this checks the two
/// against each other through real requests: every documented operation is routed, and every
/// other method on a documented path answers 405.
pub async fn openapi_document_matches_the_router(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (status, doc) = s.raw(Method::GET, "/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    let mut operations = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let path = template
            .replace("{org_id}", "org_x")
            .replace("{user_id}", "me")
            .replace("{id}", "inv_x")
            .replace("{connection_id}", "sso_x")
            .replace("{connection}", "sso_x")
            .replace("{key}", "org:x")
            .replace("{ws_id}", "ws_x")
            .replace("{grp_id}", "grp_x")
            .replace("{kind}", "user")
            .replace("{principal_id}", "user_x")
            .replace("{sa_id}", "sa_x")
            .replace("{key_id}", "ak_x");
        assert!(!path.contains('{'), "{template}");
        for method in &methods {
            let documented = item[method.as_str().to_ascii_lowercase()].is_object();
            let (status, body) = s.raw(method.clone(), &path, None, None).await;
            if documented {
                operations += 1;
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
                assert_ne!(
                    body["error"]["message"], "No such route.",
                    "{method} {path}"
                );
            } else {
                assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            }
        }
    }
    assert_eq!(operations, 120, "the API's operations");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "ErrorBody",
        "ErrorCode",
        "Organization",
        "Membership",
        "Invitation",
        "User",
        "Session",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema} missing");
    }
    let codes = doc["components"]["schemas"]["ErrorCode"].to_string();
    for code in [
        "last_admin",
        "already_invited",
        "wrong_recipient",
        "rate_limited",
    ] {
        assert!(codes.contains(code), "{code} not in {codes}");
    }
}
