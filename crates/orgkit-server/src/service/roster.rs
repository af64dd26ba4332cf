//! The roster (one keyset-paged list of an organization's members, pending invitations and
//! pending requests to join) and bulk removal of members.
//!
//! The roster is ordered by lower-cased email address, then id. Each source has an
//! `(org_id, email, id)` index (migration 0009; members and requests carry a copy of their
//! user's address, filled by a trigger), so a page is three index walks of `limit + 1` rows
//! from the cursor, merged here: the same cost at 1,000 people as at 100,000.

use super::begin_org_write;
use super::rows::{MemberRow, MEMBER_COLUMNS};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::memberships::delete_member;
use crate::state::AppState;
use crate::token::now;
use crate::webhooks;
use orgkit_core::policy::Actor;
use orgkit_core::roster::{
    check_bulk_removal_ids, plan_bulk_removal, roster_statuses, BulkTarget, RosterCursor,
};
use orgkit_core::wire::{BulkRemoveResult, ErrorDetail, Page, RosterEntry};
use orgkit_core::{validate, OrganizationId, Role, RoleCatalog, RosterStatus, UserId};

/// One roster row as a source's walk returns it.
#[derive(Debug, sqlx::FromRow)]
struct RosterRow {
    id: String,
    user_id: Option<String>,
    name: Option<String>,
    email: String,
    role: Option<String>,
    created_at: i64,
    expires_at: Option<i64>,
}

/// The walk of one source: rows past the cursor `($2, $3)` in `(email, id)` order, at most
/// `$4`; `{search}` is replaced by the prefix filter or nothing.
fn walk_sql(status: RosterStatus, search: bool) -> String {
    let (sql, like) = match status {
        RosterStatus::Joined => (
            "SELECT m.id, m.user_id, u.name, m.email, m.role, m.created_at, \
               CAST(NULL AS BIGINT) AS expires_at \
             FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.org_id = $1 AND (m.email, m.id) > ($2, $3) {search} \
             ORDER BY m.email, m.id LIMIT $4",
            "AND (m.email LIKE $5 ESCAPE '\\' OR lower(u.name) LIKE $5 ESCAPE '\\')",
        ),
        RosterStatus::Invited => (
            "SELECT i.id, CAST(NULL AS TEXT) AS user_id, CAST(NULL AS TEXT) AS name, i.email, \
               i.role, i.created_at, i.expires_at \
             FROM invitations i \
             WHERE i.org_id = $1 AND i.status = 'pending' AND (i.email, i.id) > ($2, $3) \
               AND i.expires_at > $5 {search} \
             ORDER BY i.email, i.id LIMIT $4",
            // Invitations have no name: the prefix is also an index range, from the cursor or
            // `q` (whichever is later, see `fetch`) to `q + U+10FFFF` in bytewise order
            // (addresses are ASCII), so a search reads only what it answers.
            "AND i.email LIKE $6 ESCAPE '\\' AND i.email < $7",
        ),
        _ => (
            "SELECT r.id, r.user_id, u.name, r.email, r.role, r.created_at, \
               CAST(NULL AS BIGINT) AS expires_at \
             FROM join_requests r JOIN users u ON u.id = r.user_id \
             WHERE r.org_id = $1 AND r.status = 'pending' AND (r.email, r.id) > ($2, $3) {search} \
             ORDER BY r.email, r.id LIMIT $4",
            "AND (r.email LIKE $5 ESCAPE '\\' OR lower(u.name) LIKE $5 ESCAPE '\\')",
        ),
    };
    sql.replace("{search}", if search { like } else { "" })
}

/// The role a request proposes when it names none: the organization's default role.
fn default_role(_catalog: &RoleCatalog) -> &'static str {
    Role::BASIC_MEMBER
}

/// `q` as a `LIKE` prefix pattern.
fn like_prefix(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 1);
    for c in q.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// One page of the roster.
