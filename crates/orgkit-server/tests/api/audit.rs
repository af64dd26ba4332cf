//! The audit log: who did what, to what, when and from where; filters, pages, permission and
//! retention.

use crate::harness::{assert_error, Backend, TestServer};
use orgkit_core::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub async fn the_audit_log_reads_newest_first_with_filters(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    let org = s.create_org(&admin, "Audited").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;
    let log = format!("/v1/organizations/{org}/audit-events");

    // A member without org:audit:read is refused; a non-member learns nothing.
    assert_error(
        &bob.call(&s, Method::GET, &log, None).await,
        403,
        "forbidden",
    );
    assert_error(
        &eve.call(&s, Method::GET, &log, None).await,
        404,
        "not_found",
    );

    // The role change comes from a client with a User-Agent.
    let promoted = s
        .client
        .patch(format!(
            "{}/v1/organizations/{org}/memberships/{}",
            s.url, bob.id
        ))
        .bearer_auth(&admin.token)
        .header("user-agent", "orgkit-test/1")
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(promoted.status(), StatusCode::OK);

    let (status, page) = admin.call(&s, Method::GET, &log, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let actions: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "membership.role_changed",
            "invitation.accepted",
            "invitation.created",
            "organization.created"
        ]
    );
    let newest = &page["data"][0];
    assert_eq!(newest["actor"], json!({"type": "user", "id": admin.id}));
    assert_eq!(newest["subject"], bob.id.as_str());
    assert_eq!(newest["detail"], "basic_member -> admin");
    assert_eq!(newest["organizationId"], org.as_str());
    assert_eq!(newest["ipAddress"], "127.0.0.1");
    assert_eq!(newest["userAgent"], "orgkit-test/1");
    assert_eq!(page["data"][1]["actor"]["id"], bob.id.as_str());
    assert!(page["data"][1]["userAgent"].is_null());
    assert!(page["nextCursor"].is_null());
    // No secret in any event: no token, no hash.
    let text = page.to_string();
    assert!(
        !text.contains(&admin.token) && !text.contains("token"),
        "{text}"
    );

    // Filters, each alone, and a time range.
    let only = |query: String| {
        let path = format!("{log}?{query}");
        let admin = admin.clone();
        let s = &s;
        async move {
            let (status, page) = admin.call(s, Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::OK, "{query}: {page}");
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        only("action=invitation.created".to_owned()).await,
        ["invitation.created"]
    );
    assert_eq!(
        only(format!("actor={}", bob.id)).await,
        ["invitation.accepted"]
    );
    assert_eq!(
        only(format!("subject={}", bob.id)).await,
        ["membership.role_changed"]
    );
    let at = |i: usize| page["data"][i]["createdAt"].as_i64().unwrap();
    assert_eq!(
        only(format!("from={}", at(0))).await,
        ["membership.role_changed"]
    );
    assert_eq!(
        only(format!("to={}", at(2)))
            .await
            .last()
            .map(String::as_str),
        Some("organization.created")
    );
    assert!(only(format!("to={}", at(3))).await.is_empty());

    // Pages of two, by cursor.
    let (_, first) = admin
        .call(&s, Method::GET, &format!("{log}?limit=2"), None)
        .await;
    let cursor = first["nextCursor"].as_str().unwrap();
    assert_eq!(cursor, first["data"][1]["id"].as_str().unwrap());
    let (_, second) = admin
        .call(
            &s,
            Method::GET,
            &format!("{log}?limit=2&after={cursor}"),
            None,
        )
        .await;
    assert_eq!(second["data"][0]["action"], "invitation.created");
    assert!(second["nextCursor"].is_null());

    // An inverted time range is no error: it matches nothing.
    assert!(only("from=10&to=5".to_owned()).await.is_empty());
    // Bad filters and cursors are refused by the rule book.
    for query in ["action=Bad", "actor=org_1", "after=inv_1", "limit=0"] {
        let answer = admin
            .call(&s, Method::GET, &format!("{log}?{query}"), None)
            .await;
        assert_error(&answer, 400, "validation_failed");
    }

    // The retention sweep deletes what is older than the retention period, and nothing else.
    let now = orgkit_server::token::now();
    let kept = orgkit_server::service::audit::sweep(&s.state, now)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    let year_on = Timestamp(now.millis() + 366 * 86_400_000);
    let gone = orgkit_server::service::audit::sweep(&s.state, year_on)
        .await
        .unwrap();
    assert_eq!(gone, 4);
    let (_, empty): (StatusCode, Value) = admin.call(&s, Method::GET, &log, None).await;
    assert_eq!(empty["data"], json!([]));
}
