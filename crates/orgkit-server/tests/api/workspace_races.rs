//! Removals racing additions: a member's removal against a group addition, a group's deletion
//! against a workspace grant, a service account's deletion against a grant and a group
//! addition. Both sides take the organization's lock, so either the addition comes first and
//! the removal takes it along, or the addition finds nothing to add to. Bounded rounds; after
//! each, the database holds no orphan row.

use crate::harness::{Backend, TestServer};
use crate::workspace_principals::{add_to_group, new_group, new_service_account};
use crate::workspaces::{call, create_ws, grant};
use reqwest::{Method, StatusCode};
use serde_json::Value;

const ROUNDS: usize = 8;

/// Grants and group rows in `org` whose principal, group or workspace is gone.
const ORPHANS_SQL: &str = "SELECT \
    (SELECT COUNT(*) FROM workspace_grants g WHERE g.org_id = $1 AND ( \
        (g.principal_kind = 'user' AND NOT EXISTS (SELECT 1 FROM memberships m \
            WHERE m.org_id = g.org_id AND m.user_id = g.principal_id)) \
        OR (g.principal_kind = 'group' AND NOT EXISTS (SELECT 1 FROM groups x \
            WHERE x.org_id = g.org_id AND x.id = g.principal_id)) \
        OR (g.principal_kind = 'service_account' AND NOT EXISTS (SELECT 1 FROM service_accounts a \
            WHERE a.org_id = g.org_id AND a.id = g.principal_id)) \
        OR NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = g.workspace_id))) \
  + (SELECT COUNT(*) FROM group_members gm WHERE gm.org_id = $1 AND ( \
        (gm.principal_kind = 'user' AND NOT EXISTS (SELECT 1 FROM memberships m \
            WHERE m.org_id = gm.org_id AND m.user_id = gm.principal_id)) \
        OR (gm.principal_kind = 'service_account' AND NOT EXISTS (SELECT 1 FROM service_accounts a \
            WHERE a.org_id = gm.org_id AND a.id = gm.principal_id)) \
        OR NOT EXISTS (SELECT 1 FROM groups x WHERE x.id = gm.group_id))) \
  + (SELECT COUNT(*) FROM api_keys k WHERE k.org_id = $1 AND k.revoked_at IS NULL AND ( \
        (k.owner_kind = 'user' AND NOT EXISTS (SELECT 1 FROM memberships m \
            WHERE m.org_id = k.org_id AND m.user_id = k.owner_id)) \
        OR (k.owner_kind = 'service_account' AND NOT EXISTS (SELECT 1 FROM service_accounts a \
            WHERE a.org_id = k.org_id AND a.id = k.owner_id))))";

async fn assert_no_orphans(s: &TestServer, org: &str, what: &str) {
    assert_eq!(
        s.count(ORPHANS_SQL, org).await,
        0,
        "orphan rows after {what}"
    );
}

/// The addition either succeeded or found its target gone.
#[track_caller]
fn added_or_gone(answer: &(StatusCode, Value), gone_codes: &[&str]) {
    let code = answer.1["error"]["code"].as_str().unwrap_or_default();
    assert!(
        answer.0 == StatusCode::OK || gone_codes.contains(&code),
        "{} {}",
        answer.0,
        answer.1
    );
}

/// A member's removal racing their addition to a group: no group row outlives the membership.
pub async fn member_removal_racing_a_group_addition(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    let group = new_group(&s, &admin, &org, "Everyone").await;
    for round in 0..ROUNDS {
        let user = s.sign_up(&format!("racer{round}@example.com")).await;
        s.add_member(&admin, &org, &user, "basic_member").await;
        let remove = format!("/v1/organizations/{org}/memberships/{}", user.id);
        let (removed, added) = tokio::join!(
            call(&s, &admin, Method::DELETE, &remove, None),
            add_to_group(&s, &admin, &org, &group, "user", &user.id),
        );
        assert!(removed.0.is_success(), "{}", removed.1);
        added_or_gone(&added, &["not_a_member"]);
        let rows = s
            .count(
                "SELECT COUNT(*) FROM group_members WHERE principal_id = $1",
                &user.id,
            )
            .await;
        assert_eq!(rows, 0, "round {round}");
        assert_no_orphans(&s, &org, "a member's removal").await;
    }
}

/// A group's deletion racing a workspace grant to it: no grant to a deleted group.
pub async fn group_deletion_racing_a_workspace_grant(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    for round in 0..ROUNDS {
        let group = new_group(&s, &admin, &org, &format!("Team {round}")).await;
        let delete = format!("/v1/organizations/{org}/groups/{group}");
        let (deleted, granted) = tokio::join!(
            call(&s, &admin, Method::DELETE, &delete, None),
            grant(&s, &admin, &org, &ws, "group", &group, "ws:member"),
        );
        assert!(deleted.0.is_success(), "{}", deleted.1);
        added_or_gone(&granted, &["not_found"]);
        let rows = s
            .count(
                "SELECT COUNT(*) FROM workspace_grants WHERE principal_id = $1",
                &group,
            )
            .await;
        assert_eq!(rows, 0, "round {round}");
        assert_no_orphans(&s, &org, "a group's deletion").await;
    }
}

/// A service account's deletion racing a workspace grant to it and its addition to a group:
/// neither row outlives it, and its keys are revoked.
pub async fn service_account_deletion_racing_a_grant_and_a_group_addition(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Acme").await;
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    let group = new_group(&s, &admin, &org, "Robots").await;
    for round in 0..ROUNDS {
        let sa = new_service_account(&s, &admin, &org, &format!("Bot {round}")).await;
        let body = serde_json::json!({"name": "k", "serviceAccountId": sa});
        crate::api_keys::new_key(&s, &admin, &org, body).await;
        let delete = format!("/v1/organizations/{org}/service-accounts/{sa}");
        let (deleted, granted, added) = tokio::join!(
            call(&s, &admin, Method::DELETE, &delete, None),
            grant(&s, &admin, &org, &ws, "service_account", &sa, "ws:member"),
            add_to_group(&s, &admin, &org, &group, "service_account", &sa),
        );
        assert!(deleted.0.is_success(), "{}", deleted.1);
        added_or_gone(&granted, &["not_found"]);
        added_or_gone(&added, &["not_found"]);
        for table in ["workspace_grants", "group_members"] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE principal_id = $1");
            assert_eq!(s.count(&sql, &sa).await, 0, "{table}, round {round}");
        }
        let live = s
            .count(
                "SELECT COUNT(*) FROM api_keys WHERE owner_id = $1 AND revoked_at IS NULL",
                &sa,
            )
            .await;
        assert_eq!(live, 0, "round {round}");
        assert_no_orphans(&s, &org, "a service account's deletion").await;
    }
}
