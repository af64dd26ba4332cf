//! Requests to join an organization. Every path that asks to be let in (a user's own request,
//! an invite link that requires approval, acting on a domain suggestion) files one through
//! [`file_pending`], inside the transaction that locks the organization.

use super::{audit, begin_org_write, check, finish_page, page_request, role_for_read, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::mail::Email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::service::memberships::wire_json;
use crate::service::rows::{MemberRow, MEMBER_COLUMNS};
use crate::state::AppState;
use crate::token::{new_id, now};
use crate::webhooks::{self, emit};
use orgkit_core::join_request::{self as rules, FileFacts, JoinRequestStatus};
use orgkit_core::policy::Action;
use orgkit_core::wire::{JoinRequest, Membership, Page, PublicUserData};
use orgkit_core::{
    ErrorCode, EventType, InviteLinkId, JoinRequestId, MembershipId, OrganizationId, Permission,
    Role, RoleCatalog, Timestamp, UserId,
};

/// How a join request came to be (the `source` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinRequestSource<'a> {
    /// The user asked, from the organization's page.
    Request,
    /// The user accepted an invite link that requires approval.
    Link(&'a InviteLinkId),
    /// The user acted on a suggestion from a verified domain.
    Suggestion,
}

impl JoinRequestSource<'_> {
    /// The stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            JoinRequestSource::Request => "request",
            JoinRequestSource::Link(_) => "link",
            JoinRequestSource::Suggestion => "suggestion",
        }
    }
}

/// What a new pending request holds.
pub struct NewJoinRequest<'a> {
    pub org_id: &'a OrganizationId,
    pub user_id: &'a UserId,
    pub message: Option<&'a str>,
    pub source: JoinRequestSource<'a>,
    /// The role proposed (a link's role); `None` means the organization's default role.
    pub role: Option<&'a str>,
    pub at: Timestamp,
}

/// Files a pending join request. The caller holds the organization's lock and has asked the
/// rule book; a second pending request of the same user is refused with `already_requested`
/// (backed by the unique index `join_requests_one_pending`).
pub async fn file_pending(tx: &mut Tx, new: NewJoinRequest<'_>) -> ApiResult<JoinRequestId> {
    let id = JoinRequestId(new_id(JoinRequestId::PREFIX));
    let link_id = match new.source {
        JoinRequestSource::Link(link) => Some(link.as_str()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO join_requests (id, org_id, user_id, message, source, link_id, role, status, \
         pending, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 1, $8)",
    )
    .bind(id.as_str())
    .bind(new.org_id.as_str())
    .bind(new.user_id.as_str())
    .bind(new.message)
    .bind(new.source.as_str())
    .bind(link_id)
    .bind(new.role)
    .bind(new.at.millis())
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ApiError::new(
                ErrorCode::AlreadyRequested,
                "You already asked to join this organization.",
            )
        } else {
            e.into()
        }
    })?;
    notify_admins(tx, &new).await?;
    Ok(id)
}

/// How many admins hear of one new request, at most (the first by membership).
pub const MAX_NOTIFIED_ADMINS: i64 = 20;

/// Queues the "new request" email to the holders of `org:requests:manage` (the first
/// [`MAX_NOTIFIED_ADMINS`]), in the transaction that files the request.
async fn notify_admins(tx: &mut Tx, new: &NewJoinRequest<'_>) -> ApiResult<()> {
    // The built-in catalog is the server's (`AppState::catalog`); a per-organization catalog
    // would be read here.
    let managers: Vec<&str> = RoleCatalog::built_in()
        .roles()
        .iter()
        .filter(|r| r.permissions.contains(Permission::RequestsManage))
        .map(|r| r.key)
        .collect();
    if managers.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..managers.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT u.email, o.name FROM memberships m JOIN users u ON u.id = m.user_id \
         JOIN organizations o ON o.id = m.org_id \
         WHERE m.org_id = $1 AND m.role IN ({}) ORDER BY m.id LIMIT $2",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql)
        .bind(new.org_id.as_str())
        .bind(MAX_NOTIFIED_ADMINS);
    for role in &managers {
        query = query.bind(*role);
    }
    let admins: Vec<(String, String)> = query.fetch_all(&mut **tx).await?;
    if admins.is_empty() {
        return Ok(());
    }
    let (name, email): (String, String) =
        sqlx::query_as("SELECT name, email FROM users WHERE id = $1")
            .bind(new.user_id.as_str())
            .fetch_one(&mut **tx)
            .await?;
    for (to, org_name) in admins {
        let mail = request_email(&to, &org_name, &name, &email, new.message);
        enqueue_mail(tx, &mail, Some(new.org_id.as_str())).await?;
    }
    Ok(())
}

