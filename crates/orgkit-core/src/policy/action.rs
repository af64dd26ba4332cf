//! Who acts, on whom, and every action the policy decides, with the facts each decision needs.

use crate::ids::UserId;
use crate::invitation::{AcceptFacts, InvitationStatus};
use crate::join_request::JoinRequestStatus;

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
