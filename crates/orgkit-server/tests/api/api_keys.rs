//! API keys: creation under the organization's policy, scopes, revocation, expiry, the
//! organization a key acts in, secrecy, `lastUsedAt`, and a Node.js backend using a key.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A request actor made of an API key's secret.
pub fn key_actor(secret: &str) -> User {
    User {
        id: String::new(),
        email: String::new(),
        token: secret.to_owned(),
    }
}

/// Creates a key in `org` as `who` with `body`; answers the response.
pub async fn create_key(s: &TestServer, who: &User, org: &str, body: Value) -> (StatusCode, Value) {
    who.call(
        s,
        Method::POST,
        &format!("/v1/organizations/{org}/api-keys"),
        Some(body),
    )
    .await
}

/// Creates a key that must succeed; answers (key id, secret).
pub async fn new_key(s: &TestServer, who: &User, org: &str, body: Value) -> (String, String) {
    let (status, created) = create_key(s, who, org, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    (created["apiKey"]["id"].as_str().unwrap().to_owned(), secret)
}

async fn set_policy(s: &TestServer, who: &User, org: &str, policy: &str) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/api-key-policy");
    who.call(s, Method::PUT, &path, Some(json!({ "policy": policy })))
        .await
}

/// The `reason` of an `unauthenticated` answer.
#[track_caller]
pub fn assert_refused(answer: &(StatusCode, Value), reason: &str) {
    assert_error(answer, 401, "unauthenticated");
    assert_eq!(answer.1["error"]["reason"], reason, "{}", answer.1);
}

