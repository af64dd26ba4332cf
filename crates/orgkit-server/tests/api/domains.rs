//! Verified email domains: adding and listing, affiliation codes, DNS ownership against a real
//! DNS server on 127.0.0.1, enrollment modes with the automatic-invitation backfill (and its
//! race with users verifying their addresses), and suggestions.

use crate::harness::{assert_error, Backend, TestServer, User};
use hickory_server::authority::{Catalog, ZoneType};
use hickory_server::proto::rr::rdata::{SOA, TXT};
use hickory_server::proto::rr::{Name, RData, Record};
use hickory_server::store::in_memory::InMemoryAuthority;
use hickory_server::ServerFuture;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

/// A DNS server on 127.0.0.1 (UDP, a free port) authoritative for `test.`, whose records the
/// test adds as it goes.
struct Dns {
    addr: std::net::SocketAddr,
    zone: Arc<InMemoryAuthority>,
}

impl Dns {
    async fn start() -> Dns {
        let origin = Name::from_ascii("test.").unwrap();
        let mut zone = InMemoryAuthority::empty(origin.clone(), ZoneType::Primary, false);
        let soa = SOA::new(
            Name::from_ascii("ns.test.").unwrap(),
            Name::from_ascii("admin.test.").unwrap(),
            1,
            60,
            60,
            60,
            60,
        );
        zone.upsert_mut(Record::from_rdata(origin.clone(), 60, RData::SOA(soa)), 0);
        let zone = Arc::new(zone);
        let mut catalog = Catalog::new();
        catalog.upsert(origin.into(), vec![zone.clone()]);
        let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        let mut server = ServerFuture::new(catalog);
        server.register_socket(socket);
        tokio::spawn(async move { server.block_until_done().await });
        Dns { addr, zone }
    }

    async fn txt(&self, name: &str, value: &str) {
        let record = Record::from_rdata(
            Name::from_ascii(format!("{name}.")).unwrap(),
            60,
            RData::TXT(TXT::new(vec![value.to_owned()])),
        );
        self.zone.upsert(record, 0).await;
    }
}

/// Signs up `email` and verifies the address with the mailed link.
async fn verified(s: &TestServer, email: &str) -> User {
    let user = s.sign_up(email).await;
    verify(s, email).await;
    user
}

async fn verify(s: &TestServer, email: &str) -> (StatusCode, Value) {
    let token = s.last_token(email).await;
    s.raw(
        Method::POST,
        "/v1/auth/verify-email",
        None,
        Some(json!({ "token": token })),
    )
    .await
}

async fn add(s: &TestServer, admin: &User, org: &str, name: &str) -> (StatusCode, Value) {
    admin
        .call(
            s,
            Method::POST,
            &format!("/v1/organizations/{org}/domains"),
            Some(json!({ "name": name })),
        )
        .await
}

async fn added(s: &TestServer, admin: &User, org: &str, name: &str) -> String {
    let answer = add(s, admin, org, name).await;
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
    answer.1["id"].as_str().unwrap().to_owned()
}

fn path(org: &str, domain: &str, rest: &str) -> String {
    format!("/v1/organizations/{org}/domains/{domain}{rest}")
}

/// The 6-digit code in the newest email to `to`.
async fn mailed_code(s: &TestServer, to: &str) -> String {
    let (_, body) = s
        .raw(Method::GET, &format!("/v1/dev/mailbox?to={to}"), None, None)
        .await;
    let text = body["data"][0]["body"].as_str().unwrap().to_owned();
    text.split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned()
}

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

