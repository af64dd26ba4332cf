//! A real OpenID Connect provider for the SSO tests: the npm package `oidc-provider`, started by
//! `tests/oidc/provider.mjs` on 127.0.0.1 and stopped when the value is dropped.
//!
//! Its interaction has no UI: it logs in the user named by the authorization request's
//! `login_hint` (an email, or `email=…&name=…&email_verified=false&sub=…&sign=evil`, see the
//! script). Tests fail, not skip, when node or the package is missing.

use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncBufReadExt;

/// A running provider with one confidential client.
pub struct OidcProvider {
    /// The issuer URL, `http://127.0.0.1:<port>` (discovery below it).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    _child: tokio::process::Child,
    /// Held open so that the provider never writes to a closed pipe.
    _stdout: tokio::io::BufReader<tokio::process::ChildStdout>,
}

/// The repository's root (where `node_modules` is).
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl OidcProvider {
    /// Starts a provider whose client accepts redirect URIs beginning with `redirect_prefix`
    /// (the test server's callback path: the connection id ends it).
    pub async fn start(redirect_prefix: &str) -> OidcProvider {
        let root = repo_root();
        let package = root.join("node_modules/oidc-provider/package.json");
        assert!(
            package.exists(),
            "the SSO tests need the npm package oidc-provider: run `npm ci` at {} ({} is missing)",
            root.display(),
            package.display()
        );
        let client_id = format!("orgkit-{}", random_hex(4));
        let client_secret = random_hex(24);
        let mut child = tokio::process::Command::new("node")
            .arg(root.join("tests/oidc/provider.mjs"))
            .args(["--client-id", &client_id])
            .args(["--client-secret", &client_secret])
            .args(["--redirect-prefix", redirect_prefix])
            .current_dir(&root)
            // The provider exits when its stdin closes, should this process die unannounced.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("the SSO tests need node on PATH to run oidc-provider: {e}")
            });
        let stdout = child.stdout.take().unwrap();
        let mut first_line = String::new();
        let mut stdout = tokio::io::BufReader::new(stdout);
        let read = stdout.read_line(&mut first_line);
        tokio::time::timeout(std::time::Duration::from_secs(20), read)
            .await
            .expect("oidc-provider did not print its issuer within 20 s")
            .unwrap();
        let issuer = first_line.trim().to_owned();
        assert!(
            issuer.starts_with("http://127.0.0.1:"),
            "oidc-provider failed to start (stdout: {first_line:?}; see its stderr above)"
        );
        OidcProvider {
            issuer,
            client_id,
            client_secret,
            _child: child,
            _stdout: stdout,
        }
    }
}

fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// The provider publishes its discovery document and keys, and its scripted login answers an
/// authorization code to the client's redirect URI.
pub async fn the_test_provider_logs_in_the_hinted_user() {
    let provider = OidcProvider::start("http://127.0.0.1:9/callback/").await;
    let client = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            // Follow the provider's own redirects; stop at the client's callback.
            if attempt.url().as_str().starts_with("http://127.0.0.1:9/") {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .unwrap();
    let discovery: serde_json::Value = client
        .get(format!(
            "{}/.well-known/openid-configuration",
            provider.issuer
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["issuer"], provider.issuer.as_str());
    let mut auth = url::Url::parse(discovery["authorization_endpoint"].as_str().unwrap()).unwrap();
    auth.query_pairs_mut()
        .append_pair("client_id", &provider.client_id)
        .append_pair("response_type", "code")
        .append_pair("scope", "openid email profile")
        .append_pair("redirect_uri", "http://127.0.0.1:9/callback/sso_x")
        .append_pair("state", "s")
        .append_pair("nonce", "n")
        .append_pair("login_hint", "ann@acme.test");
    let response = client.get(auth).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:9/callback/sso_x?code="),
        "{location}"
    );
    let code = url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let tokens: serde_json::Value = client
        .post(discovery["token_endpoint"].as_str().unwrap())
        .basic_auth(&provider.client_id, Some(&provider.client_secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/callback/sso_x"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(tokens["id_token"].is_string(), "{tokens}");
}
