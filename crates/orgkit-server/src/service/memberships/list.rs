//! One page of members, rendered as JSON by the database.

use super::page_request;
use crate::auth::CurrentUser;
use crate::db::{p, Kind};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::policy::{Action, MemberListScope};
use orgkit_core::{MembershipId, OrganizationId};

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
    let (members, next_cursor) = match state.db.kind {
        // Inline on SQLite (see `db::reads`): a page is bounded by `limit`.
        Kind::Sqlite => {
            let params = [p(org_id.as_str()), p(after), p(i64::from(limit)), p(only)];
            let row = state.db.read_optional(SQLITE_PAGE, &params).await?;
            let row = row.ok_or(sqlx::Error::RowNotFound)?;
            (row.text("members")?, row.opt_text("next_cursor")?)
        }
        // Unprepared, so planned for each call's values (see `POSTGRES_PAGE`).
        Kind::Postgres => {
            sqlx::query_as(POSTGRES_PAGE)
                .persistent(false)
                .bind(org_id.as_str())
                .bind(after)
                .bind(i64::from(limit))
                .bind(only)
                .fetch_one(&state.db.pool)
                .await?
        }
    };
    page_body(&members, next_cursor.as_deref())
}

/// A page of members as one JSON array, in SQLite's dialect, and the next page's cursor: the
/// page's last id when another member follows it (one probe of the `(org_id, id)` index), so
/// the server joins the two into the body without parsing the page. The page's rows are
/// picked as plain columns and rendered by the aggregate itself: rendering each member in the
/// subquery made the aggregate parse every member's text again (`json(member)`).
const SQLITE_PAGE: &str = "SELECT p.members, CASE WHEN EXISTS (SELECT 1 FROM memberships x \
      WHERE x.org_id = $1 AND x.id > p.last_id AND ($4 IS NULL OR x.user_id = $4)) \
      THEN p.last_id END AS next_cursor \
    FROM (SELECT json_group_array(json_object('id', m.id, \
      'organizationId', m.org_id, 'role', m.role, \
      'roles', CASE WHEN m.extra_roles > 0 \
        THEN (SELECT json_group_array(x.role) FROM (SELECT m.role AS role, -1 AS position \
          UNION ALL SELECT r.role, r.position FROM membership_roles r \
          WHERE r.org_id = m.org_id AND r.user_id = m.user_id ORDER BY 2) x) \
        ELSE json_array(m.role) END, \
      'publicUserData', json_object('userId', m.user_id, 'identifier', m.email, 'name', m.name), \
      'createdAt', m.created_at, 'source', m.source, \
      'isOwner', json(CASE WHEN m.is_owner = 1 THEN 'true' ELSE 'false' END), \
      'suspended', json(CASE WHEN m.suspended_at IS NULL THEN 'false' ELSE 'true' END))) \
    AS members, max(m.id) AS last_id \
    FROM (SELECT m.id, m.org_id, m.role, m.extra_roles, m.user_id, u.email, u.name, \
      m.created_at, m.source, m.is_owner, m.suspended_at \
    FROM memberships m JOIN users u ON u.id = m.user_id \
    WHERE m.org_id = $1 AND m.id > $2 AND ($4 IS NULL OR m.user_id = $4) ORDER BY m.id LIMIT $3) m) p";