/// An admin at `domain` with a verified address, an organization, and the domain verified
/// through that address (no code needed).
async fn org_with_verified_domain(s: &TestServer, domain: &str) -> (User, String, String) {
    let admin = verified(s, &format!("boss@{domain}")).await;
    let org = s.create_org(&admin, "Acme").await;
    let id = added(s, &admin, &org, domain).await;
    let answer = admin
        .call(
            s,
            Method::POST,
            &path(&org, &id, "/prepare-affiliation"),
            Some(json!({ "emailAddress": admin.email })),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    assert_eq!(answer.1["verified"], true);
    (admin, org, id)
}

pub async fn domains_are_added_listed_and_deleted(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = verified(&s, "admin@acme.test").await;
    let member = verified(&s, "member@acme.test").await;
    let outsider = verified(&s, "outsider@else.test").await;
    let org = s.create_org(&admin, "Acme").await;
    s.add_member(&admin, &org, &member, "basic_member").await;

    // IDNA: a Unicode name is stored in its ASCII form.
    let (status, body) = add(&s, &admin, &org, "BÜCHER.example").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["name"], "xn--bcher-kva.example");
    assert_eq!(body["enrollmentMode"], "manual_invitation");
    assert_eq!(body["verified"], false);
    assert_eq!(
        body["ownershipRecordName"],
        "_orgkit-challenge.xn--bcher-kva.example"
    );
    assert!(body["ownershipRecordValue"]
        .as_str()
        .unwrap()
        .starts_with("orgkit-domain-verification="));
    let id = body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("dom_"));
    assert_error(
        &add(&s, &admin, &org, "xn--bcher-kva.example").await,
        409,
        "domain_taken",
    );

    for bad in [
        "127.0.0.1",
        "bad..name",
        "localhost",
        "under_score.test",
        "a.123",
    ] {
        assert_error(&add(&s, &admin, &org, bad).await, 400, "domain_invalid");
    }
    for blocked in ["gmail.com", "GMX.de", "mailinator.com", "mail.proton.me"] {
        assert_error(
            &add(&s, &admin, &org, blocked).await,
            403,
            "domain_not_allowed",
        );
    }
    let automatic = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/domains"),
            Some(json!({ "name": "new.test", "enrollmentMode": "automatic_invitation" })),
        )
        .await;
    assert_error(&automatic, 409, "domain_not_verified");
    assert_error(
        &add(&s, &member, &org, "member.test").await,
        403,
        "forbidden",
    );
    assert_error(
        &add(&s, &outsider, &org, "outsider.test").await,
        404,
        "not_found",
    );

    // The limit of 10.
    for i in 1..10 {
        added(&s, &admin, &org, &format!("d{i}.test")).await;
    }
    assert_error(
        &add(&s, &admin, &org, "d10.test").await,
        409,
        "domain_limit_reached",
    );

    let list = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/domains"),
            None,
        )
        .await;
    assert_eq!(list.0, StatusCode::OK);
    assert_eq!(list.1["data"].as_array().unwrap().len(), 10);
    assert_eq!(list.1["data"][0]["id"], id.as_str());
    assert_error(
        &member
            .call(
                &s,
                Method::GET,
                &format!("/v1/organizations/{org}/domains"),
                None,
            )
            .await,
        403,
        "forbidden",
    );
    let one = admin
        .call(&s, Method::GET, &path(&org, &id, ""), None)
        .await;
    assert_eq!(one.1["name"], "xn--bcher-kva.example");
    assert_error(
        &outsider
            .call(&s, Method::GET, &path(&org, &id, ""), None)
            .await,
        404,
        "not_found",
    );
    let deleted = admin
        .call(&s, Method::DELETE, &path(&org, &id, ""), None)
        .await;
    assert_eq!(deleted.0, StatusCode::NO_CONTENT);
    assert_error(
        &admin
            .call(&s, Method::GET, &path(&org, &id, ""), None)
            .await,
        404,
        "not_found",
    );
    added(&s, &admin, &org, "d10.test").await;
    assert!(
        s.count(
            "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND action LIKE 'domain.%'",
            &org
        )
        .await
            >= 12
    );
    // Deleting the organization deletes its domains, which frees their names.
    let gone = admin
        .call(
            &s,
            Method::DELETE,
            &format!("/v1/organizations/{org}"),
            None,
        )
        .await;
    assert!(gone.0.is_success(), "{}", gone.1);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM org_domains WHERE org_id = $1", &org)
            .await,
        0
    );
}

