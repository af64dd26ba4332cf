//! Inviting, listing, revoking, resending, previewing and accepting invitations.

use super::organizations::membership_with_org;
use super::{audit, begin_org_write, check, finish_page, page_request, role_for_read};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{detail, ApiError, ApiResult};
use crate::mail::{invitation_email, Email};
use crate::state::AppState;
use crate::token::{hash, new_id, new_secret, now};
use orgkit_core::invitation::{check_invitee_access, AcceptFacts, InviteeAccess};
use orgkit_core::policy::Action;
use orgkit_core::wire::{Invitation, InvitationPreview, InviteResult, Membership, Page};
use orgkit_core::{
    validate, ErrorCode, InvitationId, InvitationStatus, OrganizationId, Role, Timestamp,
};

/// An invitation row: id, org_id, email, role, status, created_at, expires_at, org name.
type InvitationRow = (String, String, String, String, String, i64, i64, String);

const INVITATION_COLUMNS: &str =
    "i.id, i.org_id, i.email, i.role, i.status, i.created_at, i.expires_at, o.name";

fn wire(row: InvitationRow) -> Invitation {
    let (id, org_id, email, role, status, created_at, expires_at, org_name) = row;
    let stored = InvitationStatus::parse(&status).unwrap_or(InvitationStatus::Revoked);
    Invitation {
        id: InvitationId(id),
        email_address: email,
        role: Role(role),
        status: InvitationStatus::effective(stored, Timestamp(expires_at), now()),
        organization_id: OrganizationId(org_id),
        organization_name: org_name,
        created_at: Timestamp(created_at),
        expires_at: Timestamp(expires_at),
    }
}

fn ttl_ms(state: &AppState) -> i64 {
    state.config.invitation_ttl_seconds.saturating_mul(1000)
}

/// Maps a violation of the one-pending-invitation-per-address index to `already_invited`.
fn pending_conflict(e: sqlx::Error) -> ApiError {
    if is_unique_violation(&e) {
        ApiError::new(
            ErrorCode::AlreadyInvited,
            "This address already has a pending invitation.",
        )
    } else {
        e.into()
    }
}

/// Counts `sends` invitation emails against the per-account and per-address limits.
fn limit_sends(state: &AppState, me: &CurrentUser, client_ip: &str, sends: u32) -> ApiResult<()> {
    state.limiter.check(
        &[
            format!("invite:acct:{}", me.id()),
            format!("invite:ip:{client_ip}"),
        ],
        sends,
        state.config.invite_limit_per_minute,
        now().millis(),
    )
}

/// Invites each address with `role`. The whole request needs the permission; then each
/// address succeeds or fails on its own (bad syntax, already a member, already invited), all
/// in one transaction.
pub async fn invite(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    addresses: &[String],
    role: &str,
    client_ip: &str,
) -> ApiResult<Vec<Result<Invitation, ApiError>>> {
    validate::bulk_invite_count(addresses.len())?;
    limit_sends(state, me, client_ip, addresses.len() as u32)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let (my_role, org_name) = (locked.my_role, locked.name);
    let plain = Action::Invite {
        role,
        already_member: false,
        already_invited: false,
    };
    check(state, me.id(), my_role.as_deref(), plain)?;
    let mut results = Vec::with_capacity(addresses.len());
    let mut emails = Vec::new();
    for raw in addresses {
        let outcome = invite_one(
            state,
            &mut tx,
            me,
            my_role.as_deref(),
            org_id,
            &org_name,
            raw,
            role,
        )
        .await;
        results.push(outcome.map(|(invitation, email)| {
            emails.push(email);
            invitation
        }));
    }
    if let Some(Err(ApiError::Internal(_))) = results
        .iter()
        .find(|r| matches!(r, Err(ApiError::Internal(_))))
    {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "invitation failed; rolled back"
        )));
    }
    tx.commit().await?;
    state.mailer.deliver(&emails).await;
    Ok(results)
}

