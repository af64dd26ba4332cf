//! Session tokens checked by the npm `jose` package (`tests/tokens/verify.mjs`) through the
//! live server's JWKS URL, as an app's Node.js backend would.

use crate::harness::{Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

pub async fn tokens_verify_with_jose(backend: Backend) {
    let s = TestServer::start(backend).await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&bob, "Jose Co").await;
    let body = json!({ "organizationId": org });
    let (status, fresh) = bob
        .call(&s, Method::POST, "/v1/session/token", Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    // Another instance on the same database and key, its token clock two minutes back: its
    // tokens are signed with the published key and have expired.
    let key = s.state.config.secret_key.clone();
    let late = s
        .start_sharing(|config| {
            config.secret_key = key;
            config.session_token_clock_offset_seconds = -120;
        })
        .await;
    let (status, expired) = bob
        .call(&late, Method::POST, "/v1/session/token", Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{expired}");
    let capture = json!({
        "jwksUrl": format!("{}/v1/.well-known/jwks.json", s.url),
        "issuer": s.url,
        "fresh": fresh["jwt"],
        "expired": expired["jwt"],
        "organizationId": org,
    });
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/tokens/verify.mjs");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("capture.json");
    std::fs::write(&file, capture.to_string()).unwrap();
    // Node runs on a blocking thread: it calls back into this test's server for the JWKS.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .arg(&file)
            .current_dir(&root)
            .output()
            .unwrap_or_else(|e| panic!("node is needed for the interoperability test: {e}"))
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "jose refused orgkit's token or accepted a bad one (run `npm ci` if it is missing):\n{text}"
    );
    assert!(text.contains("fresh token verified"), "{text}");
}

/// Without `--secret-key` there is nowhere to keep signing keys: the token route refuses, and
/// the key set is empty.
pub async fn without_a_secret_key_tokens_are_not_configured(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.secret_key = None).await;
    let bob = s.sign_up("bob@example.com").await;
    let answer = bob
        .call(&s, Method::POST, "/v1/session/token", Some(json!({})))
        .await;
    crate::harness::assert_error(&answer, 409, "session_tokens_not_configured");
    let (status, set) = s
        .raw(Method::GET, "/v1/.well-known/jwks.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(set, json!({"keys": []}));
}
