//! `PUT /v1/me/active-organization` and `lastActiveOrganizationId` on the `User`: remembered
//! across sessions, cleared with `null`, refused for organizations I am not an active member
//! of, and never stale after a removal, a suspension or the organization's deletion.

use crate::api_keys::{key_actor, new_key};
use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PATH: &str = "/v1/me/active-organization";

async fn set_active(s: &TestServer, user: &User, org: Value) -> (StatusCode, Value) {
    user.call(s, Method::PUT, PATH, Some(json!({ "organizationId": org })))
        .await
}

/// `GET /v1/me`'s `lastActiveOrganizationId`.
async fn last_active(s: &TestServer, user: &User) -> Value {
    let (status, me) = user.call(s, Method::GET, "/v1/me", None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let object = me.as_object().expect("a user object");
    assert!(object.contains_key("lastActiveOrganizationId"), "{me}");
    me["lastActiveOrganizationId"].clone()
}

/// Signs `email` in again (a new session, as a new tab on another device); answers the user.
async fn sign_in(s: &TestServer, email: &str) -> (User, Value) {
    let body = json!({"emailAddress": email, "password": "correct horse"});
    let (status, session) = s
        .raw(Method::POST, "/v1/auth/sign-in", None, Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let user = User {
        id: session["user"]["id"].as_str().expect("id").to_owned(),
        email: email.to_owned(),
        token: session["token"].as_str().expect("token").to_owned(),
    };
    (user, session["user"].clone())
}

async fn audit_rows(s: &TestServer) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events")
        .fetch_one(&s.state.db.pool)
        .await
        .expect("count");
    n
}

pub async fn the_last_active_organization_is_remembered(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    // A new account has none; it is never "the newest membership".
    assert_eq!(last_active(&s, &ada).await, Value::Null);
    let first = s.create_org(&ada, "First Co").await;
    let second = s.create_org(&ada, "Second Co").await;
    assert_eq!(last_active(&s, &ada).await, Value::Null);

    let audit_before = audit_rows(&s).await;
    let answer = set_active(&s, &ada, json!(first)).await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    assert_eq!(answer.1, json!({ "organizationId": first }));
    assert_eq!(last_active(&s, &ada).await, json!(first));
    // Setting it again, then to another organization.
    assert_eq!(set_active(&s, &ada, json!(first)).await.0, StatusCode::OK);
    assert_eq!(set_active(&s, &ada, json!(second)).await.0, StatusCode::OK);
    assert_eq!(last_active(&s, &ada).await, json!(second));

    // Another session of mine (a new tab, another device) starts there, and sign-in says so.
    let (again, signed_in) = sign_in(&s, "ada@example.com").await;
    assert_eq!(signed_in["lastActiveOrganizationId"], json!(second));
    assert_eq!(last_active(&s, &again).await, json!(second));

    // null clears it.
    let cleared = set_active(&s, &ada, Value::Null).await;
    assert_eq!(cleared.0, StatusCode::OK, "{}", cleared.1);
    assert_eq!(cleared.1, json!({ "organizationId": null }));
    assert_eq!(last_active(&s, &again).await, Value::Null);
    assert_eq!(set_active(&s, &ada, Value::Null).await.0, StatusCode::OK);

    // It is mine only: another member's stays their own.
    let bob = s.sign_up("bob@example.com").await;
    s.add_member(&ada, &first, &bob, "basic_member").await;
    assert_eq!(set_active(&s, &bob, json!(first)).await.0, StatusCode::OK);
    assert_eq!(last_active(&s, &bob).await, json!(first));
    assert_eq!(last_active(&s, &ada).await, Value::Null);

    // A preference, not an organization change: no audit event.
    let audit_after_invite = audit_rows(&s).await;
    assert_eq!(set_active(&s, &ada, json!(first)).await.0, StatusCode::OK);
    assert_eq!(audit_rows(&s).await, audit_after_invite);
    assert!(
        audit_after_invite > audit_before,
        "the invitation is audited"
    );

    // The session cookie works too, with an allowed Origin (a write).
    let cookie = format!("orgkit_session={}", ada.token);
    let put = |origin: &'static str| {
        s.client
            .put(format!("{}{PATH}", s.url))
            .header("cookie", cookie.clone())
            .header("origin", origin)
            .json(&json!({ "organizationId": second }))
            .send()
    };
    let refused = put("http://evil.test").await.expect("send");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let stored = put("http://app.test").await.expect("send");
    assert_eq!(stored.status(), StatusCode::OK);
    assert_eq!(last_active(&s, &ada).await, json!(second));
}

