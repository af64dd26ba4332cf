//! SSO connections, the admin side: create, list, read, change, delete, test discovery, and
//! "require SSO"; the domain rules (owned by DNS, one connection per domain, no automatic
//! enrollment); the client secret sealed at rest; two admins racing for one domain.

use crate::domains::{added, path as domain_path, Dns};
use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A server with a DNS server on 127.0.0.1 for ownership records, and an organization with
/// an admin and a member.
struct Setup {
    dns: Dns,
    s: TestServer,
    admin: User,
    member: User,
    org: String,
}

async fn setup(backend: Backend) -> Setup {
    let dns = Dns::start().await;
    let s = TestServer::start_with(backend, |c| c.dns_server = Some(dns.addr)).await;
    let admin = s.verified_user("admin@home.test").await;
    let member = s.verified_user("member@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    Setup {
        dns,
        s,
        admin,
        member,
        org,
    }
}

impl Setup {
    /// Adds `name` to the organization and proves its ownership by DNS; answers its id.
    async fn owned_domain(&self, name: &str) -> String {
        let (s, admin, org) = (&self.s, &self.admin, &self.org);
        let id = added(s, admin, org, name).await;
        let (_, body) = admin
            .call(s, Method::GET, &domain_path(org, &id, ""), None)
            .await;
        let record = body["ownershipRecordName"].as_str().unwrap();
        self.dns
            .txt(record, body["ownershipRecordValue"].as_str().unwrap())
            .await;
        let verified = admin
            .call(
                s,
                Method::POST,
                &domain_path(org, &id, "/verify-ownership"),
                None,
            )
            .await;
        assert_eq!(verified.0, StatusCode::OK, "{}", verified.1);
        id
    }

    async fn create(&self, user: &User, body: Value) -> (StatusCode, Value) {
        let path = format!("/v1/organizations/{}/sso-connections", self.org);
        user.call(&self.s, Method::POST, &path, Some(body)).await
    }

    async fn call(
        &self,
        user: &User,
        method: Method,
        connection: &str,
        rest: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let path = format!(
            "/v1/organizations/{}/sso-connections/{connection}{rest}",
            self.org
        );
        user.call(&self.s, method, &path, body).await
    }

    async fn patch(&self, connection: &str, body: Value) -> (StatusCode, Value) {
        self.call(&self.admin, Method::PATCH, connection, "", Some(body))
            .await
    }
}

/// A valid new connection with `domains`.
fn new_connection(issuer: &str, domains: &[&str]) -> Value {
    json!({
        "name": "Acme Okta",
        "issuer": issuer,
        "clientId": "orgkit-client",
        "clientSecret": "the-client-secret-1234",
        "domainIds": domains,
    })
}

const ISSUER: &str = "https://login.acme.test";

