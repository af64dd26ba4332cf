//! Invite links: the organization's side (create, list, reset, revoke) and the joiner's
//! (preview, accept). The token is 256 random bits, answered once, stored as its SHA-256 hash.
//!
//! Accepting counts a use inside the transaction that locks the organization, so a link with
//! `n` uses left lets exactly `n` people in however many accept at once. A link that requires
//! approval counts a use when it files the join request (a one-use link files one request).
//!
//! [`admin`] holds the organization's side, [`joiner`] the joiner's.

mod admin;
mod joiner;

pub use admin::{create, list, reset, revoke};
pub use joiner::{accept, preview};

use orgkit_core::link::{LinkOptions, LinkState};
use orgkit_core::wire::InviteLink;
use orgkit_core::{InviteLinkId, OrganizationId, Role, Timestamp, UserId};

const COLUMNS: &str = "l.id, l.org_id, l.role, l.requires_approval, l.max_uses, l.uses, \
    l.expires_at, l.revoked_at, l.created_by, l.created_at";

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: String,
    org_id: String,
    role: String,
    requires_approval: i64,
    max_uses: Option<i64>,
    uses: i64,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
    created_by: String,
    created_at: i64,
}

impl LinkRow {
    fn state(&self) -> LinkState {
        LinkState {
            revoked: self.revoked_at.is_some(),
            expires_at: self.expires_at.map(Timestamp),
            max_uses: self
                .max_uses
                .map(|n| n.clamp(0, i64::from(u32::MAX)) as u32),
            uses: self.uses.clamp(0, i64::from(u32::MAX)) as u32,
        }
    }

    fn into_wire(self, now: Timestamp) -> InviteLink {
        let state = self.state();
        InviteLink {
            id: InviteLinkId(self.id),
            organization_id: OrganizationId(self.org_id),
            role: Role(self.role),
            status: state.status(now),
            requires_approval: self.requires_approval != 0,
            max_uses: state.max_uses,
            uses: state.uses,
            expires_at: state.expires_at,
            created_by: UserId(self.created_by),
            created_at: Timestamp(self.created_at),
            token: None,
            url: None,
        }
    }
}

/// A new link's options, checked by the rule book.
pub struct NewLink<'a> {
    pub role: &'a str,
    pub options: LinkOptions,
}
