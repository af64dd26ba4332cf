//! Listing members, changing roles, removing members and leaving.

use super::ownership::standing;
use super::rows::{member_and_counts, MemberRow};
use super::{acts_as_owner, audit, begin_org_write, page_request, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::{Kind, Tx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use crate::webhooks::{self, emit, Queued};
use orgkit_core::policy::{Action, MemberListScope, TargetMember};
use orgkit_core::wire::Membership;
use orgkit_core::{ErrorCode, EventType, MembershipId, OrganizationId, Timestamp, UserId};
use serde_json::value::RawValue;

/// One page of members in join order, as the JSON body of the answer (a `Page<Membership>`).
///
/// The cursor is the last membership id, and the query walks the `(org_id, id)` index, so every
/// page costs the same at any organization size. The database renders each member as JSON and
/// aggregates the page into one value: sqlx hands rows over one at a time, and one row of 101
/// members costs far less than 101 rows (see BENCHMARKS.md).
pub async fn list_json(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<String> {
    let (limit, after) = page_request(limit, after, MembershipId::is_well_formed)?;
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    // Without `org:memberships:read`, the list holds only my own membership.
    let only = match access.scope(me) {
        MemberListScope::Everyone => None,
        MemberListScope::OnlyMe => Some(me.id().as_str()),
    };
    let sql = match state.db.kind {
        Kind::Sqlite => SQLITE_PAGE,
        Kind::Postgres => POSTGRES_PAGE,
    };
    let (members,): (String,) = sqlx::query_as(sql)
        .bind(org_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .bind(only)
        .fetch_one(&state.db.pool)
        .await?;
    page_body(&members, limit)
}

/// A page of members as one JSON array, in SQLite's dialect.
const SQLITE_PAGE: &str = "SELECT json_group_array(json(member)) FROM (\
    SELECT json_object('id', m.id, 'organizationId', m.org_id, 'role', m.role, \
      'roles', CASE WHEN m.extra_roles > 0 \
        THEN (SELECT json_group_array(x.role) FROM (SELECT m.role AS role, -1 AS position \
          UNION ALL SELECT r.role, r.position FROM membership_roles r \
          WHERE r.org_id = m.org_id AND r.user_id = m.user_id ORDER BY 2) x) \
        ELSE json_array(m.role) END, \
      'publicUserData', json_object('userId', m.user_id, 'identifier', u.email, 'name', u.name), \
      'createdAt', m.created_at, 'source', m.source, \
      'isOwner', json(CASE WHEN m.is_owner = 1 THEN 'true' ELSE 'false' END), \
      'suspended', json(CASE WHEN m.suspended_at IS NULL THEN 'false' ELSE 'true' END)) AS member \
    FROM memberships m JOIN users u ON u.id = m.user_id \
    WHERE m.org_id = $1 AND m.id > $2 AND ($4 IS NULL OR m.user_id = $4) ORDER BY m.id LIMIT $3)";

/// The same page in PostgreSQL's dialect.
const POSTGRES_PAGE: &str = "SELECT COALESCE(json_agg(member ORDER BY id)::text, '[]') FROM (\
    SELECT m.id, json_build_object('id', m.id, 'organizationId', m.org_id, 'role', m.role, \
      'roles', CASE WHEN m.extra_roles > 0 \
        THEN (SELECT json_agg(x.role ORDER BY x.position) FROM (SELECT m.role AS role, -1 AS position \
          UNION ALL SELECT r.role, r.position FROM membership_roles r \
          WHERE r.org_id = m.org_id AND r.user_id = m.user_id) x) \
        ELSE json_build_array(m.role) END, \
      'publicUserData', json_build_object('userId', m.user_id, 'identifier', u.email, 'name', u.name), \
      'createdAt', m.created_at, 'source', m.source, 'isOwner', m.is_owner = 1, \
      'suspended', m.suspended_at IS NOT NULL) AS member \
    FROM memberships m JOIN users u ON u.id = m.user_id \
    WHERE m.org_id = $1 AND m.id > $2 AND ($4::text IS NULL OR m.user_id = $4) ORDER BY m.id LIMIT $3) page";

/// `{"data": [...], "nextCursor": ...}` from up to `limit + 1` members rendered by the database:
/// an extra member only says that more follow.
fn page_body(members: &str, limit: u32) -> ApiResult<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    let mut items: Vec<&RawValue> =
        serde_json::from_str(members).map_err(|e| ApiError::Internal(e.into()))?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        let last = items.last().map(|m| m.get()).unwrap_or("{}");
        let IdOnly { id } = serde_json::from_str(last).map_err(|e| ApiError::Internal(e.into()))?;
        serde_json::to_string(&id).map_err(|e| ApiError::Internal(e.into()))?
    } else {
        "null".to_owned()
    };
    let mut body = String::with_capacity(members.len() + 64);
    body.push_str("{\"data\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(item.get());
    }
    body.push_str("],\"nextCursor\":");
    body.push_str(&next_cursor);
    body.push('}');
    Ok(body)
}

/// Gives a member another set of roles (the first is the primary one; `[role]` is the
/// single-role API), an owner's only as an owner. The organization row is locked first, so two
/// admins demoting each other run one after the other and the second sees the first's change.
pub async fn update_roles(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    new_roles: &[&str],
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let (mut target, admins, _) = member_and_counts(&mut tx, catalog, org_id, user_id).await?;
    let old_roles = target.roles();
    let old_refs: Vec<&str> = old_roles.iter().map(String::as_str).collect();
    let action = Action::ChangeRole {
        target: target_of(&target, &old_refs),
        new_roles,
        admin_count: Some(admins),
    };
    locked.access.check(me, action)?;
    if target.is_owner == 1 {
        let owner = super::ownership::i_own_it(state, &mut tx, me, org_id).await?;
        orgkit_core::ownership::check_change_role(owner, standing(&target, false))?;
    }
    set_roles(&mut tx, &mut target, new_roles).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "membership.role_changed",
        subject: user_id.as_str(),
        detail: &format!("{} -> {}", old_refs.join(" "), new_roles.join(" ")),
    };
    audit(&mut tx, event).await?;
    let membership = target.into_wire(None);
    let queued = emit(
        &mut tx,
        org_id,
        EventType::MembershipUpdated,
        wire_json(&membership)?,
        now(),
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(membership)
}

/// Replaces `member`'s roles with `roles` (checked by the caller; the first is the primary
/// one, the others one `membership_roles` row each), inside `tx`. The version goes up when
/// they change, so a session token minted before tells its backend that the grant changed.
pub(crate) async fn set_roles(
    tx: &mut Tx,
    member: &mut MemberRow,
    roles: &[&str],
) -> ApiResult<()> {
    let Some((primary, extra)) = roles.split_first() else {
        return Err(ApiError::validation("A member holds at least one role."));
    };
    if member.roles() == roles {
        return Ok(());
    }
    let (org_id, user_id) = (member.org_id.as_str(), member.user_id.as_str());
    sqlx::query(
        "UPDATE memberships SET role = $1, extra_roles = $4, version = version + 1 \
         WHERE org_id = $2 AND user_id = $3",
    )
    .bind(*primary)
    .bind(org_id)
    .bind(user_id)
    .bind(extra.len() as i64)
    .execute(&mut **tx)
    .await?;
    // The row read says whether there are further roles to take away: a one-role change (the
    // common case) costs one statement.
    if member.extra_roles.is_some() {
        sqlx::query("DELETE FROM membership_roles WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    for (position, role) in extra.iter().enumerate() {
        sqlx::query(
            "INSERT INTO membership_roles (org_id, user_id, role, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(org_id)
        .bind(user_id)
        .bind(*role)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    (*primary).clone_into(&mut member.role);
    member.extra_roles = (!extra.is_empty()).then(|| extra.join(","));
    Ok(())
}

/// Adds `user_id` as a member with `role` directly, without an invitation: what the instance's
/// secret key does through the Clerk-compatible API. The organization is locked first, like
/// every membership change.
pub async fn add(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    role: &str,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let facts: Option<(i64,)> = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND user_id = $2) \
         FROM users WHERE id = $2",
    )
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let (members,) = facts.ok_or_else(|| ApiError::not_found("User"))?;
    let action = Action::AddMember {
        role,
        already_member: members > 0,
    };
    locked.access.check(me, action)?;
    super::limits::check_join(state, &mut tx, org_id, user_id).await?;
    insert_member(&mut tx, org_id, user_id, role, None, now()).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "membership.added",
        subject: user_id.as_str(),
        detail: role,
    };
    audit(&mut tx, event).await?;
    let membership = super::rows::membership_with_org(state, &mut tx, org_id, user_id).await?;
    // The message carries the membership as the other paths that add members send it.
    let data = wire_json(&Membership {
        organization: None,
        ..membership.clone()
    })?;
    let queued = emit(&mut tx, org_id, EventType::MembershipCreated, data, now()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(membership)
}

/// Removes a member, or leaves when `user_id` is mine. The last owner stays, and so does a
/// protected creator.
pub async fn remove(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let (target, admins, owners) = member_and_counts(&mut tx, catalog, org_id, user_id).await?;
    let target_roles = target.roles();
    let target_refs: Vec<&str> = target_roles.iter().map(String::as_str).collect();
    let action = Action::RemoveMember {
        target: target_of(&target, &target_refs),
        admin_count: Some(admins),
    };
    locked.access.check(me, action)?;
    let (owners, handed_over) =
        super::ownership::succession_for_key(catalog, &mut tx, me, &target, owners).await?;
    let facts = super::ownership::org_facts(&mut tx, org_id, owners).await?;
    let creator = facts.1 == target.user_id.as_str();
    let owner = if target.is_owner == 1 && user_id != me.id() {
        super::ownership::i_own_it(state, &mut tx, me, org_id).await?
    } else {
        acts_as_owner(me, &locked)
    };
    orgkit_core::ownership::check_remove(
        owner,
        standing(&target, creator),
        user_id == me.id(),
        facts.0,
    )?;
    let queued = delete_member(&mut tx, org_id, me, &target).await?;
    tx.commit().await?;
    webhooks::wake(state, queued + handed_over);
    Ok(())
}

/// Deletes `member`'s membership inside `tx` (whose caller holds the organization's lock and
/// has asked the rule book): the audit row (`membership.left` when it is mine, else
/// `membership.removed`) and `organizationMembership.deleted`. Shared by [`remove`] and the
/// roster's bulk removal; the caller wakes the queue after its commit.
pub(crate) async fn delete_member(
    tx: &mut Tx,
    org_id: &OrganizationId,
    me: &CurrentUser,
    member: &MemberRow,
) -> ApiResult<Queued> {
    let user_id = &member.user_id;
    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
        .bind(org_id.as_str())
        .bind(user_id.as_str())
        .execute(&mut **tx)
        .await?;
    super::workspaces::cascade::member_removed(tx, org_id, user_id).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: if user_id == me.id() {
            "membership.left"
        } else {
            "membership.removed"
        },
        subject: user_id.as_str(),
        detail: &member.roles().join(" "),
    };
    audit(tx, event).await?;
    let removed = wire_json(&member.clone().into_wire(None))?;
    emit(tx, org_id, EventType::MembershipDeleted, removed, now()).await
}

/// A wire object as the `data` of a webhook message.
pub(crate) fn wire_json(value: &impl serde::Serialize) -> ApiResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(e.into()))
}

