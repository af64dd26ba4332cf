//! The policy: one pure function, [`authorize`], decides every action on an organization.
//!
//! The server calls it inside the transaction that performs the write, with facts read in that
//! transaction; the SDK calls it before sending a request, with the facts it has. Checks ask
//! for permissions, never for role names, so custom roles need no change here.

use crate::error::{DomainError, ErrorCode};
use crate::invitation::{check_accept, InvitationStatus};
use crate::join_request::pending;
use crate::permission::{Permission, PermissionSet};
use crate::role::RoleCatalog;
use crate::time::Timestamp;

mod action;
mod escalation;
mod lock;
mod member_list;
pub use action::{Action, Actor, RoleUsage, TargetMember};
pub(crate) use escalation::grantable;
pub use escalation::no_escalation;
pub use lock::{first_lock_for_role_change, takes_admin_away, OrgLock};
pub use member_list::{member_list_scope, member_list_scope_of, MemberListScope};

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
            if takes_admin_away(catalog, target.roles, Some(new_roles)) {
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
            if takes_admin_away(catalog, target.roles, None) {
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