/// The email telling an admin of a new request.
fn request_email(to: &str, org: &str, name: &str, email: &str, message: Option<&str>) -> Email {
    let message = message.map_or_else(String::new, |m| format!("\nTheir message:\n{m}\n"));
    Email {
        to: to.to_owned(),
        subject: format!("{name} asks to join {org}"),
        body: format!(
            "{name} <{email}> asks to join {org}.\n{message}\nAccept or reject the request on the organization's Requests page.\n"
        ),
        link: None,
    }
}

/// The email telling the requester of the decision.
fn decision_email(to: &str, org: &str, accepted: bool) -> Email {
    let (subject, body) = if accepted {
        (
            format!("You are now a member of {org}"),
            format!("Your request to join {org} was accepted.\n"),
        )
    } else {
        (
            format!("Your request to join {org}"),
            format!("Your request to join {org} was not accepted.\n"),
        )
    };
    Email {
        to: to.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// A join request joined with its requester and organization.
#[derive(Debug, sqlx::FromRow)]
struct RequestRow {
    #[sqlx(try_from = "String")]
    id: JoinRequestId,
    #[sqlx(try_from = "String")]
    org_id: OrganizationId,
    org_name: String,
    org_slug: String,
    #[sqlx(try_from = "String")]
    user_id: UserId,
    email: String,
    name: String,
    message: Option<String>,
    source: String,
    role: Option<String>,
    status: String,
    pending: i64,
    created_at: i64,
    decided_at: Option<i64>,
}

const REQUEST_COLUMNS: &str = "r.id, r.org_id, o.name AS org_name, o.slug AS org_slug, r.user_id, \
     u.email, u.name, r.message, r.source, r.role, r.status, r.pending, r.created_at, r.decided_at";
const REQUEST_FROM: &str = "FROM join_requests r JOIN users u ON u.id = r.user_id \
     JOIN organizations o ON o.id = r.org_id";

impl RequestRow {
    fn status(&self) -> JoinRequestStatus {
        JoinRequestStatus::parse(&self.status).unwrap_or(JoinRequestStatus::Withdrawn)
    }

    /// The keyset cursor of this row: its `pending` flag, then its id.
    fn cursor(&self) -> String {
        format!("{}{}", self.pending, self.id)
    }

    fn into_wire(self) -> JoinRequest {
        let status = self.status();
        JoinRequest {
            id: self.id,
            organization_id: self.org_id,
            organization_name: self.org_name,
            organization_slug: self.org_slug,
            public_user_data: PublicUserData {
                user_id: self.user_id,
                identifier: self.email,
                name: self.name,
            },
            message: self.message,
            source: rules::JoinRequestSource::parse(&self.source)
                .unwrap_or(rules::JoinRequestSource::Request),
            role: self.role.map(Role),
            status,
            created_at: self.created_at.into(),
            decided_at: self.decided_at.map(Timestamp::from),
        }
    }
}

async fn read(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: &JoinRequestId,
) -> ApiResult<Option<RequestRow>> {
    let sql = format!("SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(id.as_str())
        .fetch_optional(executor)
        .await?)
}

fn request_not_found() -> ApiError {
    ApiError::not_found("Join request")
}

/// The organization named by a slug or an id, with its setting.
async fn find_org(state: &AppState, key: &str) -> ApiResult<(OrganizationId, bool)> {
    let column = if OrganizationId::is_well_formed(key) {
        "id"
    } else {
        "slug"
    };
    let sql = format!("SELECT id, allow_join_requests FROM organizations WHERE {column} = $1");
    let row: Option<(String, i64)> = sqlx::query_as(&sql)
        .bind(key.trim())
        .fetch_optional(&state.db.pool)
        .await?;
    let (id, allow) = row.ok_or_else(|| ApiError::not_found("Organization"))?;
    Ok((OrganizationId(id), allow != 0))
}

/// Counts one request filed by me (each mails the organization's admins): at most the
/// per-address mail limit a minute.
async fn limit_filing(state: &AppState, me: &CurrentUser) -> ApiResult<()> {
    let limit = Limit {
        keys: vec![format!("join_request:{}", me.id())],
        cost: 1,
        limit: state.config.mail_to_address_limit_per_minute,
    };
    state.limiter.check_all(&[limit], now().millis()).await
}

/// Asks to join the organization `organization` (a slug or an id).
pub async fn file(
    state: &AppState,
    me: &CurrentUser,
    organization: &str,
    message: Option<&str>,
) -> ApiResult<JoinRequest> {
    let message = rules::message(message)?;
    let (org_id, allows) = find_org(state, organization).await?;
    // A closed organization answers before anything is counted or locked.
    if !allows {
        rules::check_file(FileFacts {
            allows_requests: false,
            email_verified: me.user.email_verified,
            already_member: false,
            already_requested: false,
        })?;
    }
    let mut tx = state.db.begin_write().await?;
    let locked = state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    let facts: (i64, Option<String>) = sqlx::query_as(
        "SELECT o.allow_join_requests, (SELECT r.id FROM join_requests r WHERE r.org_id = o.id \
         AND r.user_id = $2 AND r.status = 'pending') FROM organizations o WHERE o.id = $1",
    )
    .bind(org_id.as_str())
    .bind(me.id().as_str())
    .fetch_one(&mut *tx)
    .await?;
    rules::check_file(FileFacts {
        allows_requests: facts.0 != 0,
        email_verified: me.user.email_verified,
        already_member: locked.my_role.is_some(),
        already_requested: facts.1.is_some(),
    })?;
    limit_filing(state, me).await?;
    let id = file_pending(
        &mut tx,
        NewJoinRequest {
            org_id: &org_id,
            user_id: me.id(),
            message: message.as_deref(),
            source: JoinRequestSource::Request,
            role: None,
            at: now(),
        },
    )
    .await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "join_request.filed",
        subject: id.as_str(),
        detail: &me.user.email_address,
    };
    audit(&mut tx, event).await?;
    let row = read(&mut *tx, &id).await?.ok_or_else(request_not_found)?;
    tx.commit().await?;
    state.queue.wake();
    Ok(row.into_wire())
}

/// My join requests, newest first (the latest 100).
pub async fn mine(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<JoinRequest>> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 100"
    );
    let rows: Vec<RequestRow> = sqlx::query_as(&sql)
        .bind(me.id().as_str())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.into_iter().map(RequestRow::into_wire).collect())
}

