//! The role catalog the SDK judges with, and reading the role answers and parameters.

use crate::error::{invalid_input, local};
use crate::js::{array, field, param, params, string, strings, text};
use js_sys::Array;
use orgkit_core::custom_role::{check_role_key, DEFAULT_CREATOR_ROLE, DEFAULT_DEFAULT_ROLE};
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

/// A list of strings at `value[key]`: `None` when absent, a rejection when not a list of
/// strings.
pub(crate) fn string_list(
    value: &JsValue,
    key: &str,
    usage: &'static str,
) -> Result<Option<Vec<String>>, JsValue> {
    let raw = field(value, key);
    if raw.is_undefined() || raw.is_null() {
        return Ok(None);
    }
    if !Array::is_array(&raw) {
        return Err(invalid_input(usage));
    }
    Array::from(&raw)
        .iter()
        .map(|v| v.as_string().ok_or_else(|| invalid_input(usage)))
        .collect::<Result<_, _>>()
        .map(Some)
}

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
