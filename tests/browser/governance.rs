//! Governance through the SDK: metadata, the logo, the billing profile and the member limit,
//! against the live server; and what the rule book can see refused with no request.

use super::*;

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn blob(bytes: &[u8], kind: &str) -> web_sys::Blob {
    let parts = Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

fn profile() -> JsValue {
    let address = obj(&[
        ("line1", "1 rue de la Paix".into()),
        ("city", "Paris".into()),
        ("postalCode", "75002".into()),
        ("country", "FR".into()),
    ]);
    let method = obj(&[
        ("provider", "stripe".into()),
        ("reference", "pm_1NvAbc".into()),
        ("brand", "visa".into()),
        ("last4", "4242".into()),
        ("expMonth", 12.into()),
        ("expYear", 2030.into()),
    ]);
    obj(&[
        ("legalName", "Acme SAS".into()),
        ("address", address),
        ("taxIds", Array::new().into()),
        ("paymentMethod", method),
    ])
}

/// An admin's organization and a basic member's view of it.
async fn admin_and_member(name: &str) -> (Organization, Organization) {
    let (admin, _) = person("gov-admin").await;
    let (bob, bob_email) = person("gov-bob").await;
    let org = create_org(&admin, name).await;
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &bob_email, "/accept").await;
    let membership = bob.accept_invitation(token).await.unwrap();
    (org, membership.organization())
}

#[wasm_bindgen_test]
async fn metadata_is_merged_and_local_refusals_send_nothing() {
    let (org, bobs) = admin_and_member("Meta").await;
    let public = obj(&[("plan", "pro".into()), ("trial", true.into())]);
    let private = obj(&[("crm", "c_1".into())]);
    let answer = settle(org.update_metadata(obj(&[
        ("publicMetadata", public),
        ("privateMetadata", private),
    ])))
    .await
    .unwrap();
    assert_eq!(text(&get(&answer, "privateMetadata"), "crm"), "c_1");
    let merged =
        settle(org.update_metadata(obj(&[("publicMetadata", obj(&[("trial", JsValue::NULL)]))])))
            .await
            .unwrap();
    let public = get(&merged, "publicMetadata");
    assert_eq!(text(&public, "plan"), "pro");
    assert!(get(&public, "trial").is_undefined(), "null removed the key");
    let seen = settle(bobs.get_metadata()).await.unwrap();
    assert_eq!(text(&get(&seen, "publicMetadata"), "plan"), "pro");
    assert!(get(&seen, "privateMetadata").is_undefined());

    install_fetch_counter();
    let refused = settle(bobs.update_metadata(obj(&[("publicMetadata", obj(&[]))])))
        .await
        .unwrap_err();
    assert_error(&refused, "forbidden", 0);
    let big = obj(&[("a", "x".repeat(9000).into())]);
    let refused = settle(org.update_metadata(obj(&[("publicMetadata", big)])))
        .await
        .unwrap_err();
    assert_error(&refused, "metadata_too_large", 0);
    let refused = settle(org.update_metadata(obj(&[("publicMetadata", Array::new().into())])))
        .await
        .unwrap_err();
    assert_error(&refused, "validation_failed", 0);
    assert_eq!(fetch_count(), 0, "no request for a local refusal");

    // A member's metadata, through the membership.
    let members = org.get_memberships().await.unwrap();
    let bob = members
        .into_iter()
        .find(|m| m.role() == "basic_member")
        .unwrap();
    let answer =
        settle(bob.update_metadata(obj(&[("publicMetadata", obj(&[("title", "CTO".into())]))])))
            .await
            .unwrap();
    assert_eq!(text(&get(&answer, "publicMetadata"), "title"), "CTO");
    let read = settle(bob.get_metadata()).await.unwrap();
    assert_eq!(text(&get(&read, "publicMetadata"), "title"), "CTO");
}

#[wasm_bindgen_test]
async fn logos_are_checked_before_they_are_sent() {
    let (org, bobs) = admin_and_member("Logo").await;
    install_fetch_counter();
    let gif = blob(b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "image/png");
    assert_error(
        &settle(org.set_logo(gif)).await.unwrap_err(),
        "logo_unsupported",
        0,
    );
    let mut big = PNG.to_vec();
    big.resize(1024 * 1024 + 1, 0);
    assert_error(
        &settle(org.set_logo(blob(&big, "image/png")))
            .await
            .unwrap_err(),
        "logo_too_large",
        0,
    );
    assert_error(
        &settle(bobs.set_logo(blob(PNG, "image/png")))
            .await
            .unwrap_err(),
        "forbidden",
        0,
    );
    assert_eq!(fetch_count(), 0, "no request for a local refusal");
    let set = settle(org.set_logo(blob(PNG, "image/png"))).await.unwrap();
    assert_eq!(fetch_count(), 1, "one request");
    // It resolves to the organization, changed in place: its URL names this logo.
    assert_eq!(text(&set, "id"), org.id());
    assert!(org.has_image());
    let url = org.image_url().unwrap();
    assert_eq!(text(&set, "imageUrl"), url);
    let logo = format!("/v1/organizations/{}/logo?v=", org.id());
    assert!(url.contains(&logo), "{url}");
    // Another logo, another URL.
    let mut other = PNG.to_vec();
    other.push(0);
    settle(org.set_logo(blob(&other, "image/png")))
        .await
        .unwrap();
    assert_ne!(org.image_url().unwrap(), url);
    settle(org.delete_logo()).await.unwrap();
    assert!(!org.has_image());
    assert!(org.image_url().is_none());
}

#[wasm_bindgen_test]
async fn the_billing_profile_and_the_member_limit() {
    let (org, bobs) = admin_and_member("Billing").await;
    let saved = settle(org.update_billing_profile(profile())).await.unwrap();
    assert_eq!(text(&saved, "legalName"), "Acme SAS");
    assert!(get(&saved, "updatedAt").is_instance_of::<js_sys::Date>());
    let read = settle(org.get_billing_profile()).await.unwrap();
    assert_eq!(text(&get(&read, "paymentMethod"), "last4"), "4242");

    install_fetch_counter();
    assert_error(
        &settle(bobs.get_billing_profile()).await.unwrap_err(),
        "forbidden",
        0,
    );
    let card = profile();
    Reflect::set(
        &get(&card, "paymentMethod"),
        &"reference".into(),
        &"4242 4242 4242 4242".into(),
    )
    .unwrap();
    assert_error(
        &settle(org.update_billing_profile(card)).await.unwrap_err(),
        "card_data_refused",
        0,
    );
    let bad = profile();
    Reflect::set(&get(&bad, "address"), &"country".into(), &"ZZ".into()).unwrap();
    assert_error(
        &settle(org.update_billing_profile(bad)).await.unwrap_err(),
        "billing_profile_invalid",
        0,
    );
    let refused = bobs
        .update(obj(&[("maxAllowedMemberships", 5.into())]))
        .await
        .err()
        .expect("a member may not set the limit");
    assert_error(&refused, "forbidden", 0);
    assert_eq!(fetch_count(), 0, "no request for a local refusal");

    let updated = org
        .update(obj(&[("maxAllowedMemberships", 2.into())]))
        .await
        .unwrap();
    assert_eq!(updated.max_allowed_memberships(), 2.0);
    // Full: a third person is refused by the server.
    let (carol, carol_email) = person("gov-carol").await;
    org.invite_member(invite_params(&carol_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&carol, &carol_email, "/accept").await;
    let refused = carol.accept_invitation(token).await.err().expect("full");
    assert_error(&refused, "membership_limit_reached", 409);
}
