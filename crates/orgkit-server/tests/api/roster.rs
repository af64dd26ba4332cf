//! Declining and dismissing invitations, the roster, and bulk removal.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn verify(s: &TestServer, user: &User) {
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
        .bind(&user.id)
        .execute(&s.state.db.pool)
        .await
        .unwrap();
}

async fn verified(s: &TestServer, user: &User) -> i64 {
    s.count("SELECT email_verified FROM users WHERE id = $1", &user.id)
        .await
}

async fn post(s: &TestServer, user: &User, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    user.call(s, Method::POST, path, body).await
}

async fn get(s: &TestServer, user: &User, path: &str) -> (StatusCode, Value) {
    user.call(s, Method::GET, path, None).await
}

pub async fn declining_invitations(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    verify(&s, &eve).await;
    let org = s.create_org(&admin, "Declines").await;

    // By token, before verifying: the token reaches it, the address must match.
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let by_token = json!({"token": token});
    assert_error(
        &post(&s, &eve, "/v1/invitations/decline", Some(by_token.clone())).await,
        403,
        "wrong_recipient",
    );
    let (status, declined) =
        post(&s, &bob, "/v1/invitations/decline", Some(by_token.clone())).await;
    assert_eq!(status, StatusCode::OK, "{declined}");
    assert_eq!(declined["status"], "declined");
    assert_eq!(verified(&s, &bob).await, 0, "declining verifies nothing");
    assert_error(
        &post(&s, &bob, "/v1/invitations/decline", Some(by_token.clone())).await,
        409,
        "invitation_not_pending",
    );
    assert_error(
        &post(&s, &bob, "/v1/invitations/accept", Some(by_token)).await,
        409,
        "invitation_not_pending",
    );
    assert_error(
        &post(
            &s,
            &admin,
            &format!(
                "/v1/organizations/{org}/invitations/{}/revoke",
                declined["id"].as_str().unwrap()
            ),
            None,
        )
        .await,
        409,
        "invitation_not_pending",
    );
    // Admins see declined invitations; they do not block a new one.
    let (_, list) = get(
        &s,
        &admin,
        &format!("/v1/organizations/{org}/invitations?status=declined"),
    )
    .await;
    assert_eq!(list["data"][0]["id"], declined["id"], "{list}");
    assert_eq!(list["data"][0]["status"], "declined");
    s.invite(&admin, &org, "bob@example.com", "basic_member")
        .await;

    // By id: needs a verified address.
    let (_, pending) = get(&s, &admin, &format!("/v1/organizations/{org}/invitations")).await;
    let id = pending["data"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/me/invitations/{id}/decline");
    assert_error(
        &post(&s, &bob, &path, None).await,
        403,
        "email_not_verified",
    );
    assert_error(&post(&s, &eve, &path, None).await, 403, "wrong_recipient");
    verify(&s, &bob).await;
    let (status, body) = post(&s, &bob, &path, None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("declined")),
        "{body}"
    );
    assert_error(
        &post(&s, &bob, &path, None).await,
        409,
        "invitation_not_pending",
    );
    assert_error(
        &post(&s, &bob, "/v1/me/invitations/inv_nothere/decline", None).await,
        404,
        "not_found",
    );
    let (_, mine) = get(&s, &bob, "/v1/me/invitations").await;
    assert_eq!(mine["data"], json!([]), "declined ones leave my list");
    // A pending invitation is declined, not dismissed.
    s.invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let (_, mine) = get(&s, &bob, "/v1/me/invitations").await;
    let id = mine["data"][0]["id"].as_str().unwrap();
    assert_error(
        &post(&s, &bob, &format!("/v1/me/invitations/{id}/dismiss"), None).await,
        409,
        "invitation_not_pending",
    );
    let declines = s
        .count("SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action = 'invitation.declined'", &org)
        .await;
    assert_eq!(declines, 2);
}

