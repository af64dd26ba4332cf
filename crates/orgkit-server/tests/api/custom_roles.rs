//! Custom roles: creating, editing and deleting them, their settings, members holding several
//! roles, the member list as a permission, and races between role edits and demotions.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn create_role(s: &TestServer, user: &User, org: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/roles");
    user.call(s, Method::POST, &path, Some(body)).await
}

async fn set_roles(
    s: &TestServer,
    user: &User,
    org: &str,
    target: &User,
    roles: &[&str],
) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/memberships/{}", target.id);
    user.call(s, Method::PATCH, &path, Some(json!({ "roles": roles })))
        .await
}

fn billing_manager() -> Value {
    json!({"key": "org:billing", "name": "Billing manager", "description": "Pays the bills.",
        "permissions": ["org:billing:read", "org:billing:manage", "org:memberships:read"]})
}

/// An admin makes a "Billing manager" role and gives it to a member, who then edits billing
/// but cannot invite; editing the role narrows them at once; a role in use stays until
/// nobody holds it. Every change is audited.
pub async fn custom_role_lifecycle(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let org = s.create_org(&admin, "Roles").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let (status, role) = create_role(&s, &admin, &org, billing_manager()).await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    assert_eq!(role["key"], "org:billing");
    assert_eq!(role["builtIn"], false);
    let (status, catalog) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/roles"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(catalog["data"][2]["key"], "org:billing", "{catalog}");
    assert_eq!(catalog["creatorRole"], "admin");
    assert_eq!(catalog["defaultRole"], "basic_member");

    let (status, membership) = set_roles(&s, &admin, &org, &member, &["org:billing"]).await;
    assert_eq!(status, StatusCode::OK, "{membership}");
    assert_eq!(membership["role"], "org:billing");
    assert_eq!(membership["roles"], json!(["org:billing"]));
    let billing = format!("/v1/organizations/{org}/billing");
    let profile = json!({"legalName": "Roles Ltd", "email": "billing@example.com"});
    let (status, body) = member
        .call(&s, Method::PUT, &billing, Some(profile.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let invite = format!("/v1/organizations/{org}/invitations");
    let refused = member
        .call(
            &s,
            Method::POST,
            &invite,
            Some(json!({"emailAddress": "x@example.com", "role": "basic_member"})),
        )
        .await;
    assert_error(&refused, 403, "forbidden");

    let role_path = format!("/v1/organizations/{org}/roles/org:billing");
    let narrower = json!({"permissions": ["org:billing:read", "org:memberships:read"]});
    let (status, body) = admin
        .call(&s, Method::PATCH, &role_path, Some(narrower))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["permissions"],
        json!(["org:memberships:read", "org:billing:read"])
    );
    let refused = member
        .call(&s, Method::PUT, &billing, Some(profile.clone()))
        .await;
    assert_error(&refused, 403, "forbidden");
    let (status, _) = member.call(&s, Method::GET, &billing, None).await;
    assert_eq!(status, StatusCode::OK);

    assert_error(
        &admin.call(&s, Method::DELETE, &role_path, None).await,
        409,
        "role_in_use",
    );
    let (status, _) = set_roles(&s, &admin, &org, &member, &["basic_member"]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = admin.call(&s, Method::DELETE, &role_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, catalog) = admin
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/roles"),
            None,
        )
        .await;
    assert_eq!(catalog["data"].as_array().map(Vec::len), Some(2));
    for action in ["role.created", "role.updated", "role.deleted"] {
        assert_eq!(s.audit_count(action).await, 1, "{action}");
    }
}

/// Every refusal of the role routes, by the request that triggers it.
pub async fn role_routes_refuse_with_stable_codes(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let deputy = s.sign_up("deputy@example.com").await;
    let org = s.create_org(&admin, "Codes").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    s.add_member(&admin, &org, &deputy, "basic_member").await;
    let role = |key: &str, permissions: &[&str]| json!({"key": key, "name": "A role", "permissions": permissions});
    for (body, status, code) in [
        (role("billing", &[]), 400, "validation_failed"),
        (role("org:Billing", &[]), 400, "validation_failed"),
        (role("org:admin", &[]), 409, "role_key_taken"),
        (role("org:x", &["org:nope:read"]), 409, "unknown_permission"),
        (
            json!({"key": "org:x", "name": "  ", "permissions": []}),
            400,
            "validation_failed",
        ),
    ] {
        assert_error(&create_role(&s, &admin, &org, body).await, status, code);
    }
    assert_error(
        &create_role(&s, &member, &org, role("org:x", &[])).await,
        403,
        "forbidden",
    );
    let (status, _) = create_role(&s, &admin, &org, billing_manager()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_error(
        &create_role(&s, &admin, &org, billing_manager()).await,
        409,
        "role_key_taken",
    );
    // A role manager who lacks billing cannot grant it.
    let manager = json!({"key": "org:roles", "name": "Roles", "permissions":
        ["org:roles:manage", "org:memberships:read"]});
    assert_eq!(
        create_role(&s, &admin, &org, manager).await.0,
        StatusCode::CREATED
    );
    let (status, _) = set_roles(&s, &admin, &org, &deputy, &["org:roles"]).await;
    assert_eq!(status, StatusCode::OK);
    let refused = create_role(&s, &deputy, &org, role("org:pay", &["org:billing:manage"])).await;
    assert_error(&refused, 403, "permission_escalation");
    assert_eq!(
        refused.1["error"]["missingPermissions"],
        json!(["org:billing:manage"])
    );
    let edit = format!("/v1/organizations/{org}/roles/org:billing");
    assert_error(
        &deputy
            .call(&s, Method::PATCH, &edit, Some(json!({"name": "Bills"})))
            .await,
        403,
        "permission_escalation",
    );
    for key in ["admin", "basic_member"] {
        let path = format!("/v1/organizations/{org}/roles/{key}");
        let answer = admin
            .call(&s, Method::PATCH, &path, Some(json!({"name": "Boss"})))
            .await;
        assert_error(&answer, 409, "built_in_role");
        assert_error(
            &admin.call(&s, Method::DELETE, &path, None).await,
            409,
            "built_in_role",
        );
    }
    let ghost = format!("/v1/organizations/{org}/roles/org:ghost");
    assert_error(
        &admin.call(&s, Method::DELETE, &ghost, None).await,
        404,
        "not_found",
    );
    let settings = format!("/v1/organizations/{org}/role-settings");
    let put = |body: Value| admin.call(&s, Method::PUT, &settings, Some(body));
    assert_error(
        &put(json!({"creatorRole": "basic_member"})).await,
        409,
        "creator_role_insufficient",
    );
    assert_error(
        &put(json!({"defaultRole": "org:ghost"})).await,
        422,
        "unknown_role",
    );
    let (status, body) = put(json!({"defaultRole": "org:billing"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["defaultRole"], "org:billing");
    assert_error(
        &admin.call(&s, Method::DELETE, &edit, None).await,
        409,
        "role_in_use",
    );
    // At most 20 custom roles: two exist.
    for i in 0..18 {
        let (status, body) = create_role(&s, &admin, &org, role(&format!("org:r{i}"), &[])).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    assert_error(
        &create_role(&s, &admin, &org, role("org:r20", &[])).await,
        409,
        "role_limit_reached",
    );
    assert_eq!(s.audit_count("roles.settings_changed").await, 1);
}

/// A member holds several roles: their permissions are the union, the last-admin rule
/// counts admin permissions held through several roles together, and a role without
/// `org:memberships:read` sees only its own membership.
pub async fn members_hold_several_roles(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let both = s.sign_up("both@example.com").await;
    let portal = s.sign_up("portal@example.com").await;
    let org = s.create_org(&admin, "Several").await;
    s.add_member(&admin, &org, &both, "basic_member").await;
    s.add_member(&admin, &org, &portal, "basic_member").await;
    for (key, permissions) in [
        ("org:inviter", json!(["org:invitations:manage"])),
        (
            "org:manager",
            json!(["org:memberships:manage", "org:memberships:read"]),
        ),
        ("org:portal", json!([])),
    ] {
        let body = json!({"key": key, "name": key, "permissions": permissions});
        assert_eq!(
            create_role(&s, &admin, &org, body).await.0,
            StatusCode::CREATED
        );
    }
    let (status, body) = set_roles(&s, &admin, &org, &both, &["org:inviter", "org:manager"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["roles"], json!(["org:inviter", "org:manager"]));
    let (_, mine) = both
        .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
        .await;
    assert_eq!(
        mine["roles"],
        json!(["org:inviter", "org:manager"]),
        "{mine}"
    );
    let permissions = mine["permissions"].as_array().unwrap();
    assert!(permissions.contains(&json!("org:invitations:manage")));
    assert!(permissions.contains(&json!("org:memberships:manage")));
    // The two halves make an admin: the creator may step down, and then they are the last.
    let (status, body) = set_roles(&s, &admin, &org, &admin, &["basic_member"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_error(
        &set_roles(&s, &both, &org, &both, &["org:inviter"]).await,
        409,
        "last_admin",
    );
    // Editing roles needs org:roles:manage, which neither half holds.
    let manager_edit = format!("/v1/organizations/{org}/roles/org:manager");
    let answer = both
        .call(
            &s,
            Method::PATCH,
            &manager_edit,
            Some(json!({"permissions": []})),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    // Granting `admin` needs every permission: the escalation guard lists what is missing.
    let refused = set_roles(&s, &both, &org, &admin, &["admin"]).await;
    assert_error(&refused, 403, "permission_escalation");
    assert!(refused.1["error"]["missingPermissions"]
        .as_array()
        .is_some_and(|m| m.contains(&json!("org:roles:manage"))));
    let (status, _) = set_roles(&s, &both, &org, &portal, &["org:portal"]).await;
    assert_eq!(status, StatusCode::OK);
    let list = format!("/v1/organizations/{org}/memberships");
    let (status, page) = portal.call(&s, Method::GET, &list, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "only my own membership: {page}");
    assert_eq!(data[0]["publicUserData"]["userId"], portal.id.as_str());
    let (_, page) = both.call(&s, Method::GET, &list, None).await;
    assert_eq!(page["data"].as_array().map(Vec::len), Some(3));
    assert_error(
        &set_roles(&s, &both, &org, &portal, &["org:portal", "org:portal"]).await,
        400,
        "validation_failed",
    );
    let path = format!("/v1/organizations/{org}/memberships/{}", portal.id);
    let both_forms = json!({"role": "admin", "roles": ["admin"]});
    assert_error(
        &both.call(&s, Method::PATCH, &path, Some(both_forms)).await,
        400,
        "validation_failed",
    );
}

/// The default role is what a join path gives when none is named: a join request accepted
/// without a role.
pub async fn the_default_role_applies_to_join_paths(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let asker = s.verified_user("asker@example.com").await;
    let org = s.create_org(&admin, "Defaults").await;
    assert_eq!(
        create_role(&s, &admin, &org, billing_manager()).await.0,
        StatusCode::CREATED
    );
    let settings = format!("/v1/organizations/{org}/role-settings");
    let (status, _) = admin
        .call(
            &s,
            Method::PUT,
            &settings,
            Some(json!({"defaultRole": "org:billing"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    s.update_org(&admin, &org, json!({"allowJoinRequests": true}))
        .await;
    let (status, request) = asker
        .call(
            &s,
            Method::POST,
            "/v1/join-requests",
            Some(json!({"organization": org})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    let id = request["id"].as_str().unwrap();
    let accept = format!("/v1/organizations/{org}/join-requests/{id}/accept");
    let (status, membership) = admin.call(&s, Method::POST, &accept, Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{membership}");
    assert_eq!(membership["role"], "org:billing");
}

/// Two admins at once: one steps down while the other's only admin role loses its admin
/// permissions. One of the two is refused, and an admin always remains.
pub async fn role_edits_race_with_demotions(backend: Backend) {
    let s = TestServer::start(backend).await;
    for round in 0..10 {
        let ada = s.sign_up(&format!("ada{round}@example.com")).await;
        let bob = s.sign_up(&format!("bob{round}@example.com")).await;
        let org = s.create_org(&ada, &format!("Race {round}")).await;
        let deputy = json!({"key": "org:deputy", "name": "Deputy", "permissions":
            ["org:memberships:manage", "org:invitations:manage", "org:memberships:read"]});
        assert_eq!(
            create_role(&s, &ada, &org, deputy).await.0,
            StatusCode::CREATED
        );
        s.add_member(&ada, &org, &bob, "basic_member").await;
        assert_eq!(
            set_roles(&s, &ada, &org, &bob, &["org:deputy"]).await.0,
            StatusCode::OK
        );
        let edit = format!("/v1/organizations/{org}/roles/org:deputy");
        let narrow = ada.call(
            &s,
            Method::PATCH,
            &edit,
            Some(json!({"permissions": ["org:memberships:read"]})),
        );
        let step_down = set_roles(&s, &ada, &org, &ada, &["org:deputy"]);
        let (a, b) = tokio::join!(narrow, step_down);
        // Narrowed first: stepping down would leave no admin (409). Stepped down first: the
        // deputy role cannot manage roles (403).
        let done = [&a, &b]
            .iter()
            .filter(|(status, _)| status.is_success())
            .count();
        assert_eq!(done, 1, "round {round}: {a:?} {b:?}");
        let admins = s
            .count(
                "SELECT COUNT(*) FROM memberships m WHERE m.org_id = $1 AND (m.role = 'admin' OR \
                 (m.role = 'org:deputy' AND EXISTS (SELECT 1 FROM organization_roles r \
                  WHERE r.org_id = m.org_id AND r.key = 'org:deputy' \
                  AND r.permissions LIKE '%org:memberships:manage%')))",
                &org,
            )
            .await;
        assert!(admins >= 1, "round {round}: no admin left");
    }
}
