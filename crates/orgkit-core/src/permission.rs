//! Permissions, and sets of them. A role is nothing but a named [`PermissionSet`], so custom
//! roles need no change to the checks.

use serde::{Deserialize, Serialize};

mod catalog;
pub use catalog::{check_permission_key, PermissionCatalog, MAX_APP_PERMISSIONS};

/// One thing a member may be allowed to do in an organization.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[non_exhaustive]
pub enum Permission {
    /// Rename the organization or change its slug.
    #[serde(rename = "org:profile:manage")]
    ProfileManage,
    /// Delete the organization.
    #[serde(rename = "org:profile:delete")]
    ProfileDelete,
    /// List the members.
    #[serde(rename = "org:memberships:read")]
    MembershipsRead,
    /// Change members' roles and remove members.
    #[serde(rename = "org:memberships:manage")]
    MembershipsManage,
    /// Invite people, and revoke or resend invitations.
    #[serde(rename = "org:invitations:manage")]
    InvitationsManage,
    /// Read the organization's audit log.
    #[serde(rename = "org:audit:read")]
    AuditRead,
    /// Create, read, change and delete the organization's webhook endpoints, and see their
    /// delivery attempts.
    #[serde(rename = "org:webhooks:manage")]
    WebhooksManage,
    /// Add, verify and remove the organization's email domains and set their enrollment modes.
    #[serde(rename = "org:domains:manage")]
    DomainsManage,
    /// Create, list, reset and revoke the organization's invite links.
    #[serde(rename = "org:links:manage")]
    LinksManage,
    /// List requests to join and accept or reject them; turn requests on or off.
    #[serde(rename = "org:requests:manage")]
    RequestsManage,
    /// Create, change, test and delete the organization's SSO connections; require SSO.
    #[serde(rename = "org:sso:manage")]
    SsoManage,
    /// Read the organization's billing profile.
    #[serde(rename = "org:billing:read")]
    BillingRead,
    /// Change the organization's billing profile.
    #[serde(rename = "org:billing:manage")]
    BillingManage,
    /// Create, change and delete the organization's custom roles; set its creator and default
    /// roles.
    #[serde(rename = "org:roles:manage")]
    RolesManage,
    /// Create shared workspaces; act as a manager of every workspace and see all of them.
    #[serde(rename = "org:workspaces:manage")]
    WorkspacesManage,
    /// Create, rename and delete any group, and change any group's members.
    #[serde(rename = "org:groups:manage")]
    GroupsManage,
    /// Create, change and delete service accounts, and create and revoke their API keys.
    #[serde(rename = "org:service_accounts:manage")]
    ServiceAccountsManage,
    /// List and revoke anyone's API keys and set the API key policy (its `admins` value).
    #[serde(rename = "org:api_keys:manage")]
    ApiKeysManage,
}

impl Permission {
    /// Every permission, in bit order.
    pub const ALL: [Permission; 18] = [
        Permission::ProfileManage,
        Permission::ProfileDelete,
        Permission::MembershipsRead,
        Permission::MembershipsManage,
        Permission::InvitationsManage,
        Permission::AuditRead,
        Permission::WebhooksManage,
        Permission::DomainsManage,
        Permission::LinksManage,
        Permission::RequestsManage,
        Permission::SsoManage,
        Permission::BillingRead,
        Permission::BillingManage,
        Permission::RolesManage,
        Permission::WorkspacesManage,
        Permission::GroupsManage,
        Permission::ServiceAccountsManage,
        Permission::ApiKeysManage,
    ];

    /// The wire form, for example `"org:memberships:manage"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Permission::ProfileManage => "org:profile:manage",
            Permission::ProfileDelete => "org:profile:delete",
            Permission::MembershipsRead => "org:memberships:read",
            Permission::MembershipsManage => "org:memberships:manage",
            Permission::InvitationsManage => "org:invitations:manage",
            Permission::AuditRead => "org:audit:read",
            Permission::WebhooksManage => "org:webhooks:manage",
            Permission::DomainsManage => "org:domains:manage",
            Permission::LinksManage => "org:links:manage",
            Permission::RequestsManage => "org:requests:manage",
            Permission::SsoManage => "org:sso:manage",
            Permission::BillingRead => "org:billing:read",
            Permission::BillingManage => "org:billing:manage",
            Permission::RolesManage => "org:roles:manage",
            Permission::WorkspacesManage => "org:workspaces:manage",
            Permission::GroupsManage => "org:groups:manage",
            Permission::ServiceAccountsManage => "org:service_accounts:manage",
            Permission::ApiKeysManage => "org:api_keys:manage",
        }
    }

    /// Parses the wire form; unknown names give `None`.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of permissions, stored as bits: one per system [`Permission`], and one per app
