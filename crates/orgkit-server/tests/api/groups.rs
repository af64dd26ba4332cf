//! Groups: created, renamed and deleted by admins; members added by admins or the group's
//! managers; a deleted group takes its grants and members with it.

use crate::harness::{assert_error, Backend, TestServer};
use crate::workspaces::{call, create_ws, grant};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The group lifecycle with every refusal: `forbidden`, `group_name_taken`, `not_a_member`,
/// `not_found`, and a group kind where only people and service accounts go.
pub async fn groups_are_managed_by_admins_and_their_managers(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let lead = s.sign_up("lead@example.com").await;
    let dev = s.sign_up("dev@example.com").await;
    let other = s.sign_up("other@example.com").await;
    let outsider = s.sign_up("outsider@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    for user in [&lead, &dev, &other] {
        s.add_member(&admin, &org, user, "basic_member").await;
    }
    let base = format!("/v1/organizations/{org}/groups");
    let eng = json!({"name": "Engineering", "description": "Builds it."});
    assert_error(
        &call(&s, &lead, Method::POST, &base, Some(eng.clone())).await,
        403,
        "forbidden",
    );
    let (status, group) = call(&s, &admin, Method::POST, &base, Some(eng.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    assert_eq!(group["memberCount"], 0);
    assert_eq!(group["description"], "Builds it.");
    assert_error(
        &call(&s, &admin, Method::POST, &base, Some(eng)).await,
        409,
        "group_name_taken",
    );
    let (status, ops) = call(
        &s,
        &admin,
        Method::POST,
        &base,
        Some(json!({"name": "Ops"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ops}");
    let grp = group["id"].as_str().unwrap().to_owned();
    let one = format!("{base}/{grp}");
    let member = |kind: &str, id: &str| format!("{one}/members/{kind}/{id}");

    let (status, page) = call(&s, &dev, Method::GET, &base, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"].as_array().unwrap().len(), 2, "{page}");
    assert_error(
        &call(&s, &outsider, Method::GET, &base, None).await,
        404,
        "not_found",
    );
    let (_, first) = call(&s, &dev, Method::GET, &format!("{base}?limit=1"), None).await;
    assert_eq!(first["nextCursor"], grp.as_str(), "{first}");

    let as_manager = Some(json!({"role": "manager"}));
    let as_member = Some(json!({"role": "member"}));
    let refused = call(
        &s,
        &lead,
        Method::PUT,
        &member("user", &dev.id),
        as_member.clone(),
    )
    .await;
    assert_error(&refused, 403, "forbidden");
    let (status, added) = call(
        &s,
        &admin,
        Method::PUT,
        &member("user", &lead.id),
        as_manager,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["role"], "manager");
    assert_eq!(added["principal"]["name"], "lead");
    let (status, added) = call(
        &s,
        &lead,
        Method::PUT,
        &member("user", &dev.id),
        as_member.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let refused = call(
        &s,
        &dev,
        Method::PUT,
        &member("user", &other.id),
        as_member.clone(),
    )
    .await;
    assert_error(&refused, 403, "forbidden");
    let refused = call(
        &s,
        &lead,
        Method::PUT,
        &member("user", &outsider.id),
        as_member.clone(),
    )
    .await;
    assert_error(&refused, 409, "not_a_member");
    let refused = call(
        &s,
        &lead,
        Method::PUT,
        &member("service_account", "sa_unknown"),
        as_member.clone(),
    )
    .await;
    assert_error(&refused, 404, "not_found");
    let refused = call(
        &s,
        &admin,
        Method::PUT,
        &member("group", ops["id"].as_str().unwrap()),
        as_member.clone(),
    )
    .await;
    assert_error(&refused, 400, "validation_failed");
    let unknown = format!("{base}/grp_unknown/members/user/{}", dev.id);
    assert_error(
        &call(&s, &admin, Method::PUT, &unknown, as_member).await,
        404,
        "not_found",
    );

    let (status, seen) = call(&s, &lead, Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["memberCount"], 2);
    assert_eq!(seen["myRole"], "manager");
    let (status, members) = call(&s, &other, Method::GET, &format!("{one}/members"), None).await;
    assert_eq!(status, StatusCode::OK, "{members}");
    assert_eq!(members["data"].as_array().unwrap().len(), 2, "{members}");
    let (_, page) = call(
        &s,
        &other,
        Method::GET,
        &format!("{one}/members?limit=1"),
        None,
    )
    .await;
    let cursor = page["nextCursor"].as_str().unwrap();
    let (_, rest) = call(
        &s,
        &other,
        Method::GET,
        &format!("{one}/members?limit=1&after={cursor}"),
        None,
    )
    .await;
    assert_eq!(
        rest["data"][0]["principal"]["id"],
        dev.id.as_str(),
        "{rest}"
    );

    let rename = Some(json!({"name": "Platform"}));
    assert_error(
        &call(&s, &lead, Method::PATCH, &one, rename.clone()).await,
        403,
        "forbidden",
    );
    let (status, renamed) = call(&s, &admin, Method::PATCH, &one, rename).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Platform");
    assert_eq!(renamed["description"], "Builds it.");
    let clash = Some(json!({"name": "Ops"}));
    assert_error(
        &call(&s, &admin, Method::PATCH, &one, clash).await,
        409,
        "group_name_taken",
    );

    let (status, _) = call(&s, &lead, Method::DELETE, &member("user", &dev.id), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &call(&s, &lead, Method::DELETE, &member("user", &dev.id), None).await,
        404,
        "not_found",
    );

    let ws = create_ws(&s, &admin, &org, "Shared").await;
    let (status, _) = grant(&s, &admin, &org, &ws, "group", &grp, "ws:member").await;
    assert_eq!(status, StatusCode::OK);
    let grants_sql = "SELECT COUNT(*) FROM workspace_grants WHERE principal_id = $1";
    assert_eq!(s.count(grants_sql, &grp).await, 1);
    assert_error(
        &call(&s, &lead, Method::DELETE, &one, None).await,
        403,
        "forbidden",
    );
    let (status, _) = call(&s, &admin, Method::DELETE, &one, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.count(grants_sql, &grp).await, 0);
    let members_sql = "SELECT COUNT(*) FROM group_members WHERE group_id = $1";
    assert_eq!(s.count(members_sql, &grp).await, 0);
    assert_error(
        &call(&s, &admin, Method::GET, &one, None).await,
        404,
        "not_found",
    );
    assert_error(
        &call(&s, &admin, Method::DELETE, &one, None).await,
        404,
        "not_found",
    );

    for (action, n) in [
        ("group.created", 2),
        ("group.updated", 1),
        ("group.deleted", 1),
        ("group.member_added", 2),
        ("group.member_removed", 1),
    ] {
        assert_eq!(s.audit_count(action).await, n, "{action}");
    }
}
