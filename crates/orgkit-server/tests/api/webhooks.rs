//! Webhooks: endpoints and their errors, signed deliveries verified as a receiving app would
//! (the `standardwebhooks` crate, and the npm package), the address policy at creation and at
//! delivery, secret rotation, 410, timeouts and a receiver that comes back.

use crate::harness::{assert_error, Backend, TestServer, User};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request a receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers[name].to_str().unwrap()
    }

    /// Checks the signature with `secret`, as a receiving app would.
    #[track_caller]
    pub fn verify(&self, secret: &str) {
        standardwebhooks::Webhook::new(secret)
            .unwrap()
            .verify(self.body.as_bytes(), &self.headers)
            .unwrap_or_else(|e| panic!("signature does not verify: {e:?}"));
    }

    pub fn verifies_with(&self, secret: &str) -> bool {
        standardwebhooks::Webhook::new(secret)
            .unwrap()
            .verify(self.body.as_bytes(), &self.headers)
            .is_ok()
    }
}

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    delay_ms: Arc<AtomicU64>,
}

/// A webhook receiver on 127.0.0.1: records every request, then answers with the status set
/// (200 by default) after the delay set.
pub struct Receiver {
    pub addr: SocketAddr,
    pub url: String,
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Receiver::on(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()).await
    }

    pub async fn on(listener: tokio::net::TcpListener) -> Receiver {
        async fn hook(
            State(shared): State<Shared>,
            headers: HeaderMap,
            body: String,
        ) -> AxumStatus {
            shared
                .received
                .lock()
                .unwrap()
                .push(Received { headers, body });
            let delay = shared.delay_ms.load(Ordering::SeqCst);
            if delay > 0 {
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            AxumStatus::from_u16(shared.status.load(Ordering::SeqCst)).unwrap()
        }
        let shared = Shared::default();
        shared.status.store(200, Ordering::SeqCst);
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver {
            addr,
            url: format!("http://{addr}/hook"),
            shared,
            task,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn answer_with(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    pub fn delay(&self, ms: u64) {
        self.shared.delay_ms.store(ms, Ordering::SeqCst);
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Polls `check` until it holds, for at most `secs` seconds.
async fn eventually<F, Fut>(what: &str, secs: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..secs * 20 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("still not the case after {secs} s: {what}");
}

/// A count from the database, without a bound argument.
async fn count(s: &TestServer, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&s.state.db.pool)
        .await
        .unwrap();
    n
}

/// Waits until the queue worker has delivered every webhook message queued so far.
async fn all_delivered(s: &TestServer) {
    let sql = "SELECT COUNT(*) FROM deliveries WHERE kind = 'webhook' AND status <> 'delivered'";
    eventually("every webhook delivered", 10, || async {
        count(s, sql).await == 0
    })
    .await;
}

/// Waits until `receiver` got `n` requests, and answers them.
async fn received(receiver: &Receiver, n: usize) -> Vec<Received> {
    eventually(&format!("{n} requests received"), 10, || async {
        receiver.received().len() >= n
    })
    .await;
    receiver.received()
}

/// Waits until `n` attempts are recorded for `endpoint`.
async fn attempts_recorded(s: &TestServer, endpoint: &str, n: i64) {
    let sql = "SELECT COUNT(*) FROM webhook_attempts WHERE endpoint_id = $1";
    eventually(&format!("{n} attempts"), 10, || async {
        s.count(sql, endpoint).await >= n
    })
    .await;
}

/// Creates an endpoint and answers it (with its one-time secret).
async fn create_endpoint(
    s: &TestServer,
    admin: &User,
    org: &str,
    url: &str,
    types: &[&str],
) -> Value {
    let (status, body) = admin
        .call(
            s,
            Method::POST,
            &format!("/v1/organizations/{org}/webhooks"),
            Some(json!({"url": url, "eventTypes": types})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn secret(v: &Value) -> String {
    v["secret"].as_str().unwrap().to_owned()
}

pub async fn webhook_endpoints_crud_and_errors(backend: Backend) {
    let s = TestServer::start(backend.clone()).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let eve = s.sign_up("eve@example.com").await;
    let org = s.create_org(&admin, "Hooked").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;
    let base = format!("/v1/organizations/{org}/webhooks");

    let (status, created) = admin
        .call(
            &s,
            Method::POST,
            &base,
            Some(json!({
                "url": "https://Hooks.Example.com/orgkit",
                "eventTypes": ["organizationMembership.created", "organization.updated"],
                "description": " Billing sync "
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let endpoint = id(&created);
    assert!(endpoint.starts_with("whe_"));
    assert_eq!(created["organizationId"], org.as_str());
    assert_eq!(created["url"], "https://hooks.example.com/orgkit");
    assert_eq!(
        created["eventTypes"],
        json!(["organization.updated", "organizationMembership.created"])
    );
    assert_eq!(created["description"], "Billing sync");
    assert_eq!(created["enabled"], true);
    assert!(created["disabledReason"].is_null());
    assert!(created["previousSecretExpiresAt"].is_null());
    let first_secret = secret(&created);
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(first_secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    assert_eq!(raw.len(), 32);

    // The secret is shown once: never read back, and stored sealed.
    let one = format!("{base}/{endpoint}");
    let (status, got) = admin.call(&s, Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert!(got.get("secret").is_none(), "{got}");
    assert_eq!(got["url"], created["url"]);
    let (stored,): (String,) = sqlx::query_as("SELECT secret FROM webhook_endpoints WHERE id = $1")
        .bind(&endpoint)
        .fetch_one(&s.state.db.pool)
        .await
        .unwrap();
    assert!(stored.starts_with("v1."), "{stored}");
    assert!(!stored.contains(&first_secret[6..]));

    // Pages, oldest first.
    let second = create_endpoint(
        &s,
        &admin,
        &org,
        "https://two.example.com/",
        &["organization.deleted"],
    )
    .await;
    let (status, page) = admin
        .call(&s, Method::GET, &format!("{base}?limit=1"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["id"], endpoint.as_str());
    assert!(page["data"][0].get("secret").is_none());
    assert_eq!(page["nextCursor"], endpoint.as_str());
    let (_, page) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}?limit=1&after={endpoint}"),
            None,
        )
        .await;
    assert_eq!(page["data"][0]["id"], id(&second).as_str());
    assert!(page["nextCursor"].is_null());
    assert!(!page.to_string().contains("whsec_"));
    assert_error(
        &admin
            .call(&s, Method::GET, &format!("{base}?after=mem_1"), None)
            .await,
        400,
        "validation_failed",
    );

    // Disable, and a disabled endpoint takes no test message.
    let (status, updated) = admin
        .call(&s, Method::PATCH, &one, Some(json!({"enabled": false})))
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["disabledReason"], "manual");
    assert_error(
        &admin
            .call(&s, Method::POST, &format!("{one}/test"), None)
            .await,
        409,
        "webhook_endpoint_disabled",
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("{one}/resend"),
                Some(json!({"messageId": "msg_1"})),
            )
            .await,
        409,
        "webhook_endpoint_disabled",
    );
    let (status, updated) = admin
        .call(
            &s,
            Method::PATCH,
            &one,
            Some(json!({"enabled": true, "url": "https://other.example.com/h?k=v", "eventTypes": ["organizationInvitation.revoked"], "description": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["enabled"], true);
    assert!(updated["disabledReason"].is_null());
    assert_eq!(updated["url"], "https://other.example.com/h?k=v");
    assert_eq!(
        updated["eventTypes"],
        json!(["organizationInvitation.revoked"])
    );
    assert_eq!(updated["description"], "");

    // Rotation answers a new secret, once; the old one keeps signing for 24 hours.
    let (status, rotated) = admin
        .call(&s, Method::POST, &format!("{one}/rotate-secret"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    assert_ne!(secret(&rotated), first_secret);
    assert!(secret(&rotated).starts_with("whsec_"));
    let overlap =
        rotated["previousSecretExpiresAt"].as_i64().unwrap() - orgkit_server::token::now().millis();
    assert!((86_000_000..=86_400_000).contains(&overlap), "{overlap}");

    // Every error code, by the request that triggers it.
    let create = |body: Value| {
        let (s, admin, base) = (&s, &admin, &base);
        async move { admin.call(s, Method::POST, base, Some(body)).await }
    };
    let types = json!(["organization.updated"]);
    for url in [
        "http://hooks.example.com/",
        "https://user:pw@hooks.example.com/",
        "https://hooks.example.com/#frag",
        "https://2130706433/",
        "hooks.example.com",
    ] {
        assert_error(
            &create(json!({"url": url, "eventTypes": types})).await,
            400,
            "webhook_url_invalid",
        );
    }
    // Never a single host, even with private networks allowed (as this server has them).
    for url in [
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://[ff02::1]/",
    ] {
        assert_error(
            &create(json!({"url": url, "eventTypes": types})).await,
            403,
            "webhook_url_forbidden",
        );
    }
    assert_error(
        &create(json!({"url": "https://h.example.com/", "eventTypes": ["user.created"]})).await,
        422,
        "unknown_event_type",
    );
    for bad in [json!([]), json!(["webhook.test"])] {
        assert_error(
            &create(json!({"url": "https://h.example.com/", "eventTypes": bad})).await,
            400,
            "validation_failed",
        );
    }
    assert_error(
        &create(json!({"url": "https://h.example.com/", "eventTypes": types, "description": "x".repeat(513)})).await,
        400,
        "validation_failed",
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::PATCH,
                &one,
                Some(json!({"url": "ftp://h.example.com/"})),
            )
            .await,
        400,
        "webhook_url_invalid",
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::PATCH,
                &one,
                Some(json!({"eventTypes": ["nope.nope"]})),
            )
            .await,
        422,
        "unknown_event_type",
    );
    // A member without the permission is refused; a non-member learns nothing.
    let endpoint_paths = [
        (Method::GET, base.clone()),
        (Method::POST, base.clone()),
        (Method::GET, one.clone()),
        (Method::PATCH, one.clone()),
        (Method::DELETE, one.clone()),
        (Method::POST, format!("{one}/rotate-secret")),
        (Method::POST, format!("{one}/test")),
        (Method::GET, format!("{one}/attempts")),
        (Method::POST, format!("{one}/resend")),
    ];
    for (method, path) in &endpoint_paths {
        let body = match (method, path.as_str()) {
            (&Method::POST, p) if p == base => {
                Some(json!({"url": "https://h.example.com/", "eventTypes": types}))
            }
            (&Method::PATCH, _) => Some(json!({"description": "mine now"})),
            (&Method::POST, p) if p.ends_with("/resend") => Some(json!({"messageId": "msg_1"})),
            _ => None,
        };
        assert_error(
            &bob.call(&s, method.clone(), path, body.clone()).await,
            403,
            "forbidden",
        );
        assert_error(
            &eve.call(&s, method.clone(), path, body).await,
            404,
            "not_found",
        );
    }
    let missing = format!("{base}/whe_0000000000000000000000000");
    assert_error(
        &admin.call(&s, Method::GET, &missing, None).await,
        404,
        "not_found",
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("{one}/resend"),
                Some(json!({"messageId": "msg_0000000000000000000000000"})),
            )
            .await,
        404,
        "not_found",
    );
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("{one}/resend"),
                Some(json!({"messageId": "nope"})),
            )
            .await,
        400,
        "validation_failed",
    );

    // At most 20 endpoints.
    for n in 2..20 {
        create_endpoint(
            &s,
            &admin,
            &org,
            &format!("https://h{n}.example.com/"),
            &["organization.updated"],
        )
        .await;
    }
    assert_error(
        &create(json!({"url": "https://h21.example.com/", "eventTypes": types})).await,
        409,
        "webhook_limit_reached",
    );

    // Delete.
    let (status, _) = admin.call(&s, Method::DELETE, &one, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &admin.call(&s, Method::GET, &one, None).await,
        404,
        "not_found",
    );

    // Every change is in the audit log, without a secret.
    let (_, log) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/audit-events?subject={endpoint}"),
            None,
        )
        .await;
    let actions: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "webhook.deleted",
            "webhook.secret_rotated",
            "webhook.updated",
            "webhook.updated",
            "webhook.created"
        ]
    );
    assert!(!log.to_string().contains("whsec_"));

    // Without --secret-key, webhooks are off; reading still works.
    let off = TestServer::start_with(backend, |c| c.secret_key = None).await;
    let admin = off.sign_up("admin@example.com").await;
    let org = off.create_org(&admin, "Keyless").await;
    let base = format!("/v1/organizations/{org}/webhooks");
    assert_error(
        &admin
            .call(
                &off,
                Method::POST,
                &base,
                Some(json!({"url": "https://h.example.com/", "eventTypes": types})),
            )
            .await,
        409,
        "webhooks_not_configured",
    );
    let (status, page) = admin.call(&off, Method::GET, &base, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"], json!([]));
}

pub async fn webhooks_are_signed_and_delivered(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&admin, "Hooked").await;
    let (a, b) = (Receiver::start().await, Receiver::start().await);
    let all = [
        "organization.updated",
        "organization.deleted",
        "organizationMembership.created",
        "organizationMembership.updated",
        "organizationMembership.deleted",
        "organizationInvitation.created",
        "organizationInvitation.accepted",
        "organizationInvitation.revoked",
    ];
    let ea = create_endpoint(&s, &admin, &org, &a.url, &all).await;
    let eb = create_endpoint(
        &s,
        &admin,
        &org,
        &b.url,
        &["organizationMembership.updated"],
    )
    .await;
    let (secret_a, secret_b) = (secret(&ea), secret(&eb));

    // Nothing happened yet: nothing is queued.
    let queued = "SELECT COUNT(*) FROM deliveries WHERE kind = 'webhook'";
    assert_eq!(count(&s, queued).await, 0);

    s.add_member(&admin, &org, &bob, "basic_member").await;
    let member_path = format!("/v1/organizations/{org}/memberships/{}", bob.id);
    let (status, promoted) = admin
        .call(
            &s,
            Method::PATCH,
            &member_path,
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{promoted}");
    let (status, renamed) = s
        .update_org(&admin, &org, json!({"name": "Hooked Inc"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    let (status, invited) = s
        .send_invitation(&admin, &org, "carol@example.com", "basic_member")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let (status, revoked) = admin
        .call(
            &s,
            Method::POST,
            &format!(
                "/v1/organizations/{org}/invitations/{}/revoke",
                id(&invited)
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    let (status, _) = admin.call(&s, Method::DELETE, &member_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    all_delivered(&s).await;
    assert_eq!(count(&s, queued).await, 9);
    let got = received(&a, 8).await;
    // The worker delivers in parallel: the arrival order is not the order of the events.
    let mut types: Vec<String> = got
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        [
            "organization.updated",
            "organizationInvitation.accepted",
            "organizationInvitation.created",
            "organizationInvitation.created",
            "organizationInvitation.revoked",
            "organizationMembership.created",
            "organizationMembership.deleted",
            "organizationMembership.updated",
        ]
    );
    for r in &got {
        r.verify(&secret_a);
        assert!(!r.verifies_with(&secret_b));
        assert_eq!(r.header("content-type"), "application/json");
        assert!(r.header("webhook-id").starts_with("msg_"));
        assert_eq!(r.json()["timestamp"].as_str().unwrap().len(), 24);
        assert!(r.header("user-agent").starts_with("orgkit-webhooks/"));
    }
    let by_type = |t: &str| got.iter().find(|r| r.json()["type"] == t).unwrap().clone();
    // `data` is the API's own wire object.
    let updated = by_type("organizationMembership.updated");
    assert_eq!(updated.json()["data"], promoted);
    let revoked_msg = by_type("organizationInvitation.revoked");
    assert_eq!(revoked_msg.json()["data"], revoked);
    let org_msg = by_type("organization.updated").json();
    assert_eq!(org_msg["data"]["name"], "Hooked Inc");
    assert_eq!(org_msg["data"]["id"], org.as_str());
    assert!(org_msg["data"].get("role").is_none() && org_msg["data"].get("permissions").is_none());
    let joined = by_type("organizationMembership.created").json();
    assert_eq!(joined["data"]["publicUserData"]["userId"], bob.id.as_str());
    assert!(joined["data"].get("organization").is_none());
    assert_eq!(
        by_type("organizationInvitation.accepted").json()["data"]["status"],
        "accepted"
    );
    assert_eq!(
        by_type("organizationMembership.deleted").json()["data"]["role"],
        "admin"
    );
    // Endpoint B got its one type, with the same message id as A.
    let only = b.received();
    assert_eq!(only.len(), 1);
    only[0].verify(&secret_b);
    assert_eq!(only[0].header("webhook-id"), updated.header("webhook-id"));
    assert_eq!(only[0].body, updated.body);

    // Attempts, newest first, paged.
    let attempts = format!("/v1/organizations/{org}/webhooks/{}/attempts", id(&ea));
    let (status, page) = admin
        .call(&s, Method::GET, &format!("{attempts}?limit=5"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    for pair in data.windows(2) {
        assert!(pair[0]["id"].as_str().unwrap() > pair[1]["id"].as_str().unwrap());
    }
    let cursor = page["nextCursor"].as_str().unwrap();
    let (_, rest) = admin
        .call(
            &s,
            Method::GET,
            &format!("{attempts}?limit=5&after={cursor}"),
            None,
        )
        .await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 3);
    assert!(rest["nextCursor"].is_null());
    let mut attempted: Vec<&str> = Vec::new();
    for attempt in data.iter().chain(rest["data"].as_array().unwrap()) {
        assert_eq!(attempt["succeeded"], true, "{attempt}");
        assert_eq!(attempt["statusCode"], 200);
        assert!(attempt["error"].is_null());
        assert!(attempt["durationMs"].as_i64().unwrap() >= 0);
        attempted.push(attempt["messageId"].as_str().unwrap());
    }
    let mut sent: Vec<&str> = got.iter().map(|r| r.header("webhook-id")).collect();
    attempted.sort_unstable();
    sent.sort_unstable();
    assert_eq!(attempted, sent);

    // A test message, to one endpoint, whatever it subscribes to.
    let one = format!("/v1/organizations/{org}/webhooks/{}", id(&eb));
    let (status, queued) = admin
        .call(&s, Method::POST, &format!("{one}/test"), None)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!(queued["eventType"], "webhook.test");
    let test = received(&b, 2).await.pop().unwrap();
    test.verify(&secret_b);
    assert_eq!(
        test.header("webhook-id"),
        queued["messageId"].as_str().unwrap()
    );
    assert_eq!(test.json()["type"], "webhook.test");
    assert_eq!(test.json()["data"]["endpointId"], id(&eb).as_str());
    assert_eq!(a.received().len(), 8);

    // A resend: the same id and body, signed again.
    let (status, resent) = admin
        .call(
            &s,
            Method::POST,
            &format!("{one}/resend"),
            Some(json!({"messageId": updated.header("webhook-id")})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{resent}");
    assert_eq!(resent["eventType"], "organizationMembership.updated");
    let again = received(&b, 3).await.pop().unwrap();
    again.verify(&secret_b);
    assert_eq!(again.header("webhook-id"), updated.header("webhook-id"));
    assert_eq!(again.body, updated.body);
    // A message the endpoint was never sent cannot be resent to it.
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("{one}/resend"),
                Some(json!({"messageId": got[0].header("webhook-id")})),
            )
            .await,
        404,
        "not_found",
    );

    // Deleting the organization: its endpoints still get this last message.
    let (status, _) = s.delete_org(&admin, &org).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let last = received(&a, 9).await.pop().unwrap();
    all_delivered(&s).await;
    last.verify(&secret_a);
    assert_eq!(last.json()["type"], "organization.deleted");
    assert_eq!(last.json()["data"], json!({"id": org, "deleted": true}));
    assert_eq!(b.received().len(), 3);
    let swept = orgkit_server::webhooks::sweep(&s.state, orgkit_server::token::now())
        .await
        .unwrap();
    assert!(swept >= 11, "both endpoints and their attempts: {swept}");
    assert_eq!(count(&s, "SELECT COUNT(*) FROM webhook_endpoints").await, 0);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM webhook_attempts WHERE org_id = $1",
            &org
        )
        .await,
        0
    );
}

pub async fn webhook_addresses_are_checked_at_creation_and_delivery(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.webhook_allow_private = false).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Guarded").await;
    let receiver = Receiver::start().await;
    let port = receiver.addr.port();
    let base = format!("/v1/organizations/{org}/webhooks");
    let types = json!(["organization.updated"]);

    // At creation: addresses inside the server's networks, and loopback names.
    for url in [
        receiver.url.clone(),
        format!("http://localhost:{port}/hook"),
        format!("http://[::1]:{port}/hook"),
        "https://10.0.0.1/hook".to_owned(),
        "https://172.16.5.4/hook".to_owned(),
        "https://192.168.1.1/hook".to_owned(),
        "https://100.64.0.1/hook".to_owned(),
        "https://169.254.169.254/latest/meta-data".to_owned(),
        "https://[::ffff:127.0.0.1]/hook".to_owned(),
        "https://[::ffff:a9fe:a9fe]/hook".to_owned(),
        "https://[fd00::1]/hook".to_owned(),
        "https://[fe80::1]/hook".to_owned(),
    ] {
        let answer = admin
            .call(
                &s,
                Method::POST,
                &base,
                Some(json!({"url": url, "eventTypes": types})),
            )
            .await;
        assert_error(&answer, 403, "webhook_url_forbidden");
    }
    // Numeric hosts a URL parser would read as 127.0.0.1 are not taken at all.
    for url in ["https://2130706433/", "https://0x7f.1/", "https://127.1/"] {
        let answer = admin
            .call(
                &s,
                Method::POST,
                &base,
                Some(json!({"url": url, "eventTypes": types})),
            )
            .await;
        assert_error(&answer, 400, "webhook_url_invalid");
    }

    // At delivery: a name accepted at creation may resolve inside later (DNS rebinding). The
    // endpoint's URL is rewritten in the database to stand for that: `localhost` resolves to
    // 127.0.0.1, which the address check refuses before any connection; so is the literal.
    let endpoint = create_endpoint(
        &s,
        &admin,
        &org,
        "https://hooks.example.com/hook",
        &["organization.updated"],
    )
    .await;
    let endpoint_id = id(&endpoint);
    for (n, url) in [
        format!("http://localhost:{port}/hook"),
        receiver.url.clone(),
    ]
    .into_iter()
    .enumerate()
    {
        sqlx::query("UPDATE webhook_endpoints SET url = $1 WHERE id = $2")
            .bind(&url)
            .bind(&endpoint_id)
            .execute(&s.state.db.pool)
            .await
            .unwrap();
        let (status, _) = admin
            .call(
                &s,
                Method::POST,
                &format!("{base}/{endpoint_id}/test"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        attempts_recorded(&s, &endpoint_id, n as i64 + 1).await;
    }
    let (_, attempts) = admin
        .call(
            &s,
            Method::GET,
            &format!("{base}/{endpoint_id}/attempts"),
            None,
        )
        .await;
    let attempts = attempts["data"].as_array().unwrap().clone();
    assert!(attempts.len() >= 2);
    for attempt in &attempts {
        assert!(attempt["statusCode"].is_null(), "{attempt}");
        assert_eq!(attempt["succeeded"], false);
        let error = attempt["error"].as_str().unwrap();
        assert!(
            error.contains("127.0.0.1") && error.contains("a loopback address"),
            "{error}"
        );
    }
    assert!(attempts.iter().any(|a| a["error"]
        .as_str()
        .unwrap()
        .contains("localhost resolves to")));
    // Refused messages are retried later (DNS may change back), never sent meanwhile.
    let pending = "SELECT COUNT(*) FROM deliveries WHERE target = $1 AND status = 'pending'";
    assert_eq!(s.count(pending, &endpoint_id).await, 2);
    assert!(receiver.received().is_empty(), "the receiver was called");
}

pub async fn rotated_secrets_sign_side_by_side(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Rotating").await;
    let receiver = Receiver::start().await;
    let created = create_endpoint(&s, &admin, &org, &receiver.url, &["organization.updated"]).await;
    let one = format!("/v1/organizations/{org}/webhooks/{}", id(&created));
    let old = secret(&created);
    let (_, rotated) = admin
        .call(&s, Method::POST, &format!("{one}/rotate-secret"), None)
        .await;
    let new = secret(&rotated);

    // During the overlap: two signatures, the new secret's first; each verifies alone.
    admin
        .call(&s, Method::POST, &format!("{one}/test"), None)
        .await;
    let got = received(&receiver, 1).await.pop().unwrap();
    got.verify(&old);
    got.verify(&new);
    let signatures: Vec<&str> = got.header("webhook-signature").split(' ').collect();
    assert_eq!(signatures.len(), 2, "{signatures:?}");
    let (id_header, ts) = (
        got.header("webhook-id"),
        got.header("webhook-timestamp").parse().unwrap(),
    );
    let expected =
        |secret: &str| orgkit_server::webhooks::sign(secret, id_header, ts, &got.body).unwrap();
    assert_eq!(signatures, [expected(&new), expected(&old)]);

    // After the overlap: only the new secret signs.
    sqlx::query("UPDATE webhook_endpoints SET previous_secret_expires_at = $1")
        .bind(orgkit_server::token::now().millis() - 1)
        .execute(&s.state.db.pool)
        .await
        .unwrap();
    let (_, endpoint) = admin.call(&s, Method::GET, &one, None).await;
    assert!(endpoint["previousSecretExpiresAt"].is_null(), "{endpoint}");
    admin
        .call(&s, Method::POST, &format!("{one}/test"), None)
        .await;
    let got = received(&receiver, 2).await.pop().unwrap();
    got.verify(&new);
    assert!(!got.verifies_with(&old));
    assert_eq!(got.header("webhook-signature").split(' ').count(), 1);
}

pub async fn gone_disables_the_endpoint(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Gone").await;
    let receiver = Receiver::start().await;
    receiver.answer_with(410);
    let created = create_endpoint(&s, &admin, &org, &receiver.url, &["organization.updated"]).await;
    let endpoint_id = id(&created);
    let one = format!("/v1/organizations/{org}/webhooks/{endpoint_id}");
    let rename = |name: &'static str| {
        let (s, admin, org) = (&s, &admin, &org);
        async move {
            let (status, _) = s.update_org(admin, org, json!({"name": name})).await;
            assert_eq!(status, StatusCode::OK);
        }
    };
    rename("Gone 1").await;
    let dead = "SELECT COUNT(*) FROM deliveries WHERE target = $1 AND status = 'dead'";
    eventually("the message is dead", 10, || async {
        s.count(dead, &endpoint_id).await == 1
    })
    .await;
    let (last_error,): (Option<String>,) =
        sqlx::query_as("SELECT last_error FROM deliveries WHERE target = $1")
            .bind(&endpoint_id)
            .fetch_one(&s.state.db.pool)
            .await
            .unwrap();
    assert!(last_error.unwrap_or_default().contains("410"));
    let (_, endpoint) = admin.call(&s, Method::GET, &one, None).await;
    assert_eq!(endpoint["enabled"], false);
    assert_eq!(endpoint["disabledReason"], "gone");
    let (_, attempts) = admin
        .call(&s, Method::GET, &format!("{one}/attempts"), None)
        .await;
    assert_eq!(attempts["data"].as_array().unwrap().len(), 1);
    assert_eq!(attempts["data"][0]["statusCode"], 410);
    assert_eq!(attempts["data"][0]["succeeded"], false);
    // A disabled endpoint gets nothing more queued.
    rename("Gone 2").await;
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM deliveries WHERE target = $1",
            &endpoint_id
        )
        .await,
        1
    );
    // Enabled again, it gets messages again.
    receiver.answer_with(204);
    let (_, endpoint) = admin
        .call(&s, Method::PATCH, &one, Some(json!({"enabled": true})))
        .await;
    assert_eq!(endpoint["enabled"], true);
    rename("Gone 3").await;
    received(&receiver, 2).await;
    all_delivered_for(&s, &endpoint_id).await;
}

/// Waits until the messages of `endpoint` are all out of the queue's pending state.
async fn all_delivered_for(s: &TestServer, endpoint: &str) {
    let sql = "SELECT COUNT(*) FROM deliveries WHERE target = $1 AND status = 'pending'";
    eventually("nothing pending", 10, || async {
        s.count(sql, endpoint).await == 0
    })
    .await;
}

pub async fn slow_receivers_time_out_and_are_retried(backend: Backend) {
    let s = TestServer::start_with(backend, |c| {
        c.webhook_timeout_ms = 300;
        c.retry_schedule_ms = vec![1_500; 7];
    })
    .await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Slow").await;
    let receiver = Receiver::start().await;
    receiver.delay(3_000);
    let created = create_endpoint(&s, &admin, &org, &receiver.url, &["organization.updated"]).await;
    let endpoint_id = id(&created);
    let one = format!("/v1/organizations/{org}/webhooks/{endpoint_id}");
    admin
        .call(&s, Method::POST, &format!("{one}/test"), None)
        .await;
    attempts_recorded(&s, &endpoint_id, 1).await;
    receiver.delay(0);
    attempts_recorded(&s, &endpoint_id, 2).await;
    all_delivered(&s).await;
    // At least once: the receiver saw the message twice, with one id to deduplicate on.
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].header("webhook-id"), got[1].header("webhook-id"));
    got[1].verify(&secret(&created));
    let (_, attempts) = admin
        .call(&s, Method::GET, &format!("{one}/attempts"), None)
        .await;
    let data = attempts["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["statusCode"], 200);
    assert!(data[1]["statusCode"].is_null());
    assert!(
        data[1]["error"]
            .as_str()
            .unwrap()
            .contains("no answer within 300 ms"),
        "{}",
        data[1]
    );
    let waited = data[1]["durationMs"].as_i64().unwrap();
    assert!((300..2_000).contains(&waited), "{waited}");
}

pub async fn a_receiver_down_then_up_gets_the_message_once(backend: Backend) {
    let s = TestServer::start_with(backend, |c| c.retry_schedule_ms = vec![1_000; 7]).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Flaky").await;
    // A free port with nobody listening on it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/hook");
    let created = create_endpoint(&s, &admin, &org, &url, &["organization.updated"]).await;
    let endpoint_id = id(&created);
    let one = format!("/v1/organizations/{org}/webhooks/{endpoint_id}");
    let (_, queued) = admin
        .call(&s, Method::POST, &format!("{one}/test"), None)
        .await;
    attempts_recorded(&s, &endpoint_id, 1).await;

    let receiver = Receiver::on(tokio::net::TcpListener::bind(addr).await.unwrap()).await;
    received(&receiver, 1).await;
    all_delivered(&s).await;
    // Delivered once, then done: nothing more comes.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    got[0].verify(&secret(&created));
    assert_eq!(
        got[0].header("webhook-id"),
        queued["messageId"].as_str().unwrap()
    );
    let (_, attempts) = admin
        .call(&s, Method::GET, &format!("{one}/attempts"), None)
        .await;
    let data = attempts["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["succeeded"], true);
    assert!(
        data[1]["error"].as_str().unwrap().contains("onnect"),
        "{}",
        data[1]
    );
}

/// `delivery: "webhook"`: the invitation goes to the endpoints subscribed to
/// `organizationInvitation.delivery`, with its accept URL and token; without one, 409.
pub async fn invitations_can_be_delivered_by_webhook(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&admin, "Relayed").await;
    let invite = |email: &'static str| {
        let (s, admin, org) = (&s, &admin, &org);
        async move {
            admin
                .call(
                    s,
                    Method::POST,
                    &format!("/v1/organizations/{org}/invitations"),
                    Some(json!({"emailAddress": email, "role": "basic_member", "delivery": "webhook"})),
                )
                .await
        }
    };
    // An endpoint that does not receive organizationInvitation.delivery does not count.
    let receiver = Receiver::start().await;
    let created = create_endpoint(
        &s,
        &admin,
        &org,
        &receiver.url,
        &["organizationInvitation.created"],
    )
    .await;
    assert_error(
        &invite("carol@example.com").await,
        409,
        "no_webhook_endpoint",
    );
    let one = format!("/v1/organizations/{org}/webhooks/{}", id(&created));
    let (status, _) = admin
        .call(&s, Method::PATCH, &one, Some(json!({"eventTypes": ["organizationInvitation.created", "organizationInvitation.delivery"]})))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, invitation) = invite("carol@example.com").await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    // The answer never shows the token; the webhook carries it.
    assert!(invitation.get("token").is_none() && invitation.get("acceptUrl").is_none());
    let got = received(&receiver, 2).await;
    let by_type = |t: &str| got.iter().find(|r| r.json()["type"] == t).unwrap().json();
    let announced = by_type("organizationInvitation.created");
    assert!(announced["data"].get("token").is_none(), "{announced}");
    let delivery = by_type("organizationInvitation.delivery");
    assert_eq!(delivery["data"]["id"], invitation["id"]);
    let token = delivery["data"]["token"].as_str().unwrap();
    let accept_url = delivery["data"]["acceptUrl"].as_str().unwrap();
    assert!(
        accept_url.ends_with(&format!("token={token}")),
        "{accept_url}"
    );
    for r in &got {
        r.verify(&secret(&created));
    }
    // The message with the token is marked secret for the queue, and is never resent.
    let secret_rows = "SELECT COUNT(*) FROM deliveries WHERE target = $1 AND secret = 1";
    assert_eq!(s.count(secret_rows, &id(&created)).await, 1);
    let message_id = got
        .iter()
        .find(|r| r.json()["type"] == "organizationInvitation.delivery")
        .unwrap()
        .header("webhook-id")
        .to_owned();
    assert_error(
        &admin
            .call(
                &s,
                Method::POST,
                &format!("{one}/resend"),
                Some(json!({"messageId": message_id})),
            )
            .await,
        404,
        "not_found",
    );
    // The token works.
    let (status, membership) = s.accept_invitation(&carol, token).await;
    assert_eq!(status, StatusCode::OK, "{membership}");
}

/// One real delivery, checked by the npm `standardwebhooks` package (`tests/webhooks/verify.mjs`)
/// with both secrets of a rotation.
pub async fn deliveries_verify_with_the_npm_library(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Interop").await;
    let receiver = Receiver::start().await;
    let created = create_endpoint(&s, &admin, &org, &receiver.url, &["organization.updated"]).await;
    let one = format!("/v1/organizations/{org}/webhooks/{}", id(&created));
    let (_, rotated) = admin
        .call(&s, Method::POST, &format!("{one}/rotate-secret"), None)
        .await;
    let (status, _) = s
        .update_org(&admin, &org, json!({"name": "Interop ✓"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let got = received(&receiver, 1).await.pop().unwrap();
    let capture = json!({
        "secrets": [secret(&created), secret(&rotated)],
        "headers": {
            "webhook-id": got.header("webhook-id"),
            "webhook-timestamp": got.header("webhook-timestamp"),
            "webhook-signature": got.header("webhook-signature"),
        },
        "body": got.body,
    });
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/webhooks/verify.mjs");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("capture.json");
    std::fs::write(&file, capture.to_string()).unwrap();
    let output = std::process::Command::new("node")
        .arg(&script)
        .arg(&file)
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| panic!("node is needed for the interoperability test: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the npm standardwebhooks package refused orgkit's delivery (run `npm ci` if it is missing):\n{text}"
    );
    assert!(text.contains("verified with 2 secrets"), "{text}");
}
