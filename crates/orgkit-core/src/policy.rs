//! The policy: one pure function, [`authorize`], decides every action on an organization.
//!
//! The server calls it inside the transaction that performs the write, with facts read in that
//! transaction; the SDK calls it before sending a request, with the facts it has. Checks ask
//! for permissions, never for role names, so custom roles need no change here.

use crate::error::{DomainError, ErrorCode};
use crate::ids::UserId;
use crate::invitation::{check_accept, AcceptFacts, InvitationStatus};
use crate::join_request::{pending, JoinRequestStatus};
use crate::permission::{Permission, PermissionSet};
use crate::role::RoleCatalog;
use crate::time::Timestamp;

mod escalation;
mod member_list;
pub(crate) use escalation::grantable;
pub use escalation::no_escalation;
pub use member_list::{member_list_scope, member_list_scope_of, MemberListScope};

/// Who is acting, as seen from one organization.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user_id: &'a UserId,
    /// The actor's roles in the organization (their permissions are the union), or `None`
    /// when they are not a member.
    pub roles: Option<&'a [&'a str]>,
}

/// A member an action is aimed at.
#[derive(Debug, Clone, Copy)]
pub struct TargetMember<'a> {
    pub user_id: &'a UserId,
    /// The roles the member holds.
    pub roles: &'a [&'a str],
}

/// Why a role may still be needed, for deleting it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoleUsage {
    /// Members holding the role.
    pub members: u64,
    /// It is the organization's `creatorRole`.
    pub creator_role: bool,
    /// It is the organization's `defaultRole`.
    pub default_role: bool,
    /// Pending invitations and join requests, live invite links and SSO connections that
    /// would give it.
    pub grants: u64,
}

