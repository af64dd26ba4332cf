//! The Clerk-compatible API's edges: instance secret keys (the command, hashing, revocation,
//! the rate limit, the audit actor), its error and content-type contract, and its own OpenAPI
//! document. Lists and filters are in `clerk_lists.rs`; the real `@clerk/backend` runs in
//! `clerk_conformance.rs`.

use crate::harness::{Backend, TestServer};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A client of `/clerk/v1` with one key.
pub struct Clerk<'a> {
    pub s: &'a TestServer,
    pub key: String,
}

/// One answer: status, exact content type and JSON body.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Answer {
    /// Asserts a Clerk error: status, `errors[0].code`, the shape, and the content type.
    #[track_caller]
    pub fn refused(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(self.content_type, "application/json");
        let error = &self.body["errors"][0];
        assert_eq!(error["code"], code, "{}", self.body);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(error["long_message"].is_string(), "{}", self.body);
        assert!(error["meta"].is_object(), "{}", self.body);
        assert!(self.body["clerk_trace_id"].is_string(), "{}", self.body);
        error
    }

    /// Asserts a 200 with exactly `application/json`; answers the body.
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        assert_eq!(self.content_type, "application/json");
        &self.body
    }
}

impl Clerk<'_> {
    /// Sends `method path` under `/clerk/v1` with the key and a JSON body (or none).
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let url = format!("{}/clerk/v1{path}", self.s.url);
        let mut request = self.s.client.request(method, url).bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request).await
    }
}

pub async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        content_type,
        body,
    }
}

/// Creates a key with the server binary's own command on `s`'s database; answers the key.
pub fn create_key(s: &TestServer, name: &str) -> String {
    let output = cli(s, &["secret-keys", "create", "--name", name]);
    let key = output.lines().next().unwrap().trim().to_owned();
    assert!(
        key.starts_with("sk_orgkit_") && key.len() >= 10 + 43,
        "{output}"
    );
    key
}

