//! The roster (one list of an organization's people: joined, invited, requested) and bulk
//! removal: who sees which kind, the roster's cursor and search text, and how a batch of
//! removals is decided as a whole.

use crate::error::{DomainError, ErrorCode};
use crate::ids::{InvitationId, JoinRequestId, MembershipId, UserId};
use crate::permission::Permission;
use crate::policy::Actor;
use crate::role::RoleCatalog;
use serde::{Deserialize, Serialize};

/// The most members one bulk removal may name.
pub const MAX_BULK_REMOVAL: usize = 100;

/// The longest roster search text, in characters (an email address's bound).
pub const MAX_ROSTER_QUERY: usize = 254;

/// Where a person on the roster stands.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RosterStatus {
    /// A member.
    Joined,
    /// Invited by email; the invitation is pending and not expired.
    Invited,
    /// Asked to join; the request is pending.
    Requested,
}

impl RosterStatus {
    /// Every status, in declaration order.
    pub const ALL: [RosterStatus; 3] = [
        RosterStatus::Joined,
        RosterStatus::Invited,
        RosterStatus::Requested,
    ];

    /// The wire form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            RosterStatus::Joined => "joined",
            RosterStatus::Invited => "invited",
            RosterStatus::Requested => "requested",
        }
    }

    /// Parses the wire form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The permission that shows people of this status.
    #[must_use]
    pub const fn permission(self) -> Permission {
        match self {
            RosterStatus::Joined => Permission::MembershipsRead,
            RosterStatus::Invited => Permission::InvitationsManage,
            RosterStatus::Requested => Permission::RequestsManage,
        }
    }

    /// Whether `id` has the shape of this status's ids (`mem_`, `inv_`, `jrq_`).
    #[must_use]
    pub fn owns_id(self, id: &str) -> bool {
        match self {
            RosterStatus::Joined => MembershipId::is_well_formed(id),
            RosterStatus::Invited => InvitationId::is_well_formed(id),
            RosterStatus::Requested => JoinRequestId::is_well_formed(id),
        }
    }
}

/// Which statuses `actor` gets when asking for `asked` (empty: every status they may see).
/// Non-members get `not_found`; asking for a status one may not see is `forbidden`, and so is
/// seeing none at all.
pub fn roster_statuses(
    catalog: &RoleCatalog,
    actor: Actor<'_>,
    asked: &[RosterStatus],
) -> Result<Vec<RosterStatus>, DomainError> {
    let Some(roles) = actor.roles else {
        return Err(DomainError::new(
            ErrorCode::NotFound,
            "Organization not found.",
        ));
    };
    let held = catalog.permissions_of(roles)?;
    let visible = |s: &RosterStatus| held.contains(s.permission());
    let forbidden = |message| Err(DomainError::new(ErrorCode::Forbidden, message));
    if asked.is_empty() {
        let all: Vec<RosterStatus> = RosterStatus::ALL.into_iter().filter(visible).collect();
        return if all.is_empty() {
            forbidden("You cannot see this organization's people.")
        } else {
            Ok(all)
        };
    }
    if let Some(hidden) = asked.iter().find(|s| !visible(s)) {
        return forbidden(match hidden {
            RosterStatus::Joined => "You cannot see this organization's members.",
            RosterStatus::Invited => "Only an admin can see pending invitations.",
            RosterStatus::Requested => "Only an admin can see requests to join.",
        });
    }
    Ok(RosterStatus::ALL
        .into_iter()
        .filter(|s| asked.contains(s))
        .collect())
}

/// Parses a comma-separated status filter (`joined,invited`); blank means none.
pub fn parse_statuses(raw: &str) -> Result<Vec<RosterStatus>, DomainError> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            RosterStatus::parse(s).ok_or(DomainError::new(
                ErrorCode::ValidationFailed,
                "The status filter takes joined, invited and requested.",
            ))
        })
        .collect()
}

/// The search text: trimmed, with ASCII lowercased (names and addresses match
/// case-insensitively by prefix; the server lowercases the rest, which the SDK need not carry
/// Unicode's tables for); `None` when blank.
pub fn roster_query(raw: &str) -> Result<Option<String>, DomainError> {
    let q = raw.trim();
    if q.chars().count() > MAX_ROSTER_QUERY || q.chars().any(char::is_control) {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The search text is too long or holds control characters.",
        ));
    }
    Ok((!q.is_empty()).then(|| q.to_ascii_lowercase()))
}

