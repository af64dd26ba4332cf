//! Email over a real SMTP conversation: the test runs a small SMTP server on 127.0.0.1 that
//! speaks the protocol (EHLO, MAIL, RCPT, DATA, QUIT) and keeps what it receives.

use crate::harness::{Backend, TestServer};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A message as the SMTP server received it.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

async fn smtp_server() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let store = Arc::clone(&inbox);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write
                    .write_all(b"220 test.smtp ESMTP ready\r\n")
                    .await
                    .unwrap();
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-test.smtp\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        b"250 OK\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        rcpt.push(
                            line[8..]
                                .trim()
                                .trim_matches(|c| c == '<' || c == '>')
                                .to_owned(),
                        );
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        write
                            .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                            .await
                            .unwrap();
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        store.lock().unwrap().push(Received {
                            rcpt: std::mem::take(&mut rcpt),
                            data,
                        });
                        b"250 OK queued\r\n"
                    } else if upper == "QUIT" {
                        write.write_all(b"221 Bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, inbox)
}

pub async fn invitation_email_reaches_a_real_smtp_server(backend: Backend) {
    let (port, inbox) = smtp_server().await;
    let s = TestServer::start_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Mail Co").await;
    let token = s
        .invite(&admin, &org, "bob@example.com", "basic_member")
        .await;
    let received = inbox.lock().unwrap().clone();
    let invitation = received
        .iter()
        .find(|m| m.rcpt == ["bob@example.com"])
        .unwrap_or_else(|| panic!("no SMTP message to bob: {received:?}"));
    assert!(
        invitation
            .data
            .contains("Subject: You are invited to join Mail Co"),
        "{}",
        invitation.data
    );
    let unfolded = invitation.data.replace("=\n", "").replace("=3D", "=");
    assert!(
        unfolded.contains(&format!("{}/accept?token={token}", s.url)),
        "{}",
        invitation.data
    );
    // The sign-up verification email went out too.
    assert!(received
        .iter()
        .any(|m| m.rcpt == ["admin@example.com"] && m.data.contains("verify-email?token=")));
}
