//! What a member's removal takes with it: their workspace grants, group rows and API keys,
//! on every removal path and when racing a grant.

use crate::harness::{Backend, TestServer, User};
use crate::workspaces::{call, create_ws, grant};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn rows_of(s: &TestServer, user: &User) -> (i64, i64) {
    let grants = s
        .count(
            "SELECT COUNT(*) FROM workspace_grants WHERE principal_id = $1",
            &user.id,
        )
        .await;
    let groups = s
        .count(
            "SELECT COUNT(*) FROM group_members WHERE principal_id = $1",
            &user.id,
        )
        .await;
    (grants, groups)
}

/// Removing a member (by an admin, by bulk removal, or by leaving) deletes their grants and
/// group rows and revokes their API keys in that organization, in the same transaction.
pub async fn removing_a_member_removes_their_grants_and_group_rows(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    let (_, group) = call(
        &s,
        &admin,
        Method::POST,
        &format!("/v1/organizations/{org}/groups"),
        Some(json!({"name": "Everyone"})),
    )
    .await;
    let grp = group["id"].as_str().unwrap().to_owned();
    let removals = ["remove", "bulk", "leave"];
    for (i, how) in removals.into_iter().enumerate() {
        let user = s.sign_up(&format!("m{i}@example.com")).await;
        s.add_member(&admin, &org, &user, "basic_member").await;
        let (status, _) = grant(&s, &admin, &org, &ws, "user", &user.id, "ws:member").await;
        assert_eq!(status, StatusCode::OK);
        let add = format!(
            "/v1/organizations/{org}/groups/{grp}/members/user/{}",
            user.id
        );
        let (status, _) = call(
            &s,
            &admin,
            Method::PUT,
            &add,
            Some(json!({"role": "member"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        sqlx::query(
            "INSERT INTO api_keys (id, org_id, owner_kind, owner_id, name, description, secret_hash, last4, \
             created_by, created_at) VALUES ($1, $2, 'user', $3, 'k', '', $4, 'abcd', $3, 0)",
        )
        .bind(format!("ak_{i}"))
        .bind(&org)
        .bind(&user.id)
        .bind(format!("hash{i}"))
        .execute(&s.state.db.pool)
        .await
        .unwrap();
        assert_eq!(rows_of(&s, &user).await, (1, 1));
        let (status, body) = match how {
            "remove" => {
                let path = format!("/v1/organizations/{org}/memberships/{}", user.id);
                call(&s, &admin, Method::DELETE, &path, None).await
            }
            "bulk" => {
                let path = format!("/v1/organizations/{org}/memberships/bulk-remove");
                call(
                    &s,
                    &admin,
                    Method::POST,
                    &path,
                    Some(json!({"memberIds": [user.id]})),
                )
                .await
            }
            _ => {
                let path = format!("/v1/organizations/{org}/memberships/me");
                call(&s, &user, Method::DELETE, &path, None).await
            }
        };
        assert!(status.is_success(), "{how}: {status} {body}");
        assert_eq!(rows_of(&s, &user).await, (0, 0), "{how}");
        let revoked = s
            .count(
                "SELECT COUNT(*) FROM api_keys WHERE owner_id = $1 AND revoked_at IS NOT NULL",
                &user.id,
            )
            .await;
        assert_eq!(revoked, 1, "{how}");
    }
}

/// A grant racing the grantee's removal: both take the organization's lock, so either the
/// grant comes first and the removal deletes it, or the grant finds no member. Ten rounds.
pub async fn a_workspace_grant_racing_a_removal_leaves_no_grant_to_a_non_member(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    for round in 0..10 {
        let user = s.sign_up(&format!("racer{round}@example.com")).await;
        s.add_member(&admin, &org, &user, "basic_member").await;
        let remove = format!("/v1/organizations/{org}/memberships/{}", user.id);
        let (removed, granted) = tokio::join!(
            call(&s, &admin, Method::DELETE, &remove, None),
            grant(&s, &admin, &org, &ws, "user", &user.id, "ws:member"),
        );
        assert!(removed.0.is_success(), "{}", removed.1);
        assert!(
            granted.0 == StatusCode::OK || granted.1["error"]["code"] == "not_a_member",
            "{}",
            granted.1
        );
        assert_eq!(rows_of(&s, &user).await.0, 0, "round {round}");
    }
    let orphans = s
        .count(
            "SELECT COUNT(*) FROM workspace_grants g WHERE g.principal_kind = 'user' AND g.org_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = g.org_id AND m.user_id = g.principal_id)",
            &org,
        )
        .await;
    assert_eq!(orphans, 0);
}

/// The Clerk-compatible API's removals cascade too: deleting a membership and deleting a user.
pub async fn clerk_removals_remove_grants_and_group_rows(backend: Backend) {
    let s = TestServer::start(backend).await;
    let clerk = crate::clerk::Clerk {
        s: &s,
        key: crate::clerk::create_key(&s, "ci"),
    };
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    let (_, group) = call(
        &s,
        &admin,
        Method::POST,
        &format!("/v1/organizations/{org}/groups"),
        Some(json!({"name": "Everyone"})),
    )
    .await;
    let grp = group["id"].as_str().unwrap().to_owned();
    for (i, path) in ["memberships", "users"].into_iter().enumerate() {
        let user = s.sign_up(&format!("m{i}@example.com")).await;
        s.add_member(&admin, &org, &user, "basic_member").await;
        let (status, _) = grant(&s, &admin, &org, &ws, "user", &user.id, "ws:manager").await;
        assert_eq!(status, StatusCode::OK);
        let add = format!(
            "/v1/organizations/{org}/groups/{grp}/members/user/{}",
            user.id
        );
        let (status, _) = call(
            &s,
            &admin,
            Method::PUT,
            &add,
            Some(json!({"role": "manager"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rows_of(&s, &user).await, (1, 1));
        let target = if path == "users" {
            format!("/users/{}", user.id)
        } else {
            format!("/organizations/{org}/memberships/{}", user.id)
        };
        clerk.call(Method::DELETE, &target, None).await.ok();
        assert_eq!(rows_of(&s, &user).await, (0, 0), "{path}");
    }
}
