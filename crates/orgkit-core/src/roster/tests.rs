use super::*;
use crate::role::RoleCatalog;

/// A `'static` role list of the one role a table names, or `None`.
fn roles(role: Option<&'static str>) -> Option<&'static [&'static str]> {
    role.map(|r| std::slice::from_ref(Box::leak(Box::new(r))) as &'static [&'static str])
}

fn codes<T>(r: Result<T, DomainError>) -> Result<T, ErrorCode> {
    r.map_err(|e| e.code)
}

#[test]
fn who_sees_which_status() {
    use RosterStatus::*;
    let me = UserId("user_me".into());
    let actor = |role| Actor {
        user_id: &me,
        roles: roles(role),
    };
    type Case<'a> = (
        Option<&'a str>,
        &'a [RosterStatus],
        Result<Vec<RosterStatus>, ErrorCode>,
    );
    let cases: [Case<'_>; 8] = [
        (Some("admin"), &[], Ok(vec![Joined, Invited, Requested])),
        (
            Some("admin"),
            &[Requested, Joined],
            Ok(vec![Joined, Requested]),
        ),
        (Some("basic_member"), &[], Ok(vec![Joined])),
        (Some("basic_member"), &[Joined], Ok(vec![Joined])),
        (Some("basic_member"), &[Invited], Err(ErrorCode::Forbidden)),
        (
            Some("basic_member"),
            &[Joined, Requested],
            Err(ErrorCode::Forbidden),
        ),
        (None, &[], Err(ErrorCode::NotFound)),
        (Some("ghost"), &[], Err(ErrorCode::UnknownRole)),
    ];
    for (role, asked, expected) in cases {
        assert_eq!(
            codes(roster_statuses(
                &RoleCatalog::built_in(),
                actor(role),
                asked
            )),
            expected,
            "{role:?} {asked:?}"
        );
    }
}

#[test]
fn status_filters_and_queries() {
    use RosterStatus::*;
    assert_eq!(
        codes(parse_statuses("joined, invited")),
        Ok(vec![Joined, Invited])
    );
    assert_eq!(codes(parse_statuses("")), Ok(vec![]));
    assert_eq!(
        codes(parse_statuses("left")),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(codes(roster_query("  Ad ")), Ok(Some("ad".to_owned())));
    assert_eq!(codes(roster_query("   ")), Ok(None));
    assert_eq!(
        codes(roster_query("a\u{7}")),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(
        codes(roster_query(&"a".repeat(255))),
        Err(ErrorCode::ValidationFailed)
    );
    for s in RosterStatus::ALL {
        assert_eq!(RosterStatus::parse(s.as_str()), Some(s));
    }
}

#[test]
fn cursors_round_trip_and_reject_garbage() {
    let c = RosterCursor {
        email: "bob+x@example.com".into(),
        id: "mem_01ABC".into(),
    };
    let wire = c.encode();
    assert!(wire.starts_with("mem_01ABC.626f62"), "{wire}");
    assert_eq!(RosterCursor::decode(&wire).ok(), Some(c));
    for bad in [
        "",
        "mem_01ABC",
        "mem_01ABC.",
        "mem_01ABC.6",
        "mem_01ABC.zz",
        "mem_01ABC.6F",
        "user_1.61",
        "org_1.61",
    ] {
        assert_eq!(
            codes(RosterCursor::decode(bad)),
            Err(ErrorCode::ValidationFailed),
            "{bad}"
        );
    }
    assert!(RosterCursor::decode("jrq_1.61").is_ok());
    assert!(RosterCursor::decode("inv_1.61").is_ok());
}

#[test]
fn bulk_ids() {
    let ok = ["user_a", "user_b"];
    assert_eq!(codes(check_bulk_removal_ids(&ok)), Ok(()));
    let too_many: Vec<String> = (0..101).map(|i| format!("user_{i}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    assert_eq!(
        codes(check_bulk_removal_ids(&too_many)),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(codes(check_bulk_removal_ids(&too_many[..100])), Ok(()));
    assert_eq!(
        codes(check_bulk_removal_ids(&[])),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(
        codes(check_bulk_removal_ids(&["mem_a"])),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(codes(check_bulk_removal_ids(&["user_a", "user_a"])), Ok(()));
}

#[test]
fn bulk_removal_is_decided_as_a_batch() {
    let ids: Vec<UserId> = ["user_me", "user_a1", "user_a2", "user_m1", "user_x"]
        .iter()
        .map(|s| UserId((*s).to_owned()))
        .collect();
    let t = |i: usize, role: Option<&'static str>| BulkTarget {
        user_id: ids[i].as_str(),
        roles: roles(role),
    };
    let admin = |role| Actor {
        user_id: &ids[0],
        roles: roles(role),
    };
    let plan = |role, targets: &[BulkTarget<'_>], admins| {
        codes(plan_bulk_removal(
            &RoleCatalog::built_in(),
            admin(role),
            targets,
            admins,
        ))
        .map(|v| v.into_iter().map(codes).collect::<Vec<_>>())
    };
    // Three admins (me, a1, a2): removing all three keeps the last one named.
    let all_admins = [
        t(0, Some("admin")),
        t(1, Some("admin")),
        t(2, Some("admin")),
    ];
    assert_eq!(
        plan(Some("admin"), &all_admins, Some(3)),
        Ok(vec![Ok(()), Ok(()), Err(ErrorCode::LastAdmin)])
    );
    // Members, a stranger and one admin of two.
    let mixed = [t(3, Some("basic_member")), t(4, None), t(1, Some("admin"))];
    assert_eq!(
        plan(Some("admin"), &mixed, Some(2)),
        Ok(vec![Ok(()), Err(ErrorCode::NotFound), Ok(())])
    );
    assert_eq!(
        plan(Some("admin"), &mixed, Some(1)),
        Ok(vec![
            Ok(()),
            Err(ErrorCode::NotFound),
            Err(ErrorCode::LastAdmin)
        ])
    );
    // A repeated id is answered once; the repeat is not found.
    let twice = [t(3, Some("basic_member")), t(3, Some("basic_member"))];
    assert_eq!(
        plan(Some("admin"), &twice, Some(1)),
        Ok(vec![Ok(()), Err(ErrorCode::NotFound)])
    );
    // Unknown admin count (the SDK): the server decides the last-admin part.
    assert_eq!(
        plan(Some("admin"), &all_admins, None),
        Ok(vec![Ok(()), Ok(()), Ok(())])
    );
    assert_eq!(
        plan(Some("basic_member"), &mixed, Some(2)),
        Err(ErrorCode::Forbidden)
    );
    assert_eq!(plan(None, &mixed, Some(2)), Err(ErrorCode::NotFound));
}