pub async fn roster(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    asked: &[RosterStatus],
    query: Option<&str>,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<RosterEntry>> {
    let limit = validate::page_limit(limit)?;
    let cursor = match after.filter(|a| !a.is_empty()) {
        Some(raw) => RosterCursor::decode(raw)?,
        None => RosterCursor {
            email: String::new(),
            id: String::new(),
        },
    };
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    let my_roles = access.acting_roles(me.id());
    let actor = Actor {
        user_id: me.id(),
        roles: my_roles.as_deref(),
    };
    let statuses = roster_statuses(&access.catalog, actor, asked)?;
    let like = query.map(like_prefix);
    let fetch = |status: RosterStatus| {
        let sql = walk_sql(status, like.is_some());
        let like = like.clone();
        let cursor = &cursor;
        let wanted = statuses.contains(&status);
        async move {
            if !wanted {
                return Ok::<_, ApiError>(Vec::new());
            }
            // An address search on invitations starts at the prefix itself.
            let (from_email, from_id) = match query {
                Some(prefix)
                    if status == RosterStatus::Invited && cursor.email.as_str() < prefix =>
                {
                    (prefix, "")
                }
                _ => (cursor.email.as_str(), cursor.id.as_str()),
            };
            let mut q = sqlx::query_as::<_, RosterRow>(&sql)
                .bind(org_id.as_str())
                .bind(from_email)
                .bind(from_id)
                .bind(i64::from(limit) + 1);
            if status == RosterStatus::Invited {
                q = q.bind(now().millis());
            }
            if let Some(like) = like {
                q = q.bind(like);
                if status == RosterStatus::Invited {
                    q = q.bind(format!("{}\u{10FFFF}", query.unwrap_or("")));
                }
            }
            let rows = q.fetch_all(&state.db.pool).await?;
            Ok(rows.into_iter().map(|r| (status, r)).collect())
        }
    };
    let (joined, invited, requested) = tokio::try_join!(
        fetch(RosterStatus::Joined),
        fetch(RosterStatus::Invited),
        fetch(RosterStatus::Requested)
    )?;
    let mut rows: Vec<(RosterStatus, RosterRow)> =
        joined.into_iter().chain(invited).chain(requested).collect();
    rows.sort_by(|(_, a), (_, b)| (&a.email, &a.id).cmp(&(&b.email, &b.id)));
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|(_, r)| {
            RosterCursor {
                email: r.email.clone(),
                id: r.id.clone(),
            }
            .encode()
        })
    } else {
        None
    };
    let default = default_role(&state.catalog);
    let data = rows
        .into_iter()
        .map(|(status, r)| RosterEntry {
            status,
            id: r.id,
            user_id: r.user_id.map(UserId),
            name: r.name,
            email_address: r.email,
            role: Role(r.role.unwrap_or_else(|| default.to_owned())),
            created_at: orgkit_core::Timestamp(r.created_at),
            expires_at: r.expires_at.map(orgkit_core::Timestamp),
        })
        .collect();
    Ok(Page { data, next_cursor })
}

