//! Permissions, and sets of them. A role is nothing but a named [`PermissionSet`], so custom
//! roles need no change to the checks.

use serde::{Deserialize, Serialize};

/// One thing a member may be allowed to do in an organization.
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
}

impl Permission {
    /// Every permission, in bit order.
    pub const ALL: [Permission; 13] = [
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

/// A set of permissions, stored as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet(u32);

impl PermissionSet {
    /// No permission at all.
    pub const EMPTY: PermissionSet = PermissionSet(0);

    /// Every permission there is.
    #[must_use]
    pub const fn all() -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < Permission::ALL.len() {
            bits |= Permission::ALL[i].bit();
            i += 1;
        }
        PermissionSet(bits)
    }

    /// The set holding exactly `perms`.
    #[must_use]
    pub const fn of(perms: &[Permission]) -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < perms.len() {
            bits |= perms[i].bit();
            i += 1;
        }
        PermissionSet(bits)
    }

    #[must_use]
    pub const fn contains(self, perm: Permission) -> bool {
        self.0 & perm.bit() != 0
    }

    /// Whether every permission of `other` is in this set.
    #[must_use]
    pub const fn is_superset_of(self, other: PermissionSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// The permissions in this set, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// The wire names of the permissions in this set.
    #[must_use]
    pub fn names(self) -> Vec<String> {
        self.iter().map(|p| p.as_str().to_owned()).collect()
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        PermissionSet(iter.into_iter().fold(0, |bits, p| bits | p.bit()))
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
    }
}