/// The same page and cursor in PostgreSQL's dialect. The page's rows are picked first, by the
/// `(org_id, id)` index, and only they are joined and rendered: with stale planner statistics
/// (an organization that grew faster than autovacuum analyzes) a plan that sorts still sorts
/// narrow rows, instead of rendering every member before the limit (85 ms against 1 ms at 10k).
///
/// The organization is written as a range, `(org_id, id) > ($1, $2) AND org_id <= $1`, which
/// holds exactly for its members after the cursor, and the order as `org_id, id`: only that
/// index gives both. Written as `org_id = $1 ... ORDER BY id`, the planner may walk the
/// primary key in `id` order and filter, since the equality makes `org_id` drop out of the
/// order; when statistics said the organization was most of the table, it did, and filtered out
/// 10k to 19k other members per page (2 to 8 ms instead of 0.3). It is sent unprepared, so
/// that each call is planned for its values: a cached generic plan, blind to the organization's
/// size, chose to read and sort all of its members. Each member's user is a
/// scalar subquery, one index lookup per row: as a join, the planner hashed every user of the
/// database for 101 rows (1 to 3 ms).
///
/// The next cursor is one probe of that index too: a scalar subquery ordered as the index,
/// with `LIMIT 1`. As `EXISTS`, whose order PostgreSQL drops, the planner walked the
/// `(org_id, email, id)` roster index (or the table) and filtered by id, so the last page read
/// every member of the organization. Where I see only myself (`$4`), one membership is all
/// there is: no page follows it.
const POSTGRES_PAGE: &str = "SELECT COALESCE(p.members, '[]'), CASE WHEN $4::text IS NULL \
      AND (SELECT x.id FROM memberships x WHERE (x.org_id, x.id) > ($1, p.last_id) \
        AND x.org_id <= $1 ORDER BY x.org_id, x.id LIMIT 1) IS NOT NULL THEN p.last_id END \
    FROM (SELECT json_agg(json_build_object('id', m.id, \
      'organizationId', m.org_id, 'role', m.role, \
      'roles', CASE WHEN m.extra_roles > 0 \
        THEN (SELECT json_agg(x.role ORDER BY x.position) FROM (SELECT m.role AS role, -1 AS position \
          UNION ALL SELECT r.role, r.position FROM membership_roles r \
          WHERE r.org_id = m.org_id AND r.user_id = m.user_id) x) \
        ELSE json_build_array(m.role) END, \
      'publicUserData', (SELECT json_build_object('userId', u.id, 'identifier', u.email, \
        'name', u.name) FROM users u WHERE u.id = m.user_id), \
      'createdAt', m.created_at, 'source', m.source, 'isOwner', m.is_owner = 1, \
      'suspended', m.suspended_at IS NOT NULL) ORDER BY m.id)::text AS members, \
      max(m.id) AS last_id \
    FROM (SELECT id, org_id, user_id, role, extra_roles, created_at, source, is_owner, suspended_at \
      FROM memberships WHERE (org_id, id) > ($1, $2) AND org_id <= $1 \
        AND ($4::text IS NULL OR user_id = $4) \
      ORDER BY org_id, id LIMIT $3) m) p";

