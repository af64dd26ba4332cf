//! Join requests: the setting, filing, the admins' list, accepting, rejecting, withdrawing,
//! the emails, and decisions racing each other.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A server whose mail limits do not get in the way of many requests a minute.
async fn roomy(backend: Backend) -> TestServer {
    TestServer::start_with(backend, |c| {
        c.mail_to_address_limit_per_minute = 1000;
        c.sign_up_limit_per_minute = 1000;
    })
    .await
}

async fn allow(s: &TestServer, admin: &User, org: &str, on: bool) -> (StatusCode, Value) {
    s.update_org(admin, org, json!({"allowJoinRequests": on}))
        .await
}

async fn file(
    s: &TestServer,
    user: &User,
    org: &str,
    message: Option<&str>,
) -> (StatusCode, Value) {
    let mut body = json!({"organization": org});
    if let Some(m) = message {
        body["message"] = json!(m);
    }
    user.call(s, Method::POST, "/v1/join-requests", Some(body))
        .await
}

async fn decide(
    s: &TestServer,
    admin: &User,
    org: &str,
    id: &str,
    verb: &str,
) -> (StatusCode, Value) {
    let body = (verb == "accept").then(|| json!({}));
    admin
        .call(
            s,
            Method::POST,
            &format!("/v1/organizations/{org}/join-requests/{id}/{verb}"),
            body,
        )
        .await
}

