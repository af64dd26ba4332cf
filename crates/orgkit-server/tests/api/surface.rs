//! The HTTP surface: bodies that are not JSON objects, and the client address behind proxies.

use crate::harness::{assert_error, Backend, TestServer};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

pub async fn bodies_must_be_json_objects(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    // serde reads a struct from an array: ["Acme"] would be {"name": "Acme"}.
    for body in [
        json!(["Acme"]),
        json!(["Acme", "acme"]),
        json!("Acme"),
        json!(42),
    ] {
        assert_error(
            &ada.call(&s, Method::POST, "/v1/organizations", Some(body))
                .await,
            400,
            "validation_failed",
        );
    }
    assert_eq!(
        s.count("SELECT COUNT(*) FROM organizations WHERE name = $1", "Acme")
            .await,
        0
    );
    let sign_up = json!(["bob@example.com", "correct horse", "Bob"]);
    assert_error(
        &s.raw(Method::POST, "/v1/auth/sign-up", None, Some(sign_up))
            .await,
        400,
        "validation_failed",
    );
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM users WHERE email = $1",
            "bob@example.com"
        )
        .await,
        0
    );
    // Objects still work, with leading whitespace too.
    let auth = format!("Bearer {}", ada.token);
    let body = " \n {\"name\": \"Acme\"}";
    let created = post(&s, "/v1/organizations", &[("authorization", &auth)], body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
}

/// A JSON POST with extra headers and a body sent as it is.
async fn post(s: &TestServer, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut request = s.client.post(format!("{}{path}", s.url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.header("content-type", "application/json");
    request.body(body.to_owned()).send().await.unwrap()
}

/// A failed sign-in (each attempt another account) that claims to come from `client`.
async fn sign_in_from(s: &TestServer, client: &str, attempt: usize) -> Response {
    let body = json!({"emailAddress": format!("nobody{attempt}@example.com"), "password": "wrong password"});
    let headers = [("x-forwarded-for", client)];
    post(s, "/v1/auth/sign-in", &headers, &body.to_string()).await
}

pub async fn forwarded_for_is_ignored_by_default(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.sign_in_limit_per_minute = 2).await;
    assert_eq!(sign_in_from(&s, "203.0.113.1", 1).await.status(), 401);
    assert_eq!(sign_in_from(&s, "203.0.113.1", 2).await.status(), 401);
    // Another claimed client, same peer: the header is not believed, the address is spent.
    assert_eq!(sign_in_from(&s, "203.0.113.2", 3).await.status(), 429);
}

pub async fn trusted_proxies_name_the_client(backend: Backend) {
    let s = TestServer::start_with(backend, |c| {
        c.sign_in_limit_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.1".to_owned()];
    })
    .await;
    assert_eq!(sign_in_from(&s, "203.0.113.1", 1).await.status(), 401);
    assert_eq!(sign_in_from(&s, "203.0.113.1", 2).await.status(), 401);
    assert_eq!(sign_in_from(&s, "203.0.113.1", 3).await.status(), 429);
    // A second client behind the same proxy has its own bucket.
    assert_eq!(sign_in_from(&s, "203.0.113.2", 4).await.status(), 401);
    // A client cannot pick its bucket by writing the header itself: the proxy appends.
    assert_eq!(
        sign_in_from(&s, "198.51.100.7, 203.0.113.1", 5)
            .await
            .status(),
        429
    );
    let answer: Value = sign_in_from(&s, "203.0.113.1", 6)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error"]["code"], "rate_limited");
}
