//! Email over real SMTP: the test starts aiosmtpd (from PyPI; `scripts/setup.sh` installs it)
//! on 127.0.0.1, with STARTTLS, implicit TLS or a required login as a test needs, and reads
//! what it saw. Certificates are self-signed, made by the test, and trusted through
//! `--smtp-ca-file`.
//!
//! Delivery may happen after the request answers, and be retried: a test waits for the
//! message (bounded), and proves a refusal by the server seeing the attempt (its EHLO) and no
//! message in the seconds after.

use crate::harness::{Backend, TestServer};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// How long a message may take to arrive.
const DELIVERY: Duration = Duration::from_secs(30);
/// How long a refused message is watched for after the attempt.
const QUIET: Duration = Duration::from_secs(3);

/// A running aiosmtpd; killed when dropped.
pub(crate) struct SmtpSink {
    _child: Child,
    lines: Lines<BufReader<ChildStdout>>,
    pub(crate) port: u16,
}

/// One message the sink accepted.
struct Received {
    rcpt: Vec<String>,
    data: String,
    /// Whether the session was TLS (STARTTLS or implicit).
    tls: bool,
    /// The user the client logged in as.
    login: Option<String>,
}

impl SmtpSink {
    /// Starts aiosmtpd: plain SMTP, no login.
    pub(crate) async fn start() -> SmtpSink {
        SmtpSink::start_with(&[]).await
    }

    /// Starts aiosmtpd with `args` (see `smtp_sink.py`).
    async fn start_with(args: &[&str]) -> SmtpSink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("aiosmtpd starts within 30 s")
            .expect("read")
            .unwrap_or_else(|| panic!("aiosmtpd did not start: install it with `python3 -m pip install aiosmtpd` (scripts/setup.sh does)"));
        let port = ready
            .strip_prefix("READY ")
            .expect("READY line")
            .parse()
            .expect("port");
        SmtpSink {
            _child: child,
            lines,
            port,
        }
    }

    /// The next event within `within`, or `None`.
    async fn next_event(&mut self, within: Duration) -> Option<Value> {
        let line = tokio::time::timeout(within, self.lines.next_line())
            .await
            .ok()?
            .expect("read")
            .expect("aiosmtpd is running");
        Some(serde_json::from_str(&line).expect("json line"))
    }

    /// The next message received, within [`DELIVERY`].
    async fn received(&mut self) -> Received {
        self.received_within(DELIVERY)
            .await
            .expect("a message within 30 s")
    }

    /// The next message received within `wait`, if one is; other events are skipped.
    async fn received_within(&mut self, wait: Duration) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let event = self.next_event(left).await?;
            if event["event"] == "message" {
                return Some(Received {
                    rcpt: event["rcpt"]
                        .as_array()
                        .expect("rcpt")
                        .iter()
                        .map(|r| r.as_str().expect("str").to_owned())
                        .collect(),
                    data: event["data"].as_str().expect("data").to_owned(),
                    tls: event["tls"].as_bool().expect("tls"),
                    login: event["login"].as_str().map(str::to_owned),
                });
            }
        }
    }

    /// The next message received: (recipients, raw message).
    pub(crate) async fn next_message(&mut self) -> (Vec<String>, String) {
        let message = self.received().await;
        (message.rcpt, message.data)
    }

    /// The next message received within `wait`, if one is.
    pub(crate) async fn next_message_within(
        &mut self,
        wait: Duration,
    ) -> Option<(Vec<String>, String)> {
        let message = self.received_within(wait).await?;
        Some((message.rcpt, message.data))
    }

    /// Asserts that the client tried (an EHLO within [`DELIVERY`]) and that no message
    /// arrived then or within [`QUIET`] after.
    async fn assert_refused(&mut self, why: &str) {
        let first = self.next_event(DELIVERY).await;
        let first = first.unwrap_or_else(|| panic!("{why}: the server never connected"));
        assert_eq!(first["event"], "ehlo", "{why}: {first}");
        let deadline = tokio::time::Instant::now() + QUIET;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_event(left).await {
                None => return,
                Some(event) => assert_ne!(event["event"], "message", "{why}: {event}"),
            }
        }
    }
}

/// A self-signed certificate for `127.0.0.1` and `localhost`, with its key, as PEM files.
struct TestCert {
    _dir: tempfile::TempDir,
    cert: PathBuf,
    key: PathBuf,
}

impl TestCert {
    fn new() -> TestCert {
        let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
        let generated = rcgen::generate_simple_self_signed(names).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        std::fs::write(&cert, generated.cert.pem()).unwrap();
        std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
        TestCert {
            _dir: dir,
            cert,
            key,
        }
    }

    fn cert(&self) -> &str {
        self.cert.to_str().unwrap()
    }

    fn key(&self) -> &str {
        self.key.to_str().unwrap()
    }
}

/// Starts a server that mails through `url`, trusting `ca` when given.
async fn server(backend: Backend, url: String, ca: Option<&TestCert>) -> TestServer {
    let ca = ca.map(|c| c.cert.clone());
    TestServer::start_with(backend, move |c| {
        c.smtp_url = Some(url);
        c.smtp_ca_file = ca;
    })
    .await
}

