//! The role catalog as the API answers it: `GET /v1/organizations/{id}/roles`, and the bodies
//! that create and change custom roles and the role settings.

use crate::error::DomainError;
use crate::permission::{Permission, PermissionCatalog};
use crate::role::{RoleCatalog, RoleDefinition};
use serde::{Deserialize, Serialize};

/// One role of an organization's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleInfo {
    /// `admin`, `basic_member`, or `org:<slug>` for a custom role.
    pub key: String,
    pub name: String,
    pub description: String,
    /// The permission keys the role holds, in catalog order.
    pub permissions: Vec<String>,
    /// `admin` and `basic_member` cannot be edited or deleted.
    pub built_in: bool,
}

impl RoleInfo {
    /// The wire form of `role`, whose permissions `catalog` names.
    #[must_use]
    pub fn of(catalog: &RoleCatalog, role: &RoleDefinition) -> Self {
        RoleInfo {
            key: role.key.clone(),
            name: role.name.clone(),
            description: role.description.clone(),
            permissions: catalog.names(role.permissions),
            built_in: role.is_built_in(),
        }
    }
}

/// An organization's roles, the permission catalog they are built from, and its role settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleCatalogBody {
    /// Every role, built-ins first, then the custom roles in creation order.
    pub data: Vec<RoleInfo>,
    /// Every permission a role may hold: the system ones, then the app's
    /// (`--app-permission`).
    pub permissions: Vec<String>,
    /// The role the new owner is given on an ownership transfer (`admin` unless set).
    #[serde(default = "default_creator_role")]
    pub creator_role: String,
    /// The role invitations, invite links, domain enrollment and SSO give when none is named
    /// (`basic_member` unless set).
    #[serde(default = "default_default_role")]
    pub default_role: String,
}

fn default_creator_role() -> String {
    crate::custom_role::DEFAULT_CREATOR_ROLE.to_owned()
}

fn default_default_role() -> String {
    crate::custom_role::DEFAULT_DEFAULT_ROLE.to_owned()
}

impl RoleCatalogBody {
    /// The wire form of `catalog` with the organization's `settings`.
    #[must_use]
    pub fn of(catalog: &RoleCatalog, settings: &crate::custom_role::RoleSettings) -> Self {
        RoleCatalogBody {
            data: catalog
                .roles()
                .iter()
                .map(|r| RoleInfo::of(catalog, r))
                .collect(),
            permissions: catalog
                .permission_catalog()
                .keys()
                .map(str::to_owned)
                .collect(),
            creator_role: settings.creator_role.clone(),
            default_role: settings.default_role.clone(),
        }
    }

    /// The rule book's catalog from this answer: what the SDK judges with, so its local
    /// verdicts are the server's. Unknown permission keys in a role are an error.
    pub fn to_catalog(&self) -> Result<RoleCatalog, DomainError> {
        let app: Vec<&str> = self
            .permissions
            .iter()
            .map(String::as_str)
            .filter(|k| Permission::parse(k).is_none())
            .collect();
        let catalog = RoleCatalog::with_permissions(PermissionCatalog::new(&app)?);
        let mut custom = Vec::new();
        for role in self.data.iter().filter(|r| !r.built_in) {
            custom.push(RoleDefinition {
                key: role.key.clone(),
                name: role.name.clone(),
                description: role.description.clone(),
                permissions: catalog.permission_catalog().parse_all(&role.permissions)?,
            });
        }
        Ok(catalog.with_custom(custom))
    }

    /// The organization's role settings from this answer.
    #[must_use]
    pub fn settings(&self) -> crate::custom_role::RoleSettings {
        crate::custom_role::RoleSettings {
            creator_role: self.creator_role.clone(),
            default_role: self.default_role.clone(),
        }
    }
}

/// `POST /v1/organizations/{id}/roles`: a new custom role.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateRoleRequest {
    /// `org:<slug>`, the slug 1 to 40 of `a-z`, `0-9`, `_` and `-`.
    #[cfg_attr(feature = "ts", tsify(type = "CustomRole"))]
    pub key: String,
    /// 1 to 64 characters.
    pub name: String,
    /// Up to 500 characters.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub description: String,
    /// Permission keys from the catalog; none of them beyond the caller's own.
    #[cfg_attr(feature = "ts", tsify(type = "(Permission | AppPermission)[]"))]
    pub permissions: Vec<String>,
}

/// `PATCH /v1/organizations/{id}/roles/{key}`: what changes (absent: unchanged).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateRoleRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The role's whole new permission set.
    #[serde(default)]
    #[cfg_attr(
        feature = "ts",
        tsify(optional, type = "(Permission | AppPermission)[]")
    )]
    pub permissions: Option<Vec<String>>,
}

/// `PUT /v1/organizations/{id}/role-settings`: the creator and default roles (absent:
/// unchanged).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleSettingsRequest {
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional, type = "Role"))]
    pub creator_role: Option<crate::role::Role>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional, type = "Role"))]
    pub default_role: Option<crate::role::Role>,
}

/// `PATCH /v1/organizations/{orgId}/memberships/{userId}`: the member's new role, or their
/// whole new set of roles (the first is the primary one). Exactly one of the two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMembershipRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::role::Role>,
    /// 1 to 22 distinct roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<crate::role::Role>>,
}

impl UpdateMembershipRequest {
    /// The roles asked for: `[role]` or `roles`; `validation_failed` unless exactly one of the
    /// two is given.
    pub fn roles(&self) -> Result<Vec<&str>, crate::DomainError> {
        match (&self.role, &self.roles) {
            (Some(role), None) => Ok(vec![role.as_str()]),
            (None, Some(roles)) => Ok(roles.iter().map(crate::role::Role::as_str).collect()),
            _ => Err(crate::DomainError::new(
                crate::ErrorCode::ValidationFailed,
                "Send either role or roles.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_role::RoleSettings;
    use crate::permission::PermissionSet;

    #[test]
    fn a_catalog_survives_the_wire() {
        let perms = PermissionCatalog::new(&["org:invoices:create"]).expect("valid");
        let catalog = RoleCatalog::with_permissions(perms).with_custom([RoleDefinition {
            key: "org:billing".into(),
            name: "Billing manager".into(),
            description: "Bills.".into(),
            permissions: PermissionSet::of(&[Permission::BillingManage, Permission::BillingRead]),
        }]);
        let settings = RoleSettings {
            creator_role: "admin".into(),
            default_role: "org:billing".into(),
        };
        let body = RoleCatalogBody::of(&catalog, &settings);
        assert_eq!(body.data.len(), 3);
        assert_eq!(body.to_catalog(), Ok(catalog));
        assert_eq!(body.settings(), settings);
        let json = serde_json::to_string(&body).expect("json");
        let back: RoleCatalogBody = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, body);
        let old: RoleCatalogBody =
            serde_json::from_str(r#"{"data":[],"permissions":[]}"#).expect("older answer");
        assert_eq!(old.settings(), RoleSettings::default());
    }
}
