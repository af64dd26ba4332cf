//! The role catalog the SDK judges with, and reading the role answers and parameters.

use crate::error::local;
use crate::js::{array, field, optional_param, param, params, string, string_list, strings, text};
use orgkit_core::custom_role::{
    check_role_key, check_role_text, DEFAULT_CREATOR_ROLE, DEFAULT_DEFAULT_ROLE,
};
use orgkit_core::permission::PermissionCatalog;
use orgkit_core::policy::Action;
use orgkit_core::role::RoleDefinition;
use orgkit_core::wire::{RoleCatalogBody, RoleInfo};
use orgkit_core::{Permission, PermissionSet, RoleCatalog};
use wasm_bindgen::prelude::*;

/// The role keys an action names: the roles it grants, edits or takes away.
pub(crate) fn named_roles<'a>(action: &Action<'a>) -> Vec<&'a str> {
    match *action {
        Action::Invite { role, .. }
        | Action::AddMember { role, .. }
        | Action::CreateInviteLink { role }
        | Action::AcceptJoinRequest { role, .. }
        | Action::SetSsoJitRole { role }
        | Action::UpdateRole { role, .. }
        | Action::DeleteRole { role, .. } => vec![role],
        Action::ChangeRole {
            target, new_roles, ..
        } => target.roles.iter().chain(new_roles).copied().collect(),
        Action::RemoveMember { target, .. } => target.roles.to_vec(),
        Action::SetRoleSettings {
            creator_role,
            default_role,
        } => creator_role.into_iter().chain(default_role).collect(),
        _ => Vec::new(),
    }
}

/// The catalog to judge with before the organization's catalog is known: the built-ins over
/// the app permissions I hold, my custom roles holding my permissions (`held`, the union the
/// server sent, so my own permissions are exact), and each other well-formed custom key
/// `named` holding nothing: a role the SDK cannot see yet is the server's to judge, while a
/// key that can name no role (`"owner"`) is still refused.
#[must_use]
pub(crate) fn provisional(
    my_roles: &[String],
    my_permissions: &[String],
    named: &[&str],
) -> RoleCatalog {
    let app: Vec<&str> = my_permissions
        .iter()
        .map(String::as_str)
        .filter(|k| Permission::parse(k).is_none())
        .collect();
    let base = RoleCatalog::with_permissions(PermissionCatalog::new(&app).unwrap_or_default());
    let held = base
        .permission_catalog()
        .parse_all(my_permissions)
        .unwrap_or(PermissionSet::EMPTY);
    let define = |key: &str, permissions| RoleDefinition {
        key: key.to_owned(),
        name: key.to_owned(),
        description: String::new(),
        permissions,
    };
    let mine = my_roles.iter().map(|k| define(k, held));
    let assumed = named
        .iter()
        .filter(|k| check_role_key(k).is_ok() && !my_roles.iter().any(|r| r == *k))
        .map(|k| define(k, PermissionSet::EMPTY));
    base.with_custom(mine.chain(assumed).collect::<Vec<_>>())
}

/// The definition of `key` in `catalog`, or `not_found` (as the server answers).
pub(crate) fn existing<'c>(
    catalog: &'c RoleCatalog,
    key: &str,
) -> Result<&'c RoleDefinition, JsValue> {
    catalog.get(key).ok_or_else(|| {
        local(orgkit_core::DomainError::new(
            orgkit_core::ErrorCode::NotFound,
            "Role not found.",
        ))
    })
}

/// A role of an answer (`RoleInfo`), read by hand.
pub(crate) fn read_info(value: &JsValue) -> RoleInfo {
    RoleInfo {
        key: text(value, "key"),
        name: text(value, "name"),
        description: text(value, "description"),
        permissions: strings(value, "permissions"),
        built_in: field(value, "builtIn").is_truthy(),
    }
}

/// A role catalog answer (`RoleCatalogBody`), read by hand.
pub(crate) fn read_body(value: &JsValue) -> RoleCatalogBody {
    RoleCatalogBody {
        data: array(value, "data").iter().map(|r| read_info(&r)).collect(),
        permissions: strings(value, "permissions"),
        creator_role: string(value, "creatorRole").unwrap_or_else(|| DEFAULT_CREATOR_ROLE.into()),
        default_role: string(value, "defaultRole").unwrap_or_else(|| DEFAULT_DEFAULT_ROLE.into()),
    }
}

/// What a role method does once the catalog is known.
pub(crate) enum Op {
    List,
    Create(JsValue),
    Update(String, JsValue),
    Delete(String),
    Settings(JsValue),
    /// Give a member these roles, sent as `{ roles }` when `true`, else as `{ role }`.
    Members(String, Vec<String>, bool),
}

pub(crate) const CREATE_USAGE: &str =
    "createRole needs { key, name, description?, permissions } (permissions: a list of keys).";
pub(crate) const UPDATE_USAGE: &str =
    "update takes { name?, description?, permissions? } (permissions: a list of keys).";
pub(crate) const SETTINGS_USAGE: &str = "updateRoleSettings takes { creatorRole?, defaultRole? }.";

/// The roles of `{ roles }` (the first primary) or `{ role }`, and whether it was the list.
pub(crate) fn role_params(
    p: &JsValue,
    usage: &'static str,
) -> Result<(Vec<String>, bool), JsValue> {
    params(p, usage)?;
    match string_list(p, "roles", usage)? {
        Some(roles) => Ok((roles, true)),
        None => Ok((vec![param(p, "role", usage)?], false)),
    }
}

/// The checks of `op` that need no catalog, made before one is fetched, so that input the SDK
/// can see is wrong costs no request: the member's id, and the parameters' shapes, the role
/// key and text.
pub(crate) fn check_shape(op: &Op) -> Result<(), JsValue> {
    match op {
        Op::Members(user_id, ..) => crate::js::check_member_ref(user_id),
        Op::Create(p) => {
            params(p, CREATE_USAGE)?;
            check_role_key(&param(p, "key", CREATE_USAGE)?).map_err(local)?;
            let description = optional_param(p, "description", CREATE_USAGE)?;
            check_role_text(
                &param(p, "name", CREATE_USAGE)?,
                description.as_deref().unwrap_or(""),
            )
            .map_err(local)?;
            string_list(p, "permissions", CREATE_USAGE)?
                .map(drop)
                .ok_or_else(|| crate::error::invalid_input(CREATE_USAGE))
        }
        Op::Update(_, p) => {
            params(p, UPDATE_USAGE)?;
            optional_param(p, "name", UPDATE_USAGE)?;
            optional_param(p, "description", UPDATE_USAGE)?;
            string_list(p, "permissions", UPDATE_USAGE).map(drop)
        }
        Op::Settings(p) => {
            params(p, SETTINGS_USAGE)?;
            optional_param(p, "creatorRole", SETTINGS_USAGE)?;
            optional_param(p, "defaultRole", SETTINGS_USAGE).map(drop)
        }
        Op::List | Op::Delete(_) => Ok(()),
    }
}
