//! The organization's side of invitations: inviting one or many addresses, listing, revoking
//! and resending.

use super::{pending_conflict, InvitationRow, INVITATION_COLUMNS};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{detail, ApiError, ApiResult};
use crate::mail::invitation_email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::service::memberships::wire_json;
use crate::service::AuditEntry;
use crate::service::{audit, begin_org_write, check, finish_page, page_request, role_for_read};
use crate::state::AppState;
use crate::token::{hash, new_id, new_secret, now};
use crate::webhooks::{self, emit, emit_secret, Queued};
use orgkit_core::delivery::InvitationDelivery;
use orgkit_core::policy::Action;
use orgkit_core::wire::{Invitation, InviteResult, Page};
use orgkit_core::{
    validate, ErrorCode, EventType, InvitationId, InvitationStatus, OrganizationId, Role, Timestamp,
};

fn ttl_ms(state: &AppState) -> i64 {
    state.config.invitation_ttl_seconds.saturating_mul(1000)
}

/// Counts `sends` invitation emails against the per-account and per-client-address limits.
async fn limit_sends(
    state: &AppState,
    me: &CurrentUser,
    client_ip: &str,
    sends: u32,
) -> ApiResult<()> {
    state
        .limiter
        .check(
            &[
                format!("invite:acct:{}", me.id()),
                format!("invite:ip:{client_ip}"),
            ],
            sends,
            state.config.invite_limit_per_minute,
            now().millis(),
        )
        .await
}

/// Counts one email to `address` against the per-target-address limit (`Limit::mail_to`).
async fn limit_mail_to(state: &AppState, address: &str) -> ApiResult<()> {
    let limit = Limit::mail_to(address, state.config.mail_to_address_limit_per_minute);
    state.limiter.check_all(&[limit], now().millis()).await
}

/// Invites each address with `role`. The whole request needs the permission; then each
/// address succeeds or fails on its own (bad syntax, already a member, already invited), all
/// in one transaction. The emails are queued in it and sent after the answer.
pub async fn invite(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    addresses: &[String],
    role: &str,
    delivery: InvitationDelivery,
    client_ip: &str,
) -> ApiResult<Vec<Result<Invitation, ApiError>>> {
    validate::bulk_invite_count(addresses.len())?;
    limit_sends(state, me, client_ip, addresses.len() as u32).await?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let inviter = Inviter {
        state,
        me,
        my_role: locked.my_role.as_deref(),
        org_id,
        org_name: &locked.name,
        role,
        delivery,
    };
    inviter.check(false, false)?;
    if delivery == InvitationDelivery::Webhook
        && !webhooks::subscribed(&mut tx, org_id, EventType::InvitationDelivery).await?
    {
        return Err(ApiError::new(
            ErrorCode::NoWebhookEndpoint,
            "No webhook endpoint of this organization receives organizationInvitation.delivery: add one, or deliver by email or none.",
        ));
    }
    let mut results = Vec::with_capacity(addresses.len());
    let mut queued = Queued::default();
    for raw in addresses {
        match inviter.invite_one(&mut tx, raw).await {
            Ok((invitation, events)) => {
                queued = queued + events;
                results.push(Ok(invitation));
            }
            // A failure of the server, not of this address: roll everything back.
            Err(e) if e.is_server_side() => return Err(e),
            Err(e) => results.push(Err(e)),
        }
    }
    tx.commit().await?;
    state.queue.wake();
    webhooks::wake(state, queued);
    Ok(results)
}

/// One invitation request, shared by every address it invites.
struct Inviter<'a> {
    state: &'a AppState,
    me: &'a CurrentUser,
    my_role: Option<&'a str>,
    org_id: &'a OrganizationId,
    org_name: &'a str,
    role: &'a str,
    delivery: InvitationDelivery,
}