pub async fn connections_are_created_listed_and_read(backend: Backend) {
    let t = setup(backend).await;
    let domain = t.owned_domain("acme.test").await;
    let mut body = new_connection(
        "https://login.acme.test/.well-known/openid-configuration",
        &[&domain, &domain],
    );
    body["scopes"] = json!("email openid  email");
    body["jitRole"] = json!("admin");
    body["claimMapping"] = json!({"name": "preferred_username"});
    let (status, created) = t.create(&t.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("sso_"));
    assert_eq!(created["issuer"], ISSUER, "the discovery suffix is dropped");
    assert_eq!(created["state"], "draft");
    assert_eq!(created["scopes"], "email openid");
    assert_eq!(created["pkce"], true);
    assert_eq!(created["jitEnabled"], true);
    assert_eq!(created["jitRole"], "admin");
    assert_eq!(
        created["claimMapping"],
        json!({"email": "email", "name": "preferred_username", "emailVerified": "email_verified"})
    );
    assert_eq!(
        created["domains"],
        json!([{"id": domain, "name": "acme.test"}])
    );
    assert_eq!(created["hasClientSecret"], true);
    assert_eq!(
        created["callbackUrl"],
        format!("{}/v1/sso/callback/{id}", t.s.url)
    );
    assert!(
        !created.to_string().contains("the-client-secret"),
        "{created}"
    );
    assert_eq!(t.s.audit_count("sso_connection.created").await, 1);

    // The secret is sealed at rest, never stored in clear.
    let (sealed,): (String,) =
        sqlx::query_as("SELECT client_secret_sealed FROM sso_connections WHERE id = $1")
            .bind(&id)
            .fetch_one(&t.s.state.db.pool)
            .await
            .unwrap();
    assert!(!sealed.contains("the-client-secret"), "{sealed}");
    let sealer = t.s.state.webhooks.sealer.as_ref().unwrap();
    assert_eq!(sealer.open(&id, &sealed).unwrap(), "the-client-secret-1234");
    assert!(
        sealer.open("sso_other", &sealed).is_err(),
        "bound to the connection id"
    );

    // A second connection, without domains; then the list pages through both.
    let (status, second) = t
        .create(&t.admin, new_connection("https://idp.acme.test", &[]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["jitRole"], "basic_member");
    assert_eq!(second["scopes"], "openid email profile");
    let list = format!("/v1/organizations/{}/sso-connections", t.org);
    let (status, page) = t
        .admin
        .call(&t.s, Method::GET, &format!("{list}?limit=1"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"][0], created);
    let cursor = page["nextCursor"].as_str().unwrap();
    let (_, rest) = t
        .admin
        .call(&t.s, Method::GET, &format!("{list}?after={cursor}"), None)
        .await;
    assert_eq!(rest["data"][0]["id"], second["id"]);
    assert!(rest["nextCursor"].is_null());
    let bad_cursor = t
        .admin
        .call(&t.s, Method::GET, &format!("{list}?after=mem_1"), None)
        .await;
    assert_error(&bad_cursor, 400, "validation_failed");
    let (status, one) = t.call(&t.admin, Method::GET, &id, "", None).await;
    assert_eq!((status, &one), (StatusCode::OK, &created));

    // Members may not see connections; outsiders do not learn the organization exists.
    assert_error(
        &t.call(&t.member, Method::GET, &id, "", None).await,
        403,
        "forbidden",
    );
    let outsider = t.s.verified_user("out@else.test").await;
    assert_error(
        &t.call(&outsider, Method::GET, &id, "", None).await,
        404,
        "not_found",
    );
    let missing = t.call(&t.admin, Method::GET, "sso_missing", "", None).await;
    assert_error(&missing, 404, "not_found");
    let (status, _) = t.s.raw(Method::GET, &list, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

pub async fn connection_rules_refuse_bad_input(backend: Backend) {
    let t = setup(backend).await;
    let owned = t.owned_domain("acme.test").await;
    let unverified = added(&t.s, &t.admin, &t.org, "plain.test").await;
    let with = |field: &str, value: Value| {
        let mut body = new_connection(ISSUER, &[]);
        body[field] = value;
        body
    };
    let cases = [
        (with("name", json!("   ")), 400, "validation_failed"),
        (
            with("issuer", json!("ftp://idp.test")),
            400,
            "validation_failed",
        ),
        (
            with("issuer", json!("https://idp.test/?x=1")),
            400,
            "validation_failed",
        ),
        (with("issuer", json!("http://idp.test")), 403, "forbidden"),
        (with("clientId", json!("")), 400, "validation_failed"),
        (with("clientSecret", json!("")), 400, "validation_failed"),
        (
            with("clientSecret", json!("s".repeat(1025))),
            400,
            "validation_failed",
        ),
        (
            with("scopes", json!("email profile")),
            400,
            "validation_failed",
        ),
        (
            with("claimMapping", json!({"email": "e mail"})),
            400,
            "validation_failed",
        ),
        (with("jitRole", json!("owner")), 422, "unknown_role"),
        (
            with("domainIds", json!([unverified])),
            409,
            "domain_not_verified",
        ),
        (with("domainIds", json!(["dom_missing"])), 404, "not_found"),
    ];
    for (body, status, code) in cases {
        let answer = t.create(&t.admin, body.clone()).await;
        assert_error(&answer, status, code);
        assert_eq!(answer.0.as_u16(), status, "{body}");
    }
    // Plain http to this machine is fine on a --dev server (the tests' provider runs there).
    let local = t
        .create(&t.admin, with("issuer", json!("http://127.0.0.1:9/oidc")))
        .await;
    assert_eq!(local.0, StatusCode::CREATED, "{}", local.1);
    assert_error(
        &t.create(&t.member, new_connection(ISSUER, &[])).await,
        403,
        "forbidden",
    );
    assert_eq!(
        t.s.count(
            "SELECT COUNT(*) FROM sso_connections WHERE org_id = $1",
            &t.org
        )
        .await,
        1
    );

    // One connection per domain.
    let first = t.create(&t.admin, new_connection(ISSUER, &[&owned])).await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    let second = t.create(&t.admin, new_connection(ISSUER, &[&owned])).await;
    assert_error(&second, 409, "sso_domain_conflict");

    // No automatic enrollment on an SSO domain: refused when the domain is attached…
    let auto = t.owned_domain("auto.test").await;
    let set_mode = |domain: String, mode: &'static str| {
        let path = domain_path(&t.org, &domain, "");
        let admin = t.admin.clone();
        let s = &t.s;
        async move {
            admin
                .call(
                    s,
                    Method::PATCH,
                    &path,
                    Some(json!({"enrollmentMode": mode})),
                )
                .await
        }
    };
    assert_eq!(
        set_mode(auto.clone(), "automatic_suggestion").await.0,
        StatusCode::OK
    );
    let attach = t.create(&t.admin, new_connection(ISSUER, &[&auto])).await;
    assert_error(&attach, 409, "sso_domain_conflict");
    // …and when an admin later sets such a mode on it.
    assert_error(
        &set_mode(owned.clone(), "automatic_invitation").await,
        409,
        "sso_domain_conflict",
    );
    assert_error(
        &set_mode(owned.clone(), "automatic_suggestion").await,
        409,
        "sso_domain_conflict",
    );
    assert_eq!(
        set_mode(owned.clone(), "manual_invitation").await.0,
        StatusCode::OK
    );
    // A domain serving a connection stays until it is taken off the connection.
    let delete_path = domain_path(&t.org, &owned, "");
    let deleted = t.admin.call(&t.s, Method::DELETE, &delete_path, None).await;
    assert_error(&deleted, 409, "sso_domain_conflict");
    let connection = first.1["id"].as_str().unwrap();
    let (status, _) = t.patch(connection, json!({"domainIds": []})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = t.admin.call(&t.s, Method::DELETE, &delete_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Another organization's domain is not found.
    let rival = t.s.verified_user("rival@else.test").await;
    let rival_org = t.s.create_org(&rival, "Rival").await;
    let theirs = added(&t.s, &rival, &rival_org, "rival.test").await;
    let foreign = t.create(&t.admin, new_connection(ISSUER, &[&theirs])).await;
    assert_error(&foreign, 404, "not_found");
}

pub async fn without_a_secret_key_sso_is_not_configured(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.secret_key = None).await;
    let admin = s.verified_user("admin@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    let answer = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/sso-connections"),
            Some(new_connection(ISSUER, &[])),
        )
        .await;
    assert_error(&answer, 409, "sso_not_configured");
}

pub async fn connection_states_and_require_sso(backend: Backend) {
    let t = setup(backend).await;
    let domain = t.owned_domain("acme.test").await;
    let (_, created) = t.create(&t.admin, new_connection(ISSUER, &[])).await;
    let id = created["id"].as_str().unwrap().to_owned();

    // Requiring SSO needs an active connection; activating needs a domain.
    let require = |on: bool| t.s.update_org(&t.admin, &t.org, json!({"requireSso": on}));
    assert_error(&require(true).await, 409, "sso_connection_inactive");
    assert_error(
        &t.patch(&id, json!({"state": "inactive"})).await,
        409,
        "sso_connection_inactive",
    );
    assert_error(
        &t.patch(&id, json!({"state": "active"})).await,
        409,
        "domain_not_verified",
    );
    let (status, active) = t
        .patch(&id, json!({"state": "active", "domainIds": [domain]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{active}");
    assert_eq!(active["state"], "active");
    assert_eq!(t.s.audit_count("sso_connection.activated").await, 1);

    // An active connection keeps its provider, its domains and its place.
    let moved = t
        .patch(&id, json!({"issuer": "https://other.acme.test"}))
        .await;
    assert_error(&moved, 409, "sso_connection_in_use");
    assert_error(
        &t.patch(&id, json!({"clientId": "other"})).await,
        409,
        "sso_connection_in_use",
    );
    assert_error(
        &t.patch(&id, json!({"domainIds": []})).await,
        409,
        "domain_not_verified",
    );
    assert_error(
        &t.patch(&id, json!({"state": "draft"})).await,
        409,
        "sso_connection_in_use",
    );
    let deleted = t.call(&t.admin, Method::DELETE, &id, "", None).await;
    assert_error(&deleted, 409, "sso_connection_in_use");
    // Its name, JIT settings and secret may change; the escalation guard holds for the role.
    let sealed = || async {
        let (v,): (String,) =
            sqlx::query_as("SELECT client_secret_sealed FROM sso_connections WHERE id = $1")
                .bind(&id)
                .fetch_one(&t.s.state.db.pool)
                .await
                .unwrap();
        v
    };
    let old_secret = sealed().await;
    let (status, changed) = t
        .patch(
            &id,
            json!({"name": "Okta", "jitEnabled": false, "jitRole": "admin", "clientSecret": "rotated-secret", "pkce": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["name"].as_str(), changed["jitEnabled"].as_bool()),
        (Some("Okta"), Some(false))
    );
    assert_eq!(changed["pkce"], false);
    let new_secret = sealed().await;
    assert_ne!(old_secret, new_secret);
    let sealer = t.s.state.webhooks.sealer.as_ref().unwrap();
    assert_eq!(sealer.open(&id, &new_secret).unwrap(), "rotated-secret");
    assert_error(
        &t.patch(&id, json!({"scopes": "profile"})).await,
        400,
        "validation_failed",
    );
    let member_patch = t
        .call(
            &t.member,
            Method::PATCH,
            &id,
            "",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_error(&member_patch, 403, "forbidden");

    // Require SSO: on, seen on the organization with the join link; members may not touch it.
    let (status, org) = require(true).await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(org["requireSso"], true);
    assert_eq!(
        org["ssoJoinUrl"],
        format!("{}/sso/{}", t.s.url, org["slug"].as_str().unwrap())
    );
    let (_, seen) = t
        .member
        .call(
            &t.s,
            Method::GET,
            &format!("/v1/organizations/{}", t.org),
            None,
        )
        .await;
    assert_eq!(seen["requireSso"], true);
    let by_member =
        t.s.update_org(&t.member, &t.org, json!({"requireSso": false}))
            .await;
    assert_error(&by_member, 403, "forbidden");
    assert_eq!(t.s.audit_count("organization.require_sso_changed").await, 1);
    assert_eq!(
        t.s.audit_count("organization.updated").await,
        0,
        "not a profile change"
    );

    // The last active connection stays while SSO is required.
    let off = t.patch(&id, json!({"state": "inactive"})).await;
    assert_error(&off, 409, "sso_connection_in_use");
    assert_eq!(require(false).await.0, StatusCode::OK);
    let (status, off) = t.patch(&id, json!({"state": "inactive"})).await;
    assert_eq!(
        (status, off["state"].as_str()),
        (StatusCode::OK, Some("inactive"))
    );
    assert_eq!(t.s.audit_count("sso_connection.deactivated").await, 1);
    // Inactive, its provider may change again; then it goes.
    let (status, _) = t
        .patch(&id, json!({"issuer": "https://other.acme.test"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = t.call(&t.admin, Method::DELETE, &id, "", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(t.s.audit_count("sso_connection.deleted").await, 1);
    assert_error(
        &t.call(&t.admin, Method::GET, &id, "", None).await,
        404,
        "not_found",
    );
    assert_eq!(
        t.s.count(
            "SELECT COUNT(*) FROM sso_connection_domains WHERE domain_id = $1",
            &domain
        )
        .await,
        0
    );
}

pub async fn two_admins_racing_for_one_domain(backend: Backend) {
    let t = setup(backend).await;
    let second_admin = t.s.verified_user("second@home.test").await;
    t.s.add_member(&t.admin, &t.org, &second_admin, "admin")
        .await;
    let domain = t.owned_domain("acme.test").await;
    for _ in 0..3 {
        let (a, b) = tokio::join!(
            t.create(&t.admin, new_connection(ISSUER, &[&domain])),
            t.create(&second_admin, new_connection(ISSUER, &[&domain])),
        );
        let mut statuses = [a.0.as_u16(), b.0.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "{} / {}", a.1, b.1);
        let loser = if a.0 == StatusCode::CONFLICT { a } else { b };
        assert_error(&loser, 409, "sso_domain_conflict");
        // Free the domain for the next round.
        sqlx::query("DELETE FROM sso_connection_domains WHERE domain_id = $1")
            .bind(&domain)
            .execute(&t.s.state.db.pool)
            .await
            .unwrap();
    }
}
