//! What a verified SSO sign-in writes, in ONE transaction under the organization's lock: the
//! user (just in time) and the identity `(issuer, subject)`, the membership (just in time,
//! never lowering a role), the audit events, the `organizationMembership.created` webhook and
//! the session.

use super::oidc::ConnectionRow;
use crate::auth::{create_session, ClientInfo, CurrentUser, UserRow, USER_COLUMNS};
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::service::memberships::{insert_member, wire_json};
use crate::service::rows::membership_with_org;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use crate::webhooks::{self, emit};
use orgkit_core::sso::sign_in::{
    decide_membership, decide_user, MembershipDecision, UserDecision, UserFacts,
};
use orgkit_core::wire::Membership;
use orgkit_core::{EventType, OrganizationId, UserId};

/// A password hash no password matches (not a PHC string): the user of a just-in-time account
/// signs in through SSO only.
pub(crate) const NO_PASSWORD: &str = "!sso";

/// Who the provider says signed in, verified and checked.
#[derive(Debug, Clone)]
pub(super) struct Identity {
    pub issuer: String,
    pub subject: String,
    /// Normalised, at one of the connection's domains, verified by the provider.
    pub email: String,
    pub name: Option<String>,
}

/// Records the sign-in and answers the new session's token.
pub(super) async fn record(
    state: &AppState,
    connection: &ConnectionRow,
    identity: &Identity,
    client: ClientInfo,
) -> ApiResult<String> {
    let org_id = OrganizationId(connection.org_id.clone());
    let jit = connection.jit_enabled != 0;
    let at = now();
    let mut tx = state.db.begin_write().await?;
    // First the organization's lock: its sign-ins, like every membership write, run one at a
    // time, so two first sign-ins of one person cannot both create them.
    state
        .db
        .lock_organization(&mut tx, &org_id, &UserId(String::new()))
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    let by_identity: Option<(String,)> =
        sqlx::query_as("SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2")
            .bind(&identity.issuer)
            .bind(&identity.subject)
            .fetch_optional(&mut *tx)
            .await?;
    let by_email: Option<(String, i64)> =
        sqlx::query_as("SELECT id, email_verified FROM users WHERE email = $1")
            .bind(&identity.email)
            .fetch_optional(&mut *tx)
            .await?;
    let decision = decide_user(UserFacts {
        by_identity: by_identity.as_ref().map(|r| r.0.as_str()),
        by_email: by_email.as_ref().map(|r| r.0.as_str()),
        jit_enabled: jit,
    })?;
    let (user_id, action) = match decision {
        UserDecision::Known(id) => (UserId(id.to_owned()), None),
        UserDecision::Link(id) => {
            let id = UserId(id.to_owned());
            let verified = by_email.as_ref().is_some_and(|r| r.1 != 0);
            link(&mut tx, &id, verified).await?;
            (id, Some("sso.identity_linked"))
        }
        UserDecision::Create => (
            create_user(&mut tx, identity).await?,
            Some("sso.user_created"),
        ),
    };
    if action.is_some() {
        insert_identity(&mut tx, identity, &user_id, &connection.id).await?;
    }
    let current_role: Option<(String,)> =
        sqlx::query_as("SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2")
            .bind(org_id.as_str())
            .bind(user_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let user_sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    let user: UserRow = sqlx::query_as(&user_sql)
        .bind(user_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let actor = CurrentUser {
        user: user.into(),
        client,
        key: None,
    };
    fn entry<'a>(
        org_id: &'a OrganizationId,
        actor: &'a CurrentUser,
        action: &'static str,
        detail: &'a str,
    ) -> AuditEntry<'a> {
        AuditEntry {
            org_id,
            actor,
            action,
            subject: actor.id().as_str(),
            detail,
        }
    }
    if let Some(action) = action {
        audit(&mut tx, entry(&org_id, &actor, action, &identity.email)).await?;
    }
    let jit_role = match connection.jit_role.clone() {
        Some(role) => role,
        None => crate::service::roles::default_role(&mut tx, &org_id).await?,
    };
    let mut queued = webhooks::Queued(0);
    if let MembershipDecision::Add(role) =
        decide_membership(current_role.as_ref().map(|r| r.0.as_str()), jit, &jit_role)
    {
        crate::service::limits::check_join(state, &mut tx, &org_id, &user_id).await?;
        insert_member(&mut tx, &org_id, &user_id, role, Some("sso"), at).await?;
        audit(
            &mut tx,
            entry(
                &org_id,
                &actor,
                "sso.membership_created",
                &format!("joined as {role}"),
            ),
        )
        .await?;
        let membership = membership_with_org(state, &mut tx, &org_id, &user_id).await?;
        let joined = Membership {
            organization: None,
            ..membership
        };
        queued = emit(
            &mut tx,
            &org_id,
            EventType::MembershipCreated,
            wire_json(&joined)?,
            at,
        )
        .await?;
    }
    audit(
        &mut tx,
        entry(
            &org_id,
            &actor,
            "sso.signed_in",
            &format!("{} via {}", identity.email, connection.id),
        ),
    )
    .await?;
    let token = create_session(&mut *tx, &user_id).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(token)
}

/// Creates the user of a new identity: the provider's verified address and name, no password.
async fn create_user(tx: &mut Tx, identity: &Identity) -> ApiResult<UserId> {
    let at = now();
    let id = UserId(new_id_at(UserId::PREFIX, at));
    let name = identity.name.clone().unwrap_or_else(|| {
        identity
            .email
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, email_verified, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5)",
    )
    .bind(id.as_str())
    .bind(&identity.email)
    .bind(&name)
    .bind(NO_PASSWORD)
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Ties an existing account to the identity. An account whose address was never verified may
/// have been made by someone else with that address (pre-hijacking): the provider now proves
/// the address, so the account's password and sessions end and it is marked verified.
async fn link(tx: &mut Tx, user_id: &UserId, verified: bool) -> ApiResult<()> {
    if verified {
        return Ok(());
    }
    sqlx::query("UPDATE users SET email_verified = 1, password_hash = $1 WHERE id = $2")
        .bind(NO_PASSWORD)
        .bind(user_id.as_str())
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_identity(
    tx: &mut Tx,
    identity: &Identity,
    user_id: &UserId,
    connection_id: &str,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO user_identities (issuer, subject, user_id, connection_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&identity.issuer)
    .bind(&identity.subject)
    .bind(user_id.as_str())
    .bind(connection_id)
    .bind(now().millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
