//! Offset-paged lists with a total count, filtered the way Clerk's Backend API filters them.
//! Each list asks the rule book first, like `/v1`'s lists; the sort column comes from a fixed
//! table, never from the request.

use super::{
    InvitationRecord, MemberRecord, OrgRecord, UserRecord, INVITATION_COLUMNS, MEMBER_COLUMNS,
    MEMBER_FIELDS, ORG_COLUMNS, USER_COLUMNS,
};
use crate::auth::CurrentUser;
use crate::db::Kind;
use crate::error::ApiError;
use crate::error::ApiResult;
use crate::state::AppState;
use orgkit_core::clerk::{OrderBy, Paging};
use orgkit_core::policy::Action;
use orgkit_core::OrganizationId;
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::Any;

/// One page and the number of rows that match in all.
pub struct Listed<T> {
    pub data: Vec<T>,
    pub total_count: i64,
}

/// A `WHERE` clause and its parameters, built one condition at a time.
#[derive(Default)]
pub struct Filter {
    conditions: Vec<String>,
    binds: Vec<String>,
}

impl Filter {
    fn next(&self) -> String {
        format!("${}", self.binds.len() + 1)
    }

    /// `column = value`.
    pub fn equals(&mut self, column: &str, value: &str) -> &mut Self {
        self.conditions.push(format!("{column} = {}", self.next()));
        self.binds.push(value.to_owned());
        self
    }

    /// `column IN (values)`; nothing when `values` is empty.
    pub fn any_of(&mut self, column: &str, values: &[String]) -> &mut Self {
        self.in_subquery(column, values, |slots| slots.to_owned())
    }

    /// The user `column` is a member of any of the organizations `org_ids`; nothing when
    /// there is none.
    pub fn member_of_any(&mut self, column: &str, org_ids: &[String]) -> &mut Self {
        self.in_subquery(column, org_ids, |slots| {
            format!("SELECT user_id FROM memberships WHERE org_id IN ({slots})")
        })
    }

    /// `column IN (set(slots))` with one slot per value; nothing when `values` is empty.
    fn in_subquery(
        &mut self,
        column: &str,
        values: &[String],
        set: impl FnOnce(&str) -> String,
    ) -> &mut Self {
        if values.is_empty() {
            return self;
        }
        let mut slots = Vec::with_capacity(values.len());
        for value in values {
            slots.push(self.next());
            self.binds.push(value.clone());
        }
        let set = set(&slots.join(", "));
        self.conditions.push(format!("{column} IN ({set})"));
        self
    }

    /// Any of `columns` contains `text`, case-insensitively; nothing when there is none.
    pub fn contains(&mut self, columns: &[&str], text: Option<&str>) -> &mut Self {
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            return self;
        };
        let slot = self.next();
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        self.binds.push(format!("%{escaped}%"));
        let any: Vec<String> = columns
            .iter()
            .map(|c| format!("LOWER({c}) LIKE {slot} ESCAPE '\\'"))
            .collect();
        self.conditions.push(format!("({})", any.join(" OR ")));
        self
    }

    /// Whether no condition was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    fn clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }

    fn bind<'q, T>(
        &'q self,
        mut query: QueryAs<'q, Any, T, AnyArguments<'q>>,
    ) -> QueryAs<'q, Any, T, AnyArguments<'q>> {
        for value in &self.binds {
            query = query.bind(value.as_str());
        }
        query
    }
}

/// Runs `SELECT columns FROM from WHERE filter ORDER BY sort LIMIT OFFSET` and its count
/// (unless `known_total` gives it).
async fn page<T>(
    state: &AppState,
    columns: &str,
    from: &str,
    filter: &Filter,
    sort: &str,
    paging: Paging,
) -> ApiResult<Listed<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    page_counted(state, columns, from, filter, sort, paging, None).await
}

async fn page_counted<T>(
    state: &AppState,
    columns: &str,
    from: &str,
    filter: &Filter,
    sort: &str,
    paging: Paging,
    known_total: Option<i64>,
) -> ApiResult<Listed<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let clause = filter.clause();
    let sql = format!(
        "SELECT {columns} FROM {from}{clause} ORDER BY {sort} LIMIT {} OFFSET {}",
        paging.limit, paging.offset
    );
    let data = filter
        .bind(sqlx::query_as(&sql))
        .fetch_all(&state.db.pool)
        .await?;
    let total_count = match known_total {
        Some(total) => total,
        None => count(state, from, filter).await?,
    };
    Ok(Listed { data, total_count })
}

/// How many rows of `from` match `filter`.
async fn count(state: &AppState, from: &str, filter: &Filter) -> ApiResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {from}{}", filter.clause());
    let (total,): (i64,) = filter
        .bind(sqlx::query_as(&sql))
        .fetch_one(&state.db.pool)
        .await?;
    Ok(total)
}

/// One page rendered by the database as one JSON array of objects with `fields` (key,
/// expression), in `sort` order, and read back as `T`: sqlx hands rows over one at a time, and
/// one row of 100 objects costs far less than 100 rows (see BENCHMARKS.md, the member page).
async fn page_json<T: serde::de::DeserializeOwned>(
    state: &AppState,
    fields: &[(&str, &str)],
    from: &str,
    filter: &Filter,
    sort: &str,
    paging: Paging,
) -> ApiResult<Vec<T>> {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(key, expr)| format!("'{key}', {expr}"))
        .collect();
    let (pairs, clause) = (pairs.join(", "), filter.clause());
    let (limit, offset) = (paging.limit, paging.offset);
    let sql = match state.db.kind {
        Kind::Sqlite => format!(
            "SELECT json_group_array(json(item)) FROM (SELECT json_object({pairs}) AS item \
             FROM {from}{clause} ORDER BY {sort} LIMIT {limit} OFFSET {offset})"
        ),
        // The window follows the page's order, so the planner walks one index for both and
        // stops at the page's end.
        Kind::Postgres => format!(
            "SELECT COALESCE(json_agg(item ORDER BY ord)::text, '[]') FROM (\
             SELECT json_build_object({pairs}) AS item, ROW_NUMBER() OVER (ORDER BY {sort}) AS ord \
             FROM {from}{clause} ORDER BY {sort} LIMIT {limit} OFFSET {offset}) page"
        ),
    };
    let (items,): (String,) = filter
        .bind(sqlx::query_as(&sql))
        .fetch_one(&state.db.pool)
        .await?;
    serde_json::from_str(&items).map_err(|e| ApiError::Internal(e.into()))
}

