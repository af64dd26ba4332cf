//! Every error code, each earned by the request that should earn it.

use crate::harness::{assert_error, Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub async fn authentication_errors(backend: Backend) {
    let s = TestServer::start(backend).await;
    assert_error(
        &s.raw(Method::GET, "/v1/me", None, None).await,
        401,
        "unauthenticated",
    );
    assert_error(
        &s.raw(Method::GET, "/v1/me", Some("not-a-session"), None)
            .await,
        401,
        "unauthenticated",
    );
    assert_error(
        &s.raw(
            Method::POST,
            "/v1/organizations",
            None,
            Some(json!({"name": "X"})),
        )
        .await,
        401,
        "unauthenticated",
    );
    s.sign_up("ada@example.com").await;
    let again = s.raw(Method::POST, "/v1/auth/sign-up", None, Some(json!({"emailAddress": "ADA@example.com", "password": "another one", "name": "Ada"}))).await;
    assert_error(&again, 409, "email_taken");
    let wrong = s
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "ada@example.com", "password": "wrong password"})),
        )
        .await;
    assert_error(&wrong, 401, "invalid_credentials");
    let nobody = s
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "nobody@example.com", "password": "whatever1"})),
        )
        .await;
    assert_error(&nobody, 401, "invalid_credentials");
    assert_eq!(
        wrong.1["error"]["message"], nobody.1["error"]["message"],
        "no hint whether the account exists"
    );
}

