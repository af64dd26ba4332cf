//! Limits and policies: `maxAllowedMemberships` on every join path and under a race for one
//! free seat, "one organization per account", and `--max-organizations-per-user`.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn link(s: &TestServer, admin: &User, org: &str) -> String {
    let (status, body) = admin
        .call(
            s,
            Method::POST,
            &format!("/v1/organizations/{org}/invite-links"),
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

async fn join_by_link(s: &TestServer, user: &User, token: &str) -> (StatusCode, Value) {
    user.call(
        s,
        Method::POST,
        "/v1/invite-links/accept",
        Some(json!({"token": token})),
    )
    .await
}

async fn file_request(s: &TestServer, user: &User, org: &str) -> (StatusCode, Value) {
    user.call(
        s,
        Method::POST,
        "/v1/join-requests",
        Some(json!({"organization": org})),
    )
    .await
}

async fn members(s: &TestServer, org: &str) -> i64 {
    s.count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", org)
        .await
}

pub async fn the_member_limit_holds_on_every_join_path(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Seats").await;
    let bob = s.verified_user("bob@example.com").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;

    // The setting: profile managers only, 0 to 1000000, on the organization's answer.
    let answer = s
        .update_org(&bob, &org, json!({"maxAllowedMemberships": 2}))
        .await;
    assert_error(&answer, 403, "forbidden");
    let answer = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 1_000_001}))
        .await;
    assert_error(&answer, 400, "validation_failed");
    let (status, body) = s
        .update_org(
            &admin,
            &org,
            json!({"maxAllowedMemberships": 2, "allowJoinRequests": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["maxAllowedMemberships"], 2);
    assert_eq!(s.audit_count("organization.member_limit_changed").await, 1);

    // Full: an invitation, a link and an accepted join request are each refused.
    let carol = s.verified_user("carol@example.com").await;
    let token = s.invite(&admin, &org, &carol.email, "basic_member").await;
    let refused = s.accept_invitation(&carol, &token).await;
    assert_error(&refused, 409, "membership_limit_reached");
    let link_token = link(&s, &admin, &org).await;
    let dave = s.verified_user("dave@example.com").await;
    assert_error(
        &join_by_link(&s, &dave, &link_token).await,
        409,
        "membership_limit_reached",
    );
    let erin = s.verified_user("erin@example.com").await;
    let (status, request) = file_request(&s, &erin, &org).await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    let id = request["id"].as_str().unwrap();
    let accept = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/join-requests/{id}/accept"),
            Some(json!({})),
        )
        .await;
    assert_error(&accept, 409, "membership_limit_reached");
    assert_eq!(members(&s, &org).await, 2, "nobody got in");

    // A seat frees up when someone leaves; 0 is unlimited.
    let (status, body) = bob
        .call(
            &s,
            Method::DELETE,
            &format!("/v1/organizations/{org}/memberships/me"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = s.accept_invitation(&carol, &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 0}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["maxAllowedMemberships"], 0);
    let (status, body) = join_by_link(&s, &dave, &link_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(members(&s, &org).await, 3);
}

pub async fn concurrent_joins_into_one_free_seat_give_one_member(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "One Seat").await;
    let (status, body) = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = link(&s, &admin, &org).await;
    let mut people = Vec::new();
    for i in 0..12 {
        people.push(s.verified_user(&format!("p{i}@example.com")).await);
    }
    let answers =
        futures::future::join_all(people.iter().map(|p| join_by_link(&s, p, &token))).await;
    let ok = answers.iter().filter(|a| a.0 == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    for answer in answers.iter().filter(|a| a.0 != StatusCode::OK) {
        assert_error(answer, 409, "membership_limit_reached");
    }
    assert_eq!(members(&s, &org).await, 2, "the admin and one more");
}

pub async fn one_organization_per_account(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.one_organization_per_account = true).await;
    let ada = s.sign_up("ada@example.com").await;
    let org_a = s.create_org(&ada, "A").await;
    let bob = s.verified_user("bob@example.com").await;
    let org_b = s.create_org(&bob, "B").await;
    // Creating a second organization, accepting an invitation, asking to join: refused.
    let (status, body) = bob
        .call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": "B2"})),
        )
        .await;
    assert_error(&(status, body), 409, "one_organization_per_account");
    let token = s.invite(&ada, &org_a, &bob.email, "basic_member").await;
    assert_error(
        &s.accept_invitation(&bob, &token).await,
        409,
        "one_organization_per_account",
    );
    let (status, body) = s
        .update_org(&ada, &org_a, json!({"allowJoinRequests": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_error(
        &file_request(&s, &bob, &org_a).await,
        409,
        "one_organization_per_account",
    );

    // A person in no organization joining two at once ends up in exactly one.
    let link_a = link(&s, &ada, &org_a).await;
    let link_b = link(&s, &bob, &org_b).await;
    for round in 0..3 {
        let carol = s.verified_user(&format!("carol{round}@example.com")).await;
        let (a, b) = tokio::join!(
            join_by_link(&s, &carol, &link_a),
            join_by_link(&s, &carol, &link_b)
        );
        let ok = [&a, &b].iter().filter(|x| x.0 == StatusCode::OK).count();
        assert_eq!(ok, 1, "{a:?} {b:?}");
        let refused = if a.0 == StatusCode::OK { &b } else { &a };
        assert_error(refused, 409, "one_organization_per_account");
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM memberships WHERE user_id = $1",
                &carol.id
            )
            .await,
            1
        );
    }
}

pub async fn organizations_per_user_are_limited(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.max_organizations_per_user = Some(2)).await;
    let ada = s.sign_up("ada@example.com").await;
    s.create_org(&ada, "One").await;
    s.create_org(&ada, "Two").await;
    let third = ada
        .call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": "Three"})),
        )
        .await;
    assert_error(&third, 409, "organization_limit_reached");
    // Five at once by a new person: two are made.
    let bob = s.sign_up("bob@example.com").await;
    let answers = futures::future::join_all((0..5).map(|i| {
        bob.call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": format!("Bob {i}")})),
        )
    }))
    .await;
    let made = answers
        .iter()
        .filter(|a| a.0 == StatusCode::CREATED)
        .count();
    assert_eq!(made, 2, "{answers:?}");
    for answer in answers.iter().filter(|a| a.0 != StatusCode::CREATED) {
        assert_error(answer, 409, "organization_limit_reached");
    }
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM organizations WHERE created_by = $1",
            &bob.id
        )
        .await,
        2
    );
}

