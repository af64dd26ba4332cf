//! Workspaces: creating, reading, renaming, archiving, personal workspaces, grants, effective
//! access (direct, group, organization), and what a member's removal takes with it.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub(crate) async fn call(
    s: &TestServer,
    user: &User,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    user.call(s, method, path, body).await
}

pub(crate) async fn create_ws(s: &TestServer, admin: &User, org: &str, name: &str) -> String {
    let path = format!("/v1/organizations/{org}/workspaces");
    let (status, ws) = call(s, admin, Method::POST, &path, Some(json!({"name": name}))).await;
    assert_eq!(status, StatusCode::CREATED, "{ws}");
    ws["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn grant(
    s: &TestServer,
    by: &User,
    org: &str,
    ws: &str,
    kind: &str,
    id: &str,
    role: &str,
) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/workspaces/{ws}/principals/{kind}/{id}");
    call(s, by, Method::PUT, &path, Some(json!({"role": role}))).await
}

async fn access_of(
    s: &TestServer,
    by: &User,
    org: &str,
    ws: &str,
    user: &User,
) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/workspaces/{ws}/access/{}", user.id);
    call(s, by, Method::GET, &path, None).await
}

/// Only holders of `org:workspaces:manage` create shared workspaces; slugs are suggested and
/// unique; members reach only what is granted to them; managers rename and archive, and an
/// archived workspace hides from members and takes no grants. Every write is audited.
pub async fn workspaces_are_created_granted_renamed_and_archived(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let outsider = s.sign_up("outsider@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let base = format!("/v1/organizations/{org}/workspaces");

    let refused = call(
        &s,
        &member,
        Method::POST,
        &base,
        Some(json!({"name": "Mine"})),
    )
    .await;
    assert_error(&refused, 403, "forbidden");
    let (status, ws) = call(
        &s,
        &admin,
        Method::POST,
        &base,
        Some(json!({"name": " Design Team "})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ws}");
    assert_eq!(ws["name"], "Design Team");
    assert_eq!(ws["slug"], "design-team");
    assert_eq!(ws["personal"], false);
    assert_eq!(ws["myRole"], "ws:manager");
    assert_eq!(ws["myAccessVia"], "organization");
    let id = ws["id"].as_str().unwrap().to_owned();
    let taken = json!({"name": "Other", "slug": "design-team"});
    assert_error(
        &call(&s, &admin, Method::POST, &base, Some(taken)).await,
        409,
        "workspace_slug_taken",
    );
    let bad = json!({"name": "Other", "slug": "Not A Slug"});
    assert_error(
        &call(&s, &admin, Method::POST, &base, Some(bad)).await,
        400,
        "validation_failed",
    );
    let other = create_ws(&s, &admin, &org, "Second").await;

    let one = format!("{base}/{id}");
    assert_error(
        &call(&s, &member, Method::GET, &one, None).await,
        404,
        "not_found",
    );
    let (status, page) = call(&s, &member, Method::GET, &base, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"].as_array().unwrap().len(), 0, "{page}");
    assert_error(
        &call(&s, &outsider, Method::GET, &base, None).await,
        404,
        "not_found",
    );
    assert_error(
        &call(&s, &outsider, Method::GET, &one, None).await,
        404,
        "not_found",
    );

    let (status, granted) = grant(&s, &admin, &org, &id, "user", &member.id, "ws:member").await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(granted["principal"]["type"], "user");
    assert_eq!(granted["principal"]["name"], "member");
    assert_eq!(granted["role"], "ws:member");
    let (status, seen) = call(&s, &member, Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["myRole"], "ws:member");
    assert_eq!(seen["myAccessVia"], "direct");
    let (_, page) = call(&s, &member, Method::GET, &base, None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "{page}");
    let (_, page) = call(&s, &admin, Method::GET, &format!("{base}?limit=1"), None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "{page}");
    let cursor = page["nextCursor"].as_str().unwrap().to_owned();
    let (_, rest) = call(
        &s,
        &admin,
        Method::GET,
        &format!("{base}?limit=1&after={cursor}"),
        None,
    )
    .await;
    assert_eq!(rest["data"][0]["id"], other.as_str(), "{rest}");
    assert!(rest["nextCursor"].is_null(), "{rest}");

    let rename = json!({"name": "Design"});
    assert_error(
        &call(&s, &member, Method::PATCH, &one, Some(rename.clone())).await,
        403,
        "forbidden",
    );
    let (status, renamed) = call(&s, &admin, Method::PATCH, &one, Some(rename)).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Design");
    assert_eq!(renamed["slug"], "design-team");
    let clash = json!({"slug": "second"});
    assert_error(
        &call(&s, &admin, Method::PATCH, &one, Some(clash)).await,
        409,
        "workspace_slug_taken",
    );
    let unknown = format!("{base}/ws_unknown");
    assert_error(
        &call(&s, &admin, Method::PATCH, &unknown, Some(json!({}))).await,
        404,
        "not_found",
    );

    let archive = format!("{one}/archive");
    assert_error(
        &call(&s, &member, Method::POST, &archive, None).await,
        403,
        "forbidden",
    );
    let (status, archived) = call(&s, &admin, Method::POST, &archive, None).await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["archived"], true);
    assert_error(
        &call(&s, &member, Method::GET, &one, None).await,
        404,
        "not_found",
    );
    let (_, page) = call(&s, &member, Method::GET, &base, None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 0, "{page}");
    let refused = grant(&s, &admin, &org, &id, "user", &member.id, "ws:manager").await;
    assert_error(&refused, 409, "workspace_archived");
    let (status, restored) =
        call(&s, &admin, Method::POST, &format!("{one}/unarchive"), None).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["archived"], false);
    let (status, _) = call(&s, &member, Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK);

    for (action, n) in [
        ("workspace.created", 2),
        ("workspace.updated", 1),
        ("workspace.archived", 1),
        ("workspace.unarchived", 1),
        ("workspace.granted", 1),
    ] {
        assert_eq!(s.audit_count(action).await, n, "{action}");
    }
}

/// My personal workspace is made on first use, once; it is mine to manage, takes no grants,
/// and admins see it as managers of every workspace.
pub async fn personal_workspaces_are_made_once_and_take_no_grants(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let other = s.sign_up("other@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    s.add_member(&admin, &org, &other, "basic_member").await;
    let path = format!("/v1/organizations/{org}/workspaces/personal");
    let (status, first) = call(&s, &member, Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["personal"], true);
    assert_eq!(first["name"], "Personal");
    assert_eq!(first["myRole"], "ws:manager");
    assert_eq!(first["myAccessVia"], "personal");
    let (_, again) = call(&s, &member, Method::POST, &path, None).await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(s.audit_count("workspace.created").await, 1);
    let id = first["id"].as_str().unwrap();
    let refused = grant(&s, &member, &org, id, "user", &other.id, "ws:member").await;
    assert_error(&refused, 409, "workspace_personal");
    let one = format!("/v1/organizations/{org}/workspaces/{id}");
    assert_error(
        &call(&s, &other, Method::GET, &one, None).await,
        404,
        "not_found",
    );
    let (status, seen) = call(&s, &admin, Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["myAccessVia"], "organization");
    let (_, theirs) = call(&s, &other, Method::POST, &path, None).await;
    assert_ne!(theirs["id"], first["id"]);
    assert_ne!(theirs["slug"], first["slug"]);
}

/// Effective access: the higher of the direct and the group grant (direct on a tie), admins
/// as managers of every workspace; managers read anyone's, members only their own. Grants go
/// only to members (`not_a_member`) and to the organization's groups and service accounts.
pub async fn effective_access_is_direct_group_or_organization(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let [a, b, c, outsider] = [
        s.sign_up("a@example.com").await,
        s.sign_up("b@example.com").await,
        s.sign_up("c@example.com").await,
        s.sign_up("outsider@example.com").await,
    ];
    let org = s.create_org(&admin, "Acme").await;
    for user in [&a, &b, &c] {
        s.add_member(&admin, &org, user, "basic_member").await;
    }
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    let (status, group) = call(
        &s,
        &admin,
        Method::POST,
        &format!("/v1/organizations/{org}/groups"),
        Some(json!({"name": "Leads"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let grp = group["id"].as_str().unwrap();
    let add = format!("/v1/organizations/{org}/groups/{grp}/members/user/{}", a.id);
    let (status, _) = call(
        &s,
        &admin,
        Method::PUT,
        &add,
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for (kind, id, role) in [
        ("group", grp, "ws:manager"),
        ("user", &a.id, "ws:member"),
        ("user", &b.id, "ws:manager"),
        ("user", &c.id, "ws:member"),
    ] {
        let (status, body) = grant(&s, &admin, &org, &ws, kind, id, role).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let expect = |body: &Value, role: &str, via: &str| {
        assert_eq!(body["role"], role, "{body}");
        assert_eq!(body["via"], via, "{body}");
    };
    let (status, body) = access_of(&s, &b, &org, &ws, &a).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    expect(&body, "ws:manager", "group");
    expect(
        &access_of(&s, &a, &org, &ws, &b).await.1,
        "ws:manager",
        "direct",
    );
    expect(
        &access_of(&s, &a, &org, &ws, &admin).await.1,
        "ws:manager",
        "organization",
    );
    expect(
        &access_of(&s, &c, &org, &ws, &c).await.1,
        "ws:member",
        "direct",
    );
    assert_error(&access_of(&s, &c, &org, &ws, &a).await, 403, "forbidden");
    let (_, none) = access_of(&s, &admin, &org, &ws, &outsider).await;
    assert!(none["role"].is_null() && none["via"].is_null(), "{none}");
    // A tie goes to the direct grant.
    let (status, _) = grant(&s, &admin, &org, &ws, "user", &a.id, "ws:manager").await;
    assert_eq!(status, StatusCode::OK);
    expect(
        &access_of(&s, &a, &org, &ws, &a).await.1,
        "ws:manager",
        "direct",
    );

    assert_error(
        &grant(&s, &b, &org, &ws, "user", &outsider.id, "ws:member").await,
        409,
        "not_a_member",
    );
    assert_error(
        &grant(&s, &b, &org, &ws, "group", "grp_unknown", "ws:member").await,
        404,
        "not_found",
    );
    assert_error(
        &grant(
            &s,
            &b,
            &org,
            &ws,
            "service_account",
            "sa_unknown",
            "ws:member",
        )
        .await,
        404,
        "not_found",
    );
    assert_error(
        &grant(&s, &c, &org, &ws, "user", &outsider.id, "ws:member").await,
        403,
        "forbidden",
    );

    let principals = format!("/v1/organizations/{org}/workspaces/{ws}/principals");
    let (status, page) = call(&s, &b, Method::GET, &principals, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 4, "{page}");
    assert!(
        data.iter()
            .any(|g| g["principal"]["type"] == "group" && g["principal"]["name"] == "Leads"),
        "{page}"
    );
    let (_, first) = call(&s, &b, Method::GET, &format!("{principals}?limit=3"), None).await;
    let cursor = first["nextCursor"].as_str().unwrap();
    let (_, rest) = call(
        &s,
        &b,
        Method::GET,
        &format!("{principals}?limit=3&after={cursor}"),
        None,
    )
    .await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 1, "{rest}");
    assert_error(
        &call(&s, &c, Method::GET, &principals, None).await,
        403,
        "forbidden",
    );
    let revoke = format!("{principals}/user/{}", c.id);
    assert_error(
        &call(&s, &c, Method::DELETE, &revoke, None).await,
        403,
        "forbidden",
    );
    let (status, _) = call(&s, &b, Method::DELETE, &revoke, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &call(&s, &b, Method::DELETE, &revoke, None).await,
        404,
        "not_found",
    );
    assert_error(&access_of(&s, &c, &org, &ws, &c).await, 404, "not_found");
    assert_eq!(s.audit_count("workspace.revoked").await, 1);
}
