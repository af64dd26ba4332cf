//! Whole journeys through the API.

use crate::harness::{assert_error, Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

pub async fn full_lifecycle_of_two_users(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;

    // Ada creates an organization and is its admin.
    let (status, org) = ada
        .call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": "  Acme Corp "})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    assert_eq!(org["name"], "Acme Corp");
    assert_eq!(org["slug"], "acme-corp");
    assert_eq!(org["role"], "admin");
    assert!(org["permissions"]
        .as_array()
        .unwrap()
        .contains(&json!("org:memberships:manage")));
    let org_id = org["id"].as_str().unwrap();

    // She invites Bob; the email in the mailbox carries the accept link.
    let (status, inv) = s
        .send_invitation(&ada, org_id, "Bob@Example.com", "basic_member")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{inv}");
    assert_eq!(inv["emailAddress"], "bob@example.com");
    assert_eq!(inv["status"], "pending");
    assert_eq!(inv["organizationName"], "Acme Corp");
    let link = s.last_link("bob@example.com").await;
    assert!(
        link.starts_with(&format!("{}/accept?token=", s.url)),
        "{link}"
    );
    let token = link.split("token=").nth(1).unwrap();

    // The invitation shows as pending to admins.
    let (_, pending) = ada
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_id}/invitations?status=pending"),
            None,
        )
        .await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 1);

    // Bob previews and accepts it.
    let (status, preview) = s
        .raw(
            Method::POST,
            "/v1/invitations/preview",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(preview["emailAddress"], "bob@example.com");
    assert_eq!(preview["organizationName"], "Acme Corp");
    let (status, membership) = s.accept_invitation(&bob, token).await;
    assert_eq!(status, StatusCode::OK, "{membership}");
    assert_eq!(membership["role"], "basic_member");
    assert_eq!(membership["organization"]["id"], org_id);
    assert_eq!(membership["organization"]["role"], "basic_member");
    assert_eq!(
        membership["publicUserData"]["identifier"],
        "bob@example.com"
    );
    let (_, me) = bob.call(&s, Method::GET, "/v1/me", None).await;
    assert_eq!(
        me["emailVerified"], true,
        "accepting with the emailed token proves the address"
    );

    // Both see both members; Bob sees the organization among his.
    let (status, page) = bob
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_id}/memberships"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["publicUserData"]["userId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![ada.id.as_str(), bob.id.as_str()]);
    assert!(page["nextCursor"].is_null());
    let (_, mine) = bob.call(&s, Method::GET, "/v1/me/memberships", None).await;
    assert_eq!(mine["data"][0]["organization"]["name"], "Acme Corp");
    let (_, pending) = ada
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_id}/invitations"),
            None,
        )
        .await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 0);

    // Ada promotes Bob, then demotes him again.
    let member_path = format!("/v1/organizations/{org_id}/memberships/{}", bob.id);
    let (status, updated) = ada
        .call(
            &s,
            Method::PATCH,
            &member_path,
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(
        (status, updated["role"].as_str()),
        (StatusCode::OK, Some("admin"))
    );
    let (_, org_for_bob) = bob
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_id}"),
            None,
        )
        .await;
    assert_eq!(org_for_bob["role"], "admin");
    let (status, _) = ada
        .call(
            &s,
            Method::PATCH,
            &member_path,
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Ada removes Bob: he loses access at once.
    let (status, _) = ada.call(&s, Method::DELETE, &member_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &bob.call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_id}"),
            None,
        )
        .await,
        404,
        "not_found",
    );

    // Invited again, Bob joins, then leaves by himself (`me` stands for his own id).
    s.add_member(&ada, org_id, &bob, "basic_member").await;
    let (status, _) = bob
        .call(
            &s,
            Method::DELETE,
            &format!("/v1/organizations/{org_id}/memberships/me"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, mine) = bob.call(&s, Method::GET, "/v1/me/memberships", None).await;
    assert_eq!(mine["data"].as_array().unwrap().len(), 0);

    // Ada renames, then deletes the organization.
    let (status, renamed) = s
        .update_org(
            &ada,
            org_id,
            json!({"name": "Acme Inc", "slug": "acme-inc"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(
        (renamed["name"].as_str(), renamed["slug"].as_str()),
        (Some("Acme Inc"), Some("acme-inc"))
    );
    let (status, _) = s.delete_org(&ada, org_id).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &ada.call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org_id}"),
            None,
        )
        .await,
        404,
        "not_found",
    );

    // Sign-out ends the session.
    let (status, _) = ada.call(&s, Method::POST, "/v1/auth/sign-out", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &ada.call(&s, Method::GET, "/v1/me", None).await,
        401,
        "unauthenticated",
    );
    let (status, again) = s
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "ADA@example.com", "password": "correct horse"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["user"]["id"], ada.id.as_str());
}

