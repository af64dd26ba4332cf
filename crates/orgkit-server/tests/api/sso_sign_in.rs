//! SSO sign-in against a real OIDC provider (oidc-provider on 127.0.0.1): start, the provider's
//! scripted login, the callback and the session, with a cookie-keeping HTTP client.

use crate::harness::{assert_error, Backend, TestServer, User};
use crate::oidc::OidcProvider;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// An organization with an SSO connection at a real provider.
pub struct SsoSetup {
    pub server: TestServer,
    pub provider: OidcProvider,
    pub admin: User,
    pub org: String,
    pub slug: String,
    pub connection: String,
}

/// Starts a server and a provider; `admin@acme.test` creates the organization "Acme", whose
/// verified domain `acme.test` an active connection serves (JIT on, default role).
pub async fn setup(backend: Backend) -> SsoSetup {
    let server = TestServer::start(backend).await;
    let provider = OidcProvider::start(&format!("{}/v1/sso/callback/", server.url)).await;
    let admin = server.verified_user("admin@acme.test").await;
    let org = server.create_org(&admin, "Acme").await;
    let (status, body) = admin
        .call(
            &server,
            Method::GET,
            &format!("/v1/organizations/{org}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let slug = body["slug"].as_str().unwrap().to_owned();
    add_verified_domain(&server, &org, &admin, "acme.test").await;
    let connection =
        add_connection(&server, &provider, &org, &admin, &["acme.test"], "active").await;
    SsoSetup {
        server,
        provider,
        admin,
        org,
        slug,
        connection,
    }
}

/// A domain whose ownership the organization proved (written directly: DNS is another test's).
pub async fn add_verified_domain(
    server: &TestServer,
    org: &str,
    admin: &User,
    name: &str,
) -> String {
    let id = orgkit_server::token::new_id("dom_");
    let at = orgkit_server::token::now().millis();
    sqlx::query(
        "INSERT INTO org_domains (id, org_id, name, enrollment_mode, verified, ownership_value, \
         ownership_verified_at, created_by, created_at) VALUES ($1, $2, $3, 'manual_invitation', 1, 'x', $4, $5, $4)",
    )
    .bind(&id)
    .bind(org)
    .bind(name)
    .bind(at)
    .bind(&admin.id)
    .execute(&server.state.db.pool)
    .await
    .unwrap();
    id
}

/// A connection of `org` to `provider` serving `domains`, created by the admin through the
/// API, then moved to `state` (`draft` stays as created).
pub async fn add_connection(
    server: &TestServer,
    provider: &OidcProvider,
    org: &str,
    admin: &User,
    domains: &[&str],
    state: &str,
) -> String {
    let mut domain_ids = Vec::new();
    for domain in domains {
        let id = server
            .text_value(
                "SELECT id FROM org_domains WHERE org_id = $1 AND name = $2",
                org,
                domain,
            )
            .await;
        domain_ids.push(id);
    }
    let path = format!("/v1/organizations/{org}/sso-connections");
    let body = json!({
        "name": "Test IdP", "issuer": provider.issuer, "clientId": provider.client_id,
        "clientSecret": provider.client_secret, "domainIds": domain_ids,
    });
    let (status, created) = admin.call(server, Method::POST, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    if state != "draft" {
        let (status, body) = admin
            .call(
                server,
                Method::PATCH,
                &format!("{path}/{id}"),
                Some(json!({"state": state})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    id
}

/// A browser: keeps cookies, follows the provider's redirects, stops before our server.
pub fn browser(server: &TestServer) -> reqwest::Client {
    let ours = server.url.clone();
    reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.url().as_str().starts_with(&ours) {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .unwrap()
}

/// `POST /v1/sso/start` with `body`; returns the answer.
pub async fn start(
    server: &TestServer,
    client: &reqwest::Client,
    body: Value,
) -> (StatusCode, Value) {
    let response = client
        .post(format!("{}/v1/sso/start", server.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Follows an authorization URL through the provider's scripted login: answers the callback
/// URL the provider sends the browser to.
pub async fn provider_login(client: &reqwest::Client, authorization_url: &str) -> String {
    let response = client.get(authorization_url).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        response.text().await
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// What the callback answered.
#[derive(Debug)]
pub struct Callback {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: Value,
}

/// Calls the callback URL as a non-browser client (JSON errors), or as a browser (`html`).
pub async fn call_back(client: &reqwest::Client, url: &str, html: bool) -> Callback {
    let accept = if html {
        "text/html"
    } else {
        "application/json"
    };
    let response = client
        .get(url)
        .header("accept", accept)
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    // The session cookie (the sign-in's own orgkit_sso cookie is cleared beside it).
    let set_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("orgkit_session="))
        .map(str::to_owned);
    let location = header("location");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Callback {
        status,
        location,
        set_cookie,
        body,
    }
}

/// The whole flow for `email` through `org_slug`'s connection; `hint` replaces the login hint
/// (other claims). Answers the callback's result and the browser.
pub async fn sign_in(
    server: &TestServer,
    org_slug: &str,
    email: &str,
    hint: Option<&str>,
) -> (Callback, reqwest::Client) {
    let client = browser(server);
    let (status, body) = start(
        server,
        &client,
        json!({"organizationSlug": org_slug, "emailAddress": email, "returnTo": "/home"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut url = url::Url::parse(body["redirectUrl"].as_str().unwrap()).unwrap();
    if let Some(hint) = hint {
        set_param(&mut url, "login_hint", hint);
    }
    let callback = provider_login(&client, url.as_str()).await;
    (call_back(&client, &callback, false).await, client)
}

/// Replaces (or adds) a query parameter.
pub fn set_param(url: &mut url::Url, name: &str, value: &str) {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(name, value);
}

/// The signed-in user of a browser (its session cookie), by `GET /v1/me`.
pub async fn me(server: &TestServer, client: &reqwest::Client) -> Value {
    let response = client
        .get(format!("{}/v1/me", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// How many rows the sign-in tables hold: users, identities, memberships, sessions.
pub async fn rows(server: &TestServer) -> [i64; 4] {
    let mut out = [0; 4];
    for (i, table) in ["users", "user_identities", "memberships", "sessions"]
        .iter()
        .enumerate()
    {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        out[i] = n;
    }
    out
}

/// The role and source of `user_id`'s membership of `org`.
pub async fn membership(
    server: &TestServer,
    org: &str,
    user_id: &str,
) -> Option<(String, Option<String>)> {
    sqlx::query_as("SELECT role, source FROM memberships WHERE org_id = $1 AND user_id = $2")
        .bind(org)
        .bind(user_id)
        .fetch_optional(&server.state.db.pool)
        .await
        .unwrap()
}

/// A new person signs in: the user is created just in time, with a membership from SSO, a
/// session cookie like password sign-in's, and the return URL; no password works for them.
pub async fn a_new_user_joins_just_in_time(backend: Backend) {
    let s = setup(backend).await;
    let (done, client) = sign_in(&s.server, &s.slug, "Ann@Acme.test", None).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{:?}", done);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{}/home", s.server.url).as_str())
    );
    let cookie = done.set_cookie.unwrap();
    for part in [
        "orgkit_session=",
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let user = me(&s.server, &client).await;
    assert_eq!(user["emailAddress"], "ann@acme.test");
    assert_eq!(user["emailVerified"], true);
    let user_id = user["id"].as_str().unwrap();
    assert_eq!(
        membership(&s.server, &s.org, user_id).await,
        Some(("basic_member".to_owned(), Some("sso".to_owned())))
    );
    for action in [
        "sso.user_created",
        "sso.membership_created",
        "sso.signed_in",
    ] {
        assert_eq!(s.server.audit_count(action).await, 1, "{action}");
    }
    let identities = s
        .server
        .count(
            "SELECT COUNT(*) FROM user_identities WHERE user_id = $1",
            user_id,
        )
        .await;
    assert_eq!(identities, 1);
    // Signing in again finds the same user by (issuer, subject).
    let (again, client) = sign_in(&s.server, &s.slug, "ann@acme.test", None).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{:?}", again);
    assert_eq!(me(&s.server, &client).await["id"], user_id);
    assert_eq!(s.server.audit_count("sso.user_created").await, 1);
    // No password signs this account in.
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "ann@acme.test", "password": "!sso"})),
        )
        .await;
    assert_error(&answer, 401, "invalid_credentials");
}

/// An existing account at the verified domain is linked, never duplicated; an admin keeps
/// their role (SSO never lowers one).
pub async fn an_existing_user_is_linked_and_keeps_their_role(backend: Backend) {
    let s = setup(backend).await;
    let before = rows(&s.server).await;
    let (done, client) = sign_in(&s.server, &s.slug, "admin@acme.test", None).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{:?}", done);
    assert_eq!(me(&s.server, &client).await["id"], s.admin.id.as_str());
    assert_eq!(
        membership(&s.server, &s.org, &s.admin.id).await,
        Some(("admin".to_owned(), None))
    );
    let after = rows(&s.server).await;
    // One identity and one session more; no user, no membership.
    assert_eq!(after, [before[0], before[1] + 1, before[2], before[3] + 1]);
    assert_eq!(s.server.audit_count("sso.identity_linked").await, 1);
    assert_eq!(s.server.audit_count("sso.membership_created").await, 0);
    // The password still works for a verified account that was linked.
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "admin@acme.test", "password": "correct horse"})),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
}

/// A member who joined by SSO and was removed is added again at their next SSO sign-in.
pub async fn a_removed_jit_member_is_added_again(backend: Backend) {
    let s = setup(backend).await;
    let (_, client) = sign_in(&s.server, &s.slug, "bo@acme.test", None).await;
    let bo = me(&s.server, &client).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = s
        .admin
        .call(
            &s.server,
            Method::DELETE,
            &format!("/v1/organizations/{}/memberships/{bo}", s.org),
            None,
        )
        .await;
    assert!(answer.0.is_success(), "{}", answer.1);
    assert_eq!(membership(&s.server, &s.org, &bo).await, None);
    let (again, _) = sign_in(&s.server, &s.slug, "bo@acme.test", None).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{:?}", again);
    assert_eq!(
        membership(&s.server, &s.org, &bo).await,
        Some(("basic_member".to_owned(), Some("sso".to_owned())))
    );
}

/// Every refusal of the callback: its code, as JSON or as a browser redirect, and nothing
/// written (no user, identity, membership or session).
pub async fn callback_refusals_write_nothing(backend: Backend) {
    let s = setup(backend).await;
    let server = &s.server;
    let before = rows(server).await;
    // An address outside the connection's domains.
    let (done, _) = sign_in(server, &s.slug, "ann@acme.test", Some("ann@evil.test")).await;
    assert_callback_error(&done, 403, "sso_email_outside_domains");
    // An address the provider has not verified.
    let (done, _) = sign_in(
        server,
        &s.slug,
        "ann@acme.test",
        Some("email=ann@acme.test&email_verified=false"),
    )
    .await;
    assert_callback_error(&done, 403, "email_not_verified");
    // An ID token signed by another key than the provider publishes.
    let (done, _) = sign_in(
        server,
        &s.slug,
        "ann@acme.test",
        Some("email=ann@acme.test&sign=evil"),
    )
    .await;
    assert_callback_error(&done, 401, "sso_token_invalid");
    // A wrong nonce: the authorization request was changed on the way.
    let client = browser(server);
    let (_, body) = start(server, &client, json!({"emailAddress": "ann@acme.test"})).await;
    let mut url = url::Url::parse(body["redirectUrl"].as_str().unwrap()).unwrap();
    set_param(&mut url, "nonce", "not-the-derived-nonce");
    let callback = provider_login(&client, url.as_str()).await;
    assert_callback_error(
        &call_back(&client, &callback, false).await,
        401,
        "sso_token_invalid",
    );
    // Another browser than the one that started: a callback URL sent to someone else.
    let (_, body) = start(server, &client, json!({"emailAddress": "ann@acme.test"})).await;
    let callback = provider_login(&client, body["redirectUrl"].as_str().unwrap()).await;
    let victim = browser(server);
    assert_callback_error(
        &call_back(&victim, &callback, false).await,
        409,
        "sso_state_invalid",
    );
    // A replayed state: the second use of a callback URL is refused, also after a success.
    let (_, body) = start(server, &client, json!({"emailAddress": "ann@acme.test"})).await;
    let callback = provider_login(&client, body["redirectUrl"].as_str().unwrap()).await;
    let mut replay = url::Url::parse(&callback).unwrap();
    set_param(&mut replay, "code", "forged");
    assert_callback_error(
        &call_back(&client, replay.as_str(), false).await,
        502,
        "sso_provider_error",
    );
    assert_callback_error(
        &call_back(&client, &callback, false).await,
        409,
        "sso_state_invalid",
    );
    // An expired state (older than 10 minutes), as a browser sees it: back to the sign-in page.
    let (_, body) = start(server, &client, json!({"emailAddress": "ann@acme.test"})).await;
    let callback = provider_login(&client, body["redirectUrl"].as_str().unwrap()).await;
    sqlx::query("UPDATE sso_states SET expires_at = 0")
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    let done = call_back(&client, &callback, true).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        done.location.unwrap(),
        format!("{}/?ssoError=sso_state_expired", server.url)
    );
    assert!(done.set_cookie.is_none());
    // The provider's own refusal.
    let (_, body) = start(server, &client, json!({"emailAddress": "ann@acme.test"})).await;
    let callback = provider_login(&client, body["redirectUrl"].as_str().unwrap()).await;
    let mut refused = url::Url::parse(&callback).unwrap();
    set_param(&mut refused, "error", "access_denied");
    assert_callback_error(
        &call_back(&client, refused.as_str(), false).await,
        502,
        "sso_provider_error",
    );
    // A state for another connection.
    let (_, body) = start(server, &client, json!({"emailAddress": "ann@acme.test"})).await;
    let callback = provider_login(&client, body["redirectUrl"].as_str().unwrap()).await;
    let other = callback.replace(&s.connection, "sso_01JZZZZZZZZZZZZZZZZZZZZZZZ");
    assert_callback_error(
        &call_back(&client, &other, false).await,
        409,
        "sso_state_invalid",
    );
    // JIT off: an unknown person is refused.
    sqlx::query("UPDATE sso_connections SET jit_enabled = 0")
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    let (done, _) = sign_in(server, &s.slug, "new@acme.test", None).await;
    assert_callback_error(&done, 403, "sso_jit_disabled");
    assert_eq!(rows(server).await, before, "nothing was written");
    for action in [
        "sso.user_created",
        "sso.identity_linked",
        "sso.membership_created",
        "sso.signed_in",
    ] {
        assert_eq!(server.audit_count(action).await, 0, "{action}");
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sso_states")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0, "every state used was deleted");
}

#[track_caller]
fn assert_callback_error(done: &Callback, status: u16, code: &str) {
    assert_error(&(done.status, done.body.clone()), status, code);
    assert!(done.set_cookie.is_none(), "{done:?}");
}

/// Start refusals: the return URL, what names no connection, an inactive connection, a
/// server without a secret key.
pub async fn start_refusals(backend: Backend) {
    let s = setup(backend.clone()).await;
    let server = &s.server;
    let client = browser(server);
    let cases = [
        (
            json!({"emailAddress": "ann@acme.test", "returnTo": "https://evil.test/"}),
            403,
            "sso_return_url_forbidden",
        ),
        (
            json!({"emailAddress": "ann@acme.test", "returnTo": "//evil.test/"}),
            403,
            "sso_return_url_forbidden",
        ),
        (
            json!({"emailAddress": "ann@other.test"}),
            404,
            "sso_connection_not_found",
        ),
        (
            json!({"emailAddress": "not-an-address"}),
            404,
            "sso_connection_not_found",
        ),
        (json!({}), 404, "sso_connection_not_found"),
        (
            json!({"organizationSlug": "no-such-org"}),
            404,
            "sso_connection_not_found",
        ),
        (
            json!({"connectionId": "sso_01JZZZZZZZZZZZZZZZZZZZZZZZ"}),
            404,
            "sso_connection_not_found",
        ),
    ];
    for (body, status, code) in cases {
        assert_error(&start(server, &client, body.clone()).await, status, code);
    }
    // Allowed: a path here, the server's origin and an --allowed-origin.
    for return_to in [
        "/organization/",
        &format!("{}/x", server.url),
        "http://app.test/after",
    ] {
        let answer = start(
            server,
            &client,
            json!({"emailAddress": "ann@acme.test", "returnTo": return_to}),
        )
        .await;
        assert_eq!(answer.0, StatusCode::OK, "{return_to}: {}", answer.1);
        let redirect = answer.1["redirectUrl"].as_str().unwrap();
        assert!(
            redirect.starts_with(&format!("{}/auth?", s.provider.issuer)),
            "{redirect}"
        );
        for part in [
            "code_challenge_method=S256",
            "login_hint=ann%40acme.test",
            "nonce=",
            "state=",
        ] {
            assert!(redirect.contains(part), "{redirect}");
        }
    }
    // Only the state's hash is stored.
    let started = start(server, &client, json!({"organizationSlug": s.slug})).await;
    let state = url::Url::parse(started.1["redirectUrl"].as_str().unwrap())
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    assert_eq!(
        server
            .count(
                "SELECT COUNT(*) FROM sso_states WHERE state_hash = $1",
                &state
            )
            .await,
        0
    );
    assert_eq!(
        server
            .count(
                "SELECT COUNT(*) FROM sso_states WHERE state_hash = $1",
                &crate::harness::sha256_hex(&state)
            )
            .await,
        1
    );
    // A draft connection, by id.
    add_verified_domain(server, &s.org, &s.admin, "labs.test").await;
    let draft = add_connection(
        server,
        &s.provider,
        &s.org,
        &s.admin,
        &["labs.test"],
        "draft",
    )
    .await;
    assert_error(
        &start(server, &client, json!({"connectionId": draft})).await,
        409,
        "sso_connection_inactive",
    );
    assert_error(
        &start(server, &client, json!({"emailAddress": "x@labs.test"})).await,
        404,
        "sso_connection_not_found",
    );
    // Two active connections: the organization slug needs the email.
    let activate = json!({"state": "active"});
    let path = format!("/v1/organizations/{}/sso-connections/{draft}", s.org);
    let answer = s
        .admin
        .call(server, Method::PATCH, &path, Some(activate))
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    assert_error(
        &start(server, &client, json!({"organizationSlug": s.slug})).await,
        404,
        "sso_connection_not_found",
    );
    let answer = start(
        server,
        &client,
        json!({"organizationSlug": s.slug, "emailAddress": "x@labs.test"}),
    )
    .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    // No --secret-key: connections cannot be used (one written directly: none can be created).
    let keyless = TestServer::start_with(backend, |c| c.secret_key = None).await;
    let admin = keyless.verified_user("admin@acme.test").await;
    let org = keyless.create_org(&admin, "Acme").await;
    add_verified_domain(&keyless, &org, &admin, "acme.test").await;
    let id = orgkit_server::token::new_id("sso_");
    sqlx::query(
        "INSERT INTO sso_connections (id, org_id, name, issuer, client_id, client_secret_sealed, scopes, state, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'x', $3, 'c', 'sealed', 'openid', 'active', $4, 0, 0)",
    )
    .bind(&id)
    .bind(&org)
    .bind(&s.provider.issuer)
    .bind(&admin.id)
    .execute(&keyless.state.db.pool)
    .await
    .unwrap();
    assert_error(
        &start(&keyless, &browser(&keyless), json!({"connectionId": id})).await,
        409,
        "sso_not_configured",
    );
}

/// "Require SSO": password sign-in for an address at the organization's SSO domain is refused
/// with `sso_required`, which says where to sign in; other addresses are not affected.
pub async fn require_sso_blocks_password_sign_in(backend: Backend) {
    let s = setup(backend).await;
    let outsider = s.server.verified_user("out@else.test").await;
    let password = |email: &str| json!({"emailAddress": email, "password": "correct horse"});
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(password("admin@acme.test")),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    let answer = s
        .server
        .update_org(&s.admin, &s.org, json!({"requireSso": true}))
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(password("admin@acme.test")),
        )
        .await;
    assert_error(&answer, 403, "sso_required");
    assert_eq!(
        answer.1["error"]["sso"]["organizationSlug"],
        s.slug.as_str()
    );
    assert_eq!(
        answer.1["error"]["sso"]["startUrl"],
        format!("{}/sso/{}", s.server.url, s.slug)
    );
    // Also for an address there without an account, so that nothing tells them apart.
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(password("nobody@acme.test")),
        )
        .await;
    assert_error(&answer, 403, "sso_required");
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(password(&outsider.email)),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    // SSO itself still signs them in.
    let (done, _) = sign_in(&s.server, &s.slug, "admin@acme.test", None).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{:?}", done);
    // An inactive connection requires nothing.
    sqlx::query("UPDATE sso_connections SET state = 'inactive'")
        .execute(&s.server.state.db.pool)
        .await
        .unwrap();
    // (Written directly: the rule book keeps an active connection while SSO is required.)
    let answer = s
        .server
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(password("admin@acme.test")),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
}

/// Two first sign-ins of one person at once (two browsers) make one user, one identity and one
/// membership, and both are signed in: the organization's lock orders them.
pub async fn two_first_sign_ins_at_once_make_one_user(backend: Backend) {
    let s = setup(backend).await;
    let mut callbacks = Vec::new();
    for _ in 0..2 {
        let client = browser(&s.server);
        let (status, body) = start(
            &s.server,
            &client,
            json!({"emailAddress": "twin@acme.test"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let callback = provider_login(&client, body["redirectUrl"].as_str().unwrap()).await;
        callbacks.push((client, callback));
    }
    let (a, b) = tokio::join!(
        call_back(&callbacks[0].0, &callbacks[0].1, false),
        call_back(&callbacks[1].0, &callbacks[1].1, false)
    );
    for done in [&a, &b] {
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{done:?}");
        assert!(done.set_cookie.is_some());
    }
    let users = s
        .server
        .count(
            "SELECT COUNT(*) FROM users WHERE email = $1",
            "twin@acme.test",
        )
        .await;
    assert_eq!(users, 1);
    let user: (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'twin@acme.test'")
        .fetch_one(&s.server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        s.server
            .count(
                "SELECT COUNT(*) FROM user_identities WHERE user_id = $1",
                &user.0
            )
            .await,
        1
    );
    assert_eq!(
        s.server
            .count(
                "SELECT COUNT(*) FROM memberships WHERE user_id = $1",
                &user.0
            )
            .await,
        1
    );
}

/// The provider's keys are cached; a token signed by a key the cache does not hold (the
/// provider rotated after the first sign-in cached its keys) makes the callback fetch the
/// keys once more, and the sign-in succeeds.
pub async fn a_rotated_signing_key_is_fetched_once_more(backend: Backend) {
    let s = setup(backend).await;
    let (first, _) = sign_in(&s.server, &s.slug, "ann@acme.test", None).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{:?}", first);
    let (done, client) = sign_in(
        &s.server,
        &s.slug,
        "bob@acme.test",
        Some("email=bob@acme.test&sign=rotated"),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{:?}", done);
    assert_eq!(
        me(&s.server, &client).await["emailAddress"],
        "bob@acme.test"
    );
    assert_eq!(s.server.audit_count("sso.signed_in").await, 2);
}
