//! Setting or resetting a password through a mailed, single-use link: forgot → mail → reset →
//! signed in; single use; expiry; no account enumeration; accounts made without a password.

use crate::clerk::{create_key, user as clerk_user, Clerk};
use crate::harness::{assert_error, sha256_hex, Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn forgot(s: &TestServer, email: &str) -> (StatusCode, Value) {
    s.raw(
        Method::POST,
        "/v1/auth/password/forgot",
        None,
        Some(json!({ "emailAddress": email })),
    )
    .await
}

async fn reset(s: &TestServer, token: &str, password: &str) -> (StatusCode, Value) {
    s.raw(
        Method::POST,
        "/v1/auth/password/reset",
        None,
        Some(json!({ "token": token, "password": password })),
    )
    .await
}

async fn sign_in(s: &TestServer, email: &str, password: &str) -> (StatusCode, Value) {
    s.raw(
        Method::POST,
        "/v1/auth/sign-in",
        None,
        Some(json!({ "emailAddress": email, "password": password })),
    )
    .await
}

pub async fn forgot_mail_reset_then_sign_in(backend: Backend) {
    let s = TestServer::start(backend).await;
    let user = s.sign_up("pat@example.com").await;
    let old_session = user.token.clone();
    let answer = forgot(&s, "pat@example.com").await;
    assert_eq!(answer.0, StatusCode::ACCEPTED, "{}", answer.1);
    let link = s.last_link("pat@example.com").await;
    assert!(
        link.starts_with(&format!("{}/reset-password?token=", s.url)),
        "{link}"
    );
    let token = s.last_token("pat@example.com").await;
    // Stored hashed only.
    let stored = s
        .count(
            "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1",
            &sha256_hex(&token),
        )
        .await;
    assert_eq!(stored, 1);

    assert_error(&reset(&s, &token, "short").await, 400, "validation_failed");
    let (status, body) = reset(&s, &token, "a brand new secret").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["emailAddress"], "pat@example.com");
    assert_eq!(
        body["user"]["emailVerified"], true,
        "the mailbox was proven"
    );
    let new_session = body["token"].as_str().unwrap().to_owned();
    let (status, _) = s.raw(Method::GET, "/v1/me", Some(&new_session), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = s.raw(Method::GET, "/v1/me", Some(&old_session), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old session is gone");

    assert_error(
        &sign_in(&s, "pat@example.com", "correct horse").await,
        401,
        "invalid_credentials",
    );
    let (status, body) = sign_in(&s, "pat@example.com", "a brand new secret").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Single use.
    assert_error(
        &reset(&s, &token, "another secret!").await,
        409,
        "verification_token_used",
    );
    let (status, _) = sign_in(&s, "pat@example.com", "another secret!").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

pub async fn expired_and_unknown_links_are_refused(backend: Backend) {
    let s = TestServer::start(backend).await;
    s.sign_up("lee@example.com").await;
    let (status, _) = forgot(&s, "lee@example.com").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let token = s.last_token("lee@example.com").await;
    sqlx::query("UPDATE password_resets SET expires_at = 1 WHERE token_hash = $1")
        .bind(sha256_hex(&token))
        .execute(&s.state.db.pool)
        .await
        .unwrap();
    assert_error(
        &reset(&s, &token, "a brand new secret").await,
        409,
        "verification_token_expired",
    );
    let unknown = "A".repeat(43);
    assert_error(
        &reset(&s, &unknown, "a brand new secret").await,
        404,
        "not_found",
    );
    let (status, _) = sign_in(&s, "lee@example.com", "correct horse").await;
    assert_eq!(status, StatusCode::OK, "the password is unchanged");
}

pub async fn unknown_addresses_get_the_same_answer_and_no_mail(backend: Backend) {
    let s = TestServer::start(backend).await;
    s.sign_up("known@example.com").await;
    let known = forgot(&s, "known@example.com").await;
    let unknown = forgot(&s, "nobody@example.com").await;
    assert_eq!(known, unknown);
    assert_eq!(known.0, StatusCode::ACCEPTED);
    assert!(s.mailbox("nobody@example.com").await.is_empty());
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM password_resets WHERE email = $1",
            "nobody@example.com"
        )
        .await,
        0
    );
    assert_error(
        &forgot(&s, "not an address").await,
        400,
        "validation_failed",
    );
}

pub async fn forgot_is_rate_limited(backend: Backend) {
    crate::harness::clear_of_a_minute_boundary().await;
    let s = TestServer::start_with(backend, |c| c.sign_in_limit_per_minute = 2).await;
    for _ in 0..2 {
        let (status, _) = forgot(&s, "nobody@example.com").await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    assert_error(&forgot(&s, "nobody@example.com").await, 429, "rate_limited");
}

pub async fn a_clerk_made_user_sets_a_password(backend: Backend) {
    let s = TestServer::start(backend).await;
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "ci"),
    };
    clerk_user(&clerk, "made@example.com").await;
    let (status, _) = forgot(&s, "made@example.com").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let token = s.last_token("made@example.com").await;
    let (status, body) = reset(&s, &token, "my first password").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = sign_in(&s, "made@example.com", "my first password").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["emailAddress"], "made@example.com");
}

/// An address whose domain requires SSO gets no link, and a link mailed before SSO was
/// required no longer sets a password (`sso_required`).
pub async fn a_domain_that_requires_sso_gets_no_password(backend: Backend) {
    let s = crate::sso_sign_in::setup(backend).await;
    let server = &s.server;
    let (status, _) = forgot(server, "admin@acme.test").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let token = server.last_token("admin@acme.test").await;
    let answer = server
        .update_org(&s.admin, &s.org, json!({"requireSso": true}))
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    assert_error(
        &reset(server, &token, "a brand new secret").await,
        403,
        "sso_required",
    );
    let before = server.mailbox("admin@acme.test").await.len();
    let (status, _) = forgot(server, "admin@acme.test").await;
    assert_eq!(status, StatusCode::ACCEPTED, "the same answer");
    assert_eq!(
        server.mailbox("admin@acme.test").await.len(),
        before,
        "no new link"
    );
    let unused = server
        .count(
            "SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL AND email = $1",
            "admin@acme.test",
        )
        .await;
    assert_eq!(unused, 1, "only the first link, still unused");
}
