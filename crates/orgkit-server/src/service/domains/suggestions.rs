//! Suggestions: organizations with a verified domain in `automatic_suggestion` mode at my
//! verified address's domain, and acting on one (a join request).

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::join_requests::{file_pending, JoinRequestSource, NewJoinRequest};
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::domain::{self};
use orgkit_core::wire::{DomainSuggestion, SuggestionAccepted};
use orgkit_core::{DomainId, ErrorCode, OrganizationId};

/// Organizations I could ask to join: a verified domain in `automatic_suggestion` mode at my
/// verified address's domain, where I am not a member and have no pending request.
pub async fn suggestions(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<DomainSuggestion>> {
    let Some(name) =
        domain::email_domain(&me.user.email_address).filter(|_| me.user.email_verified)
    else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(SUGGESTIONS)
        .bind(name)
        .bind(me.id().as_str())
        .bind("")
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(domain_id, domain_name, org_id, org_name, slug)| DomainSuggestion {
                domain_id: DomainId(domain_id),
                domain_name,
                organization_id: OrganizationId(org_id),
                organization_name: org_name,
                organization_slug: slug,
            },
        )
        .collect())
}

/// `$1` the domain, `$2` me, `$3` one domain id or `""` for all.
const SUGGESTIONS: &str = "SELECT d.id, d.name, o.id, o.name, o.slug FROM org_domains d \
    JOIN organizations o ON o.id = d.org_id \
    WHERE d.name = $1 AND d.verified = 1 AND d.enrollment_mode = 'automatic_suggestion' \
      AND ($3 = '' OR d.id = $3) \
      AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = d.org_id AND m.user_id = $2) \
      AND NOT EXISTS (SELECT 1 FROM join_requests r WHERE r.org_id = d.org_id AND r.user_id = $2 \
        AND r.status = 'pending') \
    ORDER BY d.id";

/// Acts on a suggestion: files a join request (source `suggestion`) for the admins to decide.
pub async fn accept_suggestion(
    state: &AppState,
    me: &CurrentUser,
    domain_id: &DomainId,
) -> ApiResult<SuggestionAccepted> {
    let not_found = || ApiError::not_found("Suggestion");
    let name = domain::email_domain(&me.user.email_address)
        .filter(|_| me.user.email_verified)
        .ok_or_else(not_found)?;
    let org: Option<(String,)> = sqlx::query_as("SELECT org_id FROM org_domains WHERE id = $1")
        .bind(domain_id.as_str())
        .fetch_optional(&state.db.pool)
        .await?;
    let org_id = OrganizationId(org.ok_or_else(not_found)?.0);
    let mut tx = state.db.begin_write().await?;
    state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?
        .ok_or_else(not_found)?;
    let pending: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM join_requests WHERE org_id = $1 AND user_id = $2 AND status = 'pending'",
    )
    .bind(org_id.as_str())
    .bind(me.id().as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if pending.is_some() {
        return Err(ApiError::new(
            ErrorCode::AlreadyRequested,
            "You already asked to join this organization.",
        ));
    }
    let found: Vec<(String, String, String, String, String)> = sqlx::query_as(SUGGESTIONS)
        .bind(name)
        .bind(me.id().as_str())
        .bind(domain_id.as_str())
        .fetch_all(&mut *tx)
        .await?;
    if found.is_empty() {
        let member: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2")
                .bind(org_id.as_str())
                .bind(me.id().as_str())
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match member {
            Some(_) => ApiError::new(ErrorCode::AlreadyMember, "You are already a member."),
            None => not_found(),
        });
    }
    let at = now();
    let join_request_id = file_pending(
        state,
        &mut tx,
        NewJoinRequest {
            org_id: &org_id,
            user_id: me.id(),
            message: None,
            source: JoinRequestSource::Suggestion,
            role: None,
            at,
        },
    )
    .await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "join_request.filed",
        subject: join_request_id.as_str(),
        detail: "suggestion",
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    // file_pending queued the admins' email.
    state.queue.wake();
    Ok(SuggestionAccepted {
        join_request_id,
        organization_id: org_id,
    })
}
