//! Requests to join an organization. Every path that asks to be let in (a user's own request,
//! an invite link that requires approval, acting on a domain suggestion) files one through
//! [`file_pending`], inside the transaction that locks the organization.

mod admin;
mod requester;

pub use admin::{accept, list, reject};
pub use requester::{file, mine, withdraw};

use super::{audit, begin_org_write, finish_page, page_request, AuditEntry};
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::mail::Email;
use crate::queue::enqueue_mail;
use crate::state::AppState;
use crate::token::new_id;
use orgkit_core::join_request::{self as rules, JoinRequestStatus};
use orgkit_core::wire::{JoinRequest, PublicUserData};
use orgkit_core::{
    ErrorCode, InviteLinkId, JoinRequestId, OrganizationId, Permission, Role, RoleCatalog,
    Timestamp, UserId,
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
pub async fn file_pending(
    state: &AppState,
    tx: &mut Tx,
    new: NewJoinRequest<'_>,
) -> ApiResult<JoinRequestId> {
    crate::service::limits::check_request(state, tx, new.user_id).await?;
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
    let catalog = RoleCatalog::built_in();
    let managers: Vec<&str> = catalog
        .roles()
        .iter()
        .filter(|r| r.permissions.contains(Permission::RequestsManage))
        .map(|r| r.key.as_str())
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
