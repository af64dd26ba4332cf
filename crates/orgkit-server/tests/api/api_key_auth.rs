//! API keys at the door: no expiry by default, never a session cookie, revoked with their
//! owner's membership.

use crate::api_keys::{assert_refused, key_actor, new_key};
use crate::harness::{Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A key made without `expiresAt` has none (`null` in the answer and the list, NULL in the
/// database) and works.
pub async fn api_key_has_no_expiry_by_default(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let org = s.create_org(&alice, "Keys Co").await;
    let orgp = format!("/v1/organizations/{org}");
    let (status, created) =
        crate::api_keys::create_key(&s, &alice, &org, json!({"name": "k"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(
        created["apiKey"].get("expiresAt").is_some(),
        "expiresAt is always sent: {created}"
    );
    assert_eq!(created["apiKey"]["expiresAt"], Value::Null, "{created}");
    let key_id = created["apiKey"]["id"].as_str().unwrap().to_owned();
    let stored = s
        .count(
            "SELECT COUNT(*) FROM api_keys WHERE id = $1 AND expires_at IS NULL",
            &key_id,
        )
        .await;
    assert_eq!(stored, 1);
    let key = key_actor(created["secret"].as_str().unwrap());
    let (status, body) = key.call(&s, Method::GET, &orgp, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, listed) = alice
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    assert_eq!(listed["data"][0]["id"], key_id.as_str(), "{listed}");
    assert_eq!(listed["data"][0]["expiresAt"], Value::Null, "{listed}");
}

/// A key's secret sent as the session cookie is no session: `401`, for reads and writes,
/// with or without an allowed `Origin`.
pub async fn api_key_as_the_session_cookie_is_refused(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let org = s.create_org(&alice, "Keys Co").await;
    let orgp = format!("/v1/organizations/{org}");
    let (_, secret) = new_key(&s, &alice, &org, json!({"name": "k"})).await;
    let cookie = format!("{}={secret}", orgkit_server::auth::SESSION_COOKIE);
    let read = s
        .client
        .get(format!("{}{orgp}/memberships", s.url))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::UNAUTHORIZED);
    let body: Value = read.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated", "{body}");
    let write = s
        .client
        .post(format!("{}{orgp}/invitations", s.url))
        .header("Cookie", &cookie)
        .header("Origin", s.url.as_str())
        .json(&json!({"emailAddress": "dan@example.com", "role": "basic_member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), StatusCode::UNAUTHORIZED);
    // The same secret as a bearer token works.
    let (status, _) = key_actor(&secret)
        .call(&s, Method::GET, &format!("{orgp}/memberships"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// A member's key once the member is removed from the organization: `401 unauthenticated`
/// with `api_key_revoked`, and the key is listed as revoked with its reason.
pub async fn api_key_of_a_removed_member_is_revoked(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&alice, "Keys Co").await;
    s.add_member(&alice, &org, &bob, "admin").await;
    let orgp = format!("/v1/organizations/{org}");
    let (key_id, secret) = new_key(&s, &bob, &org, json!({"name": "bob's"})).await;
    let key = key_actor(&secret);
    let members = format!("{orgp}/memberships");
    assert_eq!(
        key.call(&s, Method::GET, &members, None).await.0,
        StatusCode::OK
    );
    let (status, body) = alice
        .call(&s, Method::DELETE, &format!("{members}/{}", bob.id), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    for (method, path) in [(Method::GET, &members), (Method::GET, &orgp)] {
        let answer = key.call(&s, method, path, None).await;
        assert_refused(&answer, "api_key_revoked");
    }
    let (_, listed) = alice
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    let row = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == key_id.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    assert!(row["revokedAt"].is_i64(), "{listed}");
    // Back in the organization, the old key stays revoked.
    s.add_member(&alice, &org, &bob, "admin").await;
    let answer = key.call(&s, Method::GET, &members, None).await;
    assert_refused(&answer, "api_key_revoked");
}
