//! The delivery queue, end to end: mail leaves after the answer, is retried, dies and is
//! revived by hand, survives a `kill -9` of the server, is shared by two instances, and leaves
//! no live token readable in the database.

use crate::harness::{create_database, Backend, TestServer};
use crate::smtp::SmtpSink;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::process::{Child, Command};

/// Polls `count` (a database count) until it reaches `want`, for at most `secs` seconds.
async fn wait_for_count(s: &TestServer, sql: &str, arg: &str, want: i64, secs: u64) {
    let mut last = -1;
    for _ in 0..secs * 20 {
        last = s.count(sql, arg).await;
        if last == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{sql} [{arg}] stayed at {last}, expected {want}");
}

/// The token of the link in a raw (quoted-printable) email.
fn token_in(raw: &str) -> String {
    let unfolded = raw
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded.find("token=").expect("a link with a token") + "token=".len();
    unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A TCP relay to an SMTP server that can be down (it hangs up at once) or up.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
}

impl Relay {
    async fn start(target_port: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(false));
        let is_up = Arc::clone(&up);
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !is_up.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused mid-greeting
                }
                tokio::spawn(async move {
                    if let Ok(mut server) =
                        tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Relay { port, up }
    }

    fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
    }
}

pub async fn mail_leaves_after_the_answer_and_no_token_stays(backend: Backend) {
    let mut sink = SmtpSink::start().await;
    let port = sink.port;
    let s = TestServer::start_with(backend, |c| {
        c.dev = false;
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let admin = s.sign_up("owner@example.com").await;
    let (_, verification) = sink.next_message().await;
    let mut tokens = vec![token_in(&verification)];
    let org = s.create_org(&admin, "Queue Co").await;
    let invitees = ["a@example.com", "b@example.com", "c@example.com"];
    let answer = admin
        .call(
            &s,
            Method::POST,
            &format!("/v1/organizations/{org}/invitations"),
            Some(json!({"emailAddresses": invitees, "role": "basic_member"})),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    let mut received = Vec::new();
    for _ in invitees {
        let (rcpt, raw) = sink.next_message().await;
        received.push(rcpt[0].clone());
        tokens.push(token_in(&raw));
    }
    received.sort();
    assert_eq!(received, invitees);

    let delivered = "SELECT COUNT(*) FROM deliveries WHERE status = $1";
    wait_for_count(&s, delivered, "delivered", 4, 10).await;
    let readable = "SELECT COUNT(*) FROM deliveries WHERE kind = $1 \
                    AND (payload IS NOT NULL OR link IS NOT NULL)";
    assert_eq!(s.count(readable, "mail").await, 0, "bodies are erased");
    for token in &tokens {
        let pattern = format!("%{token}%");
        let anywhere = "SELECT (SELECT COUNT(*) FROM deliveries WHERE payload LIKE $1 OR link LIKE $1 OR topic LIKE $1) \
                      + (SELECT COUNT(*) FROM invitations WHERE token_hash LIKE $1) \
                      + (SELECT COUNT(*) FROM email_verifications WHERE token_hash LIKE $1) \
                      + (SELECT COUNT(*) FROM audit_events WHERE detail LIKE $1)";
        assert_eq!(
            s.count(anywhere, &pattern).await,
            0,
            "token {token} is readable"
        );
    }
    // The emailed tokens are live all the same.
    let preview = s
        .raw(
            Method::POST,
            "/v1/invitations/preview",
            None,
            Some(json!({"token": tokens[1]})),
        )
        .await;
    assert_eq!(preview.0, StatusCode::OK, "{}", preview.1);
    assert!(invitees.contains(&preview.1["emailAddress"].as_str().unwrap()));
    // Without --dev there is no mailbox to read them from.
    let mailbox = s.raw(Method::GET, "/v1/dev/mailbox", None, None).await;
    assert_eq!(mailbox.0, StatusCode::NOT_FOUND);
}

pub async fn delivery_none_answers_the_link_once(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("owner@example.com").await;
    let org = s.create_org(&admin, "Link Co").await;
    let path = format!("/v1/organizations/{org}/invitations");
    let answer = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddress": "quiet@example.com", "role": "basic_member", "delivery": "none"})),
        )
        .await;
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
    let token = answer.1["token"].as_str().expect("the token, once");
    assert_eq!(
        answer.1["acceptUrl"],
        format!("{}/accept?token={token}", s.url)
    );
    let preview = s
        .raw(
            Method::POST,
            "/v1/invitations/preview",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(preview.0, StatusCode::OK, "{}", preview.1);
    // Nothing was queued for the address, and the token is never shown again.
    let queued = "SELECT COUNT(*) FROM deliveries WHERE target = $1";
    assert_eq!(s.count(queued, "quiet@example.com").await, 0);
    let listed = admin.call(&s, Method::GET, &path, None).await;
    assert_eq!(listed.0, StatusCode::OK);
    let first = &listed.1["data"][0];
    assert_eq!(first["emailAddress"], "quiet@example.com");
    assert!(first.get("token").is_none() && first.get("acceptUrl").is_none());
    // Bulk: every result carries its own link; email stays the default.
    let bulk = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddresses": ["x@example.com", "y@example.com"], "role": "basic_member", "delivery": "none"})),
        )
        .await;
    assert_eq!(bulk.0, StatusCode::OK, "{}", bulk.1);
    let links: Vec<&str> = bulk.1["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["invitation"]["acceptUrl"].as_str().expect("a link each"))
        .collect();
    assert_eq!(links.len(), 2);
    assert_ne!(links[0], links[1]);
    let emailed = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddress": "loud@example.com", "role": "basic_member"})),
        )
        .await;
    assert_eq!(emailed.0, StatusCode::CREATED);
    assert!(emailed.1.get("token").is_none());
    assert_eq!(s.count(queued, "loud@example.com").await, 1);
    // Webhook delivery needs an endpoint that receives it.
    let unheard = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddress": "hook@example.com", "role": "basic_member", "delivery": "webhook"})),
        )
        .await;
    crate::harness::assert_error(&unheard, 409, "no_webhook_endpoint");
    assert_eq!(s.count(queued, "hook@example.com").await, 0);
    // An unknown choice is refused.
    let bad = admin
        .call(
            &s,
            Method::POST,
            &path,
            Some(json!({"emailAddress": "z@example.com", "role": "basic_member", "delivery": "pigeon"})),
        )
        .await;
    crate::harness::assert_error(&bad, 400, "validation_failed");
}

pub async fn failed_mail_is_retried_then_dead_and_revived_by_hand(backend: Backend) {
    let mut sink = SmtpSink::start().await;
    let relay = Relay::start(sink.port).await;
    let relay_port = relay.port;
    let s = TestServer::start_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{relay_port}"));
        c.retry_schedule_ms = vec![100, 100];
    })
    .await;
    s.sign_up("retry@example.com").await;
    let dead = "SELECT COUNT(*) FROM deliveries WHERE status = $1 AND attempts = 3 \
                AND last_error IS NOT NULL";
    wait_for_count(&s, dead, "dead", 1, 20).await;
    assert!(sink
        .next_message_within(Duration::from_millis(300))
        .await
        .is_none());

    // The server is back; an operator lists the dead item and revives it.
    relay.set_up(true);
    let database_url = s.state.config.database_url.clone();
    let listed = cli(&database_url, &["deliveries", "list", "--status", "dead"]).await;
    assert!(listed.contains("retry@example.com"), "{listed}");
    assert!(listed.contains("\tdead\t3\t"), "{listed}");
    let revived = cli(&database_url, &["deliveries", "retry", "--all-dead"]).await;
    assert!(
        revived.contains("1 dead item(s) pending again"),
        "{revived}"
    );
    let (rcpt, _) = sink.next_message().await;
    assert_eq!(rcpt, ["retry@example.com"]);
    wait_for_count(
        &s,
        "SELECT COUNT(*) FROM deliveries WHERE status = $1",
        "delivered",
        1,
        10,
    )
    .await;
    assert!(
        sink.next_message_within(Duration::from_millis(500))
            .await
            .is_none(),
        "delivered once"
    );
}

