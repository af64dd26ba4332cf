//! My memberships, each with its organization (suspended ones included, marked).

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::service::access::catalog_for_read;
use crate::service::rows::{MemberRow, OrgRow, MEMBER_COLUMNS, ORG_EXTRA_COLUMNS};
use crate::state::AppState;
use orgkit_core::wire::Membership;

/// My memberships, each with its organization.
pub async fn my_memberships(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<Membership>> {
    #[derive(sqlx::FromRow)]
    struct MemberOfOrg {
        #[sqlx(flatten)]
        member: MemberRow,
        org_name: String,
        org_slug: String,
        org_created_at: i64,
        org_allow_join_requests: i64,
        org_require_sso: i64,
        org_creator_protection: i64,
        max_allowed_memberships: i64,
        logo_etag: Option<String>,
        roles_version: i64,
        api_key_policy: String,
    }
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, o.name AS org_name, o.slug AS org_slug, \
           o.created_at AS org_created_at, o.allow_join_requests AS org_allow_join_requests, \
           o.require_sso AS org_require_sso, o.creator_protection AS org_creator_protection, \
           {ORG_EXTRA_COLUMNS} \
         FROM memberships m \
         JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.org_id \
         WHERE m.user_id = $1 ORDER BY m.id"
    );
    let rows: Vec<MemberOfOrg> = sqlx::query_as(&sql)
        .bind(me.id().as_str())
        .fetch_all(&state.db.pool)
        .await?;
    let mut memberships = Vec::with_capacity(rows.len());
    for row in rows {
        {
            let org = OrgRow {
                id: row.member.org_id.clone(),
                name: row.org_name,
                slug: row.org_slug,
                created_at: row.org_created_at.into(),
                allow_join_requests: row.org_allow_join_requests,
                require_sso: row.org_require_sso,
                creator_protection: row.org_creator_protection,
                max_allowed_memberships: row.max_allowed_memberships,
                logo_etag: row.logo_etag,
                roles_version: row.roles_version,
                api_key_policy: row.api_key_policy,
            };
            let owner = row.member.is_owner == 1;
            let catalog = catalog_for_read(state, &org.id, org.roles_version).await?;
            let organization = org.into_wire(state, &catalog, row.member.roles(), owner);
            memberships.push(row.member.into_wire(Some(organization)));
        }
    }
    Ok(memberships)
}
