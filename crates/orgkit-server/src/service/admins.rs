//! Counting an organization's admins for the last-admin rule, in the statement that reads the
//! rest: members whose roles together hold the admin permissions (`RoleCatalog::holds_admin`),
//! through any role or several.
//!
//! Two scalar subqueries do it. `admin_full` counts the members holding a role that alone makes
//! an admin (one index range per table, however many admins there are). `admin_partial` lists,
//! as `user=role` pairs, the roles that grant only part of the admin permissions, held by
//! members who are not already counted; the rule book judges those unions. Organizations
//! without such roles, or whose members hold none, get `NULL` there.

use orgkit_core::RoleCatalog;
use std::collections::HashMap;

/// The two columns, and the role keys to bind, in order, from the first slot given.
pub(crate) struct AdminCountSql<'c> {
    /// `… AS admin_full, … AS admin_partial`.
    pub columns: String,
    pub keys: Vec<&'c str>,
}

/// The admin count columns of the organization `$1` under `catalog`: active members, and the
/// suspended members for whom `include_suspended(column)` (an SQL predicate on a user id
/// column) holds, so acting on a suspended admin never looks like losing the last one. Keys
/// bind from `$first` on.
///
/// With `cap`, each of the two counts stops at `cap` rows, so the count costs the same with a
/// thousand admins as with two; it is then exact below `cap` and at least `cap` otherwise,
/// which is all a rule asking whether another admin remains needs (see [`up_to`]).
pub(crate) fn admin_count_sql<'c>(
    catalog: &'c RoleCatalog,
    first: usize,
    include_suspended: impl Fn(&str) -> String,
    cap: Option<u32>,
) -> AdminCountSql<'c> {
    let full = catalog.admin_role_keys();
    let partial: Vec<&str> = catalog
        .admin_granting_keys()
        .into_iter()
        .filter(|k| !full.contains(k))
        .collect();
    let slots = |from: usize, n: usize| {
        let slots: Vec<String> = (from..from + n).map(|i| format!("${i}")).collect();
        if slots.is_empty() {
            "NULL".to_owned()
        } else {
            slots.join(", ")
        }
    };
    let full_slots = slots(first, full.len());
    let partial_slots = slots(first + full.len(), partial.len());
    let (a_in, b_in) = (
        include_suspended("a.user_id"),
        include_suspended("b.user_id"),
    );
    let holders = |keys: &str, columns: &str, union: &str| {
        format!(
            "SELECT {columns} FROM memberships a WHERE a.org_id = $1 AND a.role IN ({keys}) \
               AND (a.suspended_at IS NULL OR {a_in}) \
             {union} SELECT r.user_id{rest} FROM membership_roles r \
               JOIN memberships b ON b.org_id = r.org_id AND b.user_id = r.user_id \
             WHERE r.org_id = $1 AND r.role IN ({keys}) AND (b.suspended_at IS NULL OR {b_in})",
            rest = if columns.contains("role") {
                ", r.role"
            } else {
                ""
            },
        )
    };
    let full_holders = holders(&full_slots, "a.user_id", "UNION");
    // Counted without building the union: primary roles by the `(org_id, role)` index, then
    // further roles of members whose primary role does not already count.
    let primary = up_to(
        &format!(
            "SELECT a.user_id FROM memberships a WHERE a.org_id = $1 \
               AND a.role IN ({full_slots}) AND (a.suspended_at IS NULL OR {a_in})"
        ),
        cap,
    );
    let further = up_to(
        &format!(
            "SELECT DISTINCT r.user_id FROM membership_roles r \
               JOIN memberships b ON b.org_id = r.org_id AND b.user_id = r.user_id \
             WHERE r.org_id = $1 AND r.role IN ({full_slots}) AND b.role NOT IN ({full_slots}) \
               AND (b.suspended_at IS NULL OR {b_in})"
        ),
        cap,
    );
    let full_count = format!("{primary} + {further}");
    let partial_column = if partial.is_empty() {
        "NULL".to_owned()
    } else {
        format!(
            "(SELECT string_agg(c.user_id || '=' || c.role, ',') FROM ({}) c \
              WHERE c.user_id NOT IN ({full_holders}))",
            holders(&partial_slots, "a.user_id, a.role", "UNION ALL")
        )
    };
    let mut keys = full;
    keys.extend(partial);
    AdminCountSql {
        columns: format!("{full_count} AS admin_full, {partial_column} AS admin_partial"),
        keys,
    }
}

/// A scalar subquery counting the rows of `select`, stopping at `cap` rows when given.
pub(crate) fn up_to(select: &str, cap: Option<u32>) -> String {
    match cap {
        Some(cap) => format!("(SELECT COUNT(*) FROM ({select} LIMIT {cap}) counted)"),
        None => format!("(SELECT COUNT(*) FROM ({select}) counted)"),
    }
}

/// The admin count from the two columns: the full admins, and the members whose listed
/// partial roles together make an admin under `catalog`.
pub(crate) fn admins(catalog: &RoleCatalog, full: i64, partial: Option<&str>) -> u64 {
    let mut by_user: HashMap<&str, Vec<&str>> = HashMap::new();
    for pair in partial.into_iter().flat_map(|p| p.split(',')) {
        if let Some((user, role)) = pair.split_once('=') {
            by_user.entry(user).or_default().push(role);
        }
    }
    let joined = by_user
        .values()
        .filter(|roles| catalog.holds_admin(roles))
        .count() as u64;
    full.max(0) as u64 + joined
}

#[cfg(test)]
mod tests {
    use super::{admin_count_sql, admins};
    use orgkit_core::permission::Permission;
    use orgkit_core::role::RoleDefinition;
    use orgkit_core::{PermissionSet, RoleCatalog};

    fn half(key: &str, p: Permission) -> RoleDefinition {
        RoleDefinition {
            key: key.into(),
            name: key.into(),
            description: String::new(),
            permissions: PermissionSet::of(&[p]),
        }
    }

    #[test]
    fn admins_count_through_any_role_or_several() {
        let catalog = RoleCatalog::built_in().with_custom([
            half("org:inviter", Permission::InvitationsManage),
            half("org:manager", Permission::MembershipsManage),
        ]);
        let count = |full, pairs| admins(&catalog, full, pairs);
        assert_eq!(count(0, None), 0);
        assert_eq!(count(2, None), 2);
        assert_eq!(count(1, Some("user_b=org:inviter")), 1);
        assert_eq!(count(1, Some("user_b=org:inviter,user_b=org:manager")), 2);
        assert_eq!(count(0, Some("user_b=org:inviter,user_c=org:manager")), 0);
        let sql = admin_count_sql(&catalog, 3, |u| format!("{u} = $2"), None);
        assert_eq!(sql.keys, ["admin", "org:inviter", "org:manager"]);
        assert!(sql.columns.contains("IN ($4, $5)"), "{}", sql.columns);
        let built_in = RoleCatalog::built_in();
        let sql = admin_count_sql(&built_in, 3, |u| format!("{u} = $2"), Some(2));
        assert!(
            sql.columns.ends_with("NULL AS admin_partial"),
            "{}",
            sql.columns
        );
    }
}