pub async fn api_keys_follow_the_policy_and_their_scope(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&alice, "Keys Co").await;
    let other_org = s.create_org(&alice, "Other Co").await;
    s.add_member(&alice, &org, &bob, "basic_member").await;
    s.add_member(&alice, &org, &carol, "basic_member").await;
    let orgp = format!("/v1/organizations/{org}");
    // The default policy: admins only.
    let (status, policy) = bob
        .call(&s, Method::GET, &format!("{orgp}/api-key-policy"), None)
        .await;
    assert_eq!(
        (status, &policy),
        (StatusCode::OK, &json!({"policy": "admins"}))
    );
    assert_error(
        &create_key(&s, &bob, &org, json!({"name": "mine"})).await,
        403,
        "forbidden",
    );
    assert_error(
        &set_policy(&s, &bob, &org, "members").await,
        403,
        "forbidden",
    );
    assert_eq!(
        set_policy(&s, &alice, &org, "nobody").await.0,
        StatusCode::OK
    );
    let answer = create_key(&s, &alice, &org, json!({"name": "mine"})).await;
    assert_error(&answer, 403, "api_keys_disabled");
    assert_eq!(
        set_policy(&s, &alice, &org, "members").await.0,
        StatusCode::OK
    );
    assert_eq!(s.audit_count("api_keys.policy_changed").await, 2);
    let (_, read) = alice.call(&s, Method::GET, &orgp, None).await;
    assert_eq!(read["apiKeyPolicy"], "members", "{read}");
    // A scope beyond my permissions, outside the catalog, a past expiry, no name.
    let answer = create_key(
        &s,
        &bob,
        &org,
        json!({"name": "k", "permissions": ["org:memberships:manage"]}),
    )
    .await;
    assert_error(&answer, 403, "permission_escalation");
    assert_eq!(
        answer.1["error"]["missingPermissions"],
        json!(["org:memberships:manage"])
    );
    let answer = create_key(
        &s,
        &bob,
        &org,
        json!({"name": "k", "permissions": ["org:nope:read"]}),
    )
    .await;
    assert_error(&answer, 409, "unknown_permission");
    let answer = create_key(&s, &bob, &org, json!({"name": "k", "expiresAt": 1000})).await;
    assert_error(&answer, 400, "validation_failed");
    assert_error(
        &create_key(&s, &bob, &org, json!({"name": " "})).await,
        400,
        "validation_failed",
    );
    let answer = create_key(&s, &bob, &org, json!({"name": "k", "extra": 1})).await;
    assert_error(&answer, 400, "validation_failed");
    // A read-only key.
    let body =
        json!({"name": "reader", "description": "CI", "permissions": ["org:memberships:read"]});
    let (status, created) = create_key(&s, &bob, &org, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("ok_") && secret.len() == 67, "{secret}");
    assert!(secret[3..]
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    let key = &created["apiKey"];
    let key_id = key["id"].as_str().unwrap().to_owned();
    assert!(key_id.starts_with("ak_"), "{key}");
    assert_eq!(key["last4"], secret[63..], "{key}");
    assert_eq!(
        key["owner"],
        json!({"type": "user", "id": bob.id, "name": "bob"})
    );
    assert_eq!(key["permissions"], json!(["org:memberships:read"]));
    assert_eq!(key["organizationId"], org.as_str());
    assert!(
        key["revokedAt"].is_null() && key["lastUsedAt"].is_null(),
        "{key}"
    );
    assert_eq!(s.audit_count("api_key.created").await, 1);
    let bob_key = key_actor(&secret);
    let (status, members) = bob_key
        .call(&s, Method::GET, &format!("{orgp}/memberships"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{members}");
    assert_eq!(members["data"].as_array().unwrap().len(), 3);
    let invite = json!({"emailAddress": "dan@example.com", "role": "basic_member"});
    let answer = bob_key
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/invitations"),
            Some(invite),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    // Only inside its organization.
    let answer = bob_key
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{other_org}/memberships"),
            None,
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    assert_error(
        &bob_key.call(&s, Method::GET, "/v1/me", None).await,
        403,
        "forbidden",
    );
    let answer = bob_key
        .call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": "X"})),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    // Unknown and malformed secrets.
    let unknown = key_actor(&format!("ok_{}", "0".repeat(64)));
    assert_refused(
        &unknown.call(&s, Method::GET, &orgp, None).await,
        "api_key_unknown",
    );
    let malformed = key_actor("ok_NOT-A-KEY");
    assert_refused(
        &malformed.call(&s, Method::GET, &orgp, None).await,
        "api_key_unknown",
    );
    // Lists: mine; everyone's for an admin; another service account's is not mine to see.
    let (alice_key, _) = new_key(&s, &alice, &org, json!({"name": "admin key"})).await;
    let (_, mine) = bob
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    assert_eq!(mine["data"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["data"][0]["id"], key_id.as_str());
    let (_, all) = alice
        .call(&s, Method::GET, &format!("{orgp}/api-keys?limit=1"), None)
        .await;
    assert_eq!(all["data"][0]["id"], key_id.as_str(), "{all}");
    let next = all["nextCursor"].as_str().unwrap().to_owned();
    let (_, rest) = alice
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?after={next}"),
            None,
        )
        .await;
    assert_eq!(rest["data"][0]["id"], alice_key.as_str(), "{rest}");
    assert!(rest["nextCursor"].is_null());
    let answer = bob
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?serviceAccountId=sa_X"),
            None,
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    let answer = alice
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?serviceAccountId=nope"),
            None,
        )
        .await;
    assert_error(&answer, 400, "validation_failed");
    let answer = bob
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?after=nope"),
            None,
        )
        .await;
    assert_error(&answer, 400, "validation_failed");
    // Revoking: not another member's key without the permission; mine; twice keeps the first.
    let revoke = |id: &str| format!("{orgp}/api-keys/{id}/revoke");
    let answer = carol
        .call(&s, Method::POST, &revoke(&key_id), Some(json!({})))
        .await;
    assert_error(&answer, 403, "forbidden");
    let answer = bob
        .call(&s, Method::POST, &revoke("ak_NOPE"), Some(json!({})))
        .await;
    assert_error(&answer, 404, "not_found");
    let too_long = json!({"reason": "x".repeat(201)});
    assert_error(
        &bob.call(&s, Method::POST, &revoke(&key_id), Some(too_long))
            .await,
        400,
        "validation_failed",
    );
    let (status, revoked) = bob
        .call(
            &s,
            Method::POST,
            &revoke(&key_id),
            Some(json!({"reason": "rotated"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["revokeReason"], "rotated");
    let first = revoked["revokedAt"].as_i64().unwrap();
    let (status, again) = alice
        .call(
            &s,
            Method::POST,
            &revoke(&key_id),
            Some(json!({"reason": "again"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (again["revokedAt"].as_i64(), &again["revokeReason"]),
        (Some(first), &json!("rotated"))
    );
    assert_eq!(s.audit_count("api_key.revoked").await, 1);
    assert_refused(
        &bob_key.call(&s, Method::GET, &orgp, None).await,
        "api_key_revoked",
    );
    // An admin revokes a member's key.
    let (carol_key, _) = new_key(&s, &carol, &org, json!({"name": "c"})).await;
    let (status, _) = alice
        .call(&s, Method::POST, &revoke(&carol_key), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK);
}