pub async fn dismissing_expired_invitations(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.invitation_ttl_seconds = 0).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    verify(&s, &bob).await;
    verify(&s, &eve).await;
    let org = s.create_org(&admin, "Expiring").await;
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    assert_error(
        &post(
            &s,
            &bob,
            "/v1/invitations/decline",
            Some(json!({"token": token})),
        )
        .await,
        409,
        "invitation_expired",
    );
    let (_, mine) = get(&s, &bob, "/v1/me/invitations").await;
    assert_eq!(mine["data"][0]["status"], "expired", "{mine}");
    let id = mine["data"][0]["id"].as_str().unwrap();
    let path = format!("/v1/me/invitations/{id}/dismiss");
    assert_error(&post(&s, &eve, &path, None).await, 403, "wrong_recipient");
    let (status, body) = post(&s, &bob, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = get(&s, &bob, "/v1/me/invitations").await;
    assert_eq!(mine["data"], json!([]), "dismissed ones leave my list");
    // The organization still sees it as expired.
    let (_, list) = get(
        &s,
        &admin,
        &format!("/v1/organizations/{org}/invitations?status=expired"),
    )
    .await;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    let dismissed = s
        .count("SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action = 'invitation.dismissed'", &org)
        .await;
    assert_eq!(dismissed, 1);
}

/// The Better Auth pitfall: someone who signs up from an emailed invitation accepts it by its
/// token before verifying; that verifies the invited address only, and another account gets
/// `wrong_recipient` and stays unverified.
pub async fn token_accept_verifies_only_the_invited_address(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Pitfall").await;
    let token = s
        .invite(&admin, &org, "carol@example.com", "basic_member")
        .await;
    let eve = s.sign_up("eve@example.com").await;
    assert_error(
        &s.accept_invitation(&eve, &token).await,
        403,
        "wrong_recipient",
    );
    assert_eq!(verified(&s, &eve).await, 0);
    let carol = s.sign_up("carol@example.com").await;
    assert_eq!(verified(&s, &carol).await, 0);
    let (status, membership) = s.accept_invitation(&carol, &token).await;
    assert_eq!(status, StatusCode::OK, "{membership}");
    assert_eq!(membership["organization"]["id"], org.as_str());
    assert_eq!(verified(&s, &carol).await, 1);
    assert_eq!(verified(&s, &eve).await, 0);
}

async fn add_request(s: &TestServer, org: &str, user: &User, id: &str) {
    sqlx::query(
        "INSERT INTO join_requests (id, org_id, user_id, source, status, created_at) \
         VALUES ($1, $2, $3, 'request', 'pending', 1)",
    )
    .bind(id)
    .bind(org)
    .bind(&user.id)
    .execute(&s.state.db.pool)
    .await
    .unwrap();
}

/// Every page of the roster at `query` (`status=…&q=…`), `limit` at a time.
async fn walk(s: &TestServer, user: &User, org: &str, query: &str, limit: u32) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let (status, page) = get(
            s,
            user,
            &format!("/v1/organizations/{org}/roster?{query}&limit={limit}&after={after}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= limit as usize);
        all.extend(data.iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => after = next.to_owned(),
            None => return all,
        }
    }
}

fn emails(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["emailAddress"].as_str().unwrap())
        .collect()
}

