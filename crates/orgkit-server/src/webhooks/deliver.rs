//! Delivering one queued message to one endpoint: load the endpoint, sign, check where the URL
//! leads, POST, record the attempt, and tell the worker what became of it.

use super::endpoints::new_attempt_id;
use super::sign;
use crate::queue::{Delivery, Outcome};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::webhook::{self, answer_outcome, AnswerOutcome, MAX_RESPONSE_BYTES};
use orgkit_core::{DisabledReason, OrganizationId, Timestamp, UserId};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// How long resolving an endpoint's host may take.
const DNS_TIMEOUT: Duration = Duration::from_secs(5);

/// The endpoint, with its sealed secrets, as a delivery needs it.
#[derive(sqlx::FromRow)]
struct Target {
    org_id: String,
    url: String,
    enabled: i64,
    disabled_reason: Option<String>,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<i64>,
}

/// What one attempt gave.
struct Attempt {
    status: Option<u16>,
    body: Option<String>,
    error: Option<String>,
}

/// Delivers one `webhook` delivery: `webhook-id` is the message id, `webhook-timestamp` the
/// time of sending, `webhook-signature` one `v1,` signature per live secret (two while a
/// rotated-out secret is within its overlap). Only a 2xx counts as delivered; `410 Gone`
/// disables the endpoint and kills the message; anything else, no answer included, is
/// retried by the worker. Every attempt that reached the point of sending is recorded in
/// `webhook_attempts`, a refused address included.
pub async fn deliver(state: &AppState, delivery: &Delivery) -> Outcome {
    let target: Option<Target> = match sqlx::query_as(
        "SELECT org_id, url, enabled, disabled_reason, secret, previous_secret, \
           previous_secret_expires_at FROM webhook_endpoints WHERE id = $1",
    )
    .bind(&delivery.target)
    .fetch_optional(&state.db.pool)
    .await
    {
        Ok(target) => target,
        Err(e) => return Outcome::Retry(format!("reading the endpoint failed: {e}")),
    };
    let Some(target) = target else {
        return Outcome::Dead("the endpoint was deleted".to_owned());
    };
    // An organization's last messages still go out to the endpoints it had.
    let last_words =
        target.disabled_reason.as_deref() == Some(DisabledReason::OrganizationDeleted.as_str());
    if target.enabled != 1 && !last_words {
        return Outcome::Dead("the endpoint is disabled".to_owned());
    }
    let Some(body) = delivery.payload.as_deref() else {
        return Outcome::Dead("the message has no body".to_owned());
    };
    let Some(sealer) = state.webhooks.sealer.as_ref() else {
        return Outcome::Retry("the server has no --secret-key to sign with".to_owned());
    };
    let sent_at = now();
    let mut secrets = vec![target.secret.as_str()];
    if let (Some(previous), Some(expires)) = (
        target.previous_secret.as_deref(),
        target.previous_secret_expires_at,
    ) {
        if Timestamp(expires) > sent_at {
            secrets.push(previous);
        }
    }
    let timestamp = sent_at.seconds();
    let mut signatures = Vec::with_capacity(secrets.len());
    for sealed in secrets {
        let signature = sealer
            .open(&delivery.target, sealed)
            .and_then(|secret| sign(&secret, &delivery.message_id, timestamp, body));
        match signature {
            Ok(s) => signatures.push(s),
            Err(e) => return Outcome::Retry(format!("signing failed: {e}")),
        }
    }
    let started = Instant::now();
    let attempt = send(
        state,
        &target.url,
        delivery,
        timestamp,
        &signatures.join(" "),
        body,
    )
    .await;
    let duration_ms = started.elapsed().as_millis() as i64;
    record(state, &target, delivery, &attempt, duration_ms).await;
    match (attempt.status, &attempt.error) {
        (Some(status), _) => match answer_outcome(status) {
            AnswerOutcome::Delivered => Outcome::Delivered,
            AnswerOutcome::Gone => {
                disable_gone(state, &target.org_id, &delivery.target).await;
                Outcome::Dead("the endpoint answered 410 Gone; it is now disabled".to_owned())
            }
            AnswerOutcome::Retry => Outcome::Retry(format!("the endpoint answered {status}")),
        },
        (None, Some(error)) => Outcome::Retry(error.clone()),
        (None, None) => Outcome::Retry("no answer".to_owned()),
    }
}

