//! Rows as the database returns them (`sqlx::FromRow`, by column name), the statements that
//! read the shared ones, and their wire forms.

use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::wire::{Membership, Organization, PublicUserData};
use orgkit_core::{MembershipId, OrganizationId, Role, Timestamp, UserId};

/// A membership joined with its user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberRow {
    #[sqlx(try_from = "String")]
    pub id: MembershipId,
    #[sqlx(try_from = "String")]
    pub org_id: OrganizationId,
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    pub role: String,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    pub email: String,
    pub name: String,
    /// `sso` for a just-in-time member (NULL otherwise; absent from some selects).
    #[sqlx(default)]
    pub source: Option<String>,
}

/// The select list that yields a [`MemberRow`] from `memberships m JOIN users u`.
pub(crate) const MEMBER_COLUMNS: &str =
    "m.id, m.org_id, m.user_id, m.role, m.created_at, u.email, u.name, m.source";

impl MemberRow {
    /// The wire form, with the organization filled in or not.
    pub(crate) fn into_wire(self, organization: Option<Organization>) -> Membership {
        Membership {
            id: self.id,
            organization_id: self.org_id,
            role: Role(self.role),
            public_user_data: PublicUserData {
                user_id: self.user_id,
                identifier: self.email,
                name: self.name,
            },
            created_at: self.created_at,
            source: self.source,
            organization,
        }
    }
}

/// An organization's profile columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct OrgRow {
    #[sqlx(try_from = "String")]
    pub id: OrganizationId,
    pub name: String,
    pub slug: String,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    /// The "allow requests to join" setting, 0 or 1 (0 when a query does not select it).
    #[sqlx(default)]
    pub allow_join_requests: i64,
    /// The "require SSO" setting, 0 or 1 (0 when a query does not select it).
    #[sqlx(default)]
    pub require_sso: i64,
}

impl OrgRow {
    /// The organization as a member holding `role` sees it.
    pub(crate) fn into_wire(self, state: &AppState, role: String) -> Organization {
        let permissions = state
            .catalog
            .permissions(&role)
            .map(|p| state.catalog.names(p))
            .unwrap_or_default();
        Organization {
            id: self.id,
            name: self.name,
            created_at: self.created_at,
            role: Role(role),
            permissions,
            allow_join_requests: self.allow_join_requests != 0,
            require_sso: self.require_sso != 0,
            sso_join_url: format!(
                "{}{}",
                state.public_url,
                orgkit_core::sso::connection::join_path(&self.slug)
            ),
            slug: self.slug,
        }
    }
}

/// A member and the organization's admin count, read together.
#[derive(Debug, sqlx::FromRow)]
struct MemberWithAdmins {
    #[sqlx(flatten)]
    member: MemberRow,
    admin_count: i64,
}

/// A member of `org_id` with their user, and the organization's admin count, in one statement.
pub(crate) async fn member_and_admins(
    state: &AppState,
    tx: &mut Tx,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<(MemberRow, u64)> {
    let admin_roles = state.catalog.admin_role_keys();
    let placeholders: Vec<String> = (0..admin_roles.len())
        .map(|i| format!("${}", i + 3))
        .collect();
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, \
           (SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role IN ({})) AS admin_count \
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(user_id.as_str());
    for role in admin_roles {
        query = query.bind(role);
    }
    let row: Option<MemberWithAdmins> = query.fetch_optional(&mut **tx).await?;
    let row = row.ok_or_else(|| ApiError::not_found("Member"))?;
    Ok((row.member, row.admin_count.max(0) as u64))
}

/// One member of an organization with the organization filled in, read inside `tx`.
pub(crate) async fn membership_with_org(
    state: &AppState,
    tx: &mut Tx,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<Membership> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.user_id = $2"
    );
    let member: MemberRow = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(user_id.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| ApiError::not_found("Member"))?;
    let org: OrgRow = sqlx::query_as(
        "SELECT id, name, slug, created_at, allow_join_requests, require_sso FROM organizations \
         WHERE id = $1",
    )
    .bind(org_id.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let organization = org.into_wire(state, member.role.clone());
    Ok(member.into_wire(Some(organization)))
}