/// A suspended member gives up their seat; reactivating them takes it back, so it is refused
/// while the organization is full.
pub async fn suspended_members_free_their_seat(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Seat Swap").await;
    let bob = s.verified_user("bob@example.com").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;
    let (status, body) = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = link(&s, &admin, &org).await;
    let carol = s.verified_user("carol@example.com").await;
    assert_error(
        &join_by_link(&s, &carol, &token).await,
        409,
        "membership_limit_reached",
    );

    let bob_path = |tail: &str| format!("/v1/organizations/{org}/memberships/{}{tail}", bob.id);
    let (status, body) = admin
        .call(&s, Method::POST, &bob_path("/suspend"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = join_by_link(&s, &carol, &token).await;
    assert_eq!(status, StatusCode::OK, "Bob's seat is free: {body}");

    let refused = admin
        .call(&s, Method::POST, &bob_path("/reactivate"), None)
        .await;
    assert_error(&refused, 409, "membership_limit_reached");
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND suspended_at IS NOT NULL",
            &org
        )
        .await,
        1,
        "Bob stays suspended"
    );
    let (status, body) = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 3}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = admin
        .call(&s, Method::POST, &bob_path("/reactivate"), None)
        .await;
    assert_eq!(
        (status, body["suspended"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{body}"
    );
    assert_eq!(members(&s, &org).await, 3);
}

pub async fn the_clerk_api_adds_no_member_past_the_limit(backend: Backend) {
    use crate::clerk::{create_key, user, Clerk};
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Clerk Seats").await;
    let (status, body) = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 1}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "ci"),
    };
    let member = user(&clerk, "member@example.com").await;
    let add = json!({"user_id": member, "role": "org:member"});
    let path = format!("/organizations/{org}/memberships");
    let refused = clerk.call(Method::POST, &path, Some(add.clone())).await;
    refused.refused(409, "request_refused");
    assert_eq!(members(&s, &org).await, 1);
    let (status, body) = s
        .update_org(&admin, &org, json!({"maxAllowedMemberships": 2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    clerk.call(Method::POST, &path, Some(add)).await.ok();
    assert_eq!(members(&s, &org).await, 2);
}

pub async fn sso_adds_no_member_past_the_limit(backend: Backend) {
    use crate::sso_sign_in::{setup, sign_in};
    let s = setup(backend).await;
    let (status, body) = s
        .server
        .update_org(&s.admin, &s.org, json!({"maxAllowedMemberships": 1}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (done, _) = sign_in(&s.server, &s.slug, "ann@acme.test", None).await;
    assert_eq!(done.status, StatusCode::CONFLICT, "{done:?}");
    assert_eq!(done.body["error"]["code"], "membership_limit_reached");
    assert!(done.set_cookie.is_none());
    assert_eq!(
        members(&s.server, &s.org).await,
        1,
        "nobody joined just in time"
    );
    assert_eq!(
        s.server
            .count(
                "SELECT COUNT(*) FROM users WHERE email = $1",
                "ann@acme.test"
            )
            .await,
        0,
        "the sign-in's records were rolled back"
    );
}