pub async fn validation_errors(backend: Backend) {
    let s = TestServer::start(backend).await;
    let sign_up = |email: &str, password: &str, name: &str| json!({"emailAddress": email, "password": password, "name": name});
    for body in [
        sign_up("not-an-email", "long enough", "N"),
        sign_up("a@x.io", "short", "N"),
        sign_up("a@x.io", "long enough", "  "),
    ] {
        assert_error(
            &s.raw(Method::POST, "/v1/auth/sign-up", None, Some(body))
                .await,
            400,
            "validation_failed",
        );
    }
    let ada = s.sign_up("ada@example.com").await;
    for body in [
        json!({"name": ""}),
        json!({"name": "x".repeat(257)}),
        json!({"name": "ok", "slug": "Bad Slug"}),
        json!({"nom": "missing"}),
    ] {
        assert_error(
            &ada.call(&s, Method::POST, "/v1/organizations", Some(body))
                .await,
            400,
            "validation_failed",
        );
    }
    // A malformed body gets the same shape.
    let response = s
        .client
        .post(format!("{}/v1/organizations", s.url))
        .bearer_auth(&ada.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    let response = s
        .client
        .post(format!("{}/v1/organizations", s.url))
        .bearer_auth(&ada.token)
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let org = s.create_org(&ada, "Valid").await;
    for query in ["limit=0", "limit=101", "limit=abc", "after=nonsense"] {
        assert_error(
            &ada.call(
                &s,
                Method::GET,
                &format!("/v1/organizations/{org}/memberships?{query}"),
                None,
            )
            .await,
            400,
            "validation_failed",
        );
    }
    let invite = s.send_invitation(&ada, &org, "nope", "basic_member").await;
    assert_error(&invite, 400, "validation_failed");
    let neither = ada
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/invitations"),
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_error(&neither, 400, "validation_failed");
    // Unknown routes answer in the same shape.
    assert_error(
        &s.raw(Method::GET, "/v1/nothing-here", None, None).await,
        404,
        "not_found",
    );
}

pub async fn membership_errors(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let org = s.create_org(&admin, "Roles").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let path = |user: &str| format!("/v1/organizations/{org}/memberships/{user}");

    // The last admin can be neither demoted, removed nor leave.
    assert_error(
        &admin
            .call(
                &s,
                Method::PATCH,
                &path(&admin.id),
                Some(json!({"role": "basic_member"})),
            )
            .await,
        409,
        "last_admin",
    );
    assert_error(
        &admin.call(&s, Method::DELETE, &path(&admin.id), None).await,
        409,
        "last_admin",
    );
    // A basic member may not change roles nor remove anyone.
    assert_error(
        &member
            .call(
                &s,
                Method::PATCH,
                &path(&admin.id),
                Some(json!({"role": "basic_member"})),
            )
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &member
            .call(
                &s,
                Method::PATCH,
                &path(&member.id),
                Some(json!({"role": "admin"})),
            )
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &member
            .call(&s, Method::DELETE, &path(&admin.id), None)
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &s.update_org(&member, &org, json!({"name": "Mine now"}))
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &member
            .call(
                &s,
                Method::GET,
                &format!("/v1/organizations/{org}/invitations"),
                None,
            )
            .await,
        403,
        "forbidden",
    );
    // A role must exist.
    assert_error(
        &admin
            .call(
                &s,
                Method::PATCH,
                &path(&member.id),
                Some(json!({"role": "owner"})),
            )
            .await,
        422,
        "unknown_role",
    );
    // An unknown member.
    assert_error(
        &admin
            .call(
                &s,
                Method::PATCH,
                &path("user_nobody"),
                Some(json!({"role": "admin"})),
            )
            .await,
        404,
        "not_found",
    );
    // With a second admin, the first may step down.
    let (status, _) = admin
        .call(
            &s,
            Method::PATCH,
            &path(&member.id),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = admin
        .call(
            &s,
            Method::PATCH,
            &path(&admin.id),
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_error(
        &member
            .call(&s, Method::DELETE, &path(&member.id), None)
            .await,
        409,
        "last_admin",
    );
}

pub async fn invitation_errors(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    let org = s.create_org(&admin, "Invitations").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let invite = |email: &str, role: &str| {
        (
            format!("/v1/organizations/{org}/invitations"),
            json!({"emailAddress": email, "role": role}),
        )
    };

    let (p, b) = invite("member@example.com", "basic_member");
    assert_error(
        &admin.call(&s, Method::POST, &p, Some(b)).await,
        409,
        "already_member",
    );
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let (p, b) = invite("BOB@example.com", "admin");
    assert_error(
        &admin.call(&s, Method::POST, &p, Some(b)).await,
        409,
        "already_invited",
    );
    let (p, b) = invite("carol@example.com", "owner");
    assert_error(
        &admin.call(&s, Method::POST, &p, Some(b)).await,
        422,
        "unknown_role",
    );
    let (p, b) = invite("carol@example.com", "basic_member");
    assert_error(
        &member.call(&s, Method::POST, &p, Some(b)).await,
        403,
        "forbidden",
    );

    // Someone else cannot use Bob's invitation.
    assert_error(
        &s.accept_invitation(&eve, &token).await,
        403,
        "wrong_recipient",
    );
    assert_error(
        &s.accept_invitation(&eve, "made-up").await,
        404,
        "not_found",
    );
    // Once accepted, it cannot be accepted again.
    let bob = s.sign_up("bob@example.com").await;
    let (status, _) = s.accept_invitation(&bob, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_error(
        &s.accept_invitation(&bob, &token).await,
        409,
        "invitation_not_pending",
    );
    // Accepting needs a session.
    assert_error(
        &s.raw(
            Method::POST,
            "/v1/invitations/accept",
            None,
            Some(json!({"token": token})),
        )
        .await,
        401,
        "unauthenticated",
    );
}

pub async fn expired_invitations(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.invitation_ttl_seconds = 0).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&admin, "Expiring").await;
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    assert_error(
        &s.accept_invitation(&bob, &token).await,
        409,
        "invitation_expired",
    );
    let (_, expired) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/invitations?status=expired"),
            None,
        )
        .await;
    assert_eq!(expired["data"][0]["status"], "expired");
    // An expired invitation does not block a new one.
    let (status, body) = s
        .send_invitation(&admin, &org, "bob@example.com", "basic_member")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

pub async fn rate_limits(backend: Backend) {
    let s = TestServer::start_with(backend, |c| {
        c.sign_in_limit_per_minute = 2;
        c.invite_limit_per_minute = 3;
    })
    .await;
    crate::harness::clear_of_a_minute_boundary().await;
    let admin = s.sign_up("admin@example.com").await;
    let attempt = json!({"emailAddress": "admin@example.com", "password": "wrong password"});
    for _ in 0..2 {
        assert_error(
            &s.raw(
                Method::POST,
                "/v1/auth/sign-in",
                None,
                Some(attempt.clone()),
            )
            .await,
            401,
            "invalid_credentials",
        );
    }
    let limited = s
        .client
        .post(format!("{}/v1/auth/sign-in", s.url))
        .json(&attempt)
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    let body: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");

    let org = s.create_org(&admin, "Limited").await;
    let path = format!("/v1/organizations/{org}/invitations");
    let (status, _) = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddresses": "a@x.io, b@x.io", "role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let over = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddresses": "c@x.io, d@x.io", "role": "basic_member"})),
        )
        .await;
    assert_error(&over, 429, "rate_limited");
    let (status, _) = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddress": "c@x.io", "role": "basic_member"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a refused attempt is not counted"
    );
}