/// The organization of a request, before locking it.
async fn org_of(state: &AppState, id: &JoinRequestId) -> ApiResult<OrganizationId> {
    let row: Option<(String,)> = sqlx::query_as("SELECT org_id FROM join_requests WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(OrganizationId(row.ok_or_else(request_not_found)?.0))
}

/// Marks a pending request decided.
async fn decide(
    tx: &mut Tx,
    id: &JoinRequestId,
    status: JoinRequestStatus,
    role: Option<&str>,
    by: &UserId,
    at: Timestamp,
) -> ApiResult<()> {
    sqlx::query(
        "UPDATE join_requests SET status = $1, pending = 0, role = COALESCE($2, role), \
         decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(role)
    .bind(by.as_str())
    .bind(at.millis())
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Withdraws my pending request.
pub async fn withdraw(
    state: &AppState,
    me: &CurrentUser,
    id: &JoinRequestId,
) -> ApiResult<JoinRequest> {
    let org_id = org_of(state, id).await?;
    let mut tx = state.db.begin_write().await?;
    state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?;
    let row = read(&mut *tx, id).await?.ok_or_else(request_not_found)?;
    rules::check_withdraw(me.id(), &row.user_id, row.status())?;
    let at = now();
    decide(&mut tx, id, JoinRequestStatus::Withdrawn, None, me.id(), at).await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "join_request.withdrawn",
        subject: id.as_str(),
        detail: &me.user.email_address,
    };
    audit(&mut tx, event).await?;
    let row = read(&mut *tx, id).await?.ok_or_else(request_not_found)?;
    tx.commit().await?;
    Ok(row.into_wire())
}

/// One page of an organization's requests: pending first, newest first within each group,
/// keyset-paged over the index `(org_id, pending, id)`.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    status: Option<JoinRequestStatus>,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<JoinRequest>> {
    let (limit, after) = page_request(limit, after, rules::is_list_cursor)?;
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ListJoinRequests)?;
    // Row comparisons over the index's columns bound the walk on both sides, so the index
    // seeks to the cursor and a page costs the same at any depth: below the cursor (the first
    // page starts above every row, at pending 2) and, for a status, within its block (pending
    // rows are those at or above `(1, '')`).
    let (mut below_pending, mut below_id) = if after.is_empty() {
        (2_i64, "")
    } else {
        (i64::from(after.starts_with('1')), &after[1..])
    };
    let (from_pending, status_filter) = match status {
        None => (0_i64, ""),
        Some(JoinRequestStatus::Pending) => (1, ""),
        Some(_) => {
            if below_pending >= 1 {
                (below_pending, below_id) = (1, "");
            }
            (0, " AND r.status = $5")
        }
    };
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.org_id = $1 \
         AND (r.pending, r.id) < ($2, $3) AND (r.pending, r.id) >= ($4, ''){status_filter} \
         ORDER BY r.pending DESC, r.id DESC LIMIT {}",
        limit + 1
    );
    let mut query = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(below_pending)
        .bind(below_id)
        .bind(from_pending);
    if let Some(s) = status.filter(|s| *s != JoinRequestStatus::Pending) {
        query = query.bind(s.as_str());
    }
    let rows: Vec<RequestRow> = query.fetch_all(&state.db.pool).await?;
    // `finish_page` takes the cursor from an id accessor; ours carries the pending flag too.
    let cursors: Vec<String> = rows.iter().map(RequestRow::cursor).collect();
    let mut page = finish_page(rows, limit, |r| r.id.as_str(), RequestRow::into_wire);
    if page.next_cursor.is_some() {
        page.next_cursor = cursors.get(limit as usize - 1).cloned();
    }
    Ok(page)
}

