//! Domain enrollment modes: the automatic-invitation backfill (and its race with users
//! verifying their addresses), and suggestions.

use crate::domains::{added, org_with_verified_domain, path};
use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn set_mode(
    s: &TestServer,
    admin: &User,
    org: &str,
    domain: &str,
    mode: &str,
    delete_pending: bool,
) -> (StatusCode, Value) {
    admin
        .call(
            s,
            Method::PATCH,
            &path(org, domain, ""),
            Some(json!({ "enrollmentMode": mode, "deletePending": delete_pending })),
        )
        .await
}

async fn my_invitations(s: &TestServer, user: &User) -> Vec<Value> {
    let (status, body) = user.call(s, Method::GET, "/v1/me/invitations", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"].as_array().unwrap().clone()
}

pub async fn automatic_invitation_backfills_and_follows_verification(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, org, id) = org_with_verified_domain(&s, "acme.test").await;
    let ready = s.verified_user("ready@acme.test").await;
    let later = s.sign_up("later@acme.test").await;
    let elsewhere = s.verified_user("someone@else.test").await;
    let member = s.verified_user("member@acme.test").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let invited = s.verified_user("invited@acme.test").await;
    s.invite(&admin, &org, &invited.email, "basic_member").await;

    // Switching needs a verified domain.
    let unverified = added(&s, &admin, &org, "unverified.test").await;
    assert_error(
        &set_mode(&s, &admin, &org, &unverified, "automatic_invitation", false).await,
        409,
        "domain_not_verified",
    );
    assert_error(
        &set_mode(&s, &member, &org, &id, "automatic_invitation", false).await,
        403,
        "forbidden",
    );

    let (status, body) = set_mode(&s, &admin, &org, &id, "automatic_invitation", false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["enrollmentMode"], "automatic_invitation");
    assert_eq!(body["pendingInvitations"], 1, "{body}");
    let mine = my_invitations(&s, &ready).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["organizationId"], org.as_str());
    assert_eq!(mine[0]["role"], "basic_member");
    assert!(my_invitations(&s, &elsewhere).await.is_empty());
    assert_eq!(my_invitations(&s, &invited).await.len(), 1);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM invitations WHERE email = $1",
            "member@acme.test"
        )
        .await,
        1,
        "the member's own accepted invitation only"
    );

    // Verifying an address later invites too.
    assert_eq!(s.verify_email(&later.email).await.0, StatusCode::OK);
    assert_eq!(my_invitations(&s, &later).await.len(), 1);

    // Accepting one by id makes a member.
    let accept = ready
        .call(
            &s,
            Method::POST,
            &format!(
                "/v1/me/invitations/{}/accept",
                mine[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(accept.0, StatusCode::OK, "{}", accept.1);

    // Switching again does not invite twice; back to manual with deletePending revokes.
    let (_, body) = set_mode(&s, &admin, &org, &id, "automatic_invitation", false).await;
    assert_eq!(body["pendingInvitations"], 1, "{body}");
    let (_, body) = set_mode(&s, &admin, &org, &id, "manual_invitation", true).await;
    assert_eq!(body["pendingInvitations"], 0, "{body}");
    assert!(my_invitations(&s, &later).await.is_empty());
    assert_eq!(
        my_invitations(&s, &invited).await.len(),
        1,
        "manual invitations stay"
    );
    assert!(
        s.count(
            "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action = 'domain.enrollment_mode_changed'",
            &org
        )
        .await
            >= 3
    );
}

pub async fn backfill_and_verification_race_to_one_invitation_each(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, org, id) = org_with_verified_domain(&s, "race.test").await;
    const USERS: usize = 12;
    let mut tokens = Vec::new();
    for i in 0..USERS {
        let email = format!("u{i}@race.test");
        s.sign_up(&email).await;
        tokens.push((email.clone(), s.last_token(&email).await));
    }
    let s = &s;
    let verifying = tokens
        .iter()
        .map(|(_, token)| async move { s.verify_email_token(token).await });
    let switching = set_mode(s, &admin, &org, &id, "automatic_invitation", false);
    let (verified, switched) = tokio::join!(futures::future::join_all(verifying), switching);
    assert_eq!(switched.0, StatusCode::OK, "{}", switched.1);
    for (status, body) in verified {
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    for (email, _) in &tokens {
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM invitations WHERE email = $1 AND status = 'pending'",
                email
            )
            .await,
            1,
            "{email}"
        );
    }
}

pub async fn suggestions_are_listed_and_accepted(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, org, id) = org_with_verified_domain(&s, "suggest.test").await;
    let user = s.verified_user("user@suggest.test").await;
    let unverified = s.sign_up("new@suggest.test").await;
    let suggestions = |u: &User| {
        let (s, u) = (&s, u.clone());
        async move {
            let (status, body) = u.call(s, Method::GET, "/v1/me/suggestions", None).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["data"].as_array().unwrap().clone()
        }
    };
    assert!(
        suggestions(&user).await.is_empty(),
        "manual mode suggests nothing"
    );
    let (status, body) = set_mode(&s, &admin, &org, &id, "automatic_suggestion", false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = suggestions(&user).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["organizationId"], org.as_str());
    assert_eq!(listed[0]["domainName"], "suggest.test");
    assert!(suggestions(&unverified).await.is_empty());
    assert!(
        suggestions(&admin).await.is_empty(),
        "members are not suggested"
    );

    let accept = |u: &User, domain: &str| {
        let (s, u, p) = (&s, u.clone(), format!("/v1/me/suggestions/{domain}/accept"));
        async move { u.call(s, Method::POST, &p, None).await }
    };
    assert_error(&accept(&unverified, &id).await, 404, "not_found");
    assert_error(&accept(&user, "dom_unknown").await, 404, "not_found");
    let (status, body) = accept(&user, &id).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["joinRequestId"].as_str().unwrap().starts_with("jrq_"));
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM join_requests WHERE source = 'suggestion' AND status = 'pending' AND org_id = $1",
            &org
        )
        .await,
        1
    );
    assert!(suggestions(&user).await.is_empty(), "asked already");
    assert_error(&accept(&user, &id).await, 409, "already_requested");
    assert_error(&accept(&admin, &id).await, 409, "already_member");

    // Leaving the mode with deletePending withdraws the request.
    set_mode(&s, &admin, &org, &id, "manual_invitation", true).await;
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM join_requests WHERE status = 'withdrawn' AND org_id = $1",
            &org
        )
        .await,
        1
    );
}
