//! Email: every message is recorded in the `outbox` table inside the transaction that caused
//! it, then delivered over SMTP (lettre) when `--smtp-url` is set. The dev mailbox reads the
//! outbox.

use crate::config::Config;
use crate::db::Tx;
use crate::token::{new_id, now};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One email to send.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The link the email is about (accept, verify), shown in the dev mailbox.
    pub link: Option<String>,
}

pub struct Mailer {
    from: Mailbox,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
}

impl Mailer {
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("--mail-from: {e}"))?;
        let smtp = match &config.smtp_url {
            Some(url) => Some(smtp_transport(url)?),
            None => None,
        };
        Ok(Mailer { from, smtp })
    }

    /// Records `email` in the outbox, as part of `tx`.
    pub async fn record(&self, tx: &mut Tx, email: &Email) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO outbox (id, recipient, subject, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id("msg_"))
        .bind(&email.to)
        .bind(&email.subject)
        .bind(&email.body)
        .bind(email.link.clone())
        .bind(now().millis())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Delivers recorded emails over SMTP, after their transaction committed. A failed
    /// delivery is logged and not retried; the message stays in the outbox table, and the
    /// person can ask for it again (resending an invitation sends a new link).
    pub async fn deliver(&self, emails: &[Email]) {
        let Some(smtp) = &self.smtp else { return };
        for email in emails {
            let message = email
                .to
                .parse::<Mailbox>()
                .map_err(anyhow::Error::from)
                .and_then(|to| {
                    Message::builder()
                        .from(self.from.clone())
                        .to(to)
                        .subject(email.subject.clone())
                        .body(email.body.clone())
                        .map_err(anyhow::Error::from)
                });
            let result = match message {
                Ok(message) => smtp
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(anyhow::Error::from),
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                tracing::error!(to = %email.to, error = %e, "email delivery failed");
            }
        }
    }
}

/// A plain SMTP transport from `smtp://[user:password@]host[:port]` (port 25 by default).
/// TLS is left to a local relay.
fn smtp_transport(raw: &str) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let url = url::Url::parse(raw).map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?;
    anyhow::ensure!(url.scheme() == "smtp", "--smtp-url must start with smtp://");
    let host = url
        .host_str()
        .ok_or_else(|| anyhow::anyhow!("--smtp-url has no host"))?;
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(url.port().unwrap_or(25));
    if !url.username().is_empty() {
        builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
            url.username().to_owned(),
            url.password().unwrap_or_default().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// The invitation email.
#[must_use]
pub fn invitation_email(
    public_url: &str,
    to: &str,
    org_name: &str,
    role: &str,
    token: &str,
) -> Email {
    let link = format!("{public_url}/accept?token={token}");
    Email {
        to: to.to_owned(),
        subject: format!("You are invited to join {org_name}"),
        body: format!(
            "You have been invited to join {org_name} as {role}.\n\nAccept the invitation:\n{link}\n\nIf you did not expect this, ignore this email.\n"
        ),
        link: Some(link),
    }
}

/// The email-verification email.
#[must_use]
pub fn verification_email(public_url: &str, to: &str, token: &str) -> Email {
    let link = format!("{public_url}/verify-email?token={token}");
    Email {
        to: to.to_owned(),
        subject: "Verify your email address".to_owned(),
        body: format!("Confirm that this is your address:\n{link}\n"),
        link: Some(link),
    }
}