/// The subjects of the mail to `to`, newest first.
async fn subjects(s: &TestServer, to: &str) -> Vec<String> {
    s.mailbox(to)
        .await
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn join_requests_from_asking_to_deciding(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.verified_user("admin@example.com").await;
    let org = s.create_org(&admin, "Acme Labs").await;
    let (_, body) = admin
        .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
        .await;
    assert_eq!(body["allowJoinRequests"], false, "{body}");
    let slug = body["slug"].as_str().unwrap().to_owned();
    let carol = s.sign_up("carol@example.com").await;
    s.add_member(&admin, &org, &carol, "basic_member").await;
    let bob = s.sign_up("bob@example.com").await;

    // Off by default: asking tells nothing but that.
    assert_error(
        &file(&s, &bob, &slug, None).await,
        403,
        "join_requests_disabled",
    );
    assert_error(
        &file(&s, &bob, &org, None).await,
        403,
        "join_requests_disabled",
    );
    assert_error(&file(&s, &bob, "no-such-org", None).await, 404, "not_found");

    // The setting needs org:requests:manage.
    assert_error(&allow(&s, &carol, &org, true).await, 403, "forbidden");
    assert_error(&allow(&s, &bob, &org, true).await, 404, "not_found");
    let (status, body) = allow(&s, &admin, &org, true).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["allowJoinRequests"], true, "{body}");
    assert_eq!(body["name"], "Acme Labs");
    assert_eq!(s.audit_count("organization.join_requests_changed").await, 1);
    let (_, body) = admin
        .call(&s, Method::GET, "/v1/me/memberships", None)
        .await;
    assert_eq!(
        body["data"][0]["organization"]["allowJoinRequests"], true,
        "{body}"
    );

    // Filing: a verified address, not a member, one pending request, a short message.
    assert_error(
        &file(&s, &bob, &slug, None).await,
        403,
        "email_not_verified",
    );
    let dave = s.verified_user("dave@example.com").await;
    let long = "x".repeat(501);
    assert_error(
        &file(&s, &dave, &slug, Some(&long)).await,
        400,
        "validation_failed",
    );
    assert_error(&file(&s, &admin, &slug, None).await, 409, "already_member");
    let (status, request) = file(
        &s,
        &dave,
        &slug,
        Some("  Hello, I work on the robot team.  "),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    assert_eq!(request["status"], "pending");
    assert_eq!(request["source"], "request");
    assert_eq!(request["message"], "Hello, I work on the robot team.");
    assert_eq!(request["organizationName"], "Acme Labs");
    assert_eq!(request["publicUserData"]["identifier"], "dave@example.com");
    assert_eq!(request["role"], Value::Null);
    let id = request["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("jrq_"), "{id}");
    assert_error(&file(&s, &dave, &org, None).await, 409, "already_requested");
    assert_eq!(s.audit_count("join_request.filed").await, 1);
    // The admin heard of it; the basic member did not.
    let admin_mail = subjects(&s, "admin@example.com").await;
    assert_eq!(
        admin_mail[0], "dave asks to join Acme Labs",
        "{admin_mail:?}"
    );
    assert!(!subjects(&s, "carol@example.com")
        .await
        .iter()
        .any(|m| m.contains("asks to join")));

    // Mine.
    let (status, mine) = dave
        .call(&s, Method::GET, "/v1/me/join-requests", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["data"][0]["id"], id.as_str());

    // The admins' routes: not for a basic member, nor for someone outside.
    let list = format!("/v1/organizations/{org}/join-requests");
    assert_error(
        &carol.call(&s, Method::GET, &list, None).await,
        403,
        "forbidden",
    );
    assert_error(
        &dave.call(&s, Method::GET, &list, None).await,
        404,
        "not_found",
    );
    assert_error(
        &decide(&s, &carol, &org, &id, "accept").await,
        403,
        "forbidden",
    );
    assert_error(
        &decide(&s, &carol, &org, &id, "reject").await,
        403,
        "forbidden",
    );
    assert_error(
        &decide(&s, &dave, &org, &id, "accept").await,
        404,
        "not_found",
    );
    let other_org = s.create_org(&carol, "Elsewhere").await;
    assert_error(
        &decide(&s, &carol, &other_org, &id, "accept").await,
        404,
        "not_found",
    );
    assert_error(
        &admin
            .call(&s, Method::GET, &format!("{list}?after=jrq_x"), None)
            .await,
        400,
        "validation_failed",
    );
    assert_error(
        &admin
            .call(&s, Method::GET, &format!("{list}?status=maybe"), None)
            .await,
        400,
        "validation_failed",
    );
    let (status, page) = admin.call(&s, Method::GET, &list, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"][0]["id"], id.as_str());
    assert_eq!(page["data"][0]["publicUserData"]["name"], "dave");
    assert_eq!(page["nextCursor"], Value::Null);

    // An endpoint hears of the new member.
    let receiver = crate::webhooks::Receiver::start().await;
    let (status, body) = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/webhooks"),
            Some(json!({"url": receiver.url, "eventTypes": ["organizationMembership.created"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Accepting: an unknown role is refused; the default role is granted.
    let accept = format!("/v1/organizations/{org}/join-requests/{id}/accept");
    assert_error(
        &admin
            .call(&s, Method::POST, &accept, Some(json!({"role": "owner"})))
            .await,
        422,
        "unknown_role",
    );
    let (status, membership) = decide(&s, &admin, &org, &id, "accept").await;
    assert_eq!(status, StatusCode::OK, "{membership}");
    assert_eq!(membership["role"], "basic_member");
    assert_eq!(membership["publicUserData"]["userId"], dave.id.as_str());
    assert_error(
        &decide(&s, &admin, &org, &id, "accept").await,
        409,
        "join_request_not_pending",
    );
    assert_error(
        &decide(&s, &admin, &org, &id, "reject").await,
        409,
        "join_request_not_pending",
    );
    let withdraw = format!("/v1/me/join-requests/{id}/withdraw");
    assert_error(
        &dave.call(&s, Method::POST, &withdraw, None).await,
        409,
        "join_request_not_pending",
    );
    assert_eq!(
        subjects(&s, "dave@example.com").await[0],
        "You are now a member of Acme Labs"
    );
    let (_, orgs) = dave.call(&s, Method::GET, "/v1/me/memberships", None).await;
    assert_eq!(
        orgs["data"][0]["organization"]["id"],
        org.as_str(),
        "{orgs}"
    );
    let (_, mine) = dave
        .call(&s, Method::GET, "/v1/me/join-requests", None)
        .await;
    assert_eq!(mine["data"][0]["status"], "accepted");
    assert_eq!(mine["data"][0]["role"], "basic_member");
    assert!(mine["data"][0]["decidedAt"].is_i64(), "{mine}");
    assert_eq!(s.audit_count("join_request.accepted").await, 1);
    for _ in 0..100 {
        if !receiver.received().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let event = receiver.received()[0].json();
    assert_eq!(event["type"], "organizationMembership.created", "{event}");
    assert_eq!(event["data"]["publicUserData"]["userId"], dave.id.as_str());

    // Rejecting, asking again, withdrawing.
    let erin = s.verified_user("erin@example.com").await;
    let (_, request) = file(&s, &erin, &slug, None).await;
    let erin_id = request["id"].as_str().unwrap().to_owned();
    let (status, rejected) = decide(&s, &admin, &org, &erin_id, "reject").await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        subjects(&s, "erin@example.com").await[0],
        "Your request to join Acme Labs"
    );
    assert_error(
        &decide(&s, &admin, &org, &erin_id, "reject").await,
        409,
        "join_request_not_pending",
    );
    let (status, again) = file(&s, &erin, &slug, Some("Please?")).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let again_id = again["id"].as_str().unwrap().to_owned();
    let withdraw = format!("/v1/me/join-requests/{again_id}/withdraw");
    assert_error(
        &dave.call(&s, Method::POST, &withdraw, None).await,
        404,
        "not_found",
    );
    let (status, withdrawn) = erin.call(&s, Method::POST, &withdraw, None).await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_error(
        &erin.call(&s, Method::POST, &withdraw, None).await,
        409,
        "join_request_not_pending",
    );
    assert_error(
        &decide(&s, &admin, &org, &again_id, "accept").await,
        409,
        "join_request_not_pending",
    );
    for action in ["join_request.rejected", "join_request.withdrawn"] {
        assert_eq!(s.audit_count(action).await, 1, "{action}");
    }

    // Every route needs a session.
    for (method, path) in [
        (Method::POST, "/v1/join-requests".to_owned()),
        (Method::GET, "/v1/me/join-requests".to_owned()),
        (Method::POST, format!("/v1/me/join-requests/{id}/withdraw")),
        (Method::GET, list.clone()),
        (Method::POST, accept.clone()),
        (
            Method::POST,
            format!("/v1/organizations/{org}/join-requests/{id}/reject"),
        ),
    ] {
        let answer = s.raw(method.clone(), &path, None, Some(json!({}))).await;
        assert_error(&answer, 401, "unauthenticated");
    }

    // Turned off again: nobody new may ask.
    let (status, _) = allow(&s, &admin, &org, false).await;
    assert_eq!(status, StatusCode::OK);
    assert_error(
        &file(&s, &erin, &slug, None).await,
        403,
        "join_requests_disabled",
    );
    assert_eq!(s.audit_count("organization.join_requests_changed").await, 2);
}

pub async fn join_request_pages_put_pending_first(backend: Backend) {
    let s = roomy(backend).await;
    let admin = s.verified_user("admin@example.com").await;
    let org = s.create_org(&admin, "Paged").await;
    allow(&s, &admin, &org, true).await;
    let mut ids = Vec::new();
    for n in 0..7 {
        let user = s.verified_user(&format!("user{n}@example.com")).await;
        let (status, body) = file(&s, &user, &org, None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    // The two oldest and the newest are decided; four stay pending.
    for (i, verb) in [(0, "reject"), (1, "accept"), (6, "reject")] {
        let (status, body) = decide(&s, &admin, &org, &ids[i], verb).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let base = format!("/v1/organizations/{org}/join-requests");
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = admin
            .call(
                &s,
                Method::GET,
                &format!("{base}?limit=2&after={cursor}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for item in page["data"].as_array().unwrap() {
            seen.push((
                item["id"].as_str().unwrap().to_owned(),
                item["status"].as_str().unwrap().to_owned(),
            ));
        }
        match page["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let order: Vec<&str> = seen.iter().map(|(id, _)| id.as_str()).collect();
    let expected: Vec<&str> = [5, 4, 3, 2, 6, 1, 0]
        .iter()
        .map(|&i| ids[i].as_str())
        .collect();
    assert_eq!(order, expected, "pending first, newest first: {seen:?}");
    let (_, pending) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?status=pending&limit=100"),
            None,
        )
        .await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 4);
    // A status's pages stay within its block.
    let (_, first) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?status=pending&limit=3"),
            None,
        )
        .await;
    let next = first["nextCursor"].as_str().unwrap();
    let (_, last) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?status=pending&limit=3&after={next}"),
            None,
        )
        .await;
    assert_eq!(last["data"].as_array().unwrap().len(), 1, "{last}");
    assert_eq!(last["data"][0]["id"], ids[2].as_str());
    assert_eq!(last["nextCursor"], Value::Null);
    let (_, rejected) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?status=rejected&limit=1"),
            None,
        )
        .await;
    assert_eq!(rejected["data"][0]["id"], ids[6].as_str(), "{rejected}");
    let next = rejected["nextCursor"].as_str().unwrap();
    let (_, rest) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?status=rejected&after={next}"),
            None,
        )
        .await;
    assert_eq!(rest["data"][0]["id"], ids[0].as_str(), "{rest}");
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
}

const ROUNDS: usize = 4;

pub async fn join_requests_decided_twice_at_once_give_one_outcome(backend: Backend) {
    let s = roomy(backend).await;
    let admin = s.verified_user("admin@example.com").await;
    let org = s.create_org(&admin, "Racy").await;
    allow(&s, &admin, &org, true).await;
    // A second session of the admin, as from a second tab.
    let (status, second) = s
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "admin@example.com", "password": "correct horse"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let admin_again = User {
        token: second["token"].as_str().unwrap().to_owned(),
        ..admin.clone()
    };
    let mut members = 1;
    for round in 0..ROUNDS {
        let user = s.verified_user(&format!("racer{round}@example.com")).await;
        let (_, request) = file(&s, &user, &org, None).await;
        let id = request["id"].as_str().unwrap().to_owned();
        // Even rounds: accept twice; odd rounds: accept against reject.
        let second_verb = if round % 2 == 0 { "accept" } else { "reject" };
        let (a, b) = tokio::join!(
            decide(&s, &admin, &org, &id, "accept"),
            decide(&s, &admin_again, &org, &id, second_verb)
        );
        let ok = [&a, &b].iter().filter(|r| r.0 == StatusCode::OK).count();
        assert_eq!(ok, 1, "round {round}: {} / {}", a.1, b.1);
        let loser = if a.0 == StatusCode::OK { &b } else { &a };
        assert_error(loser, 409, "join_request_not_pending");
        // A membership exists exactly when an accept won.
        if a.0 == StatusCode::OK || second_verb == "accept" {
            members += 1;
        }
        let count = s
            .count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await;
        assert_eq!(count, members, "round {round}");
        let joined = s
            .count(
                "SELECT COUNT(*) FROM memberships WHERE user_id = $1",
                &user.id,
            )
            .await;
        assert!(joined <= 1, "round {round}");
    }
}

pub async fn asking_and_deciding_count_against_the_mail_limits(backend: Backend) {
    crate::harness::clear_of_a_minute_boundary().await;
    let s = TestServer::start_with(backend, |c| c.mail_to_address_limit_per_minute = 3).await;
    let admin = s.verified_user("admin@example.com").await;
    let org = s.create_org(&admin, "Limited").await;
    allow(&s, &admin, &org, true).await;
    let bob = s.verified_user("bob@example.com").await;
    // Each request mails the admins: at most 3 a minute per requester.
    for _ in 0..3 {
        let (status, request) = file(&s, &bob, &org, None).await;
        assert_eq!(status, StatusCode::CREATED, "{request}");
        let withdraw = format!(
            "/v1/me/join-requests/{}/withdraw",
            request["id"].as_str().unwrap()
        );
        let (status, body) = bob.call(&s, Method::POST, &withdraw, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_error(&file(&s, &bob, &org, None).await, 429, "rate_limited");
    // Each decision mails the requester, counted against their address (Bob's verification
    // email was the first of three).
    let carol = s.verified_user("carol@example.com").await;
    let (_, first) = file(&s, &carol, &org, None).await;
    let first = first["id"].as_str().unwrap().to_owned();
    let (status, _) = decide(&s, &admin, &org, &first, "reject").await;
    assert_eq!(status, StatusCode::OK);
    let (_, second) = file(&s, &carol, &org, None).await;
    let second = second["id"].as_str().unwrap().to_owned();
    let (status, _) = decide(&s, &admin, &org, &second, "reject").await;
    assert_eq!(status, StatusCode::OK);
    let (_, third) = file(&s, &carol, &org, None).await;
    let third = third["id"].as_str().unwrap().to_owned();
    assert_error(
        &decide(&s, &admin, &org, &third, "accept").await,
        429,
        "rate_limited",
    );
    // Refused, nothing changed: the request is still pending.
    let (_, mine) = carol
        .call(&s, Method::GET, "/v1/me/join-requests", None)
        .await;
    assert_eq!(mine["data"][0]["status"], "pending", "{mine}");
}
