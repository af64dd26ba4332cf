//! Inviting one or many addresses: the permission once per request, then each address on
//! its own, in one transaction.

use super::*;
use crate::db::writer::block_on;
use crate::db::{p, WriteTx};
use crate::service::invitations::already_invited;
use crate::service::lock_org_as;
use crate::service::shared_write::{decided, shared_first};
use orgkit_core::OrgLock::{self, Exclusive};

/// Invites each address with `role` (`None`: the organization's default role). The whole request needs the permission; then each
/// address succeeds or fails on its own (bad syntax, already a member, already invited), all
/// in one transaction. The emails are queued in it and sent after the answer. On SQLite the
/// transaction runs on the writer thread, in one hand-off.
pub async fn invite(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    addresses: &[String],
    role: Option<&str>,
    delivery: InvitationDelivery,
    client_ip: &str,
) -> ApiResult<Vec<Result<Invitation, ApiError>>> {
    validate::bulk_invite_count(addresses.len())?;
    // Counted before the transaction: on PostgreSQL the counters are rows of their own.
    limit_sends(state, me, client_ip, addresses.len() as u32).await?;
    let (results, queued) = if let Some(writer) = &state.db.lite_writer {
        let (st, me, org_id) = (state.clone(), me.clone(), org_id.clone());
        let (addresses, role) = (addresses.to_vec(), role.map(str::to_owned));
        writer
            .run(move |tx| {
                let role = role.as_deref();
                let counted = CountedRecipients::default();
                let request = InviteRequest {
                    addresses: &addresses,
                    role,
                    delivery,
                    counted: &counted,
                };
                decided(block_on(invite_in(
                    &st, tx, &me, &org_id, request, Exclusive,
                ))?)
            })
            .await?
    } else {
        let counted = CountedRecipients::default();
        let request = InviteRequest {
            addresses,
            role,
            delivery,
            counted: &counted,
        };
        if state.db.replay.is_some() && addresses.len() == 1 {
            // A second address reads the invitations the first one wrote: no replay for it.
            transact!(state, |tx| async {
                decided(invite_in(state, tx, me, org_id, request, Exclusive).await?)
            })
        } else {
            // An invitation lowers no count: it shares the organization (`shared_write`).
            shared_first!(state, |tx, lock| invite_in(
                state, tx, me, org_id, request, lock
            ))
        }
    };
    state.queue.wake();
    webhooks::wake(state, queued);
    Ok(results)
}

/// The body of [`invite`], inside an open write transaction over either driver. A failure of
/// the server (not of one address) is an `Err`: the whole transaction goes.
async fn invite_in<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    me: &CurrentUser,
    org_id: &OrganizationId,
    request: InviteRequest<'_>,
    lock: OrgLock,
) -> ApiResult<Option<(Vec<Result<Invitation, ApiError>>, Queued)>> {
    let InviteRequest {
        addresses,
        role,
        delivery,
        counted,
    } = request;
    let locked = lock_org_as(state, tx, me, org_id, lock).await?;
    let role = match role {
        Some(role) => role.to_owned(),
        None => crate::service::roles::default_role(tx, org_id).await?,
    };
    let role = role.as_str();
    let inviter = Inviter {
        state,
        me,
        access: &locked.access,
        org_id,
        org_name: &locked.name,
        role,
        delivery,
        counted,
        lock,
    };
    inviter.check(false, false)?;
    if delivery == InvitationDelivery::Webhook
        && !webhooks::subscribed(tx, org_id, EventType::InvitationDelivery).await?
    {
        return Err(ApiError::new(
            ErrorCode::NoWebhookEndpoint,
            "No webhook endpoint of this organization receives organizationInvitation.delivery: add one, or deliver by email or none.",
        ));
    }
    let mut results = Vec::with_capacity(addresses.len());
    let mut queued = Queued::default();
    for raw in addresses {
        match inviter.invite_one(tx, raw).await {
            Ok((invitation, events)) => {
                queued = queued + events;
                results.push(Ok(invitation));
            }
            // A failure of the server, not of this address: roll everything back.
            Err(e) if e.is_server_side() => return Err(e),
            Err(e) => results.push(Err(e)),
        }
    }
    Ok(Some((results, queued)))
}

/// One invitation request, shared by every address it invites.
struct Inviter<'a> {
    state: &'a AppState,
    me: &'a CurrentUser,
    access: &'a crate::service::access::Access,
    org_id: &'a OrganizationId,
    org_name: &'a str,
    role: &'a str,
    delivery: InvitationDelivery,
    counted: &'a CountedRecipients,
    /// How the request holds the organization: under a shared lock, another request may
    /// invite the same address at the same moment.
    lock: OrgLock,
}

/// What one request asks.
#[derive(Clone, Copy)]
struct InviteRequest<'a> {
    addresses: &'a [String],
    /// `None`: the organization's default role.
    role: Option<&'a str>,
    delivery: InvitationDelivery,
    /// The recipients whose mail limit the request has counted.
    counted: &'a CountedRecipients,
}

/// The recipients whose per-address mail limit this request has counted, so that a body run
/// twice (a PostgreSQL replay that fell back to the classic transaction) counts each once.
#[derive(Default)]
struct CountedRecipients(std::sync::Mutex<Vec<String>>);

impl CountedRecipients {
    /// Counts a mail to `email` against its limit, unless this request already has.
    async fn count(&self, state: &AppState, email: &str) -> ApiResult<()> {
        if self.list().iter().any(|counted| counted == email) {
            return Ok(());
        }
        limit_mail_to(state, email).await?;
        self.list().push(email.to_owned());
        Ok(())
    }