/// The rule book's view of a member row holding `roles`.
fn target_of<'a>(row: &'a MemberRow, roles: &'a [&'a str]) -> TargetMember<'a> {
    TargetMember {
        user_id: &row.user_id,
        roles,
    }
}

/// Inserts a membership of `user_id` in `org_id` with `role`, made at `at`, marking how it
/// began (`source`: `Some("sso")` for a just-in-time member, `None` otherwise). The caller
/// holds the organization's lock. Answers `already_member` on a unique violation.
pub(crate) async fn insert_member(
    tx: &mut crate::db::Tx,
    org_id: &OrganizationId,
    user_id: &UserId,
    role: &str,
    source: Option<&str>,
    at: Timestamp,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO memberships (id, org_id, user_id, role, created_at, source) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::token::new_id_at(MembershipId::PREFIX, at))
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .bind(role)
    .bind(at.millis())
    .bind(source)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            ApiError::new(ErrorCode::AlreadyMember, "This person is already a member.")
        } else {
            e.into()
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::page_body;

    #[test]
    fn pages_keep_limit_members_and_point_past_the_last() {
        let members = r#"[{"id":"mem_1","role":"admin"},{"id":"mem_2","role":"basic_member"},{"id":"mem_3"}]"#;
        let body: serde_json::Value =
            serde_json::from_str(&page_body(members, 2).expect("page")).expect("json");
        assert_eq!(body["data"].as_array().map(Vec::len), Some(2));
        assert_eq!(body["data"][1]["role"], "basic_member");
        assert_eq!(body["nextCursor"], "mem_2");
        let last: serde_json::Value =
            serde_json::from_str(&page_body(members, 3).expect("page")).expect("json");
        assert!(last["nextCursor"].is_null());
        let empty: serde_json::Value =
            serde_json::from_str(&page_body("[]", 20).expect("page")).expect("json");
        assert_eq!(empty["data"], serde_json::json!([]));
    }
}