/// Runs `orgkit-server ARGS` on `s`'s database; answers its stdout, asserting success.
pub fn cli(s: &TestServer, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orgkit-server"))
        .args(args)
        .env("ORGKIT_DATABASE_URL", &s.state.config.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A user made through the API; answers its id.
pub async fn user(clerk: &Clerk<'_>, email: &str) -> String {
    let made = clerk
        .call(
            Method::POST,
            "/users",
            Some(json!({"email_address": [email]})),
        )
        .await;
    made.ok()["id"].as_str().unwrap().to_owned()
}

pub async fn keys_are_made_by_the_command_stored_hashed_and_revoked(backend: Backend) {
    let s = TestServer::start(backend).await;
    let key = create_key(&s, "ci");
    let clerk = Clerk {
        s: &s,
        key: key.clone(),
    };
    clerk.call(Method::GET, "/users/count", None).await.ok();

    // Only the hash is stored, with the name and the last 4 characters.
    let stored = s
        .count(
            "SELECT COUNT(*) FROM clerk_secret_keys WHERE key_hash = $1",
            &crate::harness::sha256_hex(&key),
        )
        .await;
    assert_eq!(stored, 1);
    let raw = s
        .count(
            "SELECT COUNT(*) FROM clerk_secret_keys WHERE key_hash = $1 OR name = $1",
            &key,
        )
        .await;
    assert_eq!(raw, 0);
    let listed = cli(&s, &["secret-keys", "list"]);
    let line = listed.lines().find(|l| l.contains("\tci\t")).unwrap();
    assert!(line.contains(&key[key.len() - 4..]), "{line}");
    assert!(!listed.contains(&key), "{listed}");
    let id = line.split('\t').next().unwrap().to_owned();
    assert!(id.starts_with("key_"), "{line}");

    // Writes are audited with the key as the actor.
    let alice = user(&clerk, "alice@example.com").await;
    let made = clerk
        .call(
            Method::POST,
            "/organizations",
            Some(json!({"name": "Audited", "created_by": alice})),
        )
        .await;
    let org = made.ok()["id"].as_str().unwrap().to_owned();
    let actor = s
        .text_value(
            "SELECT actor_id FROM audit_events WHERE org_id = $1 AND action = $2",
            &org,
            "organization.created",
        )
        .await;
    assert_eq!(actor, id);
    let created_by = s
        .text_value(
            "SELECT created_by FROM organizations WHERE id = $1 AND id = $2",
            &org,
            &org,
        )
        .await;
    assert_eq!(created_by, alice);

    // A revoked key is refused at once; a second key still works.
    let other = create_key(&s, "backup");
    cli(&s, &["secret-keys", "revoke", &id]);
    let listed = cli(&s, &["secret-keys", "list"]);
    let line = listed.lines().find(|l| l.contains("\tci\t")).unwrap();
    assert!(!line.ends_with('\t'), "revoked_at is shown: {line:?}");
    clerk
        .call(Method::GET, "/users/count", None)
        .await
        .refused(401, "clerk_key_invalid");
    let backup = Clerk { s: &s, key: other };
    backup.call(Method::GET, "/users/count", None).await.ok();
}

pub async fn missing_and_wrong_keys_get_clerks_401(backend: Backend) {
    let s = TestServer::start(backend).await;
    create_key(&s, "ci");
    let url = format!("{}/clerk/v1/organizations", s.url);
    let none = answer(s.client.get(&url)).await;
    none.refused(401, "clerk_key_invalid");
    for header in [
        "Bearer sk_orgkit_wrong",
        "Bearer ",
        "Basic abc",
        "sk_orgkit_x",
    ] {
        let wrong = answer(s.client.get(&url).header(AUTHORIZATION, header)).await;
        wrong.refused(401, "clerk_key_invalid");
    }
    // A session token of /v1 is not a key.
    let session = s.sign_up("member@example.com").await;
    let token = answer(s.client.get(&url).bearer_auth(&session.token)).await;
    token.refused(401, "clerk_key_invalid");
    // And a key is not a session of /v1.
    let key = create_key(&s, "ci2");
    let (status, _) = s.raw(Method::GET, "/v1/me", Some(&key), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

pub async fn every_use_of_a_key_is_rate_limited(backend: Backend) {
    crate::harness::clear_of_a_minute_boundary().await;
    let s = TestServer::start_with(backend, |c| c.clerk_key_limit_per_minute = 3).await;
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "ci"),
    };
    for _ in 0..3 {
        clerk.call(Method::GET, "/users/count", None).await.ok();
    }
    let limited = clerk.call(Method::GET, "/users", None).await;
    limited.refused(429, "too_many_requests");
    // Another key has its own budget.
    let other = Clerk {
        s: &s,
        key: create_key(&s, "other"),
    };
    other.call(Method::GET, "/users/count", None).await.ok();
}

pub async fn the_clerk_openapi_document_matches_its_router(backend: Backend) {
    let s = TestServer::start(backend).await;
    let doc = answer(s.client.get(format!("{}/clerk/openapi.json", s.url))).await;
    let doc = doc.ok().clone();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
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
            .replace("{id}", "org_x")
            .replace("{user_id}", "user_x")
            .replace("{invitation_id}", "orginv_x");
        assert!(!path.contains('{'), "{template}");
        for method in &methods {
            let url = format!("{}/clerk{path}", s.url);
            let got = answer(s.client.request(method.clone(), &url)).await;
            if item[method.as_str().to_ascii_lowercase()].is_object() {
                operations += 1;
                // Every operation exists and needs the key.
                got.refused(401, "clerk_key_invalid");
            } else {
                assert_eq!(
                    got.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}"
                );
            }
        }
    }
    assert_eq!(operations, 25, "the Clerk-compatible API's operations");
    assert_eq!(operations, orgkit_server::clerk::openapi::operation_count());
    let unknown = answer(s.client.get(format!("{}/clerk/v1/sessions", s.url))).await;
    unknown.refused(404, "resource_not_found");
}
