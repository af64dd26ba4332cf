//! Rows as the database returns them (`sqlx::FromRow`, by column name), the statements that
//! read the shared ones, and their wire forms.

use crate::db::{p, Row, Tx, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::wire::{Membership, Organization, PublicUserData};
use orgkit_core::{MembershipId, OrganizationId, Role, RoleCatalog, Timestamp, UserId};

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
    /// 1 when the member owns the organization (0 when a query does not select it).
    #[sqlx(default)]
    pub is_owner: i64,
    /// When the membership was suspended (NULL: active; absent from some selects).
    #[sqlx(default)]
    pub suspended_at: Option<i64>,
    /// The member's further roles, joined by commas (see `access::EXTRA_ROLES_SQL`; absent
    /// from some selects).
    #[sqlx(default)]
    pub extra_roles: Option<String>,
}

/// The select list that yields a [`MemberRow`] from `memberships m JOIN users u`.
pub(crate) const MEMBER_COLUMNS: &str = "m.id, m.org_id, m.user_id, m.role, m.created_at, \
     u.email, u.name, m.source, m.is_owner, m.suspended_at, \
     CASE WHEN m.extra_roles > 0 THEN (SELECT string_agg(r.role, ',' ORDER BY r.position) \
       FROM membership_roles r WHERE r.org_id = m.org_id AND r.user_id = m.user_id) END \
       AS extra_roles";

impl MemberRow {
    /// A row selected with [`MEMBER_COLUMNS`], read through either driver.
    pub(crate) fn from_row(row: &Row) -> Result<Self, sqlx::Error> {
        Ok(MemberRow {
            id: MembershipId(row.text("id")?),
            org_id: OrganizationId(row.text("org_id")?),
            user_id: UserId(row.text("user_id")?),
            role: row.text("role")?,
            created_at: Timestamp(row.int("created_at")?),
            email: row.text("email")?,
            name: row.text("name")?,
            source: row.opt_text("source")?,
            is_owner: row.int("is_owner")?,
            suspended_at: row.opt_int("suspended_at")?,
            extra_roles: row.opt_text("extra_roles")?,
        })
    }

    /// Every role the member holds, the primary one first.
    pub(crate) fn roles(&self) -> Vec<String> {
        super::access::roles_of(&self.role, self.extra_roles.as_deref())
    }