/// `{"data": [...], "nextCursor": ...}` from the page the database rendered and its next
/// cursor (`None`: the last page), joined without parsing the page.
fn page_body(members: &str, next_cursor: Option<&str>) -> ApiResult<String> {
    let next_cursor = match next_cursor {
        Some(id) => serde_json::to_string(id).map_err(|e| ApiError::Internal(e.into()))?,
        None => "null".to_owned(),
    };
    let mut body = String::with_capacity(members.len() + next_cursor.len() + 24);
    body.push_str("{\"data\":");
    body.push_str(members);
    body.push_str(",\"nextCursor\":");
    body.push_str(&next_cursor);
    body.push('}');
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::{page_body, POSTGRES_PAGE};
    use sqlx::Connection;

    #[test]
    fn pages_hold_their_members_and_point_past_the_last() {
        let members = r#"[{"id":"mem_1","role":"admin"},{"id":"mem_2","role":"basic_member"}]"#;
        let body: serde_json::Value =
            serde_json::from_str(&page_body(members, Some("mem_2")).expect("page")).expect("json");
        assert_eq!(body["data"].as_array().map(Vec::len), Some(2));
        assert_eq!(body["data"][1]["role"], "basic_member");
        assert_eq!(body["nextCursor"], "mem_2");
        let last: serde_json::Value =
            serde_json::from_str(&page_body(members, None).expect("page")).expect("json");
        assert!(last["nextCursor"].is_null());
        let empty: serde_json::Value =
            serde_json::from_str(&page_body("[]", None).expect("page")).expect("json");
        assert_eq!(empty["data"], serde_json::json!([]));
    }

    /// PostgreSQL walks the `(org_id, id)` index for a page, without a sort, whether the
    /// organization is most of the table (another organization's members first in `id` order)
    /// or a small part of it.
    #[tokio::test]
    async fn postgres_pages_walk_the_organization_index_whatever_the_plan() {
        let Some((db, server, name)) = crate::db::scratch::postgres("page_plan").await else {
            return;
        };
        let seed = [
            "INSERT INTO users (id, email, name, password_hash, created_at) \
             SELECT 'usr_' || lpad(i::text, 6, '0'), 'u' || i || '@x.io', 'U', '', 0 \
             FROM generate_series(1, 4000) i",
            "INSERT INTO organizations (id, name, slug, created_by, created_at, updated_at) \
             VALUES ('org_big', 'Big', 'big', 'x', 0, 0), ('org_small', 'Small', 'small', 'x', 0, 0)",
            "INSERT INTO memberships (id, org_id, user_id, role, created_at) \
             SELECT 'mem_a' || lpad(i::text, 6, '0'), 'org_small', 'usr_' || lpad(i::text, 6, '0'), \
             'basic_member', 0 FROM generate_series(1, 1000) i",
            "INSERT INTO memberships (id, org_id, user_id, role, created_at) \
             SELECT 'mem_b' || lpad(i::text, 6, '0'), 'org_big', 'usr_' || lpad(i::text, 6, '0'), \
             'basic_member', 0 FROM generate_series(1, 4000) i",
            "ANALYZE",
        ];
        for sql in seed {
            sqlx::query(sql).execute(&db.pool).await.expect(sql);
        }
        let url = format!("{}/{name}", server.rsplit_once('/').map_or("", |(b, _)| b));
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
        sqlx::query(&format!(
            "PREPARE page(text, text, bigint, text) AS {POSTGRES_PAGE}"
        ))
        .execute(&mut conn)
        .await
        .expect("prepare");
        // The server sends the page unprepared: each call is planned for its values.
        sqlx::query("SET plan_cache_mode = force_custom_plan")
            .execute(&mut conn)
            .await
            .expect("set");
        for org in ["org_big", "org_small"] {
            let plan: Vec<(String,)> =
                sqlx::query_as(&format!("EXPLAIN EXECUTE page('{org}', '', 101, NULL)"))
                    .fetch_all(&mut conn)
                    .await
                    .expect("explain");
            let plan: Vec<String> = plan.into_iter().map(|(line,)| line).collect();
            let plan = plan.join("\n");
            assert!(plan.contains("memberships_org_id"), "{org}:\n{plan}");
            // The next cursor's probe walks the same index, whatever the page.
            assert!(
                plan.contains("using memberships_org_id on memberships x"),
                "{org}:\n{plan}"
            );
            assert!(!plan.contains("Sort"), "{org}:\n{plan}");
        }
        let (page, next): (String, Option<String>) =
            sqlx::query_as("EXECUTE page('org_big', 'mem_b003998', 2, NULL)")
                .fetch_one(&mut conn)
                .await
                .expect("page");
        assert_eq!(next, None, "the organization's last page");
        let (_, next): (String, Option<String>) =
            sqlx::query_as("EXECUTE page('org_big', 'mem_b003997', 2, NULL)")
                .fetch_one(&mut conn)
                .await
                .expect("page");
        assert_eq!(next.as_deref(), Some("mem_b003999"));
        let ids: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&page)
            .expect("json")
            .iter()
            .map(|m| m["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(ids, ["mem_b003999", "mem_b004000"]);
        conn.close().await.expect("close");
        crate::db::scratch::drop(db, &server, &name).await;
    }
}