pub async fn active_organization_refusals(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    let org = s.create_org(&ada, "Ada Co").await;
    let eves = s.create_org(&eve, "Eve Co").await;

    // Signed in only.
    let anonymous = s
        .raw(
            Method::PUT,
            PATH,
            None,
            Some(json!({ "organizationId": org })),
        )
        .await;
    assert_error(&anonymous, 401, "unauthenticated");
    let (status, _) = s.raw(Method::GET, "/v1/me", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An API key acts only under its organization's path.
    let (_, secret) = new_key(&s, &ada, &org, json!({"name": "ci"})).await;
    let key = key_actor(&secret);
    assert_error(&set_active(&s, &key, json!(org)).await, 403, "forbidden");
    assert_error(
        &key.call(&s, Method::GET, "/v1/me", None).await,
        403,
        "forbidden",
    );

    // Malformed bodies and ids.
    for body in [
        json!({}),
        json!({ "organizationId": 7 }),
        json!({ "organizationId": "" }),
        json!({ "organizationId": "user_abc" }),
        json!({ "organizationId": "org_" }),
        json!({ "organizationId": "org_has space" }),
        json!({ "organizationId": format!("org_{}", "a".repeat(65)) }),
        json!({ "organizationID": org }),
    ] {
        let answer = ada.call(&s, Method::PUT, PATH, Some(body.clone())).await;
        assert_error(&answer, 400, "validation_failed");
    }

    // Someone else's organization and none at all answer the same: nothing leaks.
    assert_error(&set_active(&s, &ada, json!(eves)).await, 404, "not_found");
    assert_error(
        &set_active(&s, &ada, json!("org_doesnotexist")).await,
        404,
        "not_found",
    );
    assert_eq!(last_active(&s, &ada).await, Value::Null);

    // A suspended member is refused as everywhere in the organization.
    let bob = s.sign_up("bob@example.com").await;
    s.add_member(&ada, &org, &bob, "basic_member").await;
    let suspend = format!("/v1/organizations/{org}/memberships/{}/suspend", bob.id);
    let (status, body) = ada.call(&s, Method::POST, &suspend, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_error(
        &set_active(&s, &bob, json!(org)).await,
        403,
        "membership_suspended",
    );
    assert_eq!(last_active(&s, &bob).await, Value::Null);
    // A refusal keeps what was stored.
    assert_eq!(set_active(&s, &ada, json!(org)).await.0, StatusCode::OK);
    assert_error(&set_active(&s, &ada, json!(eves)).await, 404, "not_found");
    assert_eq!(last_active(&s, &ada).await, json!(org));
}

pub async fn a_lost_membership_clears_the_active_organization(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&ada, "Ada Co").await;
    s.add_member(&ada, &org, &bob, "basic_member").await;
    let member =
        |u: &User, tail: &str| format!("/v1/organizations/{org}/memberships/{}{tail}", u.id);

    // Suspended: null while suspended, back once reactivated.
    assert_eq!(set_active(&s, &bob, json!(org)).await.0, StatusCode::OK);
    let (status, body) = ada
        .call(&s, Method::POST, &member(&bob, "/suspend"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(last_active(&s, &bob).await, Value::Null);
    let (_, signed_in) = sign_in(&s, "bob@example.com").await;
    assert_eq!(signed_in["lastActiveOrganizationId"], Value::Null);
    let (status, body) = ada
        .call(&s, Method::POST, &member(&bob, "/reactivate"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(last_active(&s, &bob).await, json!(org));

    // Removed by an admin: null.
    let (status, body) = ada.call(&s, Method::DELETE, &member(&bob, ""), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(last_active(&s, &bob).await, Value::Null);
    assert_error(&set_active(&s, &bob, json!(org)).await, 404, "not_found");

    // Leaving: null.
    let carol = s.sign_up("carol@example.com").await;
    s.add_member(&ada, &org, &carol, "basic_member").await;
    assert_eq!(set_active(&s, &carol, json!(org)).await.0, StatusCode::OK);
    let (status, body) = carol
        .call(&s, Method::DELETE, &member(&carol, ""), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(last_active(&s, &carol).await, Value::Null);

    // The organization deleted: null, for its owner too.
    assert_eq!(set_active(&s, &ada, json!(org)).await.0, StatusCode::OK);
    assert_eq!(last_active(&s, &ada).await, json!(org));
    let (status, body) = s.delete_org(&ada, &org).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(last_active(&s, &ada).await, Value::Null);
    let (_, signed_in) = sign_in(&s, "ada@example.com").await;
    assert_eq!(signed_in["lastActiveOrganizationId"], Value::Null);
}