pub async fn affiliation_is_verified_with_a_mailed_code(backend: Backend) {
    let s = TestServer::start(backend).await;
    // The admin's own address is elsewhere: a code is needed.
    let admin = verified(&s, "admin@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    let id = added(&s, &admin, &org, "acme.test").await;
    let prepare = |email: &'static str| {
        let (s, admin, p) = (&s, &admin, path(&org, &id, "/prepare-affiliation"));
        async move {
            admin
                .call(s, Method::POST, &p, Some(json!({ "emailAddress": email })))
                .await
        }
    };
    let attempt = |code: String| {
        let (s, admin, p) = (&s, &admin, path(&org, &id, "/attempt-affiliation"));
        async move {
            admin
                .call(s, Method::POST, &p, Some(json!({ "code": code })))
                .await
        }
    };
    assert_error(
        &prepare("ceo@sub.acme.test").await,
        422,
        "email_not_at_domain",
    );
    assert_error(&prepare("ceo@home.test").await, 422, "email_not_at_domain");
    assert_error(
        &attempt("123456".into()).await,
        409,
        "verification_code_expired",
    );

    let sent = prepare("ceo@acme.test").await;
    assert_eq!(sent.0, StatusCode::OK, "{}", sent.1);
    assert_eq!(sent.1["verified"], false);
    let code = mailed_code(&s, "ceo@acme.test").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_error(
        &attempt("12345".into()).await,
        422,
        "verification_code_invalid",
    );
    for _ in 0..5 {
        assert_error(
            &attempt(wrong.into()).await,
            422,
            "verification_code_invalid",
        );
    }
    assert_error(
        &attempt(code.clone()).await,
        409,
        "verification_attempts_exceeded",
    );

    // A new code; then expiry.
    prepare("ceo@acme.test").await;
    let code = mailed_code(&s, "ceo@acme.test").await;
    sqlx::query("UPDATE domain_affiliation_codes SET expires_at = 1 WHERE domain_id = $1")
        .bind(&id)
        .execute(&s.state.db.pool)
        .await
        .unwrap();
    assert_error(&attempt(code).await, 409, "verification_code_expired");

    prepare("ceo@acme.test").await;
    let code = mailed_code(&s, "ceo@acme.test").await;
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM domain_affiliation_codes WHERE code_hash = $1",
            &code
        )
        .await,
        0,
        "codes are stored hashed"
    );
    let ok = attempt(code.clone()).await;
    assert_eq!(ok.0, StatusCode::OK, "{}", ok.1);
    assert_eq!(ok.1["verified"], true);
    assert_eq!(ok.1["affiliationEmailAddress"], "ceo@acme.test");
    assert!(ok.1["affiliationVerifiedAt"].is_number());
    assert_error(&attempt(code).await, 409, "verification_code_expired");

    // One organization per verified domain.
    let rival = verified(&s, "rival@acme.test").await;
    let rival_org = s.create_org(&rival, "Rival").await;
    let rival_domain = added(&s, &rival, &rival_org, "acme.test").await;
    let taken = rival
        .call(
            &s,
            Method::POST,
            &path(&rival_org, &rival_domain, "/prepare-affiliation"),
            Some(json!({ "emailAddress": "rival@acme.test" })),
        )
        .await;
    assert_error(&taken, 409, "domain_taken");
    // Once the first organization deletes it, the second may verify it.
    admin
        .call(&s, Method::DELETE, &path(&org, &id, ""), None)
        .await;
    let now_free = rival
        .call(
            &s,
            Method::POST,
            &path(&rival_org, &rival_domain, "/prepare-affiliation"),
            Some(json!({ "emailAddress": "rival@acme.test" })),
        )
        .await;
    assert_eq!(now_free.1["verified"], true, "{}", now_free.1);
}