/// Removes several members in one transaction under the organization's lock. The rule book
/// decides the batch as a whole (`plan_bulk_removal`): the last-admin rule holds across it.
pub async fn bulk_remove(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ids: &[UserId],
) -> ApiResult<Vec<BulkRemoveResult>> {
    let raw: Vec<&str> = ids.iter().map(UserId::as_str).collect();
    check_bulk_removal_ids(&raw)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.user_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, MemberRow>(&sql).bind(org_id.as_str());
    for id in ids {
        query = query.bind(id.as_str());
    }
    let members: Vec<MemberRow> = query.fetch_all(&mut *tx).await?;
    let catalog = &locked.access.catalog;
    // Suspended admins count only when they are in the batch (as for one removal). `$2` is
    // unused but bound, so the key slots start at `$3`; the batch's ids follow them.
    let key_count = catalog.admin_granting_keys().len();
    let batch: Vec<String> = (0..ids.len())
        .map(|i| format!("${}", i + 3 + key_count))
        .collect();
    let batch = batch.join(", ");
    let admin_sql = crate::service::admins::admin_count_sql(
        catalog,
        3,
        |user| format!("{user} IN ({batch})"),
        None,
    );
    let sql = format!("SELECT {}", admin_sql.columns);
    let mut count = sqlx::query_as::<_, (i64, Option<String>)>(&sql)
        .bind(org_id.as_str())
        .bind("");
    for role in admin_sql.keys {
        count = count.bind(role);
    }
    for id in ids {
        count = count.bind(id.as_str());
    }
    let (full, partial) = count.fetch_one(&mut *tx).await?;
    let admins = crate::service::admins::admins(catalog, full, partial.as_deref());
    let found = |id: &UserId| members.iter().find(|m| &m.user_id == id);
    let owner_refusals = owner_rules(&mut tx, me, &locked, org_id, ids, &members).await?;
    // A target the owner rules refuse stays out of the plan, answered with that refusal.
    let all_roles: Vec<Option<Vec<String>>> = ids
        .iter()
        .zip(&owner_refusals)
        .map(|(id, refused)| {
            found(id)
                .filter(|_| refused.is_none())
                .map(MemberRow::roles)
        })
        .collect();
    let target_roles: Vec<Option<Vec<&str>>> = all_roles
        .iter()
        .map(|r| r.as_ref().map(|r| r.iter().map(String::as_str).collect()))
        .collect();
    let targets: Vec<BulkTarget<'_>> = ids
        .iter()
        .zip(&target_roles)
        .map(|(id, roles)| BulkTarget {
            user_id: id.as_str(),
            roles: roles.as_ref().map(|r| &r[..]),
        })
        .collect();
    let my_roles = locked.access.acting_roles(me.id());
    let actor = Actor {
        user_id: me.id(),
        roles: my_roles.as_deref(),
    };
    let plan = plan_bulk_removal(catalog, actor, &targets, Some(admins))?;
    let mut queued = webhooks::Queued::default();
    let mut results = Vec::with_capacity(ids.len());
    for ((id, decision), refused) in ids.iter().zip(plan).zip(owner_refusals) {
        let decision = refused.map_or(decision, Err);
        let member = match (decision, found(id)) {
            (Ok(()), Some(member)) => member,
            (decision, _) => {
                let error = decision.err().unwrap_or(orgkit_core::DomainError::new(
                    orgkit_core::ErrorCode::NotFound,
                    "Not a member of this organization.",
                ));
                results.push(BulkRemoveResult {
                    member_id: id.clone(),
                    removed: false,
                    error: Some(ErrorDetail {
                        code: error.code,
                        message: error.message.to_owned(),
                        sso: None,
                        missing_permissions: Vec::new(),
                        reason: None,
                    }),
                });
                continue;
            }
        };
        queued = queued + delete_member(&mut tx, org_id, me, member).await?;
        results.push(BulkRemoveResult {
            member_id: id.clone(),
            removed: true,
            error: None,
        });
    }
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(results)
}

/// The owner rules over a batch, in order: an owner goes only by an owner's hand, the last
/// active owner and a protected creator stay. `None`: no objection.
async fn owner_rules(
    tx: &mut crate::db::Tx,
    me: &CurrentUser,
    locked: &crate::db::LockedOrg,
    org_id: &OrganizationId,
    ids: &[UserId],
    members: &[MemberRow],
) -> ApiResult<Vec<Option<orgkit_core::DomainError>>> {
    let counted = |m: &MemberRow| m.is_owner == 1 && m.suspended_at.is_some();
    let (active_owners,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND is_owner = 1 \
         AND suspended_at IS NULL",
    )
    .bind(org_id.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let batch_suspended = members.iter().filter(|m| counted(m)).count() as u64;
    let mut owners = active_owners.max(0) as u64 + batch_suspended;
    let (mut facts, creator) = super::ownership::org_facts(tx, org_id, Some(owners)).await?;
    let actor_owner = super::acts_as_owner(me, locked);
    let mut seen: Vec<&UserId> = Vec::with_capacity(ids.len());
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let member = members.iter().find(|m| &m.user_id == id);
        let refusal = match member {
            Some(m) if !seen.contains(&id) => {
                facts.owner_count = Some(owners);
                let standing = super::ownership::standing(m, creator == id.as_str());
                let verdict = orgkit_core::ownership::check_remove(
                    actor_owner,
                    standing,
                    id == me.id(),
                    facts,
                );
                if verdict.is_ok() && standing.is_owner {
                    owners = owners.saturating_sub(1);
                }
                verdict.err()
            }
            _ => None,
        };
        seen.push(id);
        out.push(refusal);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::like_prefix;

    #[test]
    fn prefixes_escape_like_wildcards() {
        assert_eq!(like_prefix("ad"), "ad%");
        assert_eq!(like_prefix("a_b%c\\"), "a\\_b\\%c\\\\%");
    }
}
