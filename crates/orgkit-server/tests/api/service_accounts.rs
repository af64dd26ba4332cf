//! Service accounts: created, changed and deleted by holders of
//! `org:service_accounts:manage` within their own permissions; their keys act with their role.

use crate::api_keys::{assert_refused, create_key, key_actor, new_key};
use crate::harness::{assert_error, Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

pub async fn service_accounts_act_with_their_role(backend: Backend) {
    let s = TestServer::start(backend).await;
    let alice = s.sign_up("alice@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&alice, "Robots Co").await;
    s.add_member(&alice, &org, &bob, "basic_member").await;
    let orgp = format!("/v1/organizations/{org}");
    let sas = format!("{orgp}/service-accounts");
    // A role that manages service accounts, and no more than reading members.
    let role = json!({"key": "org:robots", "name": "Robot keeper",
        "permissions": ["org:service_accounts:manage", "org:memberships:read"]});
    let (status, body) = alice
        .call(&s, Method::POST, &format!("{orgp}/roles"), Some(role))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    s.add_member(&alice, &org, &carol, "org:robots").await;
    let body = json!({"name": "CI", "role": "basic_member"});
    assert_error(
        &bob.call(&s, Method::POST, &sas, Some(body.clone())).await,
        403,
        "forbidden",
    );
    let admin_sa = json!({"name": "Root bot", "role": "admin"});
    let answer = carol.call(&s, Method::POST, &sas, Some(admin_sa)).await;
    assert_error(&answer, 403, "permission_escalation");
    let nope = json!({"name": "Bot", "role": "org:nope"});
    assert_error(
        &alice.call(&s, Method::POST, &sas, Some(nope)).await,
        422,
        "unknown_role",
    );
    assert_error(
        &alice
            .call(
                &s,
                Method::POST,
                &sas,
                Some(json!({"name": "", "role": "admin"})),
            )
            .await,
        400,
        "validation_failed",
    );
    let (status, sa) = alice
        .call(
            &s,
            Method::POST,
            &sas,
            Some(json!({"name": "CI", "description": "Builds", "role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sa}");
    let sa_id = sa["id"].as_str().unwrap().to_owned();
    assert!(sa_id.starts_with("sa_"), "{sa}");
    assert_eq!(
        (&sa["role"], &sa["createdBy"], &sa["description"]),
        (&json!("basic_member"), &json!(alice.id), &json!("Builds"))
    );
    assert_eq!(s.audit_count("service_account.created").await, 1);
    // Listed to those who read members, paged.
    let (status, _) = carol
        .call(
            &s,
            Method::POST,
            &sas,
            Some(json!({"name": "Second", "role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, page) = bob
        .call(&s, Method::GET, &format!("{sas}?limit=1"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"][0]["id"], sa_id.as_str());
    let next = page["nextCursor"].as_str().unwrap().to_owned();
    let (_, rest) = bob
        .call(&s, Method::GET, &format!("{sas}?after={next}"), None)
        .await;
    assert_eq!(rest["data"][0]["name"], "Second", "{rest}");
    // Its keys: created by managers of service accounts, within its role.
    let for_sa = |extra: serde_json::Value| {
        let mut body = json!({"name": "deploy", "serviceAccountId": sa_id});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let answer = create_key(
        &s,
        &alice,
        &org,
        for_sa(json!({"permissions": ["org:memberships:manage"]})),
    )
    .await;
    assert_error(&answer, 403, "permission_escalation");
    let answer = create_key(&s, &bob, &org, for_sa(json!({}))).await;
    assert_error(&answer, 403, "forbidden");
    let answer = create_key(
        &s,
        &alice,
        &org,
        json!({"name": "x", "serviceAccountId": "sa_NOPE"}),
    )
    .await;
    assert_error(&answer, 404, "not_found");
    let (status, created) = create_key(&s, &alice, &org, for_sa(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["apiKey"]["owner"],
        json!({"type": "service_account", "id": sa_id, "name": "CI"})
    );
    let key_id = created["apiKey"]["id"].as_str().unwrap().to_owned();
    let robot = key_actor(created["secret"].as_str().unwrap());
    let (status, members) = robot
        .call(&s, Method::GET, &format!("{orgp}/memberships"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{members}");
    assert_eq!(members["data"].as_array().unwrap().len(), 3);
    let (status, read) = robot.call(&s, Method::GET, &orgp, None).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["role"], "basic_member", "{read}");
    let invite = || json!({"emailAddress": "dan@example.com", "role": "basic_member"});
    let answer = robot
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/invitations"),
            Some(invite()),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    let (status, mine) = robot
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?serviceAccountId={sa_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["data"][0]["id"], key_id.as_str());
    let (_, listed) = carol
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?serviceAccountId={sa_id}"),
            None,
        )
        .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1, "{listed}");
    // A role change holds at the next request; not beyond the changer's permissions.
    let sa_path = format!("{sas}/{sa_id}");
    let answer = carol
        .call(&s, Method::PATCH, &sa_path, Some(json!({"role": "admin"})))
        .await;
    assert_error(&answer, 403, "permission_escalation");
    let (status, changed) = alice
        .call(
            &s,
            Method::PATCH,
            &sa_path,
            Some(json!({"role": "admin", "name": "CI bot"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (&changed["role"], &changed["name"]),
        (&json!("admin"), &json!("CI bot"))
    );
    let (status, body) = robot
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/invitations"),
            Some(invite()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, events) = alice
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/audit-events?action=invitation.created"),
            None,
        )
        .await;
    assert_eq!(events["data"][0]["actor"]["id"], sa_id.as_str(), "{events}");
    assert_eq!(events["data"][0]["apiKeyId"], key_id.as_str(), "{events}");
    let answer = carol
        .call(
            &s,
            Method::PATCH,
            &sa_path,
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_error(&answer, 403, "permission_escalation");
    let (status, _) = alice
        .call(
            &s,
            Method::PATCH,
            &sa_path,
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let answer = robot
        .call(
            &s,
            Method::POST,
            &format!("{orgp}/invitations"),
            Some(json!({"emailAddress": "erin@example.com", "role": "basic_member"})),
        )
        .await;
    assert_error(&answer, 403, "forbidden");
    assert_error(
        &alice
            .call(
                &s,
                Method::PATCH,
                &sa_path,
                Some(json!({"role": "org:nope"})),
            )
            .await,
        422,
        "unknown_role",
    );
    assert_eq!(s.audit_count("service_account.updated").await, 2);
    // Deleting it removes its grants and group rows and revokes its keys.
    seed_grant_and_group(&s, &org, &sa_id).await;
    assert_error(
        &bob.call(&s, Method::DELETE, &sa_path, None).await,
        403,
        "forbidden",
    );
    let (status, _) = alice.call(&s, Method::DELETE, &sa_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &alice.call(&s, Method::DELETE, &sa_path, None).await,
        404,
        "not_found",
    );
    assert_error(
        &alice
            .call(&s, Method::PATCH, &sa_path, Some(json!({"name": "x"})))
            .await,
        404,
        "not_found",
    );
    for table in ["workspace_grants", "group_members"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE principal_id = $1");
        assert_eq!(s.count(&sql, &sa_id).await, 0, "{table}");
    }
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM service_accounts WHERE id = $1",
            &sa_id
        )
        .await,
        0
    );
    assert_refused(
        &robot.call(&s, Method::GET, &orgp, None).await,
        "api_key_revoked",
    );
    assert_eq!(s.audit_count("service_account.deleted").await, 1);
    let (_, keys) = alice
        .call(
            &s,
            Method::GET,
            &format!("{orgp}/api-keys?serviceAccountId={sa_id}"),
            None,
        )
        .await;
    assert!(keys["data"][0]["revokedAt"].is_i64(), "{keys}");
    let (_, other) = new_key(&s, &alice, &org, json!({"name": "a"})).await;
    assert!(other.starts_with("ok_"));
}

/// A workspace grant and a group membership for `sa_id`, written directly (the workspace and
/// group routes are another part's).
async fn seed_grant_and_group(s: &TestServer, org: &str, sa_id: &str) {
    let pool = &s.state.db.pool;
    let statements = [
        "INSERT INTO workspaces (id, org_id, name, slug, created_at) VALUES ('ws_T1', $1, 'W', 'w', 1)",
        "INSERT INTO workspace_grants (id, org_id, workspace_id, principal_kind, principal_id, level, created_at) \
         VALUES ('wsg_T1', $1, 'ws_T1', 'service_account', $2, 1, 1)",
        "INSERT INTO groups (id, org_id, name, description, created_at) VALUES ('grp_T1', $1, 'G', '', 1)",
        "INSERT INTO group_members (id, org_id, group_id, principal_kind, principal_id, role, created_at) \
         VALUES ('gm_T1', $1, 'grp_T1', 'service_account', $2, 'member', 1)",
    ];
    for sql in statements {
        let query = sqlx::query(sql).bind(org);
        let query = if sql.contains("$2") {
            query.bind(sa_id)
        } else {
            query
        };
        query.execute(pool).await.unwrap();
    }
}
