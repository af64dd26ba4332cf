//! Workspaces and groups: who reaches a workspace, with which role, and who may change it.
//!
//! A workspace is shared (any number of principals granted a role) or personal (one member's,
//! created on first use). Roles are granted to users, to groups and to service accounts; a
//! person's effective role is the highest of their direct grant and their groups' grants.
//! Holders of `org:workspaces:manage` act as managers of every workspace.

use crate::error::{DomainError, ErrorCode};
use crate::permission::{Permission, PermissionSet};
use serde::{Deserialize, Serialize};

/// A role in one workspace: `ws:manager` (manages it and its grants) outranks `ws:member`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WorkspaceRole {
    /// Uses the workspace (the seed's Developer).
    #[serde(rename = "ws:member")]
    Member,
    /// Manages the workspace and its members.
    #[serde(rename = "ws:manager")]
    Manager,
}

impl WorkspaceRole {
    /// The stored form: 1 for a member, 2 for a manager, so SQL's `MAX` picks the higher.
    #[must_use]
    pub const fn level(self) -> i64 {
        match self {
            WorkspaceRole::Member => 1,
            WorkspaceRole::Manager => 2,
        }
    }

    /// Reads the stored form; anything else is no role.
    #[must_use]
    pub const fn from_level(level: i64) -> Option<Self> {
        match level {
            1 => Some(WorkspaceRole::Member),
            2 => Some(WorkspaceRole::Manager),
            _ => None,
        }
    }

    /// The wire form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            WorkspaceRole::Member => "ws:member",
            WorkspaceRole::Manager => "ws:manager",
        }
    }

    /// Parses the wire form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        [WorkspaceRole::Member, WorkspaceRole::Manager]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// Where an effective workspace role comes from.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessVia {
    /// A grant to the person (or service account) itself.
    Direct,
    /// A grant to a group they are in.
    Group,
    /// `org:workspaces:manage`: a manager of every workspace.
    Organization,
    /// Their own personal workspace.
    Personal,
}

/// An effective role in a workspace and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAccess {
    pub role: WorkspaceRole,
    pub via: AccessVia,
}

/// What decides one principal's access to one workspace.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccessFacts {
    /// The principal holds `org:workspaces:manage`.
    pub org_manages: bool,
    /// `None` for a shared workspace; for a personal one, whether it is the principal's.
    pub personal_owner_is_me: Option<bool>,
    pub archived: bool,
    /// The grant to the principal itself.
    pub direct: Option<WorkspaceRole>,
    /// The highest grant to a group the principal is in.
    pub best_group: Option<WorkspaceRole>,
}

/// The principal's effective access: their own personal workspace makes them its manager;
/// `org:workspaces:manage` makes them a manager of every workspace; otherwise the higher of
/// the direct and the group grant (the direct one on a tie). On an archived workspace only
/// managers keep access, to read it and restore it.
#[must_use]
pub fn effective_access(facts: &AccessFacts) -> Option<WorkspaceAccess> {
    let manager = |via| WorkspaceAccess {
        role: WorkspaceRole::Manager,
        via,
    };
    let access = if facts.personal_owner_is_me == Some(true) {
        Some(manager(AccessVia::Personal))
    } else if facts.org_manages {
        Some(manager(AccessVia::Organization))
    } else {
        match (facts.direct, facts.best_group) {
            (Some(d), Some(g)) if g > d => Some(WorkspaceAccess {
                role: g,
                via: AccessVia::Group,
            }),
            (Some(d), _) => Some(WorkspaceAccess {
                role: d,
                via: AccessVia::Direct,
            }),
            (None, Some(g)) => Some(WorkspaceAccess {
                role: g,
                via: AccessVia::Group,
            }),
            (None, None) => None,
        }
    };
    access.filter(|a| !facts.archived || a.role == WorkspaceRole::Manager)
}

/// Something done to or in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceAction {
    /// Read the workspace.
    Read,
    /// Rename it or change its slug.
    Update,
    /// Archive or restore it.
    Archive,
    /// List its grants, or read another principal's effective access.
    ListPrincipals,
    /// Grant a principal a role in it (or change the role).
    Grant,
    /// Take a principal's grant away.
    Revoke,
}

/// A workspace as the decision sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkspaceState {
    pub personal: bool,
    pub archived: bool,
}

/// Decides a workspace action by the actor's effective access: no access at all is
/// `not_found` (the workspace stays invisible); reading needs any role; the rest needs
/// `ws:manager`. An archived workspace takes no new grant (`workspace_archived`) and a personal
/// one none at all (`workspace_personal`).
pub fn decide(
    action: WorkspaceAction,
    access: Option<WorkspaceAccess>,
    workspace: WorkspaceState,
) -> Result<(), DomainError> {
    let Some(access) = access else {
        return Err(DomainError::new(
            ErrorCode::NotFound,
            "Workspace not found.",
        ));
    };
    if action == WorkspaceAction::Read {
        return Ok(());
    }
    if access.role != WorkspaceRole::Manager {
        return Err(DomainError::new(
            ErrorCode::Forbidden,
            "Only a manager of the workspace can do this.",
        ));
    }
    if action == WorkspaceAction::Grant {
        if workspace.personal {
            return Err(DomainError::new(
                ErrorCode::WorkspacePersonal,
                "A personal workspace belongs to its owner alone.",
            ));
        }
        if workspace.archived {
            return Err(DomainError::new(
                ErrorCode::WorkspaceArchived,
                "The workspace is archived: restore it before granting access.",
            ));
        }
    }
    Ok(())
}

