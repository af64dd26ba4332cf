//! Email: the messages orgkit sends, and one attempt at sending one over SMTP (lettre). Each
//! message is queued in the transaction that caused it (`queue::enqueue_mail`) and sent by the
//! queue's worker; the dev mailbox reads the queue.

use crate::config::Config;
use crate::queue::{Delivery, Outcome};
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
        let smtp = crate::smtp::transport(config)?;
        Ok(Mailer { from, smtp })
    }

    /// Makes one attempt at a queued email (`crate::queue`). Without an SMTP server, `--dev`
    /// counts the dev mailbox as the delivery; otherwise the message is dead at once, since no
    /// later attempt could deliver it either.
    pub async fn send(&self, item: &Delivery, dev: bool) -> Outcome {
        let Some(body) = &item.payload else {
            return Outcome::Dead("the message was erased before it was sent".to_owned());
        };
        let Some(smtp) = &self.smtp else {
            return match dev {
                true => Outcome::Delivered,
                false => Outcome::Dead("no SMTP server is configured (--smtp-url)".to_owned()),
            };
        };
        let message = match item
            .target
            .parse::<Mailbox>()
            .map_err(anyhow::Error::from)
            .and_then(|to| {
                Message::builder()
                    .from(self.from.clone())
                    .to(to)
                    .subject(item.topic.clone())
                    .body(body.clone())
                    .map_err(anyhow::Error::from)
            }) {
            Ok(message) => message,
            Err(e) => return Outcome::Dead(format!("the message cannot be built: {e}")),
        };
        match smtp.send(message).await {
            Ok(_) => Outcome::Delivered,
            Err(e) if e.is_permanent() => Outcome::Dead(format!("SMTP refused: {e}")),
            Err(e) => Outcome::Retry(format!("SMTP: {e}")),
        }
    }
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

/// The link to set or reset a password; valid 30 minutes, single use.
pub fn password_reset_email(public_url: &str, to: &str, token: &str) -> Email {
    let link = format!("{public_url}/reset-password?token={token}");
    Email {
        to: to.to_owned(),
        subject: "Set your password".to_owned(),
        body: format!(
            "Someone asked to set the password of this account. If it was you, choose one here (valid for 30 minutes):\n{link}\nIf it was not you, ignore this email.\n"
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
