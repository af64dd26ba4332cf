//! Service accounts in workspaces, through the HTTP routes: granted directly and through a
//! group, with the effective access their keys see; and no personal workspace for them.

use crate::api_keys::{key_actor, new_key};
use crate::harness::{assert_error, Backend, TestServer, User};
use crate::workspaces::{call, create_ws, grant};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Creates a service account with `role` through the route; answers its id.
pub(crate) async fn new_service_account(
    s: &TestServer,
    admin: &User,
    org: &str,
    name: &str,
) -> String {
    let path = format!("/v1/organizations/{org}/service-accounts");
    let body = json!({"name": name, "role": "basic_member"});
    let (status, sa) = call(s, admin, Method::POST, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{sa}");
    sa["id"].as_str().unwrap().to_owned()
}

/// Creates a group through the route; answers its id.
pub(crate) async fn new_group(s: &TestServer, admin: &User, org: &str, name: &str) -> String {
    let path = format!("/v1/organizations/{org}/groups");
    let body = json!({ "name": name });
    let (status, group) = call(s, admin, Method::POST, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    group["id"].as_str().unwrap().to_owned()
}

/// Puts `kind`/`id` in the group through the route.
pub(crate) async fn add_to_group(
    s: &TestServer,
    by: &User,
    org: &str,
    group: &str,
    kind: &str,
    id: &str,
) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/groups/{group}/members/{kind}/{id}");
    call(s, by, Method::PUT, &path, Some(json!({"role": "member"}))).await
}

/// The role and its source that `actor` sees on the workspace.
async fn seen(s: &TestServer, actor: &User, org: &str, ws: &str) -> (StatusCode, Value) {
    let (status, body) = call(
        s,
        actor,
        Method::GET,
        &format!("/v1/organizations/{org}/workspaces/{ws}"),
        None,
    )
    .await;
    if status != StatusCode::OK {
        return (status, body);
    }
    (status, json!([body["myRole"], body["myAccessVia"]]))
}

/// A service account granted a workspace role directly and through a group, by the routes: its
/// key sees the higher of the two, the group's grant alone once the direct one is revoked, and
/// nothing once it leaves the group; the workspace's principals list it.
pub async fn service_account_workspace_grants_direct_and_by_group(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Robots Co").await;
    let sa = new_service_account(&s, &admin, &org, "CI").await;
    let body = json!({"name": "deploy", "serviceAccountId": sa});
    let (_, secret) = new_key(&s, &admin, &org, body).await;
    let robot = key_actor(&secret);
    let ws = create_ws(&s, &admin, &org, "Platform").await;
    let only_group = create_ws(&s, &admin, &org, "Data").await;
    let wsp = format!("/v1/organizations/{org}/workspaces");

    assert_error(&seen(&s, &robot, &org, &ws).await, 404, "not_found");
    let (status, body) = grant(&s, &admin, &org, &ws, "service_account", &sa, "ws:member").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "ws:member", "{body}");
    let (status, seen_now) = seen(&s, &robot, &org, &ws).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen_now, json!(["ws:member", "direct"]));

    let group = new_group(&s, &admin, &org, "Robots").await;
    let (status, body) = add_to_group(&s, &admin, &org, &group, "service_account", &sa).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for w in [&ws, &only_group] {
        let (status, body) = grant(&s, &admin, &org, w, "group", &group, "ws:manager").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(
        seen(&s, &robot, &org, &ws).await.1,
        json!(["ws:manager", "group"])
    );
    assert_eq!(
        seen(&s, &robot, &org, &only_group).await.1,
        json!(["ws:manager", "group"])
    );
    // Its own list of workspaces: both.
    let (status, page) = call(&s, &robot, Method::GET, &wsp, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["id"].as_str())
        .collect();
    ids.sort_unstable();
    let mut want = vec![ws.as_str(), only_group.as_str()];
    want.sort_unstable();
    assert_eq!(ids, want, "{page}");
    // The workspace's principals: the service account and the group.
    let (status, principals) = call(
        &s,
        &admin,
        Method::GET,
        &format!("{wsp}/{ws}/principals"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{principals}");
    let listed = principals.to_string();
    assert!(listed.contains(&sa) && listed.contains(&group), "{listed}");

    // Direct grant revoked: the group's remains; out of the group: nothing.
    let direct = format!("{wsp}/{ws}/principals/service_account/{sa}");
    let (status, _) = call(&s, &admin, Method::DELETE, &direct, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        seen(&s, &robot, &org, &ws).await.1,
        json!(["ws:manager", "group"])
    );
    let membership = format!("/v1/organizations/{org}/groups/{group}/members/service_account/{sa}");
    let (status, _) = call(&s, &admin, Method::DELETE, &membership, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(&seen(&s, &robot, &org, &ws).await, 404, "not_found");
    assert_error(&seen(&s, &robot, &org, &only_group).await, 404, "not_found");
    // A service account of another organization is not found.
    let other = s.create_org(&admin, "Other Co").await;
    let stranger = new_service_account(&s, &admin, &other, "Stranger").await;
    let answer = grant(
        &s,
        &admin,
        &org,
        &ws,
        "service_account",
        &stranger,
        "ws:member",
    )
    .await;
    assert_error(&answer, 404, "not_found");
    let answer = add_to_group(&s, &admin, &org, &group, "service_account", &stranger).await;
    assert_error(&answer, 404, "not_found");
}

/// A service account's key gets no personal workspace (`forbidden`, nothing stored); a
/// member's key gets the member's own.
pub async fn service_account_key_gets_no_personal_workspace(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Robots Co").await;
    let sa = new_service_account(&s, &admin, &org, "CI").await;
    let body = json!({"name": "deploy", "serviceAccountId": sa});
    let (_, secret) = new_key(&s, &admin, &org, body).await;
    let path = format!("/v1/organizations/{org}/workspaces/personal");
    let answer = call(&s, &key_actor(&secret), Method::POST, &path, None).await;
    assert_error(&answer, 403, "forbidden");
    let stored = s
        .count(
            "SELECT COUNT(*) FROM workspaces WHERE personal_owner = $1",
            &sa,
        )
        .await;
    assert_eq!(stored, 0);
    let (_, mine) = new_key(&s, &admin, &org, json!({"name": "mine"})).await;
    let (status, ws) = call(&s, &key_actor(&mine), Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{ws}");
    assert_eq!(ws["personal"], true, "{ws}");
    let owner = s
        .count(
            "SELECT COUNT(*) FROM workspaces WHERE personal_owner = $1",
            &admin.id,
        )
        .await;
    assert_eq!(owner, 1);
    // The OpenAPI entry documents the refusal.
    let (status, doc) = s.raw(Method::GET, "/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let entry = &doc["paths"]["/v1/organizations/{org_id}/workspaces/personal"]["post"];
    let refused = entry["responses"]["403"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(refused.contains("service account"), "{entry}");
}
