//! "Test connection": OIDC discovery against the real test provider (`oidc-provider`), and
//! against small HTTP servers on 127.0.0.1 for what a real provider does not do: a redirect
//! (refused), a document naming another issuer, a host that does not answer.

use crate::harness::{assert_error, Backend, TestServer};
use crate::oidc::OidcProvider;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Json, Router};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Serves, on 127.0.0.1, `/good` (a discovery document for the issuer `{url}/good`),
/// its keys at `/good/jwks`, `/moved` (a redirect to `/good`'s document) and `/liar` (a document for another issuer).
async fn provider() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let base = url.clone();
    let document = |issuer: String| {
        Json(json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/auth"),
            "token_endpoint": format!("{issuer}/token"),
            "userinfo_endpoint": format!("{issuer}/me"),
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "scopes_supported": ["openid", "email"],
            "claims_supported": ["sub", "email", "email_verified"],
        }))
        .into_response()
    };
    let (good, liar) = (document, document);
    let (good_base, moved_base) = (base.clone(), base.clone());
    let app = Router::new()
        .route(
            "/good/.well-known/openid-configuration",
            get(move || async move { good(format!("{good_base}/good")) }),
        )
        // Discovery fetches the signing keys too.
        .route("/good/jwks", get(|| async { Json(json!({"keys": []})) }))
        .route(
            "/moved/.well-known/openid-configuration",
            get(move || async move {
                Redirect::temporary(&format!(
                    "{moved_base}/good/.well-known/openid-configuration"
                ))
            }),
        )
        .route(
            "/liar/.well-known/openid-configuration",
            get(move || async move { liar("https://someone-else.test".to_owned()) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

pub async fn test_connection_reports_discovery(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.verified_user("admin@home.test").await;
    let member = s.verified_user("member@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let idp = provider().await;
    let list = format!("/v1/organizations/{org}/sso-connections");
    let test = |issuer: String| {
        let (s, admin, list) = (&s, &admin, &list);
        async move {
            let body = json!({"name": "IdP", "issuer": issuer, "clientId": "c",
                "clientSecret": "s", "scopes": "openid email groups",
                "claimMapping": {"name": "nickname"}});
            let (status, created) = admin.call(s, Method::POST, list, Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{created}");
            let path = format!("{list}/{}/test", created["id"].as_str().unwrap());
            let (status, report) = admin.call(s, Method::POST, &path, None).await;
            assert_eq!(status, StatusCode::OK, "{report}");
            (path, report)
        }
    };

    let (path, found) = test(format!("{idp}/good")).await;
    assert_eq!(found["ok"], true, "{found}");
    assert!(found["error"].is_null());
    assert_eq!(found["issuer"], format!("{idp}/good"));
    assert_eq!(found["authorizationEndpoint"], format!("{idp}/good/auth"));
    assert_eq!(found["tokenEndpoint"], format!("{idp}/good/token"));
    assert_eq!(found["userinfoEndpoint"], format!("{idp}/good/me"));
    assert_eq!(found["jwksUri"], format!("{idp}/good/jwks"));
    assert_eq!(found["signingAlgs"], json!(["RS256", "ES256"]));
    assert_eq!(found["unsupportedScopes"], json!(["groups"]));
    assert_eq!(found["unsupportedClaims"], json!(["nickname"]));
    assert_error(
        &member.call(&s, Method::POST, &path, None).await,
        403,
        "forbidden",
    );
    assert_eq!(
        s.audit_count("sso_connection.updated").await,
        0,
        "testing changes nothing"
    );

    let failed = |report: &Value, needle: &str| {
        assert_eq!(report["ok"], false, "{report}");
        let error = report["error"].as_str().unwrap_or("");
        assert!(error.contains(needle), "{needle:?} not in {error:?}");
        assert!(report["authorizationEndpoint"].is_null());
    };
    let (_, moved) = test(format!("{idp}/moved")).await;
    failed(&moved, "307");
    let (_, liar) = test(format!("{idp}/liar")).await;
    failed(&liar, "issuer");
    // Nothing listens on port 9 of this machine.
    let (_, unreachable) = test("http://127.0.0.1:9/idp".to_owned()).await;
    failed(&unreachable, "");
}

/// Against the real provider (`oidc-provider`): discovery succeeds and names its endpoints.
pub async fn test_connection_finds_the_real_provider(backend: Backend) {
    let s = TestServer::start(backend).await;
    let idp = OidcProvider::start(&format!("{}/v1/sso/callback/", s.url)).await;
    let admin = s.verified_user("admin@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    let list = format!("/v1/organizations/{org}/sso-connections");
    let body = json!({"name": "Test IdP", "issuer": idp.issuer, "clientId": idp.client_id,
        "clientSecret": idp.client_secret});
    let (status, created) = admin.call(&s, Method::POST, &list, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let path = format!("{list}/{}/test", created["id"].as_str().unwrap());
    let (status, report) = admin.call(&s, Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["issuer"], idp.issuer);
    let endpoint = report["authorizationEndpoint"].as_str().unwrap();
    assert!(endpoint.starts_with(&idp.issuer), "{endpoint}");
    assert!(report["tokenEndpoint"].as_str().is_some(), "{report}");
    assert!(report["jwksUri"].as_str().is_some(), "{report}");
    assert!(
        report["signingAlgs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "RS256"),
        "{report}"
    );
    assert_eq!(report["unsupportedScopes"], json!([]), "{report}");
    assert_eq!(report["unsupportedClaims"], json!([]), "{report}");
}

/// Without `--sso-allow-private`, an issuer on loopback (the real provider) is refused before
/// any request: by "test connection", and by a sign-in start, as `sso_provider_error` naming
/// the address rules.
pub async fn private_providers_are_refused_unless_allowed(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.sso_allow_private = false).await;
    let idp = OidcProvider::start(&format!("{}/v1/sso/callback/", s.url)).await;
    let admin = s.verified_user("admin@home.test").await;
    let org = s.create_org(&admin, "Acme").await;
    let list = format!("/v1/organizations/{org}/sso-connections");
    for issuer in [
        idp.issuer.clone(),
        "https://169.254.169.254/latest".to_owned(),
    ] {
        let body = json!({"name": "Test IdP", "issuer": issuer, "clientId": idp.client_id,
            "clientSecret": idp.client_secret});
        let (status, created) = admin.call(&s, Method::POST, &list, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let path = format!("{list}/{}/test", created["id"].as_str().unwrap());
        let answer = admin.call(&s, Method::POST, &path, None).await;
        assert_error(&answer, 502, "sso_provider_error");
        let message = answer.1["error"]["message"].as_str().unwrap();
        assert!(message.contains("address rules"), "{message}");
        assert!(message.contains("--sso-allow-private"), "{message}");
    }
}