pub async fn invitation_email_reaches_a_real_smtp_server(backend: Backend) {
    let mut sink = SmtpSink::start().await;
    let port = sink.port;
    let s = server(backend, format!("smtp://127.0.0.1:{port}"), None).await;

    s.sign_up("admin@example.com").await;
    let verification = sink.received().await;
    assert_eq!(verification.rcpt, ["admin@example.com"]);
    assert!(!verification.tls, "the sink offers no STARTTLS");
    let verification = verification.data;
    assert!(
        verification.contains("Subject: Verify your email address"),
        "{verification}"
    );
    assert!(
        verification.contains("/verify-email?token="),
        "{verification}"
    );

    let admin = s.sign_up("owner@example.com").await;
    sink.received().await;
    let org = s.create_org(&admin, "Mail Co").await;
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let invitation = sink.received().await;
    assert_eq!(invitation.rcpt, ["bob@example.com"]);
    let invitation = invitation.data;
    assert!(
        invitation.contains("Subject: You are invited to join Mail Co"),
        "{invitation}"
    );
    let unfolded = invitation
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(
        unfolded.contains(&format!("{}/accept?token={token}", s.url)),
        "{invitation}"
    );
    assert!(
        unfolded.contains("From: orgkit <no-reply@orgkit.invalid>"),
        "{invitation}"
    );
}

/// `smtp://` upgrades with STARTTLS when the server offers it, and checks the certificate:
/// trusted through `--smtp-ca-file` the mail goes through TLS; untrusted, it does not go.
pub async fn starttls_is_used_when_offered(backend: Backend) {
    let cert = TestCert::new();
    let mut sink =
        SmtpSink::start_with(&["--starttls", cert.cert(), cert.key(), "--require-starttls"]).await;
    let url = format!("smtp://127.0.0.1:{}", sink.port);

    let s = server(backend.clone(), url.clone(), Some(&cert)).await;
    s.sign_up("ada@example.com").await;
    let message = sink.received().await;
    assert_eq!(message.rcpt, ["ada@example.com"]);
    assert!(message.tls, "delivered over STARTTLS");
    drop(s);

    let untrusting = server(backend, url, None).await;
    untrusting.sign_up("bob@example.com").await;
    sink.assert_refused("a self-signed certificate without --smtp-ca-file")
        .await;
}

/// `smtps://` speaks TLS from the first byte (port 465 by default; here the sink's).
pub async fn smtps_uses_implicit_tls(backend: Backend) {
    let cert = TestCert::new();
    let mut sink = SmtpSink::start_with(&["--implicit-tls", cert.cert(), cert.key()]).await;
    let url = format!("smtps://localhost:{}", sink.port);
    let s = server(backend, url, Some(&cert)).await;
    s.sign_up("ada@example.com").await;
    let message = sink.received().await;
    assert_eq!(message.rcpt, ["ada@example.com"]);
    assert!(message.tls);
    assert!(
        message.data.contains("Subject: Verify your email address"),
        "{}",
        message.data
    );
}

/// `?tls=required` delivers over STARTTLS, and sends nothing to a server that offers none.
pub async fn required_tls_refuses_a_server_without_starttls(backend: Backend) {
    let cert = TestCert::new();
    let mut with_tls = SmtpSink::start_with(&["--starttls", cert.cert(), cert.key()]).await;
    let url = format!("smtp://127.0.0.1:{}?tls=required", with_tls.port);
    let s = server(backend.clone(), url, Some(&cert)).await;
    s.sign_up("ada@example.com").await;
    let message = with_tls.received().await;
    assert_eq!(message.rcpt, ["ada@example.com"]);
    assert!(message.tls);
    drop(s);

    let mut plain = SmtpSink::start().await;
    let url = format!("smtp://127.0.0.1:{}?tls=required", plain.port);
    let s = server(backend, url, Some(&cert)).await;
    s.sign_up("bob@example.com").await;
    plain.assert_refused("tls=required without STARTTLS").await;
}

/// A login from the URL (percent-encoded) or from `--smtp-username` and `--smtp-password`
/// reaches the server's AUTH, which it offers only over TLS.
pub async fn credentials_reach_the_servers_auth(backend: Backend) {
    let cert = TestCert::new();
    let (user, password) = ("orgkit", "p@ss:w%rd");
    let login = format!("{user}:{password}");
    let mut sink =
        SmtpSink::start_with(&["--starttls", cert.cert(), cert.key(), "--auth", &login]).await;
    let port = sink.port;

    let in_url = format!("smtp://orgkit:p%40ss%3Aw%25rd@127.0.0.1:{port}");
    let s = server(backend.clone(), in_url, Some(&cert)).await;
    s.sign_up("ada@example.com").await;
    let message = sink.received().await;
    assert_eq!(message.rcpt, ["ada@example.com"]);
    assert_eq!(message.login.as_deref(), Some(user));
    assert!(message.tls);
    drop(s);

    let ca = cert.cert.clone();
    let s = TestServer::start_with(backend, move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.smtp_username = Some(user.to_owned());
        c.smtp_password = Some(password.to_owned());
        c.smtp_ca_file = Some(ca);
    })
    .await;
    s.sign_up("bob@example.com").await;
    let message = sink.received().await;
    assert_eq!(message.rcpt, ["bob@example.com"]);
    assert_eq!(message.login.as_deref(), Some(user));
}
