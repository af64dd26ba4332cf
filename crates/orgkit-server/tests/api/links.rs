//! Invite links: every route, every error code by the request that triggers it, and the race
//! on a one-use link.

use crate::harness::{assert_error, sha256_hex, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn create(s: &TestServer, admin: &User, org: &str, body: Value) -> Value {
    let (status, link) = admin
        .call(
            s,
            Method::POST,
            &format!("/v1/organizations/{org}/invite-links"),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{link}");
    link
}

async fn accept(s: &TestServer, user: &User, token: &str) -> (StatusCode, Value) {
    user.call(
        s,
        Method::POST,
        "/v1/invite-links/accept",
        Some(json!({"token": token})),
    )
    .await
}

async fn preview(s: &TestServer, token: &str) -> (StatusCode, Value) {
    s.raw(
        Method::POST,
        "/v1/invite-links/preview",
        None,
        Some(json!({"token": token})),
    )
    .await
}

fn token(link: &Value) -> String {
    link["token"].as_str().unwrap().to_owned()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

pub async fn invite_links_create_list_accept_reset_revoke(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    let org = s.create_org(&admin, "Linked").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;
    let base = format!("/v1/organizations/{org}/invite-links");
    // Every route but the preview needs a session.
    for (method, path) in [
        (Method::POST, base.clone()),
        (Method::GET, base.clone()),
        (Method::POST, format!("{base}/lnk_X/reset")),
        (Method::POST, format!("{base}/lnk_X/revoke")),
        (Method::POST, "/v1/invite-links/accept".to_owned()),
    ] {
        let body = json!({"role": "basic_member", "token": "x".repeat(43)});
        let answer = s.raw(method, &path, None, Some(body)).await;
        assert_error(&answer, 401, "unauthenticated");
    }
    // An endpoint for membership events: joining by link queues one message for it.
    let (status, endpoint) = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/webhooks"),
            Some(json!({"url": "https://hooks.example.com/in", "eventTypes": ["organizationMembership.created"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{endpoint}");

    let link = create(&s, &admin, &org, json!({"role": "basic_member"})).await;
    let first = token(&link);
    assert_eq!(first.len(), 43, "256 bits, base64url");
    assert_eq!(
        link["url"].as_str().unwrap(),
        format!("{}/join?token={first}", s.url)
    );
    assert!(link["id"].as_str().unwrap().starts_with("lnk_"));
    assert_eq!(link["status"], "active");
    assert_eq!(link["uses"], 0);
    assert!(link["maxUses"].is_null() && link["expiresAt"].is_null());
    assert_eq!(link["requiresApproval"], false);
    assert_eq!(link["createdBy"], admin.id.as_str());
    let link_id = link["id"].as_str().unwrap().to_owned();
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM invite_links WHERE token_hash = $1",
            &sha256_hex(&first)
        )
        .await,
        1,
        "stored as its hash"
    );

    // The preview tells the organization, the role and the status: nothing about members.
    let (status, shown) = preview(&s, &first).await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(
        shown,
        json!({"organizationName": "Linked", "organizationSlug": shown["organizationSlug"],
            "role": "basic_member", "status": "active", "requiresApproval": false})
    );
    assert_eq!(shown.as_object().unwrap().len(), 5, "{shown}");
    assert!(!shown.to_string().contains("bob@example.com"));
    assert!(!shown.to_string().contains(&admin.id));
    assert_error(&preview(&s, &"x".repeat(43)).await, 404, "not_found");

    // Joining: a verified person becomes a member with the link's role.
    let carol = s.verified_user("carol@example.com").await;
    let (status, joined) = accept(&s, &carol, &first).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["membership"]["role"], "basic_member");
    assert_eq!(joined["membership"]["organization"]["id"], org.as_str());
    assert!(joined.get("joinRequest").is_none());
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'webhook' AND org_id = $1 \
             AND topic = 'organizationMembership.created'",
            &org
        )
        .await,
        1
    );
    assert_error(&accept(&s, &carol, &first).await, 409, "already_member");
    // An unverified address cannot use a link: a link proves nothing about it.
    let dave = s.sign_up("dave@example.com").await;
    assert_error(&accept(&s, &dave, &first).await, 403, "email_not_verified");
    assert_error(&accept(&s, &dave, &"x".repeat(43)).await, 404, "not_found");

    // The list: status and uses, never the token.
    let (status, page) = admin.call(&s, Method::GET, &base, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"][0]["id"], link_id.as_str());
    assert_eq!(page["data"][0]["uses"], 1);
    assert!(page["data"][0].get("token").is_none() && page["data"][0].get("url").is_none());
    assert!(!page.to_string().contains(&first));

    // Members without org:links:manage, and outsiders.
    assert_error(
        &bob.call(
            &s,
            Method::POST,
            &base,
            Some(json!({"role": "basic_member"})),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &bob.call(&s, Method::GET, &base, None).await,
        403,
        "forbidden",
    );
    for action in ["reset", "revoke"] {
        let path = format!("{base}/{link_id}/{action}");
        assert_error(
            &bob.call(&s, Method::POST, &path, None).await,
            403,
            "forbidden",
        );
        assert_error(
            &eve.call(&s, Method::POST, &path, None).await,
            404,
            "not_found",
        );
    }
    assert_error(
        &eve.call(&s, Method::GET, &base, None).await,
        404,
        "not_found",
    );
    assert_error(
        &admin
            .call(&s, Method::POST, &format!("{base}/lnk_NOPE/revoke"), None)
            .await,
        404,
        "not_found",
    );

    // Options: bad uses, an expiry in the past, an unknown role.
    for (body, status, code) in [
        (
            json!({"role": "basic_member", "maxUses": 0}),
            400,
            "validation_failed",
        ),
        (
            json!({"role": "basic_member", "maxUses": 10_001}),
            400,
            "validation_failed",
        ),
        (
            json!({"role": "basic_member", "expiresAt": now_ms() - 1}),
            409,
            "invite_link_expired",
        ),
        (json!({"role": "ghost"}), 422, "unknown_role"),
    ] {
        let answer = admin
            .call(&s, Method::POST, &base, Some(body.clone()))
            .await;
        assert_error(&answer, status, code);
    }

    // Reset: the old token stops working, the new one works, same options.
    let (status, reset) = admin
        .call(&s, Method::POST, &format!("{base}/{link_id}/reset"), None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reset}");
    let second = token(&reset);
    assert_ne!(second, first);
    assert_ne!(reset["id"], link_id.as_str());
    assert_eq!(
        (reset["role"].clone(), reset["uses"].clone()),
        (json!("basic_member"), json!(0))
    );
    let frank = s.verified_user("frank@example.com").await;
    assert_error(
        &accept(&s, &frank, &first).await,
        409,
        "invite_link_revoked",
    );
    assert_eq!(preview(&s, &first).await.1["status"], "revoked");
    assert_eq!(accept(&s, &frank, &second).await.0, StatusCode::OK);
    assert_error(
        &admin
            .call(&s, Method::POST, &format!("{base}/{link_id}/reset"), None)
            .await,
        409,
        "invite_link_revoked",
    );

    // Revoke: once.
    let second_id = reset["id"].as_str().unwrap();
    let (status, revoked) = admin
        .call(
            &s,
            Method::POST,
            &format!("{base}/{second_id}/revoke"),
            None,
        )
        .await;
    assert_eq!(
        (status, revoked["status"].clone()),
        (StatusCode::OK, json!("revoked"))
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("{base}/{second_id}/revoke"),
                None,
            )
            .await,
        409,
        "invite_link_revoked",
    );
    let grace = s.verified_user("grace@example.com").await;
    assert_error(
        &accept(&s, &grace, &second).await,
        409,
        "invite_link_revoked",
    );

    // Exhausted: a one-use link lets one person in.
    let once = create(&s, &admin, &org, json!({"role": "admin", "maxUses": 1})).await;
    assert_eq!(
        accept(&s, &grace, &token(&once)).await.1["membership"]["role"],
        "admin"
    );
    let heidi = s.verified_user("heidi@example.com").await;
    assert_error(
        &accept(&s, &heidi, &token(&once)).await,
        409,
        "invite_link_exhausted",
    );
    assert_eq!(preview(&s, &token(&once)).await.1["status"], "exhausted");

    // Expired: a link with a short life.
    let short = create(
        &s,
        &admin,
        &org,
        json!({"role": "basic_member", "expiresAt": now_ms() + 1_000}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    assert_error(
        &accept(&s, &heidi, &token(&short)).await,
        409,
        "invite_link_expired",
    );
    assert_eq!(preview(&s, &token(&short)).await.1["status"], "expired");

    // Pages follow the cursor.
    let (_, first_page) = admin
        .call(&s, Method::GET, &format!("{base}?limit=2"), None)
        .await;
    assert_eq!(first_page["data"].as_array().unwrap().len(), 2);
    let cursor = first_page["nextCursor"].as_str().unwrap();
    let (_, rest) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?limit=10&after={cursor}"),
            None,
        )
        .await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 2, "{rest}");
    assert!(rest["nextCursor"].is_null());
    assert_error(
        &admin
            .call(&s, Method::GET, &format!("{base}?after=inv_x"), None)
            .await,
        400,
        "validation_failed",
    );

    // Every change is in the audit log.
    for action in [
        "invite_link.created",
        "invite_link.reset",
        "invite_link.revoked",
        "invite_link.accepted",
    ] {
        assert!(s.audit_count(action).await >= 1, "{action}");
    }
}

pub async fn approval_links_file_join_requests(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Gated").await;
    let once = create(
        &s,
        &admin,
        &org,
        json!({"role": "basic_member", "maxUses": 1, "requiresApproval": true}),
    )
    .await;
    assert_eq!(preview(&s, &token(&once)).await.1["requiresApproval"], true);
    let carol = s.verified_user("carol@example.com").await;
    let (status, filed) = accept(&s, &carol, &token(&once)).await;
    assert_eq!(status, StatusCode::OK, "{filed}");
    assert!(filed.get("membership").is_none());
    let request = &filed["joinRequest"];
    assert!(request["id"].as_str().unwrap().starts_with("jrq_"));
    assert_eq!(request["organizationId"], org.as_str());
    assert_eq!(request["status"], "pending");
    let id = request["id"].as_str().unwrap();
    let (source, link_id, role): (String, String, String) =
        sqlx::query_as("SELECT source, link_id, role FROM join_requests WHERE id = $1")
            .bind(id)
            .fetch_one(&s.state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (source.as_str(), link_id.as_str(), role.as_str()),
        ("link", once["id"].as_str().unwrap(), "basic_member")
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await,
        1,
        "not a member until an admin says so"
    );
    // A filed request counts a use: a one-use link files one request.
    let dave = s.verified_user("dave@example.com").await;
    assert_error(
        &accept(&s, &dave, &token(&once)).await,
        409,
        "invite_link_exhausted",
    );
    // One pending request per person.
    let open = create(
        &s,
        &admin,
        &org,
        json!({"role": "basic_member", "requiresApproval": true}),
    )
    .await;
    assert_error(
        &accept(&s, &carol, &token(&open)).await,
        409,
        "already_requested",
    );
    assert_eq!(accept(&s, &dave, &token(&open)).await.0, StatusCode::OK);
    let (_, page) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/invite-links"),
            None,
        )
        .await;
    assert_eq!(
        page["data"][1]["uses"], 1,
        "the refused request counted nothing"
    );
}

pub async fn a_one_use_link_accepted_by_twenty_at_once_gives_one_member(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Rush").await;
    let mut people = Vec::new();
    for i in 0..20 {
        people.push(s.verified_user(&format!("p{i}@example.com")).await);
    }
    let link = create(
        &s,
        &admin,
        &org,
        json!({"role": "basic_member", "maxUses": 1}),
    )
    .await;
    let token = token(&link);
    let answers = futures::future::join_all(people.iter().map(|p| accept(&s, p, &token))).await;
    let ok = answers.iter().filter(|a| a.0 == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    for answer in answers.iter().filter(|a| a.0 != StatusCode::OK) {
        assert_error(answer, 409, "invite_link_exhausted");
    }
    assert_eq!(
        s.count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await,
        2,
        "the admin and one more"
    );
    assert_eq!(
        s.count("SELECT uses FROM invite_links WHERE org_id = $1", &org)
            .await,
        1
    );
}

pub async fn link_previews_are_rate_limited_per_client(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.invite_limit_per_minute = 3).await;
    crate::harness::clear_of_a_minute_boundary().await;
    for _ in 0..3 {
        assert_error(&preview(&s, &"x".repeat(43)).await, 404, "not_found");
    }
    assert_error(&preview(&s, &"x".repeat(43)).await, 429, "rate_limited");
}