pub async fn cross_organization_access(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org_a = s.create_org(&ada, "A").await;
    let org_b = s.create_org(&bob, "B").await;
    s.invite(&ada, &org_a, "carol@example.com", "basic_member")
        .await;
    let (_, pending) = ada
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_a}/invitations"),
            None,
        )
        .await;
    let inv = pending["data"][0]["id"].as_str().unwrap();

    // Bob, admin of B, can neither read nor change A: A does not exist for him.
    let cases = [
        (Method::GET, format!("/v1/organizations/{org_a}"), None),
        (
            Method::PATCH,
            format!("/v1/organizations/{org_a}"),
            Some(json!({"name": "Hijacked"})),
        ),
        (Method::DELETE, format!("/v1/organizations/{org_a}"), None),
        (
            Method::GET,
            format!("/v1/organizations/{org_a}/memberships"),
            None,
        ),
        (
            Method::PATCH,
            format!("/v1/organizations/{org_a}/memberships/{}", ada.id),
            Some(json!({"role": "basic_member"})),
        ),
        (
            Method::DELETE,
            format!("/v1/organizations/{org_a}/memberships/{}", ada.id),
            None,
        ),
        (
            Method::POST,
            format!("/v1/organizations/{org_a}/invitations"),
            Some(json!({"emailAddress": "x@y.io", "role": "admin"})),
        ),
        (
            Method::GET,
            format!("/v1/organizations/{org_a}/invitations"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/organizations/{org_a}/invitations/{inv}/revoke"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/organizations/{org_a}/invitations/{inv}/resend"),
            None,
        ),
        // A's invitation addressed through B's path.
        (
            Method::POST,
            format!("/v1/organizations/{org_b}/invitations/{inv}/revoke"),
            None,
        ),
    ];
    for (method, path, body) in cases {
        let answer = bob.call(&s, method.clone(), &path, body).await;
        assert_error(&answer, 404, "not_found");
    }
    // Nothing changed.
    let (_, org) = ada
        .call(&s, Method::GET, &format!("/v1/organizations/{org_a}"), None)
        .await;
    assert_eq!(org["name"], "A");
    let (_, pending) = ada
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_a}/invitations"),
            None,
        )
        .await;
    assert_eq!(pending["data"][0]["status"], "pending");
}

/// A database outage answers `503 unavailable` with `Retry-After`, never `500`, and the
/// server recovers as soon as the database is back.
pub async fn database_outages_answer_unavailable(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let org = s.create_org(&ada, "Outage").await;
    let recoverable = s.start_outage().await;
    for (method, path, body) in [
        (Method::GET, format!("/v1/organizations/{org}"), None),
        (
            Method::POST,
            "/v1/organizations".to_owned(),
            Some(json!({"name": "Lost"})),
        ),
    ] {
        let response = s
            .client
            .request(method, format!("{}{path}", s.url))
            .bearer_auth(&ada.token)
            .json(&body.unwrap_or(json!({})))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 503, "{path}");
        assert_eq!(response.headers()["retry-after"], "1");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unavailable", "{body}");
    }
    if recoverable {
        s.end_outage().await;
        let (status, body) = ada
            .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            s.count("SELECT COUNT(*) FROM organizations WHERE name = $1", "Lost")
                .await,
            0
        );
    }
}

/// A verification link past its lifetime gets its own code, and verifies nothing.
pub async fn expired_verification_links(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let token = s.last_token("ada@example.com").await;
    sqlx::query("UPDATE email_verifications SET expires_at = 0 WHERE user_id = $1")
        .bind(&ada.id)
        .execute(&s.state.db.pool)
        .await
        .unwrap();
    let answer = s.verify_email_token(&token).await;
    assert_error(&answer, 409, "verification_token_expired");
    let (_, me) = ada.call(&s, Method::GET, "/v1/me", None).await;
    assert_eq!(me["emailVerified"], false, "{me}");
}