pub async fn roster_lists_filters_and_pages(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("mia@example.com").await;
    let org = s.create_org(&admin, "Roster").await;
    for name in ["bea", "dan", "finn"] {
        let user = s.sign_up(&format!("{name}@example.com")).await;
        s.add_member(&admin, &org, &user, "basic_member").await;
    }
    for name in ["ada", "eli", "zoe"] {
        s.invite(&admin, &org, &format!("{name}@example.com"), "admin")
            .await;
    }
    let cyd = s.sign_up("cyd@example.com").await;
    let gus = s.sign_up("gus@example.com").await;
    add_request(&s, &org, &cyd, "jrq_0001").await;
    add_request(&s, &org, &gus, "jrq_0002").await;
    // A name that does not start like its address.
    sqlx::query("UPDATE users SET name = 'Zed Quill' WHERE email = 'dan@example.com'")
        .execute(&s.state.db.pool)
        .await
        .unwrap();

    let everyone = walk(&s, &admin, &org, "", 2).await;
    assert_eq!(
        emails(&everyone),
        ["ada", "bea", "cyd", "dan", "eli", "finn", "gus", "mia", "zoe"]
            .map(|n| format!("{n}@example.com"))
    );
    let kinds: Vec<&str> = everyone
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "invited",
            "joined",
            "requested",
            "joined",
            "invited",
            "joined",
            "requested",
            "joined",
            "invited"
        ]
    );
    assert!(everyone[0]["id"].as_str().unwrap().starts_with("inv_"));
    assert_eq!(everyone[0]["role"], "admin");
    assert!(everyone[0]["expiresAt"].is_i64(), "{}", everyone[0]);
    assert!(everyone[0].get("userId").is_none());
    assert_eq!(everyone[2]["id"], "jrq_0001");
    assert_eq!(everyone[2]["role"], "basic_member");
    assert_eq!(everyone[2]["userId"], cyd.id.as_str());
    assert_eq!(everyone[3]["name"], "Zed Quill");
    assert!(everyone[3]["id"].as_str().unwrap().starts_with("mem_"));
    assert_eq!(walk(&s, &admin, &org, "", 100).await, everyone);

    // Filters: any subset of statuses, a case-insensitive prefix of the name or the address.
    let invited = walk(&s, &admin, &org, "status=invited", 1).await;
    assert_eq!(
        emails(&invited),
        ["ada@example.com", "eli@example.com", "zoe@example.com"]
    );
    let some = walk(&s, &admin, &org, "status=requested,joined", 3).await;
    assert_eq!(some.len(), 6);
    let z = walk(&s, &admin, &org, "q=Z", 1).await;
    assert_eq!(
        emails(&z),
        ["dan@example.com", "zoe@example.com"],
        "name or address"
    );
    let fi = walk(&s, &admin, &org, "q=FI&status=joined", 5).await;
    assert_eq!(emails(&fi), ["finn@example.com"]);
    assert_eq!(
        walk(&s, &admin, &org, "q=%25", 5).await,
        Vec::<Value>::new(),
        "% is literal"
    );

    // Who sees what.
    let bea = s.sign_up("bea2@example.com").await;
    s.add_member(&admin, &org, &bea, "basic_member").await;
    let seen = walk(&s, &bea, &org, "", 100).await;
    assert!(seen.iter().all(|e| e["status"] == "joined"), "{seen:?}");
    assert_eq!(seen.len(), 5);
    for status in ["invited", "requested", "joined,invited"] {
        assert_error(
            &get(
                &s,
                &bea,
                &format!("/v1/organizations/{org}/roster?status={status}"),
            )
            .await,
            403,
            "forbidden",
        );
    }
    let stranger = s.sign_up("stranger@example.com").await;
    assert_error(
        &get(&s, &stranger, &format!("/v1/organizations/{org}/roster")).await,
        404,
        "not_found",
    );
    for bad in ["status=left", "after=nonsense", "after=mem_1.zz", "limit=0"] {
        assert_error(
            &get(&s, &admin, &format!("/v1/organizations/{org}/roster?{bad}")).await,
            400,
            "validation_failed",
        );
    }
}

async fn bulk(s: &TestServer, user: &User, org: &str, ids: &[&str]) -> (StatusCode, Value) {
    post(
        s,
        user,
        &format!("/v1/organizations/{org}/memberships/bulk-remove"),
        Some(json!({"memberIds": ids})),
    )
    .await
}

async fn admins(s: &TestServer, org: &str) -> i64 {
    s.count(
        "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'",
        org,
    )
    .await
}