pub async fn member_pages_follow_the_cursor(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Big").await;
    let mut expected = vec![admin.id.clone()];
    for i in 0..24 {
        let user = s.sign_up(&format!("member{i}@example.com")).await;
        s.add_member(&admin, &org, &user, "basic_member").await;
        expected.push(user.id);
    }
    let mut seen = Vec::new();
    let mut after = String::new();
    let mut pages = 0;
    loop {
        let path = format!("/v1/organizations/{org}/memberships?limit=10&after={after}");
        let (status, page) = admin.call(&s, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        let data = page["data"].as_array().unwrap();
        seen.extend(
            data.iter()
                .map(|m| m["publicUserData"]["userId"].as_str().unwrap().to_owned()),
        );
        match page["nextCursor"].as_str() {
            Some(cursor) => {
                assert_eq!(data.len(), 10);
                after = cursor.to_owned();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected, "every member once, in join order");
}

pub async fn bulk_invitations_answer_per_address(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Bulk").await;
    let path = format!("/v1/organizations/{org}/invitations");
    let (status, body) = admin
        .call(&s, Method::POST, &path, Some(json!({"emailAddresses": "a@x.io, not-an-address,B@y.io , a@x.io", "role": "basic_member"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["data"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["invitation"]["emailAddress"], "a@x.io");
    assert_eq!(results[1]["error"]["code"], "validation_failed");
    assert_eq!(results[2]["invitation"]["emailAddress"], "b@y.io");
    assert_eq!(results[3]["error"]["code"], "already_invited");
    // The list form works too, and both good addresses got their email.
    let (status, body) = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddresses": ["c@z.io"], "role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["invitation"]["role"], "admin");
    for to in ["a@x.io", "b@y.io", "c@z.io"] {
        assert!(s.last_link(to).await.contains("/accept?token="));
    }
    let (_, pending) = admin.call(&s, Method::GET, &path, None).await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 3);
}

pub async fn revoke_and_resend(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&admin, "Invites").await;
    let first = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let (_, pending) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/invitations"),
            None,
        )
        .await;
    let id = pending["data"][0]["id"].as_str().unwrap().to_owned();
    let original_expiry = pending["data"][0]["expiresAt"].as_i64().unwrap();

    // Resend: a new token; the old one no longer works.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (status, resent) = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/invitations/{id}/resend"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{resent}");
    assert!(resent["expiresAt"].as_i64().unwrap() > original_expiry);
    let second = s.last_token("bob@example.com").await;
    assert_ne!(first, second);
    assert_error(&s.accept_invitation(&bob, &first).await, 404, "not_found");

    // Revoke: the new token stops working too.
    let (status, revoked) = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/invitations/{id}/revoke"),
            None,
        )
        .await;
    assert_eq!(
        (status, revoked["status"].as_str()),
        (StatusCode::OK, Some("revoked"))
    );
    assert_error(
        &s.accept_invitation(&bob, &second).await,
        409,
        "invitation_not_pending",
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("/v1/organizations/{org}/invitations/{id}/revoke"),
                None,
            )
            .await,
        409,
        "invitation_not_pending",
    );
    let (_, listed) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/invitations?status=revoked"),
            None,
        )
        .await;
    assert_eq!(listed["data"][0]["id"], id.as_str());
}