impl Inviter<'_> {
    /// Asks the rule book whether I may invite an address with these facts.
    fn check(&self, already_member: bool, already_invited: bool) -> ApiResult<()> {
        let action = Action::Invite {
            role: self.role,
            already_member,
            already_invited,
        };
        check(self.state, self.me.id(), self.my_role, action)
    }

    async fn invite_one(&self, tx: &mut Tx, raw: &str) -> ApiResult<(Invitation, Queued)> {
        #[derive(sqlx::FromRow)]
        struct AddressFacts {
            members: i64,
            pending_id: Option<String>,
            pending_expires_at: Option<i64>,
        }
        let email = validate::email(raw)?;
        // Is the address a member already, and is an invitation to it pending? One statement.
        let facts: AddressFacts = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
                     WHERE m.org_id = $1 AND u.email = $2) AS members, \
                    (SELECT id FROM invitations \
                     WHERE org_id = $1 AND email = $2 AND status = 'pending') AS pending_id, \
                    (SELECT expires_at FROM invitations \
                     WHERE org_id = $1 AND email = $2 AND status = 'pending') AS pending_expires_at",
        )
        .bind(self.org_id.as_str())
        .bind(&email)
        .fetch_one(&mut **tx)
        .await?;
        let at = now();
        let live_pending = match facts.pending_id.zip(facts.pending_expires_at) {
            Some((id, expires_at)) => {
                let status = InvitationStatus::effective(
                    InvitationStatus::Pending,
                    Timestamp(expires_at),
                    at,
                );
                if status == InvitationStatus::Expired {
                    // An expired invitation no longer blocks a new one: store what it is.
                    sqlx::query("UPDATE invitations SET status = 'expired' WHERE id = $1")
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                }
                status == InvitationStatus::Pending
            }
            None => false,
        };
        self.check(facts.members > 0, live_pending)?;
        if self.delivery.sends_email() {
            limit_mail_to(self.state, &email).await?;
        }
        let token = new_secret();
        let id = InvitationId(new_id(InvitationId::PREFIX));
        let expires_at = at.plus_millis(ttl_ms(self.state));
        sqlx::query(
            "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8)",
        )
        .bind(id.as_str())
        .bind(self.org_id.as_str())
        .bind(&email)
        .bind(self.role)
        .bind(hash(&token))
        .bind(self.me.id().as_str())
        .bind(at.millis())
        .bind(expires_at.millis())
        .execute(&mut **tx)
        .await
        .map_err(pending_conflict)?;
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

/// One page of an organization's invitations with an effective `status`.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    status: InvitationStatus,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Invitation>> {
    let (limit, after) = page_request(limit, after, InvitationId::is_well_formed)?;
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ListInvitations)?;
    // The SQL twin of `InvitationStatus::effective`, so the filter runs on the index.
    let filter = match status {
        InvitationStatus::Pending => "i.status = 'pending' AND i.expires_at > $4",
        InvitationStatus::Expired => {
            "(i.status = 'expired' OR (i.status = 'pending' AND i.expires_at <= $4))"
        }
        InvitationStatus::Accepted => "i.status = 'accepted' AND $4 = $4",
        _ => "i.status = 'revoked' AND $4 = $4",
    };
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.org_id = $1 AND i.id > $2 AND {filter} ORDER BY i.id LIMIT $3"
    );
    let rows: Vec<InvitationRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .bind(now().millis())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        InvitationRow::into_wire,
    ))
}

/// One invitation of `org_id`, read inside `tx`.
async fn load(tx: &mut Tx, org_id: &OrganizationId, id: &InvitationId) -> ApiResult<InvitationRow> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.org_id = $1 AND i.id = $2"
    );
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| ApiError::not_found("Invitation"))
}

/// Revokes a pending invitation; its token stops working at once.
pub async fn revoke(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &InvitationId,
) -> ApiResult<Invitation> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = load(&mut tx, org_id, id).await?;
    let action = Action::RevokeInvitation {
        status: row.effective_status(),
    };
    check(state, me.id(), locked.my_role.as_deref(), action)?;
    sqlx::query("UPDATE invitations SET status = 'revoked' WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invitation.revoked",
        subject: id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    let mut invitation = row.into_wire();
    invitation.status = InvitationStatus::Revoked;
    let data = wire_json(&invitation)?;
    let queued = emit(&mut tx, org_id, EventType::InvitationRevoked, data, now()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(invitation)
}

/// Sends an invitation again with a new token and a new expiry; the old link stops working.
pub async fn resend(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &InvitationId,
    client_ip: &str,
) -> ApiResult<Invitation> {
    limit_sends(state, me, client_ip, 1).await?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = load(&mut tx, org_id, id).await?;
    let action = Action::ResendInvitation {
        status: row.effective_status(),
    };
    check(state, me.id(), locked.my_role.as_deref(), action)?;
    limit_mail_to(state, &row.email).await?;
    let token = new_secret();
    let expires_at = now().plus_millis(ttl_ms(state));
    sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2, status = 'pending' WHERE id = $3",
    )
    .bind(hash(&token))
    .bind(expires_at.millis())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await
    .map_err(pending_conflict)?;
    let message = invitation_email(
        &state.public_url,
        &row.email,
        &row.org_name,
        &row.role,
        &token,
    );
    enqueue_mail(&mut tx, &message, Some(org_id.as_str())).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invitation.resent",
        subject: id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    state.queue.wake();
    let mut invitation = row.into_wire();
    invitation.status = InvitationStatus::Pending;
    invitation.expires_at = expires_at;
    Ok(invitation)
}
