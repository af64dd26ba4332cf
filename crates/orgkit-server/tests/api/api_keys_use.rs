//! API keys in use: narrowing with their owner, expiry, secrecy, `lastUsedAt`, and a Node.js
//! backend working with a key.

use crate::api_keys::{assert_refused, key_actor, new_key};
use crate::harness::{assert_error, Backend, TestServer};
use orgkit_server::db::Kind;
use reqwest::{Method, StatusCode};
use serde_json::json;

pub async fn api_keys_narrow_with_their_owner_and_expire(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&alice, "Narrow Co").await;
    s.add_member(&alice, &org, &bob, "admin").await;
    let orgp = format!("/v1/organizations/{org}");
    let (key_id, secret) = new_key(&s, &bob, &org, json!({"name": "all of mine"})).await;
    let soon = crate::harness::now_ms() + 1000;
    let (_, expiring) = new_key(&s, &bob, &org, json!({"name": "brief", "expiresAt": soon})).await;
    let key = key_actor(&secret);
    // No Origin needed, even a foreign one is fine: a key is never a cookie.
    let response = s
        .client
        .post(format!("{}{orgp}/invitations", s.url))
        .bearer_auth(&secret)
        .header("Origin", "http://evil.test")
        .json(&json!({"emailAddress": "dan@example.com", "role": "basic_member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    // The change is recorded with the key.
    let (_, events) = alice
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/audit-events?action=invitation.created"),
            None,
        )
        .await;
    assert_eq!(events["data"][0]["apiKeyId"], key_id.as_str(), "{events}");
    assert_eq!(
        events["data"][0]["actor"]["id"],
        bob.id.as_str(),
        "{events}"
    );
    // Demoted: the key narrows at once.
    let path = format!("{orgp}/memberships/{}", bob.id);
    let (status, body) = alice
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let invite = json!({"emailAddress": "erin@example.com", "role": "basic_member"});
    let answer = key
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/invitations"),
            Some(invite),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    assert_eq!(
        key.call(&s, Method::GET, &format!("{orgp}/memberships"), None)
            .await
            .0,
        StatusCode::OK
    );
    // Past its expiry.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let answer = key_actor(&expiring)
        .call(&s, Method::GET, &orgp, None)
        .await;
    assert_refused(&answer, "api_key_expired");
    // Removed from the organization: the key no longer reaches it.
    let (status, _) = alice.call(&s, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let answer = key
        .call(&s, Method::GET, &format!("{orgp}/memberships"), None)
        .await;
    assert_refused(&answer, "api_key_revoked");
}

pub async fn api_key_secrets_stay_secret_and_last_use_is_recorded(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let org = s.create_org(&alice, "Secret Co").await;
    let orgp = format!("/v1/organizations/{org}");
    let (key_id, secret) = new_key(&s, &alice, &org, json!({"name": "k"})).await;
    let key = key_actor(&secret);
    let before = crate::harness::now_ms();
    assert_eq!(
        key.call(&s, Method::GET, &format!("{orgp}/memberships"), None)
            .await
            .0,
        StatusCode::OK
    );
    let (_, listed) = key
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    let (_, events) = alice
        .call(&s, Method::GET, &format!("{orgp}/audit-events"), None)
        .await;
    let hex = &secret[3..];
    for body in [&listed, &events] {
        assert!(!body.to_string().contains(hex), "{body}");
    }
    // Written in a batch, within a few seconds (every 5 s).
    let mut last_used = None;
    for _ in 0..40 {
        let (at,): (Option<i64>,) =
            sqlx::query_as("SELECT last_used_at FROM api_keys WHERE id = $1")
                .bind(&key_id)
                .fetch_one(&s.state.db.pool)
                .await
                .unwrap();
        if at.is_some() {
            last_used = at;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(last_used.is_some_and(|at| at >= before), "{last_used:?}");
    let (_, listed) = alice
        .call(&s, Method::GET, &format!("{orgp}/api-keys"), None)
        .await;
    assert!(
        listed["data"][0]["lastUsedAt"]
            .as_i64()
            .is_some_and(|at| at >= before),
        "{listed}"
    );
    let (_, revoked) = key
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/api-keys/{key_id}/revoke"),
            Some(json!({})),
        )
        .await;
    assert!(!revoked.to_string().contains(hex), "{revoked}");
    // No text or blob column of any table holds the secret, in any form it is sent in.
    let columns = text_columns(&s).await;
    assert!(
        columns.len() > 100
            && columns
                .iter()
                .any(|(t, c, _)| t == "api_keys" && c == "secret_hash")
            && columns
                .iter()
                .any(|(t, c, _)| t == "audit_events" && c == "detail"),
        "the column list looks short: {columns:?}"
    );
    for (table, column, blob) in &columns {
        let found = contains_count(&s, table, column, *blob, hex).await;
        assert_eq!(found, 0, "{table}.{column} holds the secret");
    }
    let hash = s
        .text_value(
            "SELECT secret_hash FROM api_keys WHERE id = $1 AND org_id = $2",
            &key_id,
            &org,
        )
        .await;
    assert_eq!(hash, crate::harness::sha256_hex(&secret));
    // The scan would see a secret written in clear: plant one and find it.
    sqlx::query("UPDATE api_keys SET description = $1 WHERE id = $2")
        .bind(format!("leaked {}", secret.to_uppercase()))
        .bind(&key_id)
        .execute(&s.state.db.pool)
        .await
        .unwrap();
    let hits: i64 = {
        let mut n = 0;
        for (table, column, blob) in &columns {
            n += contains_count(&s, table, column, *blob, hex).await;
        }
        n
    };
    assert_eq!(hits, 1, "the scan finds the planted secret");
}

/// `tests/api_keys/backend.mjs`: an app backend in Node.js with plain `fetch` and a key.
pub async fn a_node_backend_works_with_an_api_key(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&alice, "Node Co").await;
    s.add_member(&alice, &org, &bob, "basic_member").await;
    let (_, secret) = new_key(&s, &alice, &org, json!({"name": "backend"})).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/api_keys/backend.mjs");
    let (url, member) = (s.url.clone(), bob.id.clone());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .env("ORGKIT_URL", url)
            .env("ORGKIT_API_KEY", secret)
            .env("ORGKIT_ORG_ID", org)
            .env("ORGKIT_MEMBER_ID", member)
            .current_dir(&root)
            .output()
            .unwrap_or_else(|e| panic!("node is needed for this test: {e}"))
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the Node.js backend failed:\n{text}"
    );
    assert!(text.contains("backend done"), "{text}");
}

/// Every text, character, JSON or blob column of every table of the test's database, found
/// in the catalog (`sqlite_master` or `information_schema`), as (table, column, is a blob).
async fn text_columns(s: &TestServer) -> Vec<(String, String, bool)> {
    let pool = &s.state.db.pool;
    if s.state.db.kind == Kind::Postgres {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), CAST(data_type AS TEXT) \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea') \
             ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        return rows
            .into_iter()
            .map(|(t, c, kind)| (t, c, kind == "bytea"))
            .collect();
    }
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut columns = Vec::new();
    for (table,) in tables {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, UPPER(type) FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (column, kind) in rows {
            // SQLite's affinities: TEXT for CHAR, CLOB and TEXT; BLOB when undeclared.
            let blob = kind.contains("BLOB") || kind.is_empty();
            let text = ["CHAR", "CLOB", "TEXT", "JSON"]
                .iter()
                .any(|t| kind.contains(t));
            if text || blob {
                columns.push((table.clone(), column, blob));
            }
        }
    }
    columns
}

/// How many rows of `table` hold `needle` in `column`, as text (any case) or as bytes.
async fn contains_count(
    s: &TestServer,
    table: &str,
    column: &str,
    blob: bool,
    needle: &str,
) -> i64 {
    let sql = match (s.state.db.kind == Kind::Postgres, blob) {
        (true, true) => format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE POSITION(CONVERT_TO($1, 'UTF8') IN \"{column}\") > 0"
        ),
        (true, false) => format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE STRPOS(LOWER(CAST(\"{column}\" AS TEXT)), LOWER($1)) > 0"
        ),
        (false, _) => format!(
            "SELECT COUNT(*) FROM \"{table}\" WHERE INSTR(CAST(\"{column}\" AS BLOB), CAST($1 AS BLOB)) > 0 \
             OR INSTR(LOWER(CAST(\"{column}\" AS TEXT)), LOWER($1)) > 0"
        ),
    };
    s.count(&sql, needle).await
}