/// A request of `org_id`, read under the organization's lock.
async fn read_in_org(
    tx: &mut Tx,
    org_id: &OrganizationId,
    id: &JoinRequestId,
) -> ApiResult<RequestRow> {
    read(&mut **tx, id)
        .await?
        .filter(|r| &r.org_id == org_id)
        .ok_or_else(request_not_found)
}

/// Counts the decision email to the requester (`Limit::mail_to`).
async fn limit_mail_to(state: &AppState, address: &str) -> ApiResult<()> {
    let limit = Limit::mail_to(address, state.config.mail_to_address_limit_per_minute);
    state.limiter.check_all(&[limit], now().millis()).await
}

/// Accepts a pending request with `role` (default: the one proposed, else the default role):
/// the requester becomes a member, in one transaction.
pub async fn accept(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &JoinRequestId,
    role: Option<&str>,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = read_in_org(&mut tx, org_id, id).await?;
    let granted = rules::accept_role(role, row.role.as_deref()).to_owned();
    let member: Option<(String,)> =
        sqlx::query_as("SELECT id FROM memberships WHERE org_id = $1 AND user_id = $2")
            .bind(org_id.as_str())
            .bind(row.user_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let action = Action::AcceptJoinRequest {
        status: row.status(),
        role: &granted,
        already_member: member.is_some(),
    };
    check(state, me.id(), locked.my_role.as_deref(), action)?;
    limit_mail_to(state, &row.email).await?;
    let at = now();
    sqlx::query(
        "INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id(MembershipId::PREFIX))
    .bind(org_id.as_str())
    .bind(row.user_id.as_str())
    .bind(&granted)
    .bind(at.millis())
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ApiError::new(ErrorCode::AlreadyMember, "This person is already a member.")
        } else {
            e.into()
        }
    })?;
    decide(
        &mut tx,
        id,
        JoinRequestStatus::Accepted,
        Some(&granted),
        me.id(),
        at,
    )
    .await?;
    let detail = format!("{} as {granted}", row.email);
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "join_request.accepted",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.user_id = $2"
    );
    let membership: MemberRow = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(row.user_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let membership = membership.into_wire(None);
    enqueue_mail(
        &mut tx,
        &decision_email(&row.email, &locked.name, true),
        Some(org_id.as_str()),
    )
    .await?;
    let queued = emit(
        &mut tx,
        org_id,
        EventType::MembershipCreated,
        wire_json(&membership)?,
        at,
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    state.queue.wake();
    Ok(membership)
}

/// Rejects a pending request.
pub async fn reject(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &JoinRequestId,
) -> ApiResult<JoinRequest> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = read_in_org(&mut tx, org_id, id).await?;
    let action = Action::RejectJoinRequest {
        status: row.status(),
    };
    check(state, me.id(), locked.my_role.as_deref(), action)?;
    limit_mail_to(state, &row.email).await?;
    let at = now();
    decide(&mut tx, id, JoinRequestStatus::Rejected, None, me.id(), at).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "join_request.rejected",
        subject: id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    enqueue_mail(
        &mut tx,
        &decision_email(&row.email, &locked.name, false),
        Some(org_id.as_str()),
    )
    .await?;
    let row = read_in_org(&mut tx, org_id, id).await?;
    tx.commit().await?;
    state.queue.wake();
    Ok(row.into_wire())
}
