//! The Clerk-compatible API's lists, refusals and concurrent writes: paging edges,
//! repeated-key filters, `order_by`, every Clerk error code triggered by its request, empty
//! JSON bodies, the exact content type, and the invariants under concurrent requests.

use crate::clerk::{create_key, user, Clerk};
use crate::harness::{Backend, TestServer};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// An organization made by `owner`, with `members` added as `org:member`; answers its id.
async fn organization(clerk: &Clerk<'_>, owner: &str, members: &[String]) -> String {
    let made = clerk
        .call(
            Method::POST,
            "/organizations",
            Some(json!({"name": "Paged", "created_by": owner})),
        )
        .await;
    let org = made.ok()["id"].as_str().unwrap().to_owned();
    for member in members {
        // Memberships made in one millisecond would tie on created_at.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        let body = json!({"user_id": member, "role": "org:member"});
        let path = format!("/organizations/{org}/memberships");
        clerk.call(Method::POST, &path, Some(body)).await.ok();
    }
    org
}

pub async fn lists_page_filter_and_sort(backend: Backend) {
    let s = TestServer::start(backend).await;
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "ci"),
    };
    let owner = user(&clerk, "owner@example.com").await;
    let mut members = Vec::new();
    for i in 0..4 {
        members.push(user(&clerk, &format!("m{i}@example.com")).await);
    }
    let org = organization(&clerk, &owner, &members).await;
    let list = |query: String| {
        let path = format!("/organizations/{org}/memberships{query}");
        let clerk = &clerk;
        async move { clerk.call(Method::GET, &path, None).await }
    };

    // The default page is 10, newest first; every item is a full membership.
    let all = list(String::new()).await;
    let all = all.ok();
    assert_eq!(all["total_count"], 5);
    let data = all["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    assert_eq!(data[0]["public_user_data"]["user_id"], members[3]);
    assert_eq!(data[4]["public_user_data"]["user_id"], owner);
    assert_eq!(data[4]["role"], "org:admin");
    assert_eq!(data[0]["object"], "organization_membership");
    assert_eq!(data[0]["organization"]["object"], "organization");
    assert!(data[0]["created_at"].is_i64());
    assert!(data[0].get("deleted").is_none());

    // Paging edges: past the end, the largest page, and the refused sizes.
    let past = list("?offset=5".to_owned()).await;
    assert_eq!(past.ok()["data"], json!([]));
    assert_eq!(past.body["total_count"], 5);
    let far = list("?offset=1000&limit=500".to_owned()).await;
    assert_eq!(far.ok()["data"], json!([]));
    let largest = list("?limit=500".to_owned()).await;
    assert_eq!(largest.ok()["data"].as_array().unwrap().len(), 5);
    for bad in [
        "?limit=501",
        "?limit=0",
        "?limit=-1",
        "?limit=ten",
        "?offset=-3",
    ] {
        let refused = list(bad.to_owned()).await;
        let error = refused.refused(422, "form_param_format_invalid");
        assert!(error["meta"]["param_name"].is_string(), "{bad}");
    }
    let second = list("?order_by=%2Bcreated_at&limit=2&offset=2".to_owned()).await;
    let ids: Vec<_> = second.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["public_user_data"]["user_id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(members[1]), json!(members[2])]);

    // Repeated keys filter by any of their values.
    let query = format!("?user_id={}&user_id={}", members[0], members[2]);
    let two = list(query).await;
    assert_eq!(two.ok()["total_count"], 2);
    let by_email =
        list("?email_address=m1@example.com&email_address=M3@example.com".to_owned()).await;
    assert_eq!(by_email.ok()["total_count"], 2);
    let admins = list("?role=org:admin".to_owned()).await;
    assert_eq!(admins.ok()["total_count"], 1);
    let both = list("?role=org:admin&role=org:member".to_owned()).await;
    assert_eq!(both.ok()["total_count"], 5);
    let searched = list("?query=M2".to_owned()).await;
    assert_eq!(searched.ok()["total_count"], 1);

    // order_by: a known field with an optional sign, nothing else.
    for bad in ["?order_by=colour", "?order_by=*created_at", "?order_by=-"] {
        let refused = list(bad.to_owned()).await;
        let error = refused.refused(422, "form_param_format_invalid");
        assert_eq!(error["meta"]["param_name"], "order_by");
    }
    let by_email = list("?order_by=-email_address&limit=1".to_owned()).await;
    assert_eq!(
        by_email.ok()["data"][0]["public_user_data"]["identifier"],
        "owner@example.com"
    );

    // Users: a bare array and a count, with the same repeated filters.
    let users = clerk
        .call(
            Method::GET,
            &format!("/users?user_id={owner}&user_id={}", members[0]),
            None,
        )
        .await;
    assert_eq!(users.ok().as_array().unwrap().len(), 2);
    let count = clerk
        .call(
            Method::GET,
            "/users/count?email_address=m0@example.com",
            None,
        )
        .await;
    assert_eq!(
        count.ok(),
        &json!({"object": "total_count", "total_count": 1})
    );
    user(&clerk, "outsider@example.com").await;
    let in_org = clerk
        .call(
            Method::GET,
            &format!("/users/count?organization_id={org}&organization_id=org_none"),
            None,
        )
        .await;
    assert_eq!(in_org.ok()["total_count"], 5);
    let users = clerk.call(Method::GET, "/users?limit=501", None).await;
    users.refused(422, "form_param_format_invalid");
    let organizations = clerk
        .call(Method::GET, "/organizations?order_by=members_count", None)
        .await;
    assert_eq!(organizations.ok()["total_count"], 1);
}

pub async fn every_clerk_error_code_has_its_request(backend: Backend) {
    let s = TestServer::start(backend).await;
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "ci"),
    };
    let owner = user(&clerk, "owner@example.com").await;
    let member = user(&clerk, "member@example.com").await;
    let org = organization(&clerk, &owner, std::slice::from_ref(&member)).await;
    let memberships = format!("/organizations/{org}/memberships");

    let missing = clerk
        .call(Method::GET, "/organizations/org_missing", None)
        .await;
    missing.refused(404, "resource_not_found");
    let twice = json!({"user_id": member, "role": "org:member"});
    let again = clerk.call(Method::POST, &memberships, Some(twice)).await;
    again.refused(400, "already_a_member_in_organization");
    let no_owner = clerk
        .call(
            Method::POST,
            "/organizations",
            Some(json!({"name": "Nobody's"})),
        )
        .await;
    let error = no_owner.refused(400, "form_param_missing");
    assert_eq!(error["meta"]["param_name"], "created_by");
    let taken = clerk
        .call(
            Method::POST,
            "/users",
            Some(json!({"email_address": ["member@example.com"]})),
        )
        .await;
    taken.refused(422, "form_identifier_exists");
    let bad_role = json!({"user_id": member, "role": "admin"});
    let refused = clerk
        .call(
            Method::PATCH,
            &format!("{memberships}/{member}"),
            Some(bad_role),
        )
        .await;
    let error = refused.refused(422, "form_param_format_invalid");
    assert_eq!(error["meta"]["param_name"], "role");
    let not_json = s
        .client
        .post(format!("{}/clerk/v1/users", s.url))
        .bearer_auth(&clerk.key)
        .header(CONTENT_TYPE, "application/json")
        .body("{not json");
    crate::clerk::answer(not_json)
        .await
        .refused(422, "form_param_format_invalid");

    // The last admin keeps orgkit's meaning, with a Clerk-style code.
    let demote = json!({"role": "org:member"});
    let last = clerk
        .call(
            Method::PATCH,
            &format!("{memberships}/{owner}"),
            Some(demote),
        )
        .await;
    let error = last.refused(409, "organization_minimum_admins_required");
    assert_eq!(error["meta"]["orgkit_code"], "last_admin");
    let remove = clerk
        .call(Method::DELETE, &format!("{memberships}/{owner}"), None)
        .await;
    remove.refused(409, "organization_minimum_admins_required");

    // Requests may have an empty body with a JSON content type.
    let invited = clerk
        .call(
            Method::POST,
            &format!("/organizations/{org}/invitations"),
            Some(json!({"email_address": "guest@example.com", "role": "org:member"})),
        )
        .await;
    let invitation = invited.ok()["id"].as_str().unwrap().to_owned();
    let empty = s
        .client
        .post(format!(
            "{}/clerk/v1/organizations/{org}/invitations/{invitation}/revoke",
            s.url
        ))
        .bearer_auth(&clerk.key)
        .header(CONTENT_TYPE, "application/json");
    let revoked = crate::clerk::answer(empty).await;
    assert_eq!(revoked.ok()["status"], "revoked");
    let empty_patch = s
        .client
        .patch(format!("{}/clerk/v1/organizations/{org}/metadata", s.url))
        .bearer_auth(&clerk.key)
        .header(CONTENT_TYPE, "application/json");
    let unchanged = crate::clerk::answer(empty_patch).await;
    assert_eq!(unchanged.ok()["public_metadata"], json!({}));
    assert_eq!(unchanged.status, StatusCode::OK);

    // Deletes answer deleted objects; the audit log names the key.
    let deleted = clerk
        .call(Method::DELETE, &format!("/users/{member}"), None)
        .await;
    assert_eq!(
        deleted.ok(),
        &json!({"object": "user", "id": member, "deleted": true})
    );
    assert_eq!(s.audit_count("membership.removed").await, 1);
    let gone = clerk
        .call(Method::DELETE, &format!("/organizations/{org}"), None)
        .await;
    assert_eq!(gone.ok()["deleted"], true);
    assert_eq!(gone.body["object"], "organization");
    let last_user = clerk
        .call(Method::DELETE, &format!("/users/{owner}"), None)
        .await;
    assert_eq!(last_user.ok()["deleted"], true);
}

