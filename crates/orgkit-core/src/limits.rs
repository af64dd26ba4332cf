//! Limits and policies: how many organizations a person may create, "one organization per
//! account", and an organization's `maxAllowedMemberships` (Clerk's name; 0 or absent is
//! unlimited).
//!
//! The server reads the facts inside the transaction that adds the member (under the
//! organization's lock, and the person's), so concurrent joins into one free seat give one member.

use crate::error::{DomainError, ErrorCode};

#[cfg(test)]
mod tests;

/// The largest `maxAllowedMemberships` an organization may set.
pub const MAX_ALLOWED_MEMBERSHIPS_CEILING: u64 = 1_000_000;

/// The server's policies (its `--max-organizations-per-user` and
/// `--one-organization-per-account` flags).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// The most organizations one person may create; `None`: no limit.
    pub max_organizations_per_user: Option<u32>,
    /// A person belongs to at most one organization.
    pub one_organization_per_account: bool,
}

/// What a join decision needs, read in the joining transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinFacts {
    /// The person's memberships in any organization (the one joined excluded: they are not in it).
    pub memberships: u64,
    /// The organization's members that take a seat (suspended members do not).
    pub seated_members: u64,
    /// The organization's `maxAllowedMemberships`; 0 is unlimited.
    pub max_allowed_memberships: u64,
}

const ONE_ORGANIZATION: DomainError = DomainError::new(
    ErrorCode::OneOrganizationPerAccount,
    "This server allows one organization per account, and you already belong to one.",
);
const SEATS_FULL: DomainError = DomainError::new(
    ErrorCode::MembershipLimitReached,
    "This organization has reached its maximum number of members.",
);
const CREATED_ENOUGH: DomainError = DomainError::new(
    ErrorCode::OrganizationLimitReached,
    "You have created as many organizations as this server allows.",
);

/// Whether a person may join an organization (accepting an invitation, an invite link, an
/// accepted join request, SSO just in time, or a member added directly).
pub fn check_join(policy: Policy, facts: JoinFacts) -> Result<(), DomainError> {
    if policy.one_organization_per_account && facts.memberships > 0 {
        return Err(ONE_ORGANIZATION);
    }
    check_seat(facts.seated_members, facts.max_allowed_memberships)
}

/// How far the server must count an organization's seated members for [`check_seat`] (and so
/// [`check_join`]) to decide: `None` when it has no limit, else the limit itself, since a count
/// that stops there decides as the whole count does. A join then costs the same in an
/// organization of a million members as in one of ten.
pub fn seats_to_count(max_allowed_memberships: u64) -> Option<u64> {
    (max_allowed_memberships > 0).then_some(max_allowed_memberships)
}

/// How far the server must count a person's memberships for [`check_join`],
/// [`check_request`] and [`check_create`]'s "one organization per account": one, or none
/// without that policy.
pub fn memberships_to_count(policy: Policy) -> Option<u64> {
    policy.one_organization_per_account.then_some(1)
}

/// Whether one more member may take a seat: a suspended member's reactivation takes one too,
/// since suspended members do not count against `maxAllowedMemberships` (0 is unlimited).
pub fn check_seat(seated_members: u64, max_allowed_memberships: u64) -> Result<(), DomainError> {
    if max_allowed_memberships > 0 && seated_members >= max_allowed_memberships {
        return Err(SEATS_FULL);
    }
    Ok(())
}

/// Whether a person may ask to join (file a join request): not when they could never join
/// under "one organization per account".
pub fn check_request(policy: Policy, memberships: u64) -> Result<(), DomainError> {
    if policy.one_organization_per_account && memberships > 0 {
        return Err(ONE_ORGANIZATION);
    }
    Ok(())
}

/// Whether a person who created `created` organizations and belongs to `memberships` may
/// create one more.
pub fn check_create(policy: Policy, created: u64, memberships: u64) -> Result<(), DomainError> {
    if policy.one_organization_per_account && memberships > 0 {
        return Err(ONE_ORGANIZATION);
    }
    match policy.max_organizations_per_user {
        Some(max) if created >= u64::from(max) => Err(CREATED_ENOUGH),
        _ => Ok(()),
    }
}

/// Checks a new `maxAllowedMemberships` (0 is unlimited). Lowering it below the current
/// number of members is allowed: nobody is removed, nobody more joins.
pub fn check_max_allowed_memberships(value: u64) -> Result<u64, DomainError> {
    if value > MAX_ALLOWED_MEMBERSHIPS_CEILING {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "maxAllowedMemberships must be 0 (unlimited) to 1000000.",
        ));
    }
    Ok(value)
}
