//! Verified email domains: adding and listing, affiliation codes, DNS ownership against a real
//! DNS server on 127.0.0.1, and the routes' sessions. Enrollment modes are in
//! `domain_enrollment.rs`.

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
pub struct Dns {
    pub addr: std::net::SocketAddr,
    zone: Arc<InMemoryAuthority>,
}

impl Dns {
    pub async fn start() -> Dns {
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

    pub async fn txt(&self, name: &str, value: &str) {
        let record = Record::from_rdata(
            Name::from_ascii(format!("{name}.")).unwrap(),
            60,
            RData::TXT(TXT::new(vec![value.to_owned()])),
        );
        self.zone.upsert(record, 0).await;
    }
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

/// Adds the domain `name` to `org` as `admin`, and returns its id.
pub async fn added(s: &TestServer, admin: &User, org: &str, name: &str) -> String {
    let answer = add(s, admin, org, name).await;
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
    answer.1["id"].as_str().unwrap().to_owned()
}

/// The path of a domain of `org`, with `rest` after it.
pub fn path(org: &str, domain: &str, rest: &str) -> String {
    format!("/v1/organizations/{org}/domains/{domain}{rest}")
}

/// Asks, as `user`, for `email` to prove an affiliation with a domain of `org`.
async fn prepare_affiliation(
    s: &TestServer,
    user: &User,
    org: &str,
    domain: &str,
    email: &str,
) -> (StatusCode, Value) {
    user.call(
        s,
        Method::POST,
        &path(org, domain, "/prepare-affiliation"),
        Some(json!({ "emailAddress": email })),
    )
    .await
}

/// The 6-digit code in the newest email to `to`.
async fn mailed_code(s: &TestServer, to: &str) -> String {
    let text = s.mailbox(to).await[0]["body"].as_str().unwrap().to_owned();
    text.split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned()
}

/// An admin at `domain` with a verified address, an organization, and the domain verified
/// through that address (no code needed).
pub async fn org_with_verified_domain(s: &TestServer, domain: &str) -> (User, String, String) {
    let admin = s.verified_user(&format!("boss@{domain}")).await;
    let org = s.create_org(&admin, "Acme").await;
    let id = added(s, &admin, &org, domain).await;
    let answer = prepare_affiliation(s, &admin, &org, &id, &admin.email).await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    assert_eq!(answer.1["verified"], true);
    (admin, org, id)
}

pub async fn domains_are_added_listed_and_deleted(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.verified_user("admin@acme.test").await;
    let member = s.verified_user("member@acme.test").await;
    let outsider = s.verified_user("outsider@else.test").await;
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
    let gone = s.delete_org(&admin, &org).await;
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
    let admin = s.verified_user("admin@home.test").await;
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
        409,
        "email_not_at_domain",
    );
    assert_error(&prepare("ceo@home.test").await, 409, "email_not_at_domain");
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
    let rival = s.verified_user("rival@acme.test").await;
    let rival_org = s.create_org(&rival, "Rival").await;
    let rival_domain = added(&s, &rival, &rival_org, "acme.test").await;
    let taken = prepare_affiliation(&s, &rival, &rival_org, &rival_domain, "rival@acme.test").await;
    assert_error(&taken, 409, "domain_taken");
    // Once the first organization deletes it, the second may verify it.
    admin
        .call(&s, Method::DELETE, &path(&org, &id, ""), None)
        .await;
    let now_free =
        prepare_affiliation(&s, &rival, &rival_org, &rival_domain, "rival@acme.test").await;
    assert_eq!(now_free.1["verified"], true, "{}", now_free.1);
}

pub async fn ownership_is_verified_through_dns(backend: Backend) {
    let dns = Dns::start().await;
    let s = TestServer::start_with(backend, |c| c.dns_server = Some(dns.addr)).await;
    let admin = s.verified_user("admin@home.test").await;
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
    let rival = s.verified_user("rival@home.test").await;
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
