//! The role catalog route.

use crate::harness::{assert_error, Backend, TestServer};
use reqwest::Method;
use serde_json::json;

/// Every member reads the catalog: built-ins with their permissions, and the permission
/// catalog with the app's own; a non-member gets `not_found`.
pub async fn role_catalog_lists_built_ins_and_app_permissions(backend: Backend) {
    let s = TestServer::start_with(backend, |c| {
        c.app_permissions = vec!["org:invoices:create".into()];
    })
    .await;
    let admin = s.sign_up("admin@example.com").await;
    let member = s.sign_up("member@example.com").await;
    let stranger = s.sign_up("stranger@example.com").await;
    let org = s.create_org(&admin, "Roles").await;
    s.add_member(&admin, &org, &member, "basic_member").await;
    let path = format!("/v1/organizations/{org}/roles");
    for user in [&admin, &member] {
        let (status, body) = user.call(&s, Method::GET, &path, None).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        let roles = body["data"].as_array().unwrap();
        assert_eq!(roles.len(), 2);
        assert_eq!(roles[0]["key"], "admin");
        assert_eq!(roles[0]["builtIn"], true);
        let admin_perms = roles[0]["permissions"].as_array().unwrap();
        assert!(admin_perms.contains(&json!("org:invoices:create")));
        assert!(admin_perms.contains(&json!("org:roles:manage")));
        assert_eq!(roles[1]["key"], "basic_member");
        assert_eq!(roles[1]["permissions"], json!(["org:memberships:read"]));
        let catalog = body["permissions"].as_array().unwrap();
        assert_eq!(catalog.last(), Some(&json!("org:invoices:create")));
        assert!(catalog.contains(&json!("org:memberships:read")));
    }
    assert_error(
        &stranger.call(&s, Method::GET, &path, None).await,
        404,
        "not_found",
    );
}
