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

pub async fn keys_follow_the_policy_and_their_scope(backend: Backend) {
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

pub async fn keys_narrow_with_their_owner_and_expire(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&alice, "Narrow Co").await;
    s.add_member(&alice, &org, &bob, "admin").await;
    let orgp = format!("/v1/organizations/{org}");
    let (key_id, secret) = new_key(&s, &bob, &org, json!({"name": "all of mine"})).await;
    let soon = crate::harness::now_ms() + 1000;
    let (_, expiring) = new_key(&s, &bob, &org, json!({"name": "brief", "expiresAt": soon})).await;
    let key = key_actor(&secret);
    // No Origin needed, even a foreign one is fine: a key is never a cookie.
    let response = s
        .client
        .post(format!("{}{orgp}/invitations", s.url))
        .bearer_auth(&secret)
        .header("Origin", "http://evil.test")
        .json(&json!({"emailAddress": "dan@example.com", "role": "basic_member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    // The change is recorded with the key.
    let (_, events) = alice
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/audit-events?action=invitation.created"),
            None,
        )
        .await;
    assert_eq!(events["data"][0]["apiKeyId"], key_id.as_str(), "{events}");
    assert_eq!(
        events["data"][0]["actor"]["id"],
        bob.id.as_str(),
        "{events}"
    );
    // Demoted: the key narrows at once.
    let path = format!("{orgp}/memberships/{}", bob.id);
    let (status, body) = alice
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let invite = json!({"emailAddress": "erin@example.com", "role": "basic_member"});
    let answer = key
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/invitations"),
            Some(invite),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    assert_eq!(
        key.call(&s, Method::GET, &format!("{orgp}/memberships"), None)
            .await
            .0,
        StatusCode::OK
    );
    // Past its expiry.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let answer = key_actor(&expiring)
        .call(&s, Method::GET, &orgp, None)
        .await;
    assert_refused(&answer, "api_key_expired");
    // Removed from the organization: the key no longer reaches it.
    let (status, _) = alice.call(&s, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let answer = key
        .call(&s, Method::GET, &format!("{orgp}/memberships"), None)
        .await;
    assert!(
        answer.0 == StatusCode::NOT_FOUND || answer.0 == StatusCode::UNAUTHORIZED,
        "{answer:?}"
    );
}

pub async fn secrets_stay_secret_and_last_use_is_recorded(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let org = s.create_org(&alice, "Secret Co").await;
    let orgp = format!("/v1/organizations/{org}");
    let (key_id, secret) = new_key(&s, &alice, &org, json!({"name": "k"})).await;
    let key = key_actor(&secret);
    let before = crate::harness::now_ms();
    assert_eq!(
        key.call(&s, Method::GET, &format!("{orgp}/memberships"), None)
            .await
            .0,
        StatusCode::OK
    );
    let (_, listed) = key
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    let (_, events) = alice
        .call(&s, Method::GET, &format!("{orgp}/audit-events"), None)
        .await;
    let hex = &secret[3..];
    for body in [&listed, &events] {
        assert!(!body.to_string().contains(hex), "{body}");
    }
    // Written in a batch, within a few seconds (every 5 s).
    let mut last_used = None;
    for _ in 0..40 {
        let (at,): (Option<i64>,) =
            sqlx::query_as("SELECT last_used_at FROM api_keys WHERE id = $1")
                .bind(&key_id)
                .fetch_one(&s.state.db.pool)
                .await
                .unwrap();
        if at.is_some() {
            last_used = at;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(last_used.is_some_and(|at| at >= before), "{last_used:?}");
    let (_, listed) = alice
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    assert!(
        listed["data"][0]["lastUsedAt"]
            .as_i64()
            .is_some_and(|at| at >= before),
        "{listed}"
    );
    let (_, revoked) = key
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/api-keys/{key_id}/revoke"),
            Some(json!({})),
        )
        .await;
    assert!(!revoked.to_string().contains(hex), "{revoked}");
    // No column of the keys or the audit log holds the secret.
    let columns = [
        ("api_keys", "id, org_id, owner_kind, owner_id, name, description, secret_hash, last4, permissions, created_by, revoke_reason"),
        ("audit_events", "id, org_id, actor_id, action, subject, detail, ip, user_agent, api_key_id"),
    ];
    for (table, list) in columns {
        for column in list.split(", ") {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE COALESCE({column}, '') LIKE $1");
            let found = s.count(&sql, &format!("%{hex}%")).await;
            assert_eq!(found, 0, "{table}.{column} holds the secret");
        }
    }
    let hash = s
        .text_value(
            "SELECT secret_hash FROM api_keys WHERE id = $1 AND org_id = $2",
            &key_id,
            &org,
        )
        .await;
    assert_eq!(hash, crate::harness::sha256_hex(&secret));
}

/// `tests/api_keys/backend.mjs`: an app backend in Node.js with plain `fetch` and a key.
pub async fn a_node_backend_works_with_a_key(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&alice, "Node Co").await;
    s.add_member(&alice, &org, &bob, "basic_member").await;
    let (_, secret) = new_key(&s, &alice, &org, json!({"name": "backend"})).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/api_keys/backend.mjs");
    let (url, member) = (s.url.clone(), bob.id.clone());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .env("ORGKIT_URL", url)
            .env("ORGKIT_API_KEY", secret)
            .env("ORGKIT_ORG_ID", org)
            .env("ORGKIT_MEMBER_ID", member)
            .current_dir(&root)
            .output()
            .unwrap_or_else(|e| panic!("node is needed for this test: {e}"))
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
        "the Node.js backend failed:\n{text}"
    );
    assert!(text.contains("backend done"), "{text}");
}