pub async fn bulk_removal_answers_per_member(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Bulk").await;
    let second = s.sign_up("second@example.com").await;
    s.add_member(&admin, &org, &second, "admin").await;
    let mut members = Vec::new();
    for i in 0..3 {
        let m = s.sign_up(&format!("m{i}@example.com")).await;
        s.add_member(&admin, &org, &m, "basic_member").await;
        members.push(m);
    }
    let stranger = s.sign_up("stranger@example.com").await;

    assert_error(
        &bulk(&s, &members[0], &org, &[&members[1].id]).await,
        403,
        "forbidden",
    );
    assert_error(
        &bulk(&s, &stranger, &org, &[&members[1].id]).await,
        404,
        "not_found",
    );
    let many: Vec<String> = (0..101).map(|i| format!("user_{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_error(
        &bulk(&s, &admin, &org, &many).await,
        400,
        "validation_failed",
    );
    assert_error(&bulk(&s, &admin, &org, &[]).await, 400, "validation_failed");
    assert_error(
        &bulk(&s, &admin, &org, &["mem_1"]).await,
        400,
        "validation_failed",
    );

    let ids = [
        members[0].id.as_str(),
        stranger.id.as_str(),
        members[1].id.as_str(),
        members[1].id.as_str(),
        second.id.as_str(),
        admin.id.as_str(),
    ];
    let (status, body) = bulk(&s, &admin, &org, &ids).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outcome: Vec<(bool, &str)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["removed"].as_bool().unwrap(),
                r["error"]["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        outcome,
        [
            (true, ""),
            (false, "not_found"),
            (true, ""),
            (false, "not_found"),
            (true, ""),
            // The creator is the last owner as well as the last admin.
            (false, "last_owner")
        ]
    );
    assert_eq!(body["data"][1]["memberId"], stranger.id.as_str());
    assert_eq!(admins(&s, &org).await, 1);
    let (_, left) = get(&s, &admin, &format!("/v1/organizations/{org}/memberships")).await;
    assert_eq!(left["data"].as_array().map(Vec::len), Some(2), "{left}");
    let removed = s
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action = 'membership.removed'",
            &org,
        )
        .await;
    assert_eq!(removed, 3);
    // Removing myself when another admin (and owner) remains is leaving.
    s.add_member(&admin, &org, &second, "admin").await;
    let owner = format!("/v1/organizations/{org}/memberships/{}/owner", second.id);
    assert_eq!(
        admin.call(&s, Method::PUT, &owner, None).await.0,
        StatusCode::OK
    );
    let (_, body) = bulk(&s, &admin, &org, &[&admin.id]).await;
    assert_eq!(body["data"][0]["removed"], true, "{body}");
    let left = s
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action = 'membership.left'",
            &org,
        )
        .await;
    assert_eq!(left, 1);
}

pub async fn bulk_removals_racing_keep_an_admin(backend: Backend) {
    let s = TestServer::start(backend).await;
    for round in 0..4 {
        let a = s.sign_up(&format!("a{round}@example.com")).await;
        let b = s.sign_up(&format!("b{round}@example.com")).await;
        let org = s.create_org(&a, &format!("Race {round}")).await;
        s.add_member(&a, &org, &b, "admin").await;
        let (ids_a, ids_b) = (
            [b.id.as_str(), a.id.as_str()],
            [a.id.as_str(), b.id.as_str()],
        );
        let (ra, rb) = tokio::join!(bulk(&s, &a, &org, &ids_a), bulk(&s, &b, &org, &ids_b));
        assert_eq!(admins(&s, &org).await, 1, "{ra:?} {rb:?}");
        let removed = |r: &(StatusCode, Value)| {
            r.1["data"]
                .as_array()
                .map(|d| d.iter().filter(|x| x["removed"] == true).count())
                .unwrap_or(0)
        };
        assert_eq!(removed(&ra) + removed(&rb), 1, "{ra:?} {rb:?}");
    }
}