/// Where a URL's host leads: an address the policy allows, to connect to and nothing else.
async fn pinned_address(state: &AppState, url: &url::Url) -> Result<Option<SocketAddr>, String> {
    let allow_private = state.webhooks.policy.allow_private;
    let port = url.port_or_known_default().unwrap_or(443);
    let kind = |ip: IpAddr| webhook::classify(ip).describe();
    let refuse = |ip: IpAddr| {
        format!(
            "refused: {ip} is {}, which the server does not call",
            kind(ip)
        )
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) => webhook::check_address(IpAddr::V4(ip), allow_private)
            .map(|()| None)
            .map_err(|_| refuse(IpAddr::V4(ip))),
        Some(url::Host::Ipv6(ip)) => webhook::check_address(IpAddr::V6(ip), allow_private)
            .map(|()| None)
            .map_err(|_| refuse(IpAddr::V6(ip))),
        Some(url::Host::Domain(name)) => {
            // `localhost` included: it resolves to loopback, which the check below refuses.
            let resolved = tokio::time::timeout(DNS_TIMEOUT, tokio::net::lookup_host((name, port)))
                .await
                .map_err(|_| format!("resolving {name} timed out"))?
                .map_err(|e| format!("resolving {name} failed: {e}"))?;
            let mut first_refused = None;
            for addr in resolved {
                if webhook::check_address(addr.ip(), allow_private).is_ok() {
                    return Ok(Some(addr));
                }
                first_refused.get_or_insert(addr.ip());
            }
            Err(match first_refused {
                Some(ip) => format!(
                    "refused: {name} resolves to {ip}, which is {}, which the server does not call",
                    kind(ip)
                ),
                None => format!("{name} has no address"),
            })
        }
        None => Err("the URL has no host".to_owned()),
    }
}

/// One POST, pinned to the checked address, no redirects followed, no proxy.
async fn send(
    state: &AppState,
    raw_url: &str,
    delivery: &Delivery,
    timestamp: i64,
    signature: &str,
    body: &str,
) -> Attempt {
    let failed = |error: String| Attempt {
        status: None,
        body: None,
        error: Some(error),
    };
    let url = match url::Url::parse(raw_url) {
        Ok(url) => url,
        Err(e) => return failed(format!("the URL does not parse: {e}")),
    };
    let pinned = match pinned_address(state, &url).await {
        Ok(pinned) => pinned,
        Err(refused) => return failed(refused),
    };
    let timeout = state.webhooks.timeout;
    let mut client = reqwest::Client::builder()
        .use_rustls_tls()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("orgkit-webhooks/", env!("CARGO_PKG_VERSION")));
    if let (Some(addr), Some(url::Host::Domain(name))) = (pinned, url.host()) {
        client = client.resolve(name, addr);
    }
    let client = match client.build() {
        Ok(client) => client,
        Err(e) => return failed(format!("building the HTTP client failed: {e}")),
    };
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body.to_owned())
        .send()
        .await;
    let mut response = match response {
        Ok(response) => response,
        Err(e) if e.is_timeout() => {
            return failed(format!("no answer within {} ms", timeout.as_millis()))
        }
        Err(e) => return failed(describe(&e.without_url())),
    };
    let status = response.status().as_u16();
    // The first KiB of the answer; a body that fails or times out past it does not matter.
    let mut head = Vec::new();
    while head.len() < MAX_RESPONSE_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => head.extend_from_slice(&chunk),
            _ => break,
        }
    }
    head.truncate(MAX_RESPONSE_BYTES);
    Attempt {
        status: Some(status),
        body: (!head.is_empty()).then(|| String::from_utf8_lossy(&head).into_owned()),
        error: None,
    }
}

/// An error with its causes, for the attempt record (never the URL: it may carry a token).
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Records an attempt; a failure to record is logged and does not change the outcome.
async fn record(
    state: &AppState,
    target: &Target,
    delivery: &Delivery,
    attempt: &Attempt,
    duration_ms: i64,
) {
    let recorded = sqlx::query(
        "INSERT INTO webhook_attempts (id, org_id, endpoint_id, delivery_id, message_id, \
           event_type, status_code, duration_ms, response, error, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new_attempt_id())
    .bind(&target.org_id)
    .bind(&delivery.target)
    .bind(&delivery.id)
    .bind(&delivery.message_id)
    .bind(&delivery.topic)
    .bind(attempt.status.map(i64::from))
    .bind(duration_ms)
    .bind(attempt.body.as_deref())
    .bind(attempt.error.as_deref())
    .bind(now().millis())
    .execute(&state.db.pool)
    .await;
    if let Err(e) = recorded {
        tracing::warn!(error = %e, delivery = %delivery.id, "recording a webhook attempt failed");
    }
}

/// Disables an endpoint that answered 410, in a write that locks its organization like every
/// other change to it.
async fn disable_gone(state: &AppState, org_id: &str, endpoint_id: &str) {
    let result = async {
        let mut tx = state.db.begin_write().await?;
        let org = OrganizationId(org_id.to_owned());
        state
            .db
            .lock_organization(&mut tx, &org, &UserId(String::new()))
            .await?;
        sqlx::query(
            "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, updated_at = $2 \
             WHERE id = $3 AND enabled = 1",
        )
        .bind(DisabledReason::Gone.as_str())
        .bind(now().millis())
        .bind(endpoint_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, endpoint = endpoint_id, "disabling a gone webhook endpoint failed");
    }
}