/// permission, indexed in the [`PermissionCatalog`] that declares them (at most
/// [`MAX_APP_PERMISSIONS`]). Two machine words, so a check stays one `AND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet {
    system: u32,
    app: u64,
}

impl PermissionSet {
    /// No permission at all.
    pub const EMPTY: PermissionSet = PermissionSet { system: 0, app: 0 };

    /// Every system permission (and no app permission: [`PermissionCatalog::everything`] adds
    /// those an app declares).
    #[must_use]
    pub const fn all() -> Self {
        Self::of(&Permission::ALL)
    }

    /// The set holding exactly `perms`.
    #[must_use]
    pub const fn of(perms: &[Permission]) -> Self {
        let mut system = 0;
        let mut i = 0;
        while i < perms.len() {
            system |= perms[i].bit();
            i += 1;
        }
        PermissionSet { system, app: 0 }
    }

    /// The set holding only the app permission at `index` of its catalog (`index` below
    /// [`MAX_APP_PERMISSIONS`]; larger indexes give the empty set).
    #[must_use]
    pub const fn app(index: usize) -> Self {
        let app = if index < MAX_APP_PERMISSIONS {
            1 << index
        } else {
            0
        };
        PermissionSet { system: 0, app }
    }

    #[must_use]
    pub const fn contains(self, perm: Permission) -> bool {
        self.system & perm.bit() != 0
    }

    /// Whether every permission of `other` is in this set.
    #[must_use]
    pub const fn is_superset_of(self, other: PermissionSet) -> bool {
        self.system & other.system == other.system && self.app & other.app == other.app
    }

    /// Both sets together: a member's permissions are the union of their roles'.
    #[must_use]
    pub const fn union(self, other: PermissionSet) -> Self {
        PermissionSet {
            system: self.system | other.system,
            app: self.app | other.app,
        }
    }

    /// What both sets hold: an API key's permissions are its scope within its owner's.
    #[must_use]
    pub const fn intersect(self, other: PermissionSet) -> Self {
        PermissionSet {
            system: self.system & other.system,
            app: self.app & other.app,
        }
    }

    /// What this set holds and `other` lacks: the permissions a grant of this set needs beyond
    /// `other`.
    #[must_use]
    pub const fn minus(self, other: PermissionSet) -> Self {
        PermissionSet {
            system: self.system & !other.system,
            app: self.app & !other.app,
        }
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.system == 0 && self.app == 0
    }

    /// Whether the app permission at `index` of its catalog is in this set.
    #[must_use]
    pub const fn contains_app(self, index: usize) -> bool {
        index < MAX_APP_PERMISSIONS && self.app & (1 << index) != 0
    }

    /// The system permissions in this set, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// The wire names of the system permissions in this set (a [`PermissionCatalog`] names
    /// the app ones too).
    #[must_use]
    pub fn names(self) -> Vec<String> {
        self.iter().map(|p| p.as_str().to_owned()).collect()
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        iter.into_iter().fold(PermissionSet::EMPTY, |set, p| {
            set.union(PermissionSet::of(&[p]))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
            let json = serde_json::to_string(&p).expect("serialize");
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        assert_eq!(Permission::parse("org:sys:all"), None);
    }

    #[test]
    fn set_operations() {
        let read = PermissionSet::of(&[Permission::MembershipsRead]);
        assert!(read.contains(Permission::MembershipsRead));
        assert!(!read.contains(Permission::MembershipsManage));
        assert!(PermissionSet::all().is_superset_of(read));
        assert!(!read.is_superset_of(PermissionSet::all()));
        assert_eq!(PermissionSet::all().iter().count(), Permission::ALL.len());
        assert_eq!(read.names(), vec!["org:memberships:read".to_owned()]);
        let invoices = PermissionSet::app(3);
        let both = read.union(invoices);
        assert!(both.contains_app(3) && !both.contains_app(2) && !read.contains_app(3));
        assert!(both.is_superset_of(invoices) && !read.is_superset_of(invoices));
        assert_eq!(both.minus(read), invoices);
        assert!(read.minus(both).is_empty());
        assert!(PermissionSet::app(MAX_APP_PERMISSIONS).is_empty());
        assert!(!both.contains_app(MAX_APP_PERMISSIONS));
    }
}