pub async fn mail_is_delivered_once_when_the_server_comes_back(backend: Backend) {
    let mut sink = SmtpSink::start().await;
    let relay = Relay::start(sink.port).await;
    let relay_port = relay.port;
    let s = TestServer::start_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{relay_port}"));
        c.retry_schedule_ms = vec![400; 6];
    })
    .await;
    s.sign_up("later@example.com").await;
    let failed_once = "SELECT COUNT(*) FROM deliveries WHERE status = $1 AND attempts >= 1 \
                       AND last_error IS NOT NULL";
    wait_for_count(&s, failed_once, "pending", 1, 10).await;
    relay.set_up(true);
    let (rcpt, _) = sink.next_message().await;
    assert_eq!(rcpt, ["later@example.com"]);
    let retried = "SELECT COUNT(*) FROM deliveries WHERE status = $1 AND attempts >= 2";
    wait_for_count(&s, retried, "delivered", 1, 10).await;
    assert!(sink
        .next_message_within(Duration::from_millis(800))
        .await
        .is_none());
}

/// Runs a maintenance command of the server binary and answers its stdout.
async fn cli(database_url: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_orgkit-server"))
        .arg("--database-url")
        .arg(database_url)
        .args(args)
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// A restarted server's lease, in seconds. It claims the killed server's items when their 2 s
/// leases end, and its own outlast a batch's attempts and their recording on a loaded machine.
/// With 2 s, a batch recorded more than 2 s after its claim is claimed and sent once more, and
/// the tests' each-once assertions fail (the likely cause of one CI failure on a busy run).
const RESTART_LEASE: &str = "30";

/// The server binary on `database_url`, mailing `smtp_port`; answers the process and its URL.
async fn spawn_server(
    database_url: &str,
    smtp_port: u16,
    dir: &std::path::Path,
) -> (Child, String) {
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    spawn_server_with(database_url, &["--smtp-url", &smtp], dir).await
}

/// One `--secret-key` for every server this test process spawns, so that a restarted server
/// reads the secrets its predecessor sealed.
fn process_secret_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(crate::harness::test_secret_key)
}