#[allow(clippy::too_many_arguments)]
async fn invite_one(
    state: &AppState,
    tx: &mut Tx,
    me: &CurrentUser,
    my_role: Option<&str>,
    org_id: &str,
    org_name: &str,
    raw: &str,
    role: &str,
) -> ApiResult<(Invitation, Email)> {
    let email = validate::email(raw)?;
    // Is the address a member already, and is an invitation to it pending? One statement.
    let (members, pending_id, pending_expiry): (i64, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
                 WHERE m.org_id = $1 AND u.email = $2), \
                (SELECT id FROM invitations WHERE org_id = $1 AND email = $2 AND status = 'pending'), \
                (SELECT expires_at FROM invitations WHERE org_id = $1 AND email = $2 AND status = 'pending')",
    )
    .bind(org_id)
    .bind(&email)
    .fetch_one(&mut **tx)
    .await?;
    let pending = pending_id.zip(pending_expiry);
    let at = now();
    let live_pending = match &pending {
        Some((id, expires_at))
            if InvitationStatus::effective(
                InvitationStatus::Pending,
                Timestamp(*expires_at),
                at,
            ) == InvitationStatus::Expired =>
        {
            // An expired invitation no longer blocks a new one.
            sqlx::query("UPDATE invitations SET status = 'expired' WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            false
        }
        Some(_) => true,
        None => false,
    };
    check(
        state,
        me.id(),
        my_role,
        Action::Invite {
            role,
            already_member: members > 0,
            already_invited: live_pending,
        },
    )?;
    let token = new_secret();
    let id = new_id("inv_");
    let expires_at = at.plus_millis(ttl_ms(state));
    sqlx::query(
        "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(org_id)
    .bind(&email)
    .bind(role)
    .bind(hash(&token))
    .bind(me.id())
    .bind(at.millis())
    .bind(expires_at.millis())
    .execute(&mut **tx)
    .await
    .map_err(pending_conflict)?;
    let message = invitation_email(&state.public_url, &email, org_name, role, &token);
    state.mailer.record(tx, &message).await?;
    audit(tx, org_id, me.id(), "invitation.created", &id, &email).await?;
    let invitation = Invitation {
        id: InvitationId(id),
        email_address: email,
        role: Role(role.to_owned()),
        status: InvitationStatus::Pending,
        organization_id: OrganizationId(org_id.to_owned()),
        organization_name: org_name.to_owned(),
        created_at: at,
        expires_at,
    };
    Ok((invitation, message))
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
    org_id: &str,
    status: InvitationStatus,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Invitation>> {
    let (limit, after) = page_request(limit, after, InvitationId::is_well_formed)?;
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ListInvitations)?;
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
        .bind(org_id)
        .bind(after)
        .bind(i64::from(limit) + 1)
        .bind(now().millis())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(rows, limit, |r| r.0.as_str(), wire))
}

async fn load(tx: &mut Tx, org_id: &str, id: &str) -> ApiResult<InvitationRow> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id WHERE i.org_id = $1 AND i.id = $2"
    );
    sqlx::query_as(&sql)
        .bind(org_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| ApiError::not_found("Invitation"))
}

/// Revokes a pending invitation; its token stops working at once.
pub async fn revoke(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    id: &str,
) -> ApiResult<Invitation> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let my_role = locked.my_role;
    let row = load(&mut tx, org_id, id).await?;
    let status = wire(row.clone()).status;
    check(
        state,
        me.id(),
        my_role.as_deref(),
        Action::RevokeInvitation { status },
    )?;
    sqlx::query("UPDATE invitations SET status = 'revoked' WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, org_id, me.id(), "invitation.revoked", id, &row.2).await?;
    tx.commit().await?;
    let mut invitation = wire(row);
    invitation.status = InvitationStatus::Revoked;
    Ok(invitation)
}

/// Sends an invitation again with a new token and a new expiry; the old link stops working.
pub async fn resend(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    id: &str,
    client_ip: &str,
) -> ApiResult<Invitation> {
    limit_sends(state, me, client_ip, 1)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let my_role = locked.my_role;
    let row = load(&mut tx, org_id, id).await?;
    let status = wire(row.clone()).status;
    check(
        state,
        me.id(),
        my_role.as_deref(),
        Action::ResendInvitation { status },
    )?;
    let token = new_secret();
    let expires_at = now().plus_millis(ttl_ms(state));
    sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2, status = 'pending' WHERE id = $3",
    )
    .bind(hash(&token))
    .bind(expires_at.millis())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(pending_conflict)?;
    let message = invitation_email(&state.public_url, &row.2, &row.7, &row.3, &token);
    state.mailer.record(&mut tx, &message).await?;
    audit(&mut tx, org_id, me.id(), "invitation.resent", id, &row.2).await?;
    tx.commit().await?;
    state.mailer.deliver(&[message]).await;
    let mut invitation = wire(row);
    invitation.status = InvitationStatus::Pending;
    invitation.expires_at = expires_at;
    Ok(invitation)
}