/// `ORDER BY` for `order`, with `columns` mapping each allowed field to its column; ties go
/// by id in the same direction. `created_at` sorts by id: ids are time-ordered, and the id
/// indexes serve the order.
fn sort(order: OrderBy<'_>, columns: &[(&str, &str)], id: &str) -> String {
    let column = columns
        .iter()
        .find(|(field, _)| *field == order.field)
        .map_or(id, |(_, column)| column);
    let direction = if order.descending { "DESC" } else { "ASC" };
    if column == id || order.field == "created_at" {
        format!("{id} {direction}")
    } else {
        format!("{column} {direction}, {id} {direction}")
    }
}

/// The instance's organizations.
pub async fn organizations(
    state: &AppState,
    filter: &Filter,
    order: OrderBy<'_>,
    paging: Paging,
) -> ApiResult<Listed<OrgRecord>> {
    let columns = [
        ("created_at", "o.created_at"),
        ("name", "o.name"),
        ("members_count", "members_count"),
    ];
    let sort = sort(order, &columns, "o.id");
    page(state, ORG_COLUMNS, "organizations o", filter, &sort, paging).await
}

/// An organization's members, with the organization; asks the rule book like `/v1`'s member
/// list. Unfiltered, the total is the organization's member count, read with it.
pub async fn members(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    filter: &mut Filter,
    order: OrderBy<'_>,
    paging: Paging,
) -> ApiResult<(OrgRecord, Listed<MemberRecord>)> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ListMembers)?;
    let org = crate::service::instance::organization(state, org_id.as_str()).await?;
    let known_total = filter.is_empty().then_some(org.members_count);
    filter.equals("m.org_id", org_id.as_str());
    let columns = [
        ("created_at", "m.created_at"),
        ("email_address", "u.email"),
        ("first_name", "u.name"),
        ("last_name", "u.name"),
        ("username", "u.email"),
        ("phone_number", "m.created_at"),
    ];
    let sort = sort(order, &columns, "m.id");
    let from = "memberships m JOIN users u ON u.id = m.user_id";
    let data = page_json(state, MEMBER_FIELDS, from, filter, &sort, paging).await?;
    let total_count = match known_total {
        Some(total) => total,
        None => count(state, from, filter).await?,
    };
    Ok((org, Listed { data, total_count }))
}

/// A user's memberships, newest first.
pub async fn memberships_of(
    state: &AppState,
    user_id: &str,
    paging: Paging,
) -> ApiResult<Listed<MemberRecord>> {
    super::user(state, user_id).await?;
    let mut filter = Filter::default();
    filter.equals("m.user_id", user_id);
    let from = "memberships m JOIN users u ON u.id = m.user_id";
    let sort = "m.id DESC";
    page(state, MEMBER_COLUMNS, from, &filter, sort, paging).await
}

/// An organization's invitations (every status unless filtered); asks the rule book like
/// `/v1`'s invitation list.
pub async fn invitations(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    filter: &mut Filter,
    order: OrderBy<'_>,
    paging: Paging,
) -> ApiResult<Listed<InvitationRecord>> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ListInvitations)?;
    crate::service::instance::organization(state, org_id.as_str()).await?;
    filter.equals("i.org_id", org_id.as_str());
    let sort = sort(order, &[("created_at", "i.created_at")], "i.id");
    let from = "invitations i JOIN organizations o ON o.id = i.org_id";
    page(state, INVITATION_COLUMNS, from, filter, &sort, paging).await
}

/// The invitations sent to a user's address, in every organization.
pub async fn invitations_of(
    state: &AppState,
    user_id: &str,
    filter: &mut Filter,
    paging: Paging,
) -> ApiResult<Listed<InvitationRecord>> {
    let user = super::user(state, user_id).await?;
    filter.equals("i.email", &user.email);
    let from = "invitations i JOIN organizations o ON o.id = i.org_id";
    let sort = "i.id DESC";
    page(state, INVITATION_COLUMNS, from, filter, sort, paging).await
}

/// The instance's users.
pub async fn users(
    state: &AppState,
    filter: &Filter,
    order: OrderBy<'_>,
    paging: Paging,
) -> ApiResult<Listed<UserRecord>> {
    let columns = [
        ("created_at", "u.created_at"),
        ("updated_at", "u.created_at"),
        ("email_address", "u.email"),
        ("first_name", "u.name"),
        ("last_name", "u.name"),
        ("username", "u.email"),
    ];
    let sort = sort(order, &columns, "u.id");
    page(state, USER_COLUMNS, "users u", filter, &sort, paging).await
}

/// How many users match `filter`.
pub async fn count_users(state: &AppState, filter: &Filter) -> ApiResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM users u{}", filter.clause());
    let (count,): (i64,) = filter
        .bind(sqlx::query_as(&sql))
        .fetch_one(&state.db.pool)
        .await?;
    Ok(count)
}