/// The server binary on `database_url` with `extra` flags and the tests' common ones: fast
/// hashing, high rate limits, a 2 s lease unless `extra` sets one, a 50 ms poll and 100 ms
/// retries, a webhook key.
async fn spawn_server_with(
    database_url: &str,
    extra: &[&str],
    dir: &std::path::Path,
) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orgkit-server"));
    command
        .args(["--database-url", database_url, "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("ORGKIT_SECRET_KEY", process_secret_key())
        .args(["--password-hashing", "fast", "--delivery-poll-ms", "50"])
        .args(["--retry-schedule-ms", "100,100,100"]);
    if !extra.contains(&"--delivery-lease-seconds") {
        command.args(["--delivery-lease-seconds", "2"]);
    }
    command
        .args([
            "--sign-up-limit-per-minute",
            "1000",
            "--invite-limit-per-minute",
            "1000",
        ])
        .args(["--mail-to-address-limit-per-minute", "1000"]);
    crate::harness::start_binary(command, dir).await
}

/// Signs up `owner@example.com` on the server at `url` and creates an organization named
/// `name`; answers the session token and the organization id.
async fn owner_and_org(client: &reqwest::Client, url: &str, name: &str) -> (String, String) {
    let session = call(
        client,
        format!("{url}/v1/auth/sign-up"),
        None,
        json!({"emailAddress": "owner@example.com", "password": "correct horse", "name": "Owner"}),
    )
    .await;
    let token = session["token"].as_str().unwrap().to_owned();
    let org = call(
        client,
        format!("{url}/v1/organizations"),
        Some(&token),
        json!({"name": name}),
    )
    .await;
    (token, org["id"].as_str().unwrap().to_owned())
}

/// Sends `body` to `url` as `token`; answers the JSON.
async fn call(client: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut request = client.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "{response:?}");
    response.json().await.unwrap()
}