/// What the accept page shows before anyone signs in: the token is the secret.
pub async fn preview(state: &AppState, token: &str) -> ApiResult<InvitationPreview> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id WHERE i.token_hash = $1"
    );
    let row: InvitationRow = sqlx::query_as(&sql)
        .bind(hash(token))
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("Invitation"))?;
    let invitation = wire(row);
    Ok(InvitationPreview {
        email_address: invitation.email_address,
        organization_name: invitation.organization_name,
        role: invitation.role,
        status: invitation.status,
        expires_at: invitation.expires_at,
    })
}

/// How an invitation is being accepted.
pub enum AcceptBy<'a> {
    /// With the emailed token, which also proves the address.
    Token(&'a str),
    /// By id, from my list of invitations (needs a verified address).
    Id(&'a str),
}

/// Accepts an invitation: one membership, however many times it is accepted at once.
pub async fn accept(state: &AppState, me: &CurrentUser, by: AcceptBy<'_>) -> ApiResult<Membership> {
    let access = match by {
        AcceptBy::Token(_) => InviteeAccess::Token,
        AcceptBy::Id(_) => InviteeAccess::Id,
    };
    check_invitee_access(access, me.user.email_verified)?;
    let (column, key) = match by {
        AcceptBy::Token(token) => ("token_hash", hash(token)),
        AcceptBy::Id(id) => ("id", id.to_owned()),
    };
    let find = format!("SELECT org_id FROM invitations WHERE {column} = $1");
    let mut tx = state.db.begin_write().await?;
    let org: Option<(String,)> = sqlx::query_as(&find)
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?;
    let (org_id,) = org.ok_or_else(|| ApiError::not_found("Invitation"))?;
    // Every change to this organization's invitations and memberships holds this lock, so the
    // invitation read below is the latest: a second accept sees the first one's result.
    let locked = state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?;
    let read =
        format!("SELECT id, email, role, status, expires_at FROM invitations WHERE {column} = $1");
    let (id, email, role, status, expires_at): (String, String, String, String, i64) =
        sqlx::query_as(&read).bind(&key).fetch_one(&mut *tx).await?;
    let already_member = locked.is_some_and(|l| l.my_role.is_some());
    let facts = AcceptFacts {
        status: InvitationStatus::parse(&status).unwrap_or(InvitationStatus::Revoked),
        expires_at: Timestamp(expires_at),
        invited_email: &email,
        user_email: &me.user.email_address,
        already_member,
    };
    check(state, me.id(), None, Action::AcceptInvitation(facts))?;
    let at = now().millis();
    sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(new_id("mem_"))
        .bind(&org_id)
        .bind(me.id())
        .bind(&role)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| if is_unique_violation(&e) {
            ApiError::new(ErrorCode::AlreadyMember, "You are already a member of this organization.")
        } else {
            e.into()
        })?;
    sqlx::query("UPDATE invitations SET status = 'accepted', accepted_by = $1, accepted_at = $2 WHERE id = $3")
        .bind(me.id())
        .bind(at)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if matches!(by, AcceptBy::Token(_)) {
        // The emailed token proves the address.
        sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
            .bind(me.id())
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        &org_id,
        me.id(),
        "invitation.accepted",
        &id,
        &email,
    )
    .await?;
    let membership = membership_with_org(state, &mut tx, &org_id, me.id()).await?;
    tx.commit().await?;
    Ok(membership)
}

/// The pending invitations addressed to me; needs a verified address, so nobody can sign up
/// under another person's address and collect their invitations.
pub async fn mine(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<Invitation>> {
    check_invitee_access(InviteeAccess::ListMine, me.user.email_verified)?;
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.email = $1 AND i.status = 'pending' AND i.expires_at > $2 ORDER BY i.id LIMIT 100"
    );
    let rows: Vec<InvitationRow> = sqlx::query_as(&sql)
        .bind(&me.user.email_address)
        .bind(now().millis())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.into_iter().map(wire).collect())
}