/// Creating a shared workspace needs `org:workspaces:manage`.
pub fn check_create(held: PermissionSet) -> Result<(), DomainError> {
    need(
        held,
        Permission::WorkspacesManage,
        "Only an admin can create shared workspaces.",
    )
}

/// A personal workspace is a member's own: a service account (acting by its API key) has
/// none, since one would outlive the account (`forbidden`).
pub fn check_personal(principal: PrincipalKind) -> Result<(), DomainError> {
    match principal {
        PrincipalKind::User => Ok(()),
        PrincipalKind::Group | PrincipalKind::ServiceAccount => Err(DomainError::new(
            ErrorCode::Forbidden,
            "Only a member of the organization has a personal workspace.",
        )),
    }
}

/// Trims a workspace's or group's name and checks it: 1 to 100 characters, no control
/// characters.
pub fn check_name(raw: &str) -> Result<String, DomainError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid("The name must be 1 to 100 characters."));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid("The name must not contain control characters."));
    }
    Ok(name.to_owned())
}

/// Trims a description and checks it: at most 500 characters, no control characters but
/// line breaks.
pub fn check_description(raw: &str) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(invalid("The description must be at most 500 characters."));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(
            "The description must not contain control characters.",
        ));
    }
    Ok(text.to_owned())
}

/// The longest workspace, group or API key name.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// A role in a group: a manager may add and remove the group's members.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    Member,
    Manager,
}

impl GroupRole {
    /// The wire and stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            GroupRole::Member => "member",
            GroupRole::Manager => "manager",
        }
    }

    /// Parses the wire and stored form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        [GroupRole::Member, GroupRole::Manager]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// Something done to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAction {
    /// Create, rename or delete a group: `org:groups:manage`.
    Manage,
    /// Add, change or remove one of its members: `org:groups:manage` or the group's manager.
    ChangeMembers,
}

/// Decides a group action for an actor holding `held` and `my_role` in the group.
pub fn decide_group(
    action: GroupAction,
    held: PermissionSet,
    my_role: Option<GroupRole>,
) -> Result<(), DomainError> {
    if held.contains(Permission::GroupsManage) {
        return Ok(());
    }
    match action {
        GroupAction::ChangeMembers if my_role == Some(GroupRole::Manager) => Ok(()),
        GroupAction::ChangeMembers => Err(DomainError::new(
            ErrorCode::Forbidden,
            "Only an admin or a manager of the group can change its members.",
        )),
        GroupAction::Manage => Err(DomainError::new(
            ErrorCode::Forbidden,
            "Only an admin can create, rename or delete groups.",
        )),
    }
}

/// What may be granted a workspace role or put in a group.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    User,
    Group,
    ServiceAccount,
}

impl PrincipalKind {
    /// The wire, path and stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::ServiceAccount => "service_account",
        }
    }

    /// Parses the wire form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        [
            PrincipalKind::User,
            PrincipalKind::Group,
            PrincipalKind::ServiceAccount,
        ]
        .into_iter()
        .find(|k| k.as_str() == raw)
    }

    /// Whether `id` has the shape of this kind's ids.
    #[must_use]
    pub fn is_well_formed_id(self, id: &str) -> bool {
        match self {
            PrincipalKind::User => crate::ids::UserId::is_well_formed(id),
            PrincipalKind::Group => crate::ids::GroupId::is_well_formed(id),
            PrincipalKind::ServiceAccount => crate::ids::ServiceAccountId::is_well_formed(id),
        }
    }
}

/// Checks who may be put in a group: people and service accounts, not groups (`validation_failed`).
pub fn check_group_member_kind(kind: PrincipalKind) -> Result<(), DomainError> {
    if kind == PrincipalKind::Group {
        Err(invalid(
            "A group holds people and service accounts, not groups.",
        ))
    } else {
        Ok(())
    }
}

/// A principal must belong to the organization to be granted anything (`not_a_member`).
pub fn check_in_organization(is_member: bool) -> Result<(), DomainError> {
    if is_member {
        Ok(())
    } else {
        Err(DomainError::new(
            ErrorCode::NotAMember,
            "Only members of the organization and its service accounts can be added.",
        ))
    }
}

fn need(held: PermissionSet, perm: Permission, message: &'static str) -> Result<(), DomainError> {
    if held.contains(perm) {
        Ok(())
    } else {
        Err(DomainError::new(ErrorCode::Forbidden, message))
    }
}

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::ValidationFailed, message)
}

#[cfg(test)]
mod tests;
