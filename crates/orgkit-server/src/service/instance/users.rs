//! Users made and deleted by an instance secret key. A user made here has no password (the
//! `!sso` hash of SSO-only accounts, which no password matches: they sign in through SSO) and
//! a verified address, as Clerk's `createUser` verifies addresses by default.

use super::{user, UserRecord};
use crate::auth::CurrentUser;
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::service::memberships::delete_member;
use crate::service::rows::member_and_counts;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use crate::webhooks::{self, Queued};
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::{validate, ErrorCode, OrganizationId, UserId};

/// What a new user carries.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub external_id: Option<String>,
    pub public_metadata: String,
    pub private_metadata: String,
    pub unsafe_metadata: String,
}

/// The organization id of audit events about the instance rather than one organization.
fn instance() -> OrganizationId {
    OrganizationId(String::new())
}

/// The name of a new user: first and last name, or the address's local part without them.
fn display_name(user: &NewUser, email: &str) -> ApiResult<String> {
    let parts: Vec<&str> = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let name = if parts.is_empty() {
        email.split('@').next().unwrap_or(email).to_owned()
    } else {
        parts.join(" ")
    };
    Ok(validate::person_name(&name)?)
}

/// Creates a user without a password; audited as the key.
pub async fn create(state: &AppState, me: &CurrentUser, new: NewUser) -> ApiResult<UserRecord> {
    let email = validate::email(&new.email)?;
    let name = display_name(&new, &email)?;
    let at = now();
    let id = UserId(new_id_at(UserId::PREFIX, at));
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, email_verified, created_at, \
           external_id, public_metadata, private_metadata, unsafe_metadata) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9)",
    )
    .bind(id.as_str())
    .bind(&email)
    .bind(&name)
    .bind(crate::service::sso::NO_PASSWORD)
    .bind(at.millis())
    .bind(new.external_id.as_deref())
    .bind(&new.public_metadata)
    .bind(&new.private_metadata)
    .bind(&new.unsafe_metadata)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => {
            return Err(ApiError::new(
                ErrorCode::EmailTaken,
                "An account with this email address already exists.",
            ))
        }
        other => other?,
    };
    let event = AuditEntry {
        org_id: &instance(),
        actor: me,
        action: "user.created",
        subject: id.as_str(),
        detail: &email,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    user(state, id.as_str()).await
}

/// Deletes a user with their memberships, in one transaction. Each membership goes as a
/// removal would (the rule book, the audit event, the webhook), so the last admin of an
/// organization cannot be deleted: promote another member or delete the organization first.
pub async fn delete(state: &AppState, me: &CurrentUser, user_id: &UserId) -> ApiResult<()> {
    let mut tx = state.db.begin_write().await?;
    let mut orgs: Vec<(String,)> =
        sqlx::query_as("SELECT org_id FROM memberships WHERE user_id = $1")
            .bind(user_id.as_str())
            .fetch_all(&mut *tx)
            .await?;
    let found: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user_id.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let (email,) = found.ok_or_else(|| ApiError::not_found("User"))?;
    // Organizations are locked in id order, as everywhere two are locked.
    orgs.sort();
    let mut queued = Queued::default();
    for (org_id,) in orgs {
        let org_id = OrganizationId(org_id);
        let locked = state
            .db
            .lock_organization(&mut tx, &org_id, me.id())
            .await?;
        let owner = locked
            .as_ref()
            .is_some_and(|l| crate::service::acts_as_owner(me, l));
        let locked = locked.ok_or_else(|| crate::error::ApiError::not_found("Organization"))?;
        let access = crate::service::access::from_parts(
            state,
            &mut tx,
            &org_id,
            locked.roles_version,
            locked.my_role.as_deref(),
            locked.my_extra_roles.as_deref(),
        )
        .await?;
        let catalog = &access.catalog;
        let (member, admins, owners) =
            member_and_counts(&mut tx, catalog, &org_id, user_id).await?;
        let roles = member.roles();
        let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
        let action = Action::RemoveMember {
            target: TargetMember {
                user_id,
                roles: &roles,
            },
            admin_count: Some(admins),
        };
        access.check(me, action)?;
        let (owners, handed_over) =
            crate::service::ownership::succession_for_key(catalog, &mut tx, me, &member, owners)
                .await?;
        queued = queued + handed_over;
        let (facts, creator) =
            crate::service::ownership::org_facts(&mut tx, &org_id, Some(owners)).await?;
        let standing = crate::service::ownership::standing(&member, creator == user_id.as_str());
        orgkit_core::ownership::check_remove(owner, standing, false, facts)?;
        queued = queued + delete_member(&mut tx, &org_id, me, &member).await?;
    }
    crate::service::workspaces::cascade::user_deleted(&mut tx, user_id).await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id.as_str())
        .execute(&mut *tx)
        .await?;
    let event = AuditEntry {
        org_id: &instance(),
        actor: me,
        action: "user.deleted",
        subject: user_id.as_str(),
        detail: &email,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(())
}
