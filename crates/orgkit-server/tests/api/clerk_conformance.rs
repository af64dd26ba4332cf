//! The conformance suite: `tests/clerk/conformance.mjs` (with `helpers.mjs` and
//! `memberships.mjs`) runs the real `@clerk/backend` from npm
//! (3.25.0, and 2.33.8 through the `clerk-backend-2` alias) against this live server with a key
//! made by `orgkit-server secret-keys create`, and checks a live session token with `jose` and
//! Clerk's own claim parser. Fails, not skips, when node or a package is
//! missing (`npm ci`).

use crate::clerk::create_key;
use crate::harness::{Backend, TestServer};
use crate::session_tokens::token;
use reqwest::StatusCode;
use serde_json::json;
use std::path::PathBuf;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn run_suite(backend: Backend, package: &str, version: &str) {
    let root = repo_root();
    let manifest = root.join("node_modules").join(package).join("package.json");
    let installed = std::fs::read_to_string(&manifest).unwrap_or_else(|e| {
        panic!(
            "the Clerk conformance suite needs the npm package {package}: run `npm ci` at {} ({}: {e})",
            root.display(),
            manifest.display()
        )
    });
    assert!(
        installed.contains(&format!("\"version\": \"{version}\"")),
        "{package} is not {version}: run `npm ci`"
    );
    let s = TestServer::start(backend).await;
    let key = create_key(&s, "conformance");
    // A live session token for the suite's last test: an admin's, for their organization.
    let admin = s.sign_up("token.admin@example.com").await;
    let org = s.create_org(&admin, "Token Org").await;
    let (status, body) = token(&s, &admin, json!({ "organizationId": org })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let jwt = body["jwt"].as_str().expect("a session token").to_owned();
    let output = tokio::process::Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .arg(root.join("tests/clerk/conformance.mjs"))
        .env("ORGKIT_CLERK_API_URL", format!("{}/clerk", s.url))
        .env("ORGKIT_CLERK_SECRET_KEY", &key)
        .env("ORGKIT_CLERK_PACKAGE", package)
        .env("ORGKIT_SESSION_TOKEN", &jwt)
        .env("ORGKIT_SESSION_ORG", &org)
        .current_dir(&root)
        .kill_on_drop(true)
        .output()
        .await
        .unwrap_or_else(|e| panic!("the Clerk conformance suite needs node on PATH: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "@clerk/backend {version} against orgkit:\n{text}"
    );
    assert!(text.contains("# pass 7"), "{text}");
    assert!(text.contains("# fail 0"), "{text}");
}

pub async fn clerk_backend_3_runs_unchanged(backend: Backend) {
    run_suite(backend, "@clerk/backend", "3.25.0").await;
}

pub async fn clerk_backend_2_runs_unchanged(backend: Backend) {
    run_suite(backend, "clerk-backend-2", "2.33.8").await;
}
