//! The role catalog as the API answers it: `GET /v1/organizations/{id}/roles`.

use crate::role::RoleCatalog;
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

/// An organization's roles and the permission catalog they are built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleCatalogBody {
    /// Every role, built-ins first.
    pub data: Vec<RoleInfo>,
    /// Every permission a role may hold: the system ones, then the app's
    /// (`--app-permission`).
    pub permissions: Vec<String>,
}

impl RoleCatalogBody {
    /// The wire form of `catalog`.
    #[must_use]
    pub fn of(catalog: &RoleCatalog) -> Self {
        RoleCatalogBody {
            data: catalog
                .roles()
                .iter()
                .map(|r| RoleInfo {
                    key: r.key.clone(),
                    name: r.name.clone(),
                    description: r.description.clone(),
                    permissions: catalog.names(r.permissions),
                    built_in: r.is_built_in(),
                })
                .collect(),
            permissions: catalog
                .permission_catalog()
                .keys()
                .map(str::to_owned)
                .collect(),
        }
    }
}