pub async fn concurrent_clerk_writes_keep_the_invariants(backend: Backend) {
    let s = TestServer::start(backend).await;
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "ci"),
    };
    let owner = user(&clerk, "owner@example.com").await;
    let second = user(&clerk, "second@example.com").await;
    let joiner = user(&clerk, "joiner@example.com").await;
    let org = organization(&clerk, &owner, std::slice::from_ref(&second)).await;
    let memberships = format!("/organizations/{org}/memberships");

    // The same person added twice at once: one membership, one already_a_member.
    let add = json!({"user_id": joiner, "role": "org:member"});
    let (a, b) = tokio::join!(
        clerk.call(Method::POST, &memberships, Some(add.clone())),
        clerk.call(Method::POST, &memberships, Some(add)),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400], "{} {}", a.body, b.body);
    let refused = if a.status == StatusCode::OK { &b } else { &a };
    refused.refused(400, "already_a_member_in_organization");
    let joined = "SELECT COUNT(*) FROM memberships WHERE user_id = $1";
    assert_eq!(s.count(joined, &joiner).await, 1);

    // Two admins demoted at once: one stays an admin.
    let promote = json!({"role": "org:admin"});
    clerk
        .call(
            Method::PATCH,
            &format!("{memberships}/{second}"),
            Some(promote),
        )
        .await
        .ok();
    let demote = json!({"role": "org:member"});
    let (owner_path, second_path) = (
        format!("{memberships}/{owner}"),
        format!("{memberships}/{second}"),
    );
    let (a, b) = tokio::join!(
        clerk.call(Method::PATCH, &owner_path, Some(demote.clone())),
        clerk.call(Method::PATCH, &second_path, Some(demote)),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} {}", a.body, b.body);
    let admins = s
        .count(
            "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'",
            &org,
        )
        .await;
    assert_eq!(admins, 1);
}