    fn list(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Inviter<'_> {
    /// Asks the rule book whether I may invite an address with these facts.
    fn check(&self, already_member: bool, already_invited: bool) -> ApiResult<()> {
        let action = Action::Invite {
            role: self.role,
            already_member,
            already_invited,
        };
        self.access.check(self.me, action)
    }

    async fn invite_one<W: WriteTx + ?Sized>(
        &self,
        tx: &mut W,
        raw: &str,
    ) -> ApiResult<(Invitation, Queued)> {
        let email = validate::email(raw)?;
        // Is the address a member already, and is an invitation to it pending? One statement.
        let facts = tx
            .fetch_optional(
                "SELECT (SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
                         WHERE m.org_id = $1 AND u.email = $2) AS members, \
                        (SELECT id FROM invitations \
                         WHERE org_id = $1 AND email = $2 AND status = 'pending') AS pending_id, \
                        (SELECT expires_at FROM invitations \
                         WHERE org_id = $1 AND email = $2 AND status = 'pending') AS pending_expires_at",
                &[p(self.org_id.as_str()), p(&email)],
            )
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        let members = facts.int("members")?;
        let pending = facts.opt_text("pending_id")?;
        let pending_expires_at = facts.opt_int("pending_expires_at")?;
        let at = now();
        let live_pending = match pending.zip(pending_expires_at) {
            Some((id, expires_at)) => {
                let status = InvitationStatus::effective(
                    InvitationStatus::Pending,
                    Timestamp(expires_at),
                    at,
                );
                if status == InvitationStatus::Expired {
                    // An expired invitation no longer blocks a new one: store what it is.
                    tx.write(
                        "UPDATE invitations SET status = 'expired' WHERE id = $1",
                        &[p(id)],
                    )
                    .await?;
                }
                status == InvitationStatus::Pending
            }
            None => false,
        };
        self.check(members > 0, live_pending)?;
        if self.delivery.sends_email() {
            // Inside the job on SQLite's writer thread: there the counters live in this
            // process behind a plain mutex (`rate_limit::memory`), so this never waits (the
            // future is ready at its first poll; `block_on` would refuse one that is not).
            self.counted.count(self.state, &email).await?;
        }
        let token = new_secret();
        let id = InvitationId(new_id(InvitationId::PREFIX));
        let expires_at = at.plus_millis(ttl_ms(self.state));
        let insert = "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8)";
        let params = [
            p(id.as_str()),
            p(self.org_id.as_str()),
            p(&email),
            p(self.role),
            p(hash(&token)),
            p(self.me.id().as_str()),
            p(at.millis()),
            p(expires_at.millis()),
        ];
        if self.lock == OrgLock::Shared {
            // A concurrent request may have invited the address since it was read: the
            // database answers that without failing the transaction, so the request's other
            // addresses go on.
            let sql =
                format!("{insert} ON CONFLICT (org_id, email) WHERE status = 'pending' DO NOTHING");
            if tx.execute(&sql, &params).await? == 0 {
                return Err(already_invited());
            }
        } else {
            tx.write(insert, &params).await.map_err(pending_conflict)?;
        }
        let public_url = &self.state.public_url;
        let message = invitation_email(public_url, &email, self.org_name, self.role, &token);
        let (revealed, for_webhook) = match self.delivery {
            InvitationDelivery::Email => {
                enqueue_mail(tx, &message, Some(self.org_id.as_str())).await?;
                (None, None)
            }
            InvitationDelivery::None => (Some((message.link, token)), None),
            // `invite` checked that an endpoint receives organizationInvitation.delivery.
            InvitationDelivery::Webhook => (None, Some((message.link, token))),
        };
        let (accept_url, token) = match revealed {
            Some((link, token)) => (link, Some(token)),
            None => (None, None),
        };
        let event = AuditEntry {
            org_id: self.org_id,
            actor: self.me,
            action: "invitation.created",
            subject: id.as_str(),
            detail: &email,
        };
        audit(tx, event).await?;
        let invitation = Invitation {
            id,
            email_address: email,
            role: Role(self.role.to_owned()),
            status: InvitationStatus::Pending,
            organization_id: self.org_id.clone(),
            organization_name: self.org_name.to_owned(),
            created_at: at,
            expires_at,
            accept_url,
            token,
        };
        // The webhook event never carries the token, whatever the delivery.
        let public = Invitation {
            accept_url: None,
            token: None,
            ..invitation.clone()
        };
        let mut queued = emit(
            tx,
            self.org_id,
            EventType::InvitationCreated,
            wire_json(&public)?,
            at,
        )
        .await?;
        if let Some((link, token)) = for_webhook {
            // The app sends the link its own way: the message holds a live token, so the
            // queue erases it once delivered.
            let delivery = Invitation {
                accept_url: link,
                token: Some(token),
                ..public
            };
            let data = wire_json(&delivery)?;
            queued = queued
                + emit_secret(tx, self.org_id, EventType::InvitationDelivery, data, at).await?;
        }
        Ok((invitation, queued))
    }
}

/// The per-address results of a bulk invitation, in wire form.
#[must_use]
pub fn bulk_results(
    addresses: &[String],
    results: Vec<Result<Invitation, ApiError>>,
) -> Vec<InviteResult> {
    addresses
        .iter()
        .zip(results)
        .map(|(address, result)| match result {
            Ok(invitation) => InviteResult {
                email_address: address.clone(),
                invitation: Some(invitation),
                error: None,
            },
            Err(e) => InviteResult {
                email_address: address.clone(),
                invitation: None,
                error: Some(detail(&e)),
            },
        })
        .collect()
}