/// A position in the roster, which is ordered by lower-cased email address, then id. On the
/// wire it is `<id>.<the address in lowercase hex>`, so it needs no escaping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterCursor {
    pub email: String,
    pub id: String,
}

impl RosterCursor {
    /// The wire form.
    #[must_use]
    pub fn encode(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(self.id.len() + 1 + self.email.len() * 2);
        out.push_str(&self.id);
        out.push('.');
        for b in self.email.bytes() {
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
        out
    }

    /// Parses the wire form; `validation_failed` when it is not one.
    pub fn decode(raw: &str) -> Result<Self, DomainError> {
        const BAD: DomainError =
            DomainError::new(ErrorCode::ValidationFailed, "The cursor is not valid.");
        let (id, hex) = raw.split_once('.').ok_or(BAD)?;
        if !RosterStatus::ALL.into_iter().any(|s| s.owns_id(id))
            || hex.is_empty()
            || hex.len() % 2 != 0
            || hex.len() > 2 * 254
        {
            return Err(BAD);
        }
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let bytes: Option<Vec<u8>> = hex
            .as_bytes()
            .chunks(2)
            .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
            .collect();
        // Addresses are ASCII (`validate::email`); any other byte is still a position.
        let email = bytes.ok_or(BAD)?.into_iter().map(char::from).collect();
        Ok(RosterCursor {
            email,
            id: id.to_owned(),
        })
    }
}

/// Checks the ids of a bulk removal: 1 to [`MAX_BULK_REMOVAL`] well-formed user ids.
pub fn check_bulk_removal_ids(ids: &[&str]) -> Result<(), DomainError> {
    let bad = |message| Err(DomainError::new(ErrorCode::ValidationFailed, message));
    if ids.is_empty() || ids.len() > MAX_BULK_REMOVAL {
        return bad("Name 1 to 100 members to remove.");
    }
    if !ids.iter().all(|id| UserId::is_well_formed(id)) {
        return bad("Every member is named by a user id (user_…).");
    }
    Ok(())
}

/// One member named in a bulk removal, as found in the organization.
#[derive(Debug, Clone, Copy)]
pub struct BulkTarget<'a> {
    /// The member's user id, as named in the request.
    pub user_id: &'a str,
    /// The member's roles, or `None` when they are not a member.
    pub roles: Option<&'a [&'a str]>,
}

/// Decides a bulk removal as a whole. Without `org:memberships:manage` the whole request is
/// refused (`forbidden`; non-members get `not_found`). Otherwise each target gets its own
/// answer, in order: `not_found` when not a member (or named earlier in the batch), `last_admin` when removing them would leave
/// no admin after the removals granted before it in the batch, else allowed. `admin_count` is
/// the number of admins now, or `None` when unknown (the SDK: the server decides that part).
pub fn plan_bulk_removal(
    catalog: &RoleCatalog,
    actor: Actor<'_>,
    targets: &[BulkTarget<'_>],
    admin_count: Option<u64>,
) -> Result<Vec<Result<(), DomainError>>, DomainError> {
    let Some(roles) = actor.roles else {
        return Err(DomainError::new(
            ErrorCode::NotFound,
            "Organization not found.",
        ));
    };
    if !catalog
        .permissions_of(roles)?
        .contains(Permission::MembershipsManage)
    {
        return Err(DomainError::new(
            ErrorCode::Forbidden,
            "Only an admin can remove members.",
        ));
    }
    let mut admins = admin_count;
    Ok(targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            const NOT_FOUND: DomainError =
                DomainError::new(ErrorCode::NotFound, "Not a member of this organization.");
            let roles = t.roles.ok_or(NOT_FOUND)?;
            if targets[..i]
                .iter()
                .any(|earlier| earlier.user_id == t.user_id)
            {
                return Err(NOT_FOUND);
            }
            if catalog.holds_admin(roles) {
                match admins {
                    Some(n) if n <= 1 => {
                        return Err(DomainError::new(
                            ErrorCode::LastAdmin,
                            "An organization must keep at least one admin.",
                        ))
                    }
                    Some(n) => admins = Some(n - 1),
                    None => {}
                }
            }
            Ok(())
        })
        .collect())
}

#[cfg(test)]
mod tests;