pub async fn a_killed_server_leaves_no_item_behind(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, pg_cleanup) = create_database(&backend, dir.path()).await;
    // An SMTP server that accepts connections and never answers: attempts hang in flight.
    let blackhole = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let blackhole_port = blackhole.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = blackhole.accept().await {
            held.push(socket);
        }
    });
    let (mut server, url) = spawn_server(&database_url, blackhole_port, dir.path()).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let (token, org) = owner_and_org(&client, &url, "Crash Co").await;
    let (token, org) = (token.as_str(), org.as_str());
    let mut expected: Vec<String> = vec!["owner@example.com".to_owned()];
    for batch in 0..2 {
        let addresses: Vec<String> = (0..50)
            .map(|i| format!("m{batch}-{i}@example.com"))
            .collect();
        expected.extend(addresses.iter().cloned());
        call(
            &client,
            format!("{url}/v1/organizations/{org}/invitations"),
            Some(token),
            json!({"emailAddresses": addresses, "role": "basic_member"}),
        )
        .await;
    }
    // Wait until the worker has items in flight, then kill it without warning.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database_url).await.unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
            n
        }
    };
    let in_flight = "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND leased_until > 0";
    for _ in 0..200 {
        if count(in_flight).await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        count(in_flight).await > 0,
        "items in flight before the kill"
    );
    server.start_kill().unwrap(); // SIGKILL
    server.wait().await.unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM deliveries").await, 101);

    // Restarted, with a working SMTP server: every item arrives, each once.
    let mut sink = SmtpSink::start().await;
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    let flags = [
        "--smtp-url",
        &smtp,
        "--delivery-lease-seconds",
        RESTART_LEASE,
    ];
    let (_server, _url) = spawn_server_with(&database_url, &flags, dir.path()).await;
    let mut received: HashMap<String, u32> = HashMap::new();
    for _ in 0..expected.len() {
        let (rcpt, _) = sink.next_message().await;
        *received.entry(rcpt[0].clone()).or_default() += 1;
    }
    assert!(sink
        .next_message_within(Duration::from_millis(1500))
        .await
        .is_none());
    expected.sort();
    let mut got: Vec<String> = received.keys().cloned().collect();
    got.sort();
    assert_eq!(got, expected);
    assert!(received.values().all(|n| *n == 1), "{received:?}");
    let delivered =
        "SELECT COUNT(*) FROM deliveries WHERE status = 'delivered' AND payload IS NULL";
    for _ in 0..100 {
        if count(delivered).await == 101 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(delivered).await, 101);
    pool.close().await;
    drop(_server);
    crate::harness::drop_database(pg_cleanup).await;
}

/// Two instances on one PostgreSQL database deliver 1,000 queued emails between them, each once.
pub async fn two_instances_share_the_queue(backend: Backend) {
    let mut sink = SmtpSink::start().await;
    let port = sink.port;
    let a = TestServer::start_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_from = "instance-a <a@orgkit.invalid>".to_owned();
    })
    .await;
    let b = a
        .start_sharing(|c| {
            c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
            c.mail_from = "instance-b <b@orgkit.invalid>".to_owned();
        })
        .await;
    let admin = a.sign_up("owner@example.com").await;
    sink.next_message().await;
    let org = a.create_org(&admin, "Shared Co").await;
    let path = format!("/v1/organizations/{org}/invitations");
    for batch in 0..20 {
        let server = if batch % 2 == 0 { &a } else { &b };
        let addresses: Vec<String> = (0..50)
            .map(|i| format!("s{batch}-{i}@example.com"))
            .collect();
        let answer = admin
            .call(
                server,
                Method::POST,
                &path,
                Some(json!({"emailAddresses": addresses, "role": "basic_member"})),
            )
            .await;
        assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    }
    let mut received: HashMap<String, u32> = HashMap::new();
    let mut senders: HashMap<&str, u32> = HashMap::new();
    for _ in 0..1000 {
        let (rcpt, raw) = sink.next_message().await;
        *received.entry(rcpt[0].clone()).or_default() += 1;
        let sender = if raw.contains("From: instance-a") {
            "a"
        } else {
            "b"
        };
        *senders.entry(sender).or_default() += 1;
    }
    assert!(sink
        .next_message_within(Duration::from_millis(1500))
        .await
        .is_none());
    assert_eq!(received.len(), 1000);
    assert!(received.values().all(|n| *n == 1));
    assert!(senders.get("a").is_some_and(|n| *n > 0), "{senders:?}");
    assert!(senders.get("b").is_some_and(|n| *n > 0), "{senders:?}");
    drop(b);
}