/// Sign-up is limited per client address, and every path that sends mail (sign-up,
/// invitation, resend) is limited per address mailed, so nobody can make the server mail one
/// address over and over. A refused attempt counts against neither limit.
///
/// The limits count per clock minute, so a scenario that straddles a minute boundary proves
/// nothing: it is run again on a fresh server (at most three times).
pub async fn mail_rate_limits(backend: Backend) {
    let minute = || {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.unwrap().as_secs() / 60
    };
    for _ in 0..3 {
        let started = minute();
        let outcome = mail_rate_limit_scenario(backend.clone()).await;
        if minute() == started {
            let expected = [
                ("first resend", 200, ""),
                ("second resend", 429, "rate_limited"),
                ("sign-up as the victim", 429, "rate_limited"),
                ("sign-up c", 201, ""),
                ("sign-up d", 201, ""),
                ("sign-up e", 429, "rate_limited"),
            ];
            assert_eq!(outcome, expected.map(|(a, b, c)| (a, b, c.to_owned())));
            return;
        }
    }
    panic!("three runs in a row straddled a minute boundary");
}

/// Runs the mail limits' scenario; answers (step, status, error code) for each step.
async fn mail_rate_limit_scenario(backend: Backend) -> Vec<(&'static str, u16, String)> {
    let s = TestServer::start_with(backend, |c| {
        c.sign_up_limit_per_minute = 3;
        c.mail_to_address_limit_per_minute = 2;
    })
    .await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Mailer").await;
    s.invite(&admin, &org, "victim@example.com", "basic_member")
        .await;
    let path = format!("/v1/organizations/{org}/invitations");
    let (_, pending) = admin.call(&s, Method::GET, &path, None).await;
    let id = pending["data"][0]["id"].as_str().unwrap();
    let resend = format!("{path}/{id}/resend");
    let mut outcome = Vec::new();
    let mut record = |step, (status, body): (StatusCode, Value)| {
        let code = body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        outcome.push((step, status.as_u16(), code));
    };
    // Two emails to the victim this minute (the invitation, one resend): a third, by any
    // path, is refused.
    record(
        "first resend",
        admin.call(&s, Method::POST, &resend, None).await,
    );
    record(
        "second resend",
        admin.call(&s, Method::POST, &resend, None).await,
    );
    let sign_up = |email: &str| {
        let body = json!({"emailAddress": email, "password": "correct horse", "name": "V"});
        s.raw(Method::POST, "/v1/auth/sign-up", None, Some(body))
    };
    record("sign-up as the victim", sign_up("victim@example.com").await);
    // The refused sign-up did not spend the client address: two more fit, the next does not.
    record("sign-up c", sign_up("c@example.com").await);
    record("sign-up d", sign_up("d@example.com").await);
    record("sign-up e", sign_up("e@example.com").await);
    outcome
}

/// A token of a shape the server never issues is unknown on every endpoint that takes one, as
/// the rule book's `TokenKind` says (the SDK refuses the same strings without a request).
pub async fn malformed_tokens_are_unknown(backend: Backend) {
    use orgkit_core::secret::TokenKind;
    let s = TestServer::start(backend).await;
    let ada = s.verified_user("ada@example.com").await;
    let padded = format!("{}=", "A".repeat(42));
    for token in ["", "token", &"A".repeat(44), &padded] {
        let body = Some(json!({"token": token}));
        let password = Some(json!({"token": token, "password": "a brand new secret"}));
        let answers = [
            (
                s.raw(Method::POST, "/v1/auth/verify-email", None, body.clone())
                    .await,
                TokenKind::Verification,
            ),
            (
                s.raw(Method::POST, "/v1/invitations/preview", None, body.clone())
                    .await,
                TokenKind::Invitation,
            ),
            (
                s.accept_invitation(&ada, token).await,
                TokenKind::Invitation,
            ),
            (
                ada.call(&s, Method::POST, "/v1/invitations/decline", body.clone())
                    .await,
                TokenKind::Invitation,
            ),
            (
                s.raw(Method::POST, "/v1/invite-links/preview", None, body.clone())
                    .await,
                TokenKind::InviteLink,
            ),
            (
                ada.call(&s, Method::POST, "/v1/invite-links/accept", body.clone())
                    .await,
                TokenKind::InviteLink,
            ),
            (
                s.raw(Method::POST, "/v1/auth/password/reset", None, password)
                    .await,
                TokenKind::PasswordReset,
            ),
        ];
        for (answer, kind) in answers {
            assert_error(&answer, 404, "not_found");
            assert_eq!(answer.1["error"]["message"], kind.not_found(), "{token:?}");
        }
    }
}