pub async fn verified_users_see_and_accept_their_invitations(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&admin, "Verified").await;
    // Carol signed up: her verification email is in the mailbox.
    let verify_link = s.last_link("carol@example.com").await;
    assert!(
        verify_link.starts_with(&format!("{}/verify-email?token=", s.url)),
        "{verify_link}"
    );
    s.invite(&admin, &org, "carol@example.com", "basic_member")
        .await;

    assert_error(
        &carol
            .call(&s, Method::GET, "/v1/me/invitations", None)
            .await,
        403,
        "email_not_verified",
    );
    let token = verify_link.split("token=").nth(1).unwrap();
    let (status, user) = s.verify_email_token(token).await;
    assert_eq!(
        (status, user["emailVerified"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    assert_error(
        &s.verify_email_token(token).await,
        409,
        "verification_token_used",
    );

    let (status, mine) = carol
        .call(&s, Method::GET, "/v1/me/invitations", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let invitation_id = mine["data"][0]["id"].as_str().unwrap();
    assert_eq!(mine["data"][0]["organizationName"], "Verified");
    let (status, membership) = carol
        .call(
            &s,
            Method::POST,
            &format!("/v1/me/invitations/{invitation_id}/accept"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{membership}");
    assert_eq!(membership["organization"]["id"], org.as_str());
    let (_, mine) = carol
        .call(&s, Method::GET, "/v1/me/invitations", None)
        .await;
    assert_eq!(mine["data"].as_array().unwrap().len(), 0);
}

pub async fn slugs_are_suggested_and_unique(backend: Backend) {
    let s = TestServer::start(backend).await;
    let user = s.sign_up("ada@example.com").await;
    let mut slugs = Vec::new();
    for _ in 0..3 {
        let (_, org) = user
            .call(
                &s,
                Method::POST,
                "/v1/organizations",
                Some(json!({"name": "Café Zürich"})),
            )
            .await;
        slugs.push(org["slug"].as_str().unwrap().to_owned());
    }
    assert_eq!(slugs, vec!["cafe-zurich", "cafe-zurich-2", "cafe-zurich-3"]);
    let (status, org) = user
        .call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": "Own", "slug": "my-own-slug"})),
        )
        .await;
    assert_eq!(
        (status, org["slug"].as_str()),
        (StatusCode::CREATED, Some("my-own-slug"))
    );
    assert_error(
        &user
            .call(
                &s,
                Method::POST,
                "/v1/organizations",
                Some(json!({"name": "Other", "slug": "my-own-slug"})),
            )
            .await,
        409,
        "slug_taken",
    );
    let other = org["id"].as_str().unwrap();
    assert_error(
        &s.update_org(&user, other, json!({"slug": "cafe-zurich"}))
            .await,
        409,
        "slug_taken",
    );
}

pub async fn permission_checks(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let org = s.create_org(&admin, "Perms").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let path = |p: &str| format!("/v1/organizations/{org}/permissions/check?permission={p}");
    let (_, a) = admin
        .call(&s, Method::GET, &path("org:memberships:manage"), None)
        .await;
    assert_eq!(a["allowed"], true);
    let (_, m) = member
        .call(&s, Method::GET, &path("org:memberships:manage"), None)
        .await;
    assert_eq!(m["allowed"], false);
    let (_, m) = member
        .call(&s, Method::GET, &path("org:memberships:read"), None)
        .await;
    assert_eq!(m["allowed"], true);
    assert_error(
        &member
            .call(&s, Method::GET, &path("org:everything"), None)
            .await,
        400,
        "validation_failed",
    );
}

/// App permissions declared with `--app-permission`: admins hold them, others do not, and
/// the organization's permissions list them.
pub async fn app_permissions(backend: Backend) {
    let s = TestServer::start_with(backend, |c| {
        c.app_permissions = vec!["org:invoices:create".into(), "org:reports:read".into()];
    })
    .await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let org = s.create_org(&admin, "Apps").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let path = |p: &str| format!("/v1/organizations/{org}/permissions/check?permission={p}");
    for (user, allowed) in [(&admin, true), (&member, false)] {
        for key in ["org:invoices:create", "org:reports:read"] {
            let (status, answer) = user.call(&s, Method::GET, &path(key), None).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(answer["allowed"], allowed, "{key}");
        }
    }
    assert_error(
        &admin
            .call(&s, Method::GET, &path("org:invoices:delete"), None)
            .await,
        400,
        "validation_failed",
    );
    let (_, answer) = admin
        .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
        .await;
    let permissions = answer["permissions"].as_array().unwrap();
    assert!(permissions.contains(&json!("org:invoices:create")));
    assert!(permissions.contains(&json!("org:roles:manage")));
}

pub async fn deleting_an_organization_removes_everything_in_it(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&admin, "Doomed").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;
    s.invite(&admin, &org, "carol@example.com", "basic_member")
        .await;
    assert_eq!(
        s.count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await,
        2
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM invitations WHERE org_id = $1", &org)
            .await,
        2
    );
    assert_error(&s.delete_org(&bob, &org).await, 403, "forbidden");
    let (status, _) = s.delete_org(&admin, &org).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await,
        0
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM invitations WHERE org_id = $1", &org)
            .await,
        0
    );
    assert_eq!(
        s.count("SELECT COUNT(*) FROM organizations WHERE id = $1", &org)
            .await,
        0
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action = 'organization.deleted'", &org).await, 1);
}
