//! Creating an organization: its first admin and owner joins it in the same transaction, on
//! SQLite's writer thread when it runs (one hand-off), else on sqlx's connection (on
//! PostgreSQL, one replay call when it can).

use super::slug_conflict;
use crate::auth::CurrentUser;
use crate::db::writer::block_on;
use crate::db::{p, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::service::rows::OrgRow;
use crate::service::{audit, is_instance_key, limits, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id, now};
use orgkit_core::wire::{CreateOrganizationRequest, Organization};
use orgkit_core::{validate, ErrorCode, MembershipId, OrganizationId, Role, Timestamp, UserId};

/// The public and private metadata of an organization, a membership or an invitation: JSON
/// objects as text (the Clerk-compatible API's `public_metadata` and `private_metadata`).
#[derive(Debug, Clone)]
pub struct Metadata {
    pub public: String,
    pub private: String,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata {
            public: "{}".to_owned(),
            private: "{}".to_owned(),
        }
    }
}

/// Creates an organization; its creator becomes its admin and owner in the same transaction.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    req: CreateOrganizationRequest,
) -> ApiResult<Organization> {
    create_for(state, me, me.id(), req, &Metadata::default()).await
}

/// Creates an organization whose first admin is `owner`, with `metadata`, as `me` (the owner
/// itself, or an instance secret key), in one transaction.
pub async fn create_for(
    state: &AppState,
    me: &CurrentUser,
    owner: &UserId,
    req: CreateOrganizationRequest,
    metadata: &Metadata,
) -> ApiResult<Organization> {
    let name = validate::organization_name(&req.name)?;
    let explicit_slug = match req.slug.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(validate::slug(s)?),
        _ => None,
    };
    let new = NewOrg {
        id: OrganizationId(new_id(OrganizationId::PREFIX)),
        name,
        explicit_slug,
        owner: owner.clone(),
        at: now(),
        metadata: metadata.clone(),
    };
    // Only an instance secret key makes organizations for someone else.
    if owner != me.id() && !is_instance_key(me.id()) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Only an instance secret key creates organizations for another person.",
        ));
    }
    let org = if let Some(writer) = &state.db.lite_writer {
        let (st, me) = (state.clone(), me.clone());
        writer
            .run(move |tx| block_on(create_in(&st, tx, &me, &new)))
            .await?
    } else {
        transact!(state, |tx| create_in(state, tx, me, &new))
    };
    let catalog = std::sync::Arc::clone(state.role_catalogs.base());
    Ok(org.into_wire(state, &catalog, vec![Role::ADMIN.to_owned()], true))
}

/// What a new organization is made of, decided before its transaction.
struct NewOrg {
    id: OrganizationId,
    name: String,
    /// The slug asked for; `None`: the first free one suggested by the name.
    explicit_slug: Option<String>,
    owner: UserId,
    at: Timestamp,
    metadata: Metadata,
}

/// The body of [`create_for`], inside an open write transaction over either driver: the
/// limits, the owner's existence, the slug, the organization, its owner's membership and the
/// audit row. Answers the stored organization.
async fn create_in<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    me: &CurrentUser,
    new: &NewOrg,
) -> ApiResult<OrgRow> {
    let owner = new.owner.as_str();
    limits::check_create(state, tx, &new.owner).await?;
    if new.owner != *me.id() {
        tx.fetch_optional("SELECT id FROM users WHERE id = $1", &[p(owner)])
            .await?
            .ok_or_else(|| ApiError::not_found("User"))?;
    }
    let slug = match &new.explicit_slug {
        Some(slug) => slug.clone(),
        None => free_slug(tx, &validate::suggest_slug(&new.name)).await?,
    };
    let (id, at) = (new.id.as_str(), new.at.millis());
    tx.write(
        "INSERT INTO organizations (id, name, slug, created_by, created_at, updated_at, \
           public_metadata, private_metadata) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
        &[
            p(id),
            p(&new.name),
            p(&slug),
            p(owner),
            p(at),
            p(&new.metadata.public),
            p(&new.metadata.private),
        ],
    )
    .await
    .map_err(slug_conflict)?;
    tx.write(
        "INSERT INTO memberships (id, org_id, user_id, role, created_at, is_owner) \
         VALUES ($1, $2, $3, $4, $5, 1)",
        &[
            p(new_id(MembershipId::PREFIX)),
            p(id),
            p(owner),
            p(Role::ADMIN),
            p(at),
        ],
    )
    .await?;
    let event = AuditEntry {
        org_id: &new.id,
        actor: me,
        action: "organization.created",
        subject: id,
        detail: &new.name,
    };
    audit(tx, event).await?;
    Ok(OrgRow::created(
        new.id.clone(),
        new.name.clone(),
        slug,
        new.at,
    ))
}

/// Whether an organization uses `slug`.
async fn slug_exists<W: WriteTx + ?Sized>(tx: &mut W, slug: &str) -> ApiResult<bool> {
    let row = tx
        .fetch_optional("SELECT id FROM organizations WHERE slug = $1", &[p(slug)])
        .await?;
    Ok(row.is_some())
}

/// The first free slug among `base`, `base-2`, `base-3`, … (the suggestion, when none was given).
async fn free_slug<W: WriteTx + ?Sized>(tx: &mut W, base: &str) -> ApiResult<String> {
    for n in 1..=50u32 {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            let suffix = format!("-{n}");
            let keep = base.len().min(64 - suffix.len());
            format!("{}{suffix}", base[..keep].trim_end_matches('-'))
        };
        if !slug_exists(tx, &candidate).await? {
            return Ok(candidate);
        }
    }
    Ok(format!("{}-{}", &base[..base.len().min(40)], &new_id("")[14..]).to_ascii_lowercase())
}
