//! The paired scenario's phases against Better Auth: the same workload, concurrency and bounds
//! as the orgkit phases of `phases.rs`, on Better Auth's organization routes.

use crate::ba_api::BaApi;
use crate::ba_seed::BaOrg;
use crate::load::{run_phase, Bounds, PhaseResult};
use crate::phases::text;
use crate::Args;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// A member page of Better Auth's, read only as far as counting its members (the driver skips
/// their fields without building them, so its own cost stays small).
#[derive(Deserialize)]
struct MemberPage {
    members: Vec<IgnoredAny>,
}

/// A member page of orgkit's, read the same way.
#[derive(Deserialize)]
struct OrgkitPage {
    data: Vec<IgnoredAny>,
}

/// Checks that a member page holds 100 members.
fn hundred(members: Result<usize, serde_json::Error>) -> Result<(), String> {
    match members {
        Ok(100) => Ok(()),
        other => Err(format!("expected 100 members, got {other:?}")),
    }
}

/// orgkit's first member page of 100 (`GET /v1/organizations/{id}/memberships?limit=100`),
/// counted as Better Auth's pages are (the plan's `phases::list_page` parses the whole page).
pub async fn orgkit_list_page(
    args: &Args,
    name: &str,
    concurrency: usize,
    admin: &crate::api::Api,
    org: &crate::seed::SeededOrg,
) -> PhaseResult {
    let path = format!("/v1/organizations/{}/memberships?limit=100", org.id);
    let admin = admin.clone();
    run_phase(name, args.bounds(concurrency), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let body = admin
                .call_text(reqwest::Method::GET, &path, 200)
                .await
                .map_err(text)?;
            hundred(serde_json::from_str::<OrgkitPage>(&body).map(|p| p.data.len()))
        }
    })
    .await
}

/// `POST /organization/create`, each request by one of the admins in turn, c16.
pub async fn create_organizations(args: &Args, admins: &Arc<Vec<BaApi>>) -> PhaseResult {
    let admins = Arc::clone(admins);
    run_phase("create organization", args.bounds(16), move |i| {
        let admin = admins[i as usize % admins.len()].clone();
        async move {
            admin
                .create_organization(&format!("Org {i}"), &format!("org-{i}"))
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

/// `POST /organization/invite-member`, one new address per request into one organization, c16.
pub async fn invite_members(args: &Args, admin: &BaApi, org_id: &str) -> PhaseResult {
    let (admin, org_id) = (admin.clone(), org_id.to_owned());
    run_phase("invite member", args.bounds(16), move |i| {
        let (admin, org_id) = (admin.clone(), org_id.clone());
        async move {
            let body = json!({
                "email": format!("invitee{i}@bench.test"),
                "role": "member",
                "organizationId": org_id,
            });
            admin
                .post("/organization/invite-member", &body)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

/// `GET /organization/list-members`, the first page of 100 (`limit`/`offset`, Better Auth's
/// paging), checking that 100 members come back.
pub async fn list_page(
    args: &Args,
    name: &str,
    concurrency: usize,
    admin: &BaApi,
    org: &BaOrg,
) -> PhaseResult {
    let path = format!(
        "/organization/list-members?organizationId={}&limit=100&offset=0",
        org.id
    );
    let admin = admin.clone();
    run_phase(name, args.bounds(concurrency), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let body = admin.get_text(&path).await.map_err(text)?;
            hundred(serde_json::from_str::<MemberPage>(&body).map(|p| p.members.len()))
        }
    })
    .await
}

/// `POST /organization/update-member-role` on the 1k organization's first 999 members,
/// alternating admin and member, c16.
pub async fn update_roles(args: &Args, admin: &BaApi, org: &BaOrg) -> PhaseResult {
    let (admin, org) = (admin.clone(), org.clone());
    run_phase("update member role", args.bounds(16), move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let role = if (i / 999) % 2 == 0 {
                "admin"
            } else {
                "member"
            };
            let body = json!({
                "memberId": org.member_id(i % 999),
                "role": role,
                "organizationId": org.id,
            });
            admin
                .post("/organization/update-member-role", &body)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

/// `POST /organization/remove-member`, each of the 10k organization's members once, c16.
pub async fn remove_members(args: &Args, admin: &BaApi, org: &BaOrg) -> PhaseResult {
    let (admin, org) = (admin.clone(), org.clone());
    let bounds = Bounds {
        max_requests: args.requests.min(9_999),
        ..args.bounds(16)
    };
    run_phase("remove member", bounds, move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let body = json!({"memberIdOrEmail": org.member_id(i), "organizationId": org.id});
            admin
                .post("/organization/remove-member", &body)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

/// `POST /organization/has-permission`: may the owner manage members (create, update and
/// delete them; orgkit's `org:memberships:manage`)? Expects `success: true`, c16.
pub async fn permission_checks(args: &Args, admin: &BaApi, org: &BaOrg) -> PhaseResult {
    let body = json!({
        "organizationId": org.id,
        "permissions": {"member": ["create", "update", "delete"]},
    });
    let admin = admin.clone();
    run_phase("permission check", args.bounds(16), move |_| {
        let (admin, body) = (admin.clone(), body.clone());
        async move {
            let answer = admin
                .post("/organization/has-permission", &body)
                .await
                .map_err(text)?;
            match answer["success"].as_bool() {
                Some(true) => Ok(()),
                other => Err(format!("expected success: true, got {other:?}")),
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_without_their_fields() {
        let member = r#"{"id":"m","user":{"id":"u","email":"e@x.test","image":null}}"#;
        let hundred_members = vec![member; 100].join(",");
        let page = format!(r#"{{"members":[{hundred_members}],"total":10000}}"#);
        assert_eq!(
            hundred(serde_json::from_str::<MemberPage>(&page).map(|p| p.members.len())),
            Ok(())
        );
        let short = r#"{"data":[{"id":"a"}],"hasMore":true}"#;
        let err = hundred(serde_json::from_str::<OrgkitPage>(short).map(|p| p.data.len()))
            .expect_err("one member is not a page of 100");
        assert!(err.contains("Ok(1)"), "{err}");
        assert!(hundred(serde_json::from_str::<OrgkitPage>("{}").map(|p| p.data.len())).is_err());
    }
}
