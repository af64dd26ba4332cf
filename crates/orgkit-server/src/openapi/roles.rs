//! The role bodies' schemas, so that what the schema allows the server takes: custom role keys
//! and texts as `custom_role` checks them, permissions from the catalog, and a member's new
//! role or roles.

use orgkit_core::custom_role::{MAX_ROLES_PER_MEMBER, MAX_ROLE_DESCRIPTION, MAX_ROLE_NAME};
use orgkit_core::RoleCatalog;
use serde_json::{json, Map, Value};

/// Characters `char::is_control` refuses in names and descriptions.
const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";

pub(super) fn complete(schemas: &mut Map<String, Value>, catalog: &RoleCatalog) {
    let permissions: Vec<&str> = catalog.permission_catalog().keys().collect();
    let permission_list =
        json!({"type": "array", "items": {"type": "string", "enum": permissions}});
    // A name holds a non-blank character; `\s` is what `str::trim` takes away.
    let name = json!({"type": "string", "minLength": 1, "maxLength": MAX_ROLE_NAME,
        "pattern": format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$")});
    let description = json!({"type": "string", "maxLength": MAX_ROLE_DESCRIPTION,
        "pattern": format!("^[^{CONTROL}]*$")});
    schemas.insert(
        "CreateRoleRequest".to_owned(),
        json!({"type": "object", "additionalProperties": false,
            "required": ["key", "name", "permissions"],
            "properties": {
                "key": {"type": "string", "pattern": "^org:[a-z0-9_-]{1,40}$",
                    "description": "org:<slug>; org:admin and org:member name the built-ins (role_key_taken)"},
                "name": name,
                "description": description,
                "permissions": permission_list,
            }}),
    );
    // In the partial updates, `null` is the same as absent: unchanged.
    let or_null = |schema: &Value| json!({"anyOf": [schema, {"type": "null"}]});
    schemas.insert(
        "UpdateRoleRequest".to_owned(),
        json!({"type": "object", "additionalProperties": false,
            "properties": {"name": or_null(&name), "description": or_null(&description),
                "permissions": or_null(&permission_list)}}),
    );
    let role = json!({"$ref": "#/components/schemas/Role"});
    schemas.insert(
        "RoleSettingsRequest".to_owned(),
        json!({"type": "object", "additionalProperties": false,
            "properties": {"creatorRole": or_null(&role), "defaultRole": or_null(&role)}}),
    );
    schemas.insert(
        "UpdateMembershipRequest".to_owned(),
        json!({"description": "The member's new role, or their whole new set of roles (the first is the primary one).",
            "oneOf": [
            {"type": "object", "additionalProperties": false, "required": ["role"],
                "properties": {"role": role}},
            {"type": "object", "additionalProperties": false, "required": ["roles"],
                "properties": {"roles": {"type": "array", "items": role, "minItems": 1,
                    "maxItems": MAX_ROLES_PER_MEMBER, "uniqueItems": true}}}
        ]}),
    );
}
