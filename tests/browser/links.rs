//! Invite links through the SDK: an admin creates, lists, resets and revokes them; a verified
//! person previews and accepts one; and what the rule book can see is refused with no request.

use super::*;

/// Calls the method `name` of a JS object (an `InviteLink`), which answers a Promise.
async fn invoke(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    let method: js_sys::Function = get(target, name).into();
    settle(method.call0(target).unwrap().into()).await
}

/// A new person whose address is verified through the mailed link.
async fn verified_person(who: &str) -> OrgKit {
    let (kit, address) = person(who).await;
    let token = mailed_token(&kit, &address, "/verify-email").await;
    kit.verify_email(token).await.unwrap();
    kit
}

/// The name of the class of a JS object (wasm-bindgen classes are not `JsCast`).
fn class_of(value: &JsValue) -> String {
    text(&get(value, "constructor"), "name")
}

fn link_params(pairs: &[(&str, JsValue)]) -> JsValue {
    let mut all = vec![("role", JsValue::from("basic_member"))];
    all.extend(pairs.iter().cloned());
    obj(&all)
}

#[wasm_bindgen_test]
async fn invite_links_are_created_listed_accepted_reset_and_revoked() {
    let (admin, _) = person("linker").await;
    let org = create_org(&admin, "Link Club").await;
    let link = settle(org.create_invite_link(link_params(&[("maxUses", 5.into())])))
        .await
        .unwrap();
    assert!(class_of(&link) == "InviteLink");
    let token = text(&link, "token");
    assert_eq!(token.len(), 43);
    assert!(text(&link, "url").ends_with(&format!("/join?token={token}")));
    assert_eq!(text(&link, "status"), "active");
    assert_eq!(get(&link, "uses").as_f64(), Some(0.0));
    assert_eq!(get(&link, "maxUses").as_f64(), Some(5.0));
    assert!(get(&link, "expiresAt").is_null());
    assert!(get(&link, "createdAt").is_instance_of::<js_sys::Date>());

    let page = settle(org.get_invite_links(JsValue::UNDEFINED))
        .await
        .unwrap();
    let listed = Array::from(&get(&page, "data"));
    assert_eq!(listed.length(), 1);
    assert!(class_of(&listed.get(0)) == "InviteLink");
    assert!(get(&listed.get(0), "token").is_undefined(), "never listed");
    assert!(get(&page, "nextCursor").is_null());

    // Previewing needs no session; accepting a verified person's.
    let carol = verified_person("carol").await;
    let preview = settle(kit().preview_invite_link(&token)).await.unwrap();
    assert_eq!(text(&preview, "organizationName"), "Link Club");
    assert_eq!(text(&preview, "status"), "active");
    assert_eq!(text(&preview, "role"), "basic_member");
    let joined = settle(carol.accept_invite_link(&token)).await.unwrap();
    let membership = get(&joined, "membership");
    assert!(class_of(&membership) == "OrganizationMembership");
    assert_eq!(text(&membership, "role"), "basic_member");
    assert!(get(&joined, "joinRequest").is_undefined());
    assert_error(
        &settle(carol.accept_invite_link(&token)).await.unwrap_err(),
        "already_member",
        409,
    );

    // A reset link works; the old one answers revoked.
    let fresh = invoke(&link, "reset").await.unwrap();
    assert!(class_of(&fresh) == "InviteLink");
    let new_token = text(&fresh, "token");
    assert_ne!(new_token, token);
    let dave = verified_person("dave").await;
    assert_error(
        &settle(dave.accept_invite_link(&token)).await.unwrap_err(),
        "invite_link_revoked",
        409,
    );
    let revoked = invoke(&fresh, "revoke").await.unwrap();
    assert_eq!(text(&revoked, "status"), "revoked");
    assert_error(
        &settle(dave.accept_invite_link(&new_token))
            .await
            .unwrap_err(),
        "invite_link_revoked",
        409,
    );

    // A link that requires approval files a join request.
    let gated = settle(org.create_invite_link(link_params(&[
        ("requiresApproval", true.into()),
        (
            "expiresAt",
            js_sys::Date::new(&(js_sys::Date::now() + 3_600_000.0).into()).into(),
        ),
    ])))
    .await
    .unwrap();
    assert!(get(&gated, "expiresAt").is_instance_of::<js_sys::Date>());
    let asked = settle(dave.accept_invite_link(&text(&gated, "token")))
        .await
        .unwrap();
    let request = get(&asked, "joinRequest");
    assert_eq!(text(&request, "status"), "pending");
    assert!(text(&request, "id").starts_with("jrq_"));
    assert!(get(&request, "createdAt").is_instance_of::<js_sys::Date>());
    assert!(get(&asked, "membership").is_undefined());
}

#[wasm_bindgen_test]
async fn invite_link_refusals_the_rule_book_can_see_send_nothing() {
    let (org, member) = org_with_member("Link rules").await;
    let members_org = member.get_organization(org.id()).await.unwrap();
    let revoked = settle(org.create_invite_link(link_params(&[])))
        .await
        .unwrap();
    let revoked = invoke(&revoked, "revoke").await.unwrap();
    let past = js_sys::Date::new(&(js_sys::Date::now() - 1_000.0).into());

    install_fetch_counter();
    let refusals = [
        (settle(kit().preview_invite_link("")).await, "not_found"),
        (
            settle(kit().accept_invite_link("not-a-token")).await,
            "not_found",
        ),
        (
            settle(member.accept_invite_link(&"a".repeat(44))).await,
            "not_found",
        ),
        (
            settle(org.create_invite_link(link_params(&[("maxUses", 0.into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.create_invite_link(link_params(&[("maxUses", 10_001.into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.create_invite_link(link_params(&[("maxUses", 1.5.into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.create_invite_link(link_params(&[("expiresAt", past.into())]))).await,
            "invite_link_expired",
        ),
        (
            settle(org.create_invite_link(obj(&[("role", "ghost".into())]))).await,
            "unknown_role",
        ),
        (
            settle(org.create_invite_link(JsValue::UNDEFINED)).await,
            "validation_failed",
        ),
        (
            settle(members_org.create_invite_link(link_params(&[]))).await,
            "forbidden",
        ),
        (
            settle(members_org.get_invite_links(JsValue::UNDEFINED)).await,
            "forbidden",
        ),
        (
            settle(org.get_invite_links(obj(&[("after", "inv_x".into())]))).await,
            "validation_failed",
        ),
        (invoke(&revoked, "revoke").await, "invite_link_revoked"),
        (invoke(&revoked, "reset").await, "invite_link_revoked"),
    ];
    for (outcome, code) in refusals {
        assert_error(&outcome.expect_err("refused"), code, 0);
    }
    assert_eq!(fetch_count(), 0, "refused locally, without a request");
}