/// Everything that can be done to an organization, with the facts each decision needs.
///
/// `admin_count` is the number of members whose roles together count as admin
/// ([`RoleCatalog::holds_admin`]). `None` means "unknown" (an SDK holding a partial list): the
/// last-admin check is then left to the server, which always knows.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Action<'a> {
    /// Read the organization's profile.
    ReadOrganization,
    /// Rename it or change its slug.
    UpdateOrganization,
    /// Delete it, with its memberships and invitations.
    DeleteOrganization,
    /// List its members.
    ListMembers,
    /// List its pending invitations.
    ListInvitations,
    /// Read its audit log.
    ReadAuditLog,
    /// Create, list, change, delete or test its webhook endpoints, read their delivery
    /// attempts, or resend a message. Reading is managing too: endpoint URLs can carry
    /// credentials of the receiving app.
    ManageWebhooks,
    /// Invite an address with a role.
    Invite {
        role: &'a str,
        already_member: bool,
        already_invited: bool,
    },
    /// Add a person as a member directly, with a role, without an invitation (the instance's
    /// secret key through the Clerk-compatible API): the actor must be able to grant the role.
    AddMember { role: &'a str, already_member: bool },
    /// Revoke an invitation.
    RevokeInvitation { status: InvitationStatus },
    /// Resend an invitation, with a new token and expiry.
    ResendInvitation { status: InvitationStatus },
    /// Give a member another set of roles (one or more). The roles added and the roles
    /// taken away must both be within the actor's permissions (the escalation guard).
    ChangeRole {
        target: TargetMember<'a>,
        new_roles: &'a [&'a str],
        admin_count: Option<u64>,
    },
    /// Remove a member; when the target is the actor, this is leaving.
    RemoveMember {
        target: TargetMember<'a>,
        admin_count: Option<u64>,
    },
    /// Accept an invitation (the actor need not be a member).
    AcceptInvitation(AcceptFacts<'a>),
    /// List its join requests.
    ListJoinRequests,
    /// Turn "allow requests to join" on or off.
    SetAllowJoinRequests,
    /// Accept a join request, granting `role` (see `join_request::accept_role`).
    AcceptJoinRequest {
        status: JoinRequestStatus,
        role: &'a str,
        /// The requester became a member meanwhile.
        already_member: bool,
    },
    /// Reject a join request.
    RejectJoinRequest { status: JoinRequestStatus },
    /// Create an invite link with a role, or reset one (the new link keeps the role): the
    /// creator must be able to grant the role (the escalation guard).
    CreateInviteLink { role: &'a str },
    /// List or revoke the organization's invite links.
    ManageInviteLinks,
    /// Add, list, read, verify or delete the organization's email domains. Reading is
    /// managing too: a domain carries the address that proved affiliation.
    ManageDomains,
    /// Set a domain's enrollment mode; the automatic modes need a verified domain.
    SetEnrollmentMode {
        mode: crate::domain::EnrollmentMode,
        verified: bool,
    },
    /// Create, list, read, change, test or delete the organization's SSO connections, or turn
    /// "require SSO" on or off. Reading is managing too: a connection names the provider.
    ManageSso,
    /// Give an SSO connection a JIT role: people it adds just in time get it, so the admin
    /// must be able to grant it (the escalation guard).
    SetSsoJitRole { role: &'a str },
    /// Create a custom role holding `grants` (its key, name and description are checked by
    /// `custom_role`): `org:roles:manage`, at most 20 custom roles, a free key, and nothing the
    /// actor lacks.
    CreateRole {
        grants: crate::permission::PermissionSet,
        custom_roles: usize,
        key_taken: bool,
    },
    /// Change a custom role's name, description or permissions to `grants`. Its current and
    /// new permissions must both be within the actor's; `admin_count_after` is the number of
    /// admins once the role holds `grants` (the last-admin rule).
    UpdateRole {
        role: &'a str,
        grants: crate::permission::PermissionSet,
        admin_count_after: Option<u64>,
    },
    /// Delete a custom role: not a built-in one, not while assigned or the creator or default
    /// role.
    DeleteRole { role: &'a str, usage: RoleUsage },
    /// Set the organization's `creatorRole` and/or `defaultRole` (`None`: unchanged). The
    /// creator role must hold memberships manage and read, and delete; both must be within
    /// the actor's permissions.
    SetRoleSettings {
        creator_role: Option<&'a str>,
        default_role: Option<&'a str>,
    },
    /// Create, change or delete a service account (`org:service_accounts:manage`); `role`, the
    /// organization role it gets, must be one the actor could grant (the escalation guard).
    ManageServiceAccount { role: Option<&'a str> },
}

const fn refuse(code: ErrorCode, message: &'static str) -> DomainError {
    DomainError::new(code, message)
}

const NOT_FOUND: DomainError = refuse(ErrorCode::NotFound, "Organization not found.");
const LAST_ADMIN: DomainError = refuse(
    ErrorCode::LastAdmin,
    "An organization must keep at least one admin.",
);

/// Decides whether `actor` may perform `action` at `now`, using the roles of `catalog`.
///
/// Non-members get `not_found` for everything but accepting an invitation, so an organization's
/// existence does not leak.
pub fn authorize(
    catalog: &RoleCatalog,
    actor: Actor<'_>,
    action: Action<'_>,
    now: Timestamp,
) -> Result<(), DomainError> {
    authorize_limited(catalog, actor, action, now, None)
}

/// [`authorize`] for an actor whose permissions are cut to `limit`: a request made with an API
/// key holds its owner's current permissions within the key's scope
/// (`api_key::key_permissions`), for every check and every escalation guard.
pub fn authorize_limited(
    catalog: &RoleCatalog,
    actor: Actor<'_>,
    action: Action<'_>,
    now: Timestamp,
    limit: Option<PermissionSet>,
) -> Result<(), DomainError> {
    if let Action::AcceptInvitation(facts) = action {
        return check_accept(facts, now);
    }
    let Some(roles) = actor.roles else {
        return Err(NOT_FOUND);
    };
    let held = crate::api_key::key_permissions(catalog.permissions_of(roles)?, limit);
    let need = |perm: Permission, message: &'static str| {
        if held.contains(perm) {
            Ok(())
        } else {
            Err(refuse(ErrorCode::Forbidden, message))
        }
    };
    match action {
        Action::ReadOrganization => Ok(()),
        Action::UpdateOrganization => need(
            Permission::ProfileManage,
            "Only an admin can change the organization.",
        ),
        Action::DeleteOrganization => need(
            Permission::ProfileDelete,
            "Only an admin can delete the organization.",
        ),
        Action::ListMembers => need(
            Permission::MembershipsRead,
            "You cannot see this organization's members.",
        ),
        Action::ListInvitations => need(
            Permission::InvitationsManage,
            "Only an admin can see pending invitations.",
        ),
        Action::ReadAuditLog => need(
            Permission::AuditRead,
            "Only an admin can read the audit log.",
        ),
        Action::ManageWebhooks => need(
            Permission::WebhooksManage,
            "Only an admin can manage webhooks.",
        ),
        Action::Invite {
            role: invited_role,
            already_member,
            already_invited,
        } => {
            need(Permission::InvitationsManage, "Only an admin can invite.")?;
            grantable(catalog, held, &[invited_role])?;
            if already_member {
                return Err(refuse(
                    ErrorCode::AlreadyMember,
                    "This person is already a member.",
                ));
            }
            if already_invited {
                return Err(refuse(
                    ErrorCode::AlreadyInvited,
                    "This address already has a pending invitation.",
                ));
            }
            Ok(())
        }
        Action::AddMember {
            role: new_role,
            already_member,
        } => {
            need(
                Permission::MembershipsManage,
                "Only an admin can add members.",
            )?;
            grantable(catalog, held, &[new_role])?;
            if already_member {
                return Err(refuse(
                    ErrorCode::AlreadyMember,
                    "This person is already a member.",
                ));
            }
            Ok(())
        }
        Action::RevokeInvitation { status } | Action::ResendInvitation { status } => {
            need(
                Permission::InvitationsManage,
                "Only an admin can manage invitations.",
            )?;
            match status {
                InvitationStatus::Pending | InvitationStatus::Expired => Ok(()),
                _ => Err(refuse(
                    ErrorCode::InvitationNotPending,
                    "This invitation was already accepted or revoked.",
                )),
            }
        }
        Action::ChangeRole {
            target,
            new_roles,
            admin_count,
        } => {
            need(
                Permission::MembershipsManage,
                "Only an admin can change roles.",
            )?;
            crate::custom_role::check_role_list(new_roles)?;
            catalog.permissions_of(new_roles)?;
            let changed = crate::custom_role::changed_permissions(catalog, target.roles, new_roles);
            no_escalation(held, changed)?;
            if catalog.holds_admin(target.roles) && !catalog.holds_admin(new_roles) {
                keeps_an_admin(admin_count)?;
            }
            Ok(())
        }
        Action::RemoveMember {
            target,
            admin_count,
        } => {
            if target.user_id != actor.user_id {
                need(
                    Permission::MembershipsManage,
                    "Only an admin can remove members.",
                )?;
            }
            if catalog.holds_admin(target.roles) {
                keeps_an_admin(admin_count)?;
            }
            Ok(())
        }
        Action::CreateInviteLink { role: link_role } => {
            need(
                Permission::LinksManage,
                "Only an admin can manage invite links.",
            )?;
            grantable(catalog, held, &[link_role])
        }
        Action::ManageInviteLinks => need(
            Permission::LinksManage,
            "Only an admin can manage invite links.",
        ),
        Action::AcceptInvitation(_) => Ok(()),
        Action::SetAllowJoinRequests => need(
            Permission::RequestsManage,
            "Only an admin can change who may ask to join.",
        ),
        Action::ListJoinRequests => need(
            Permission::RequestsManage,
            "Only an admin can see requests to join.",
        ),
        Action::AcceptJoinRequest {
            status,
            role: granted,
            already_member,
        } => {
            need(
                Permission::RequestsManage,
                "Only an admin can accept requests to join.",
            )?;
            pending(status)?;
            grantable(catalog, held, &[granted])?;
            if already_member {
                return Err(refuse(
                    ErrorCode::AlreadyMember,
                    "This person is already a member.",
                ));
            }
            Ok(())
        }
        Action::RejectJoinRequest { status } => {
            need(
                Permission::RequestsManage,
                "Only an admin can reject requests to join.",
            )?;
            pending(status)
        }
        Action::ManageDomains => need(
            Permission::DomainsManage,
            "Only an admin can manage the organization's domains.",
        ),
        Action::SetEnrollmentMode { mode, verified } => {
            need(
                Permission::DomainsManage,
                "Only an admin can manage the organization's domains.",
            )?;
            crate::domain::check_enrollment_mode(mode, verified)
        }
        Action::ManageSso => need(
            Permission::SsoManage,
            "Only an admin can manage the organization's single sign-on.",
        ),
        Action::SetSsoJitRole { role: jit_role } => {
            need(
                Permission::SsoManage,
                "Only an admin can manage the organization's single sign-on.",
            )?;
            grantable(catalog, held, &[jit_role])
        }
        Action::CreateRole { .. }
        | Action::UpdateRole { .. }
        | Action::DeleteRole { .. }
        | Action::SetRoleSettings { .. } => {
            need(
                Permission::RolesManage,
                "Only an admin can manage the organization's roles.",
            )?;
            crate::custom_role::decide(catalog, held, action)
        }
        Action::ManageServiceAccount { role } => {
            need(
                Permission::ServiceAccountsManage,
                "Only an admin can manage the organization's service accounts.",
            )?;
            match role {
                Some(role) => grantable(catalog, held, &[role]),
                None => Ok(()),
            }
        }
    }
}

/// Removing one admin is fine only when another remains.
fn keeps_an_admin(admin_count: Option<u64>) -> Result<(), DomainError> {
    match admin_count {
        Some(n) if n <= 1 => Err(LAST_ADMIN),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
