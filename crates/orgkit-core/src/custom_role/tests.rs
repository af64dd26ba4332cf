use super::*;
use crate::permission::PermissionCatalog;
use crate::role::RoleDefinition;

#[test]
fn role_keys() {
    for ok in ["org:billing", "org:billing_manager", "org:a-1"] {
        assert_eq!(check_role_key(ok), Ok(()), "{ok}");
    }
    let long = format!("org:{}", "a".repeat(41));
    for bad in [
        "billing",
        "org:",
        "org:Billing",
        "org:bill ing",
        "org:bill:ing",
        "admin",
        long.as_str(),
    ] {
        assert_eq!(
            check_role_key(bad).map_err(|e| e.code),
            Err(ErrorCode::ValidationFailed),
            "{bad}"
        );
    }
    for built_in in ["org:admin", "org:member"] {
        assert_eq!(
            check_role_key(built_in).map_err(|e| e.code),
            Err(ErrorCode::RoleKeyTaken),
            "{built_in}"
        );
    }
}

#[test]
fn role_names_and_descriptions() {
    assert_eq!(
        check_role_text("  Billing  ", " Pays "),
        Ok(("Billing", "Pays"))
    );
    assert_eq!(
        check_role_text("Ä".repeat(64).as_str(), "").map(|_| ()),
        Ok(())
    );
    let long_name = "a".repeat(65);
    let long_description = "a".repeat(501);
    for (name, description) in [
        ("", ""),
        ("   ", "x"),
        (long_name.as_str(), ""),
        ("Billing", long_description.as_str()),
        ("Bill\u{7}", ""),
    ] {
        assert_eq!(
            check_role_text(name, description).map_err(|e| e.code),
            Err(ErrorCode::ValidationFailed),
            "{name:?}"
        );
    }
}

#[test]
fn role_lists() {
    assert_eq!(check_role_list(&["admin"]), Ok(()));
    assert_eq!(check_role_list(&["admin", "org:billing"]), Ok(()));
    let many: Vec<String> = (0..=MAX_ROLES_PER_MEMBER)
        .map(|i| format!("org:r{i}"))
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for bad in [&[][..], &["admin", "admin"][..], &many[..]] {
        assert_eq!(
            check_role_list(bad).map_err(|e| e.code),
            Err(ErrorCode::ValidationFailed),
            "{bad:?}"
        );
    }
    assert_eq!(check_role_list(&many[..MAX_ROLES_PER_MEMBER]), Ok(()));
}

#[test]
fn a_change_touches_the_roles_added_and_removed() {
    let catalog =
        RoleCatalog::with_permissions(PermissionCatalog::default()).with_custom([RoleDefinition {
            key: "org:audit".into(),
            name: "Audit".into(),
            description: String::new(),
            permissions: PermissionSet::of(&[Permission::AuditRead]),
        }]);
    let read = PermissionSet::of(&[Permission::MembershipsRead]);
    let audit = PermissionSet::of(&[Permission::AuditRead]);
    let cases: [(&[&str], &[&str], PermissionSet); 5] = [
        (&["basic_member"], &["basic_member"], PermissionSet::EMPTY),
        (&["basic_member"], &["basic_member", "org:audit"], audit),
        (&["basic_member", "org:audit"], &["basic_member"], audit),
        (&["basic_member"], &["org:audit"], audit.union(read)),
        (&["org:gone"], &["basic_member"], read),
    ];
    for (old, new, expected) in cases {
        assert_eq!(
            changed_permissions(&catalog, old, new),
            expected,
            "{old:?} -> {new:?}"
        );
    }
}