pub async fn ownership_is_verified_through_dns(backend: Backend) {
    let dns = Dns::start().await;
    let s = TestServer::start_with(backend, |c| c.dns_server = Some(dns.addr)).await;
    let admin = verified(&s, "admin@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    let (status, body) = add(&s, &admin, &org, "owned.test").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let record = body["ownershipRecordName"].as_str().unwrap().to_owned();
    let value = body["ownershipRecordValue"].as_str().unwrap().to_owned();
    let verify_path = path(&org, &id, "/verify-ownership");
    let verify = || admin.call(&s, Method::POST, &verify_path, None);

    // No record at all, then a wrong one.
    assert_error(&verify().await, 409, "ownership_record_not_found");
    dns.txt(&record, "orgkit-domain-verification=wrong").await;
    assert_error(&verify().await, 409, "ownership_record_not_found");
    dns.txt(&record, &value).await;
    let ok = verify().await;
    assert_eq!(ok.0, StatusCode::OK, "{}", ok.1);
    assert_eq!(ok.1["verified"], true);
    assert!(ok.1["ownershipVerifiedAt"].is_number());
    assert!(ok.1["affiliationVerifiedAt"].is_null());

    // Another organization publishing its own record is refused: one owner at a time.
    let rival = verified(&s, "rival@home.test").await;
    let rival_org = s.create_org(&rival, "Rival").await;
    let (_, body) = add(&s, &rival, &rival_org, "owned.test").await;
    let rival_id = body["id"].as_str().unwrap().to_owned();
    dns.txt(&record, body["ownershipRecordValue"].as_str().unwrap())
        .await;
    let taken = rival
        .call(
            &s,
            Method::POST,
            &path(&rival_org, &rival_id, "/verify-ownership"),
            None,
        )
        .await;
    assert_error(&taken, 409, "domain_taken");
}

async fn my_invitations(s: &TestServer, user: &User) -> Vec<Value> {
    let (status, body) = user.call(s, Method::GET, "/v1/me/invitations", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"].as_array().unwrap().clone()
}

pub async fn automatic_invitation_backfills_and_follows_verification(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, org, id) = org_with_verified_domain(&s, "acme.test").await;
    let ready = verified(&s, "ready@acme.test").await;
    let later = s.sign_up("later@acme.test").await;
    let elsewhere = verified(&s, "someone@else.test").await;
    let member = verified(&s, "member@acme.test").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let invited = verified(&s, "invited@acme.test").await;
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
    assert_eq!(verify(&s, &later.email).await.0, StatusCode::OK);
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
    let verifying = tokens.iter().map(|(_, token)| async move {
        s.raw(
            Method::POST,
            "/v1/auth/verify-email",
            None,
            Some(json!({ "token": token })),
        )
        .await
    });
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
    let user = verified(&s, "user@suggest.test").await;
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

pub async fn domain_routes_need_a_session(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, org, id) = org_with_verified_domain(&s, "auth.test").await;
    let routes = [
        (Method::POST, format!("/v1/organizations/{org}/domains")),
        (Method::GET, format!("/v1/organizations/{org}/domains")),
        (Method::GET, path(&org, &id, "")),
        (Method::PATCH, path(&org, &id, "")),
        (Method::DELETE, path(&org, &id, "")),
        (Method::POST, path(&org, &id, "/prepare-affiliation")),
        (Method::POST, path(&org, &id, "/attempt-affiliation")),
        (Method::POST, path(&org, &id, "/verify-ownership")),
        (Method::GET, "/v1/me/suggestions".to_owned()),
        (Method::POST, format!("/v1/me/suggestions/{id}/accept")),
    ];
    for (method, route) in routes {
        let answer = s.raw(method.clone(), &route, None, Some(json!({}))).await;
        assert_error(&answer, 401, "unauthenticated");
        let answer = s
            .raw(
                method.clone(),
                &route,
                Some("not-a-session"),
                Some(json!({})),
            )
            .await;
        assert_error(&answer, 401, "unauthenticated");
    }
    // The domain is untouched.
    let one = admin
        .call(&s, Method::GET, &path(&org, &id, ""), None)
        .await;
    assert_eq!(one.1["verified"], true);
}
