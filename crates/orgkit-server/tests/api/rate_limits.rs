//! Rate limits shared by several instances: on PostgreSQL the counters live in the database,
//! so two servers on one database allow the limit once, not twice. SQLite is one instance by
//! design and counts in memory.

use crate::harness::{clear_of_a_minute_boundary, Backend, TestServer};
use futures::future::join_all;
use orgkit_server::error::ApiError;
use orgkit_server::rate_limit::Limit;
use orgkit_server::Config;
use reqwest::StatusCode;
use serde_json::json;

/// Signs up `email` on `server`; answers the status and the `Retry-After` header.
async fn sign_up(server: &TestServer, email: &str) -> (StatusCode, Option<String>) {
    let body = json!({"emailAddress": email, "password": "correct horse", "name": "N"});
    let response = server
        .client
        .post(format!("{}/v1/auth/sign-up", server.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status(), retry_after)
}

/// Two instances on one PostgreSQL database share the sign-up limit of one client address.
pub async fn two_instances_share_one_limit(backend: Backend) {
    if matches!(backend, Backend::Sqlite) {
        eprintln!("PostgreSQL only: SQLite is one instance by design and counts in memory");
        return;
    }
    let three_a_minute = |c: &mut Config| c.sign_up_limit_per_minute = 3;
    let a = TestServer::start_with(backend, three_a_minute).await;
    let b = a.start_sharing(three_a_minute).await;
    clear_of_a_minute_boundary().await;

    assert_eq!(sign_up(&a, "a1@example.com").await.0, StatusCode::CREATED);
    assert_eq!(sign_up(&a, "a2@example.com").await.0, StatusCode::CREATED);
    assert_eq!(sign_up(&b, "b1@example.com").await.0, StatusCode::CREATED);
    for (server, email) in [(&b, "b2@example.com"), (&a, "a3@example.com")] {
        let (status, retry_after) = sign_up(server, email).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{email}");
        let secs: u64 = retry_after.expect("Retry-After").parse().unwrap();
        assert!((1..=60).contains(&secs), "{secs}");
    }
    let (status, body) = b
        .raw(
            reqwest::Method::POST,
            "/v1/auth/sign-up",
            None,
            Some(
                json!({"emailAddress": "b3@example.com", "password": "correct horse", "name": "N"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");
}

/// Sixty attempts at once, half on each instance (on SQLite, both halves on the one), each
/// counted against a shared address limit of 10 and against either a victim's limit of 3 or a
/// key of its own. Refused attempts count against nothing, so exactly 10 pass: were a refused
/// victim attempt to spend the address, fewer would. The counters in the database agree, and
/// the sweep clears them once their minute has passed.
pub async fn concurrent_attempts_count_all_or_nothing(backend: Backend) {
    let a = TestServer::start(backend.clone()).await;
    let b = match backend {
        Backend::Postgres(_) => Some(a.start_sharing(|_| {}).await),
        Backend::Sqlite => None,
    };
    let limiters = [&a, b.as_ref().unwrap_or(&a)].map(|s| s.state.limiter.clone());
    // A fixed instant: the clock plays no part.
    let now_ms = 29_000_000 * 60_000 + 1_000;
    let attempts = (0..60).map(|i| {
        let limiter = limiters[(i / 2) % 2].clone();
        let own = if i % 2 == 0 {
            "victim".to_owned()
        } else {
            format!("other:{i}")
        };
        async move {
            let limits = [
                Limit {
                    keys: vec!["address".to_owned()],
                    cost: 1,
                    limit: 10,
                },
                Limit {
                    keys: vec![own.clone()],
                    cost: 1,
                    limit: 3,
                },
            ];
            (own, limiter.check_all(&limits, now_ms).await)
        }
    });
    let outcomes = join_all(attempts).await;
    let mut passed = Vec::new();
    for (own, outcome) in outcomes {
        match outcome {
            Ok(()) => passed.push(own),
            Err(ApiError::RateLimited { retry_after_secs }) => assert_eq!(retry_after_secs, 59),
            Err(e) => panic!("{own}: {e:?}"),
        }
    }
    let victims = passed.iter().filter(|own| *own == "victim").count();
    assert_eq!(passed.len(), 10, "{passed:?}");
    assert!(victims <= 3, "{passed:?}");

    if matches!(backend, Backend::Sqlite) {
        return;
    }
    let count = |key: &'static str| {
        a.count(
            "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM rate_limits WHERE key LIKE $1",
            key,
        )
    };
    assert_eq!(count("address").await, 10);
    assert_eq!(count("victim").await, victims as i64);
    assert_eq!(count("other:%").await, (10 - victims) as i64);
    let rows = || a.count("SELECT COUNT(*) FROM rate_limits WHERE key LIKE $1", "%");
    let all = rows().await;
    assert!(all >= 12, "{all}");
    let limiter = &a.state.limiter;
    // The minute after keeps them (clocks may differ by that much); the one after that not.
    assert_eq!(limiter.sweep(now_ms + 60_000).await.unwrap(), 0);
    assert_eq!(limiter.sweep(now_ms + 120_000).await.unwrap(), all as u64);
    assert_eq!(rows().await, 0);
}

/// Invitations count against the address mailed inside their write transaction, while other
/// writers to the organization wait for its lock holding the rest of the pool: the counters
/// must not need a connection of that pool, or these invitations would wait for ever.
pub async fn counting_never_waits_for_the_main_pool(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.max_connections = 2).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Busy").await;
    let path = format!("/v1/organizations/{org}/invitations");
    let invites = (0..6).map(|i| {
        let body = json!({"emailAddress": format!("p{i}@example.com"), "role": "basic_member"});
        admin.call(&s, reqwest::Method::POST, &path, Some(body))
    });
    let answers = tokio::time::timeout(std::time::Duration::from_secs(20), join_all(invites))
        .await
        .expect("six invitations within 20 s");
    for (status, body) in answers {
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}