    /// The wire form, with the organization filled in or not.
    pub(crate) fn into_wire(self, organization: Option<Organization>) -> Membership {
        let roles = self.roles().into_iter().map(Role).collect();
        Membership {
            id: self.id,
            organization_id: self.org_id,
            role: Role(self.role),
            roles,
            public_user_data: PublicUserData {
                user_id: self.user_id,
                identifier: self.email,
                name: self.name,
            },
            created_at: self.created_at,
            source: self.source,
            is_owner: self.is_owner == 1,
            suspended: self.suspended_at.is_some(),
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
    /// Clerk's `maxAllowedMemberships`, 0 unlimited (0 when a query does not select it).
    #[sqlx(default)]
    pub max_allowed_memberships: i64,
    /// The logo's ETag, when it has one (see [`ORG_EXTRA_COLUMNS`]).
    #[sqlx(default)]
    pub logo_etag: Option<String>,
    /// The creator protection setting, 0 or 1 (0 when a query does not select it).
    #[sqlx(default)]
    pub creator_protection: i64,
    /// The number its custom roles are at (see `access`; 0 when a query does not select it).
    #[sqlx(default)]
    pub roles_version: i64,
    /// Who may create API keys (`ApiKeyPolicy`'s stored form).
    pub api_key_policy: String,
}

/// The select list of an organization's governance columns, from `organizations o`.
pub(crate) const ORG_EXTRA_COLUMNS: &str = "o.max_allowed_memberships, o.roles_version, \
    o.api_key_policy, \
    (SELECT l.etag FROM organization_logos l WHERE l.org_id = o.id) AS logo_etag";

impl OrgRow {
    /// A just-created organization: every setting at its default, no logo.
    pub(crate) fn created(id: OrganizationId, name: String, slug: String, at: Timestamp) -> Self {
        OrgRow {
            id,
            name,
            slug,
            created_at: at,
            allow_join_requests: 0,
            require_sso: 0,
            max_allowed_memberships: 0,
            logo_etag: None,
            creator_protection: 0,
            roles_version: 0,
            api_key_policy: orgkit_core::api_key::ApiKeyPolicy::default()
                .as_str()
                .to_owned(),
        }
    }

    /// The organization as a member holding `roles` (primary first) sees it, with its
    /// `catalog` (`is_owner`: whether they own it).
    pub(crate) fn into_wire(
        self,
        state: &AppState,
        catalog: &RoleCatalog,
        roles: Vec<String>,
        is_owner: bool,
    ) -> Organization {
        let refs: Vec<&str> = roles.iter().map(String::as_str).collect();
        let permissions = catalog
            .permissions_of(&refs)
            .map(|p| catalog.names(p))
            .unwrap_or_default();
        let role = Role(roles.first().cloned().unwrap_or_default());
        let roles = roles.into_iter().map(Role).collect();
        // Versioned by the logo's content (`?v=` and the start of its SHA-256), so a new logo
        // is a new URL: a page drawn from the organization redraws its image, and no cache
        // shows the old one.
        let image_url = self.logo_etag.as_ref().map(|etag| {
            let version: String = etag.trim_matches('"').chars().take(16).collect();
            format!(
                "{}/v1/organizations/{}/logo?v={version}",
                state.public_url,
                self.id.as_str()
            )
        });
        Organization {
            id: self.id,
            name: self.name,
            created_at: self.created_at,
            role,
            roles,
            permissions,
            allow_join_requests: self.allow_join_requests != 0,
            require_sso: self.require_sso != 0,
            sso_join_url: format!(
                "{}{}",
                state.public_url,
                orgkit_core::sso::connection::join_path(&self.slug)
            ),
            max_allowed_memberships: self.max_allowed_memberships.max(0) as u64,
            has_image: image_url.is_some(),
            image_url,
            slug: self.slug,
            is_owner,
            creator_protection: self.creator_protection != 0,
            api_key_policy: orgkit_core::api_key::ApiKeyPolicy::parse(&self.api_key_policy)
                .unwrap_or_default(),
        }
    }
}

/// Where [`member_and_counts`] stops counting admins and owners on SQLite: two is "another
/// remains".
pub(crate) const COUNT_CAP: u32 = 2;

/// A member of `org_id` with their user, and the organization's active admins (under
/// `catalog`, through any role or several together) and owners, in one statement. Suspended
/// members count as neither, except the member read itself, so removing or demoting a
/// suspended admin or owner never looks like losing the last one.
///
/// On SQLite both counts stop at [`COUNT_CAP`]: every rule that reads them asks only whether
/// another admin or owner remains, and a role update in an organization of a thousand admins
/// then reads two of them, not a thousand. On PostgreSQL they stay whole: with a `LIMIT` in
/// the subquery its planner may walk the `(org_id, id)` index and filter, expecting to meet two
/// admins early, and read every member of an organization that has one (removals in a 10k
/// organization fell from 689 to 199 req/s in a paired run).
pub(crate) async fn member_and_counts<W: WriteTx + ?Sized>(
    tx: &mut W,
    catalog: &RoleCatalog,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<(MemberRow, u64, u64)> {
    let cap = (tx.kind() == crate::db::Kind::Sqlite).then_some(COUNT_CAP);
    let admins = super::admins::admin_count_sql(catalog, 3, |user| format!("{user} = $2"), cap);
    let owners = super::admins::up_to(
        "SELECT user_id FROM memberships WHERE org_id = $1 AND is_owner = 1 \
           AND (suspended_at IS NULL OR user_id = $2)",
        cap,
    );
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, {}, {owners} AS owner_count \
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2",
        admins.columns
    );
    let mut params = vec![p(org_id.as_str()), p(user_id.as_str())];
    params.extend(admins.keys.into_iter().map(p));
    let row = tx.fetch_optional(&sql, &params).await?;
    let row = row.ok_or_else(|| ApiError::not_found("Member"))?;
    let member = MemberRow::from_row(&row)?;
    let (admin_full, admin_partial) = (row.int("admin_full")?, row.opt_text("admin_partial")?);
    Ok((
        member,
        super::admins::admins(catalog, admin_full, admin_partial.as_deref()),
        row.int("owner_count")?.max(0) as u64,
    ))
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
    let sql = format!(
        "SELECT o.id, o.name, o.slug, o.created_at, o.allow_join_requests, o.require_sso, \
           o.creator_protection, {ORG_EXTRA_COLUMNS} FROM organizations o WHERE o.id = $1"
    );
    let org: OrgRow = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let catalog = super::access::catalog_at(state, tx, org_id, org.roles_version).await?;
    let organization = org.into_wire(state, &catalog, member.roles(), member.is_owner == 1);
    Ok(member.into_wire(Some(organization)))
}
