//! Metadata, the logo and the billing profile on `/v1`: every route and code.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

async fn admin_and_member(s: &TestServer) -> (User, User, String) {
    let admin = s.sign_up("admin@example.com").await;
    let org = s.create_org(&admin, "Gov").await;
    let bob = s.verified_user("bob@example.com").await;
    s.add_member(&admin, &org, &bob, "basic_member").await;
    (admin, bob, org)
}

pub async fn metadata_is_read_by_members_and_merged_by_admins(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, bob, org) = admin_and_member(&s).await;
    let path = format!("/v1/organizations/{org}/metadata");
    let (status, body) = admin
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(
                json!({"publicMetadata": {"plan": "pro", "seats": 5, "tags": {"a": 1}},
                        "privateMetadata": {"crm": "c_1"}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["privateMetadata"], json!({"crm": "c_1"}));
    // A merge: null removes a key, objects merge key by key.
    let (status, body) = admin
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"publicMetadata": {"seats": null, "tags": {"b": 2}}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["publicMetadata"],
        json!({"plan": "pro", "tags": {"a": 1, "b": 2}})
    );
    assert_eq!(body["privateMetadata"], json!({"crm": "c_1"}), "untouched");
    // A member reads the public part only, and writes nothing.
    let (status, read) = bob.call(&s, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["publicMetadata"]["plan"], "pro");
    assert!(read.get("privateMetadata").is_none(), "{read}");
    let refused = bob
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"publicMetadata": {"x": 1}})),
        )
        .await;
    assert_error(&refused, 403, "forbidden");
    let (_, read) = admin.call(&s, Method::GET, &path, None).await;
    assert_eq!(read["privateMetadata"]["crm"], "c_1");
    // Shapes and sizes: an object, at most 8 KiB once merged.
    let not_object = admin
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"publicMetadata": [1]})),
        )
        .await;
    assert_error(&not_object, 400, "validation_failed");
    let big = "x".repeat(5000);
    let (status, _) = admin
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"publicMetadata": {"a": big}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let too_large = admin
        .call(
            &s,
            Method::PATCH,
            &path,
            Some(json!({"publicMetadata": {"b": big}})),
        )
        .await;
    assert_error(&too_large, 409, "metadata_too_large");
    assert_eq!(s.audit_count("organization.metadata_updated").await, 3);
    // A non-member learns nothing.
    let eve = s.sign_up("eve@example.com").await;
    assert_error(
        &eve.call(&s, Method::GET, &path, None).await,
        404,
        "not_found",
    );

    // A membership's metadata: members with org:memberships:read read its public part.
    let member_path = format!("/v1/organizations/{org}/memberships/{}/metadata", bob.id);
    let (status, body) = admin
        .call(
            &s,
            Method::PATCH,
            &member_path,
            Some(json!({"publicMetadata": {"title": "CTO"}, "privateMetadata": {"note": "vip"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let own = format!("/v1/organizations/{org}/memberships/me/metadata");
    let (status, read) = bob.call(&s, Method::GET, &own, None).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read, json!({"publicMetadata": {"title": "CTO"}}));
    let refused = bob
        .call(
            &s,
            Method::PATCH,
            &own,
            Some(json!({"publicMetadata": {"title": "CEO"}})),
        )
        .await;
    assert_error(&refused, 403, "forbidden");
    let (_, read) = admin.call(&s, Method::GET, &member_path, None).await;
    assert_eq!(read["privateMetadata"]["note"], "vip");
    let nobody = format!("/v1/organizations/{org}/memberships/{}/metadata", eve.id);
    assert_error(
        &admin.call(&s, Method::GET, &nobody, None).await,
        404,
        "not_found",
    );
    assert_eq!(s.audit_count("membership.metadata_updated").await, 1);
}

async fn put_logo(
    s: &TestServer,
    user: &User,
    org: &str,
    bytes: Vec<u8>,
    kind: &str,
) -> (StatusCode, Value) {
    let response = s
        .client
        .put(format!("{}/v1/organizations/{org}/logo", s.url))
        .bearer_auth(&user.token)
        .header("content-type", kind)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn logos_are_checked_by_content_served_with_etags_and_deleted(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, bob, org) = admin_and_member(&s).await;
    // Bad content: a GIF, and text sent as image/png.
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00".to_vec();
    assert_error(
        &put_logo(&s, &admin, &org, gif, "image/gif").await,
        409,
        "logo_unsupported",
    );
    let text = b"not really a png".to_vec();
    assert_error(
        &put_logo(&s, &admin, &org, text, "image/png").await,
        409,
        "logo_unsupported",
    );
    // Too large: past 1 MB, and far past it (not even read).
    let mut big = PNG.to_vec();
    big.resize(1024 * 1024 + 1, 0);
    assert_error(
        &put_logo(&s, &admin, &org, big, "image/png").await,
        413,
        "logo_too_large",
    );
    let mut huge = PNG.to_vec();
    huge.resize(3 * 1024 * 1024, 0);
    assert_error(
        &put_logo(&s, &admin, &org, huge, "image/png").await,
        413,
        "logo_too_large",
    );
    // A member may not set it.
    assert_error(
        &put_logo(&s, &bob, &org, PNG.to_vec(), "image/png").await,
        403,
        "forbidden",
    );
    // A real image, sent with a generic type: its content decides.
    let (status, set) = put_logo(&s, &admin, &org, PNG.to_vec(), "application/octet-stream").await;
    // The answer is the organization, its `imageUrl` versioned by the logo's content.
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["id"], org.as_str(), "{set}");
    assert_eq!(set["hasImage"], true, "{set}");
    let (_, read) = bob
        .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
        .await;
    assert_eq!(read["hasImage"], true, "{read}");
    let url = read["imageUrl"].as_str().unwrap().to_owned();
    assert_eq!(set["imageUrl"], url.as_str());
    let (base, version) = url.split_once("?v=").expect("a versioned URL");
    assert_eq!(base, format!("{}/v1/organizations/{org}/logo", s.url));
    assert_eq!(version.len(), 16, "{url}");
    let served = s
        .client
        .get(&url)
        .bearer_auth(&bob.token)
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["cache-control"], "private, no-cache");
    let etag = served.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
    let again = s
        .client
        .get(&url)
        .bearer_auth(&bob.token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(
        etag.starts_with(&format!("\"{version}")),
        "{etag} {version}"
    );
    // Another logo is another URL; the same bytes again are the same URL.
    let mut other = PNG.to_vec();
    other.push(0);
    let (status, changed) = put_logo(&s, &admin, &org, other, "image/png").await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    let changed_url = changed["imageUrl"].as_str().unwrap();
    assert_ne!(changed_url, url);
    let (_, back) = put_logo(&s, &admin, &org, PNG.to_vec(), "image/png").await;
    assert_eq!(back["imageUrl"], url.as_str());
    // Non-members get not_found, as for everything of an organization.
    let eve = s.sign_up("eve@example.com").await;
    let hidden = s
        .client
        .get(&url)
        .bearer_auth(&eve.token)
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    // Deleted, then gone.
    let logo = format!("/v1/organizations/{org}/logo");
    assert_error(
        &bob.call(&s, Method::DELETE, &logo, None).await,
        403,
        "forbidden",
    );
    let (status, _) = admin.call(&s, Method::DELETE, &logo, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(
        &admin.call(&s, Method::DELETE, &logo, None).await,
        404,
        "not_found",
    );
    assert_error(
        &admin.call(&s, Method::GET, &logo, None).await,
        404,
        "not_found",
    );
    let (_, read) = admin
        .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
        .await;
    assert_eq!(read["hasImage"], false);
    assert!(read["imageUrl"].is_null());
    assert_eq!(s.audit_count("organization.logo_set").await, 3);
    assert_eq!(s.audit_count("organization.logo_deleted").await, 1);
}

fn profile() -> Value {
    json!({
        "legalName": "Acme SAS",
        "email": "billing@acme.test",
        "phone": "+33 1 23 45 67 89",
        "address": {"line1": "1 rue de la Paix", "city": "Paris", "postalCode": "75002", "country": "fr"},
        "taxIds": [{"type": "eu_vat", "value": "FR12345678901", "country": "FR"}],
        "paymentMethod": {"provider": "stripe", "reference": "pm_1NvAbc", "brand": "visa",
                          "last4": "4242", "expMonth": 12, "expYear": 2030}
    })
}

pub async fn the_billing_profile_needs_the_billing_permissions(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (admin, bob, org) = admin_and_member(&s).await;
    let path = format!("/v1/organizations/{org}/billing");
    let (status, empty) = admin.call(&s, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{empty}");
    assert!(
        empty["legalName"].is_null() && empty["taxIds"] == json!([]),
        "{empty}"
    );
    // basic_member holds neither billing permission.
    assert_error(
        &bob.call(&s, Method::GET, &path, None).await,
        403,
        "forbidden",
    );
    assert_error(
        &bob.call(&s, Method::PUT, &path, Some(profile())).await,
        403,
        "forbidden",
    );
    let (status, saved) = admin.call(&s, Method::PUT, &path, Some(profile())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["address"]["country"], "FR", "normalized");
    assert!(saved["updatedAt"].is_number());
    let (_, read) = admin.call(&s, Method::GET, &path, None).await;
    assert_eq!(read, saved);
    // A card number anywhere is refused, whatever the field; nothing is written.
    let mut card = profile();
    card["paymentMethod"]["reference"] = json!("4242 4242 4242 4242");
    assert_error(
        &admin.call(&s, Method::PUT, &path, Some(card)).await,
        409,
        "card_data_refused",
    );
    let mut card = profile();
    card["cardNumber"] = json!("5555555555554444");
    assert_error(
        &admin.call(&s, Method::PUT, &path, Some(card)).await,
        409,
        "card_data_refused",
    );
    // Field rules, each with the message naming it.
    let mut bad = profile();
    bad["address"]["country"] = json!("ZZ");
    let refused = admin.call(&s, Method::PUT, &path, Some(bad)).await;
    assert_error(&refused, 409, "billing_profile_invalid");
    assert!(refused.1["error"]["message"]
        .as_str()
        .unwrap()
        .contains("country"));
    let mut bad = profile();
    bad["paymentMethod"]["last4"] = json!("42");
    assert_error(
        &admin.call(&s, Method::PUT, &path, Some(bad)).await,
        409,
        "billing_profile_invalid",
    );
    let (_, read) = admin.call(&s, Method::GET, &path, None).await;
    assert_eq!(read, saved, "refusals wrote nothing");
    assert_eq!(s.audit_count("organization.billing_updated").await, 1);
    let eve = s.sign_up("eve@example.com").await;
    assert_error(
        &eve.call(&s, Method::GET, &path, None).await,
        404,
        "not_found",
    );
}
