//! Email over real SMTP: the test starts aiosmtpd (from PyPI; `scripts/setup.sh` installs it)
//! on 127.0.0.1 and reads what it received.

use crate::harness::{Backend, TestServer};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// A running aiosmtpd; killed when dropped.
pub(crate) struct SmtpSink {
    _child: Child,
    lines: Lines<BufReader<ChildStdout>>,
    pub(crate) port: u16,
}

impl SmtpSink {
    pub(crate) async fn start() -> SmtpSink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
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

    /// The next message received: (recipients, raw message).
    pub(crate) async fn next_message(&mut self) -> (Vec<String>, String) {
        self.next_message_within(Duration::from_secs(30))
            .await
            .expect("a message within 30 s")
    }

    /// The next message received within `wait`, if one is.
    pub(crate) async fn next_message_within(
        &mut self,
        wait: Duration,
    ) -> Option<(Vec<String>, String)> {
        let line = tokio::time::timeout(wait, self.lines.next_line())
            .await
            .ok()?
            .expect("read")
            .expect("aiosmtpd is running");
        let message: serde_json::Value = serde_json::from_str(&line).expect("json line");
        let rcpt = message["rcpt"]
            .as_array()
            .expect("rcpt")
            .iter()
            .map(|r| r.as_str().expect("str").to_owned())
            .collect();
        Some((rcpt, message["data"].as_str().expect("data").to_owned()))
    }
}

pub async fn invitation_email_reaches_a_real_smtp_server(backend: Backend) {
    let mut sink = SmtpSink::start().await;
    let port = sink.port;
    let s = TestServer::start_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await;

    s.sign_up("admin@example.com").await;
    let (rcpt, verification) = sink.next_message().await;
    assert_eq!(rcpt, ["admin@example.com"]);
    assert!(
        verification.contains("Subject: Verify your email address"),
        "{verification}"
    );
    assert!(
        verification.contains("/verify-email?token="),
        "{verification}"
    );

    let admin = s.sign_up("owner@example.com").await;
    sink.next_message().await;
    let org = s.create_org(&admin, "Mail Co").await;
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let (rcpt, invitation) = sink.next_message().await;
    assert_eq!(rcpt, ["bob@example.com"]);
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