/// A `kill -9` with 100 webhook messages queued and some in flight, then a restart: every
/// message reaches the endpoint, and only those whose success was never recorded (in flight at
/// the kill) arrive twice under the same `webhook-id`.
pub async fn a_killed_server_delivers_every_webhook_after_a_restart(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, pg_cleanup) = create_database(&backend, dir.path()).await;
    let receiver = crate::webhooks::Receiver::start().await;
    let flags = [
        "--dev",
        "--webhook-allow-private",
        "--webhook-timeout-ms",
        "60000",
    ];
    let (mut server, url) = spawn_server_with(&database_url, &flags, dir.path()).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let (token, org) = owner_and_org(&client, &url, "Hook Co").await;
    let (token, org) = (token.as_str(), org.as_str());
    call(
        &client,
        format!("{url}/v1/organizations/{org}/webhooks"),
        Some(token),
        json!({"url": receiver.url, "eventTypes": ["organizationInvitation.created"]}),
    )
    .await;
    // The receiver hangs: the worker's first attempts stay in flight.
    receiver.delay(60_000);
    for batch in 0..2 {
        let addresses: Vec<String> = (0..50)
            .map(|i| format!("w{batch}-{i}@example.com"))
            .collect();
        call(
            &client,
            format!("{url}/v1/organizations/{org}/invitations"),
            Some(token),
            json!({"emailAddresses": addresses, "role": "basic_member", "delivery": "none"}),
        )
        .await;
    }
    for _ in 0..200 {
        if !receiver.received().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ids = |received: &[crate::webhooks::Received]| -> Vec<String> {
        received
            .iter()
            .map(|r| r.header("webhook-id").to_owned())
            .collect()
    };
    assert!(
        !receiver.received().is_empty(),
        "attempts in flight before the kill"
    );
    server.start_kill().unwrap(); // SIGKILL
    server.wait().await.unwrap();
    // Requests the killed server had written may still be on their way into the receiver's
    // handler: wait until its record stops growing.
    let mut seen = receiver.received().len();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = receiver.received().len();
        if now == seen {
            break;
        }
        seen = now;
    }
    let in_flight_at_kill: std::collections::HashSet<String> =
        ids(&receiver.received()).into_iter().collect();

    receiver.delay(0);
    let restart_flags = [&flags[..], &["--delivery-lease-seconds", RESTART_LEASE]].concat();
    let (_server, _url) = spawn_server_with(&database_url, &restart_flags, dir.path()).await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database_url).await.unwrap();
    let delivered =
        "SELECT COUNT(*) FROM deliveries WHERE kind = 'webhook' AND status = 'delivered'";
    let mut n = 0;
    for _ in 0..600 {
        (n,) = sqlx::query_as::<_, (i64,)>(delivered)
            .fetch_one(&pool)
            .await
            .unwrap();
        if n == 100 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if n != 100 {
        let states: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT kind, status, attempts, last_error FROM deliveries ORDER BY id LIMIT 5",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        panic!("{n} of 100 delivered after the restart; first items: {states:?}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut times: HashMap<String, u32> = HashMap::new();
    for id in ids(&receiver.received()) {
        *times.entry(id).or_default() += 1;
    }
    assert_eq!(times.len(), 100, "100 distinct messages");
    for (id, n) in &times {
        let bound = if in_flight_at_kill.contains(id) { 2 } else { 1 };
        assert!(*n <= bound, "{id} arrived {n} times");
    }
    pool.close().await;
    drop(_server);
    crate::harness::drop_database(pg_cleanup).await;
}
