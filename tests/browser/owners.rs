//! Owners, transfer, confirmed deletion and suspended members, through the SDK: local
//! refusals send nothing, and the server's answers come back as `OrgKitError`s.

use super::*;
use wasm_bindgen::convert::TryFromJsValue;

/// Asserts a local refusal: the promise rejects with `code` and no request was sent.
async fn refused_locally(promise: js_sys::Promise, code: &str) {
    install_fetch_counter();
    let error = settle(promise).await.err().expect("should be refused");
    assert_error(&error, code, 0);
    assert_eq!(fetch_count(), 0, "{code}: no request");
}

/// An organization of `owner`'s with Bob as `role`: the owner's view, Bob's kit and Bob's
/// membership as the owner sees it.
async fn with_member(
    owner: &OrgKit,
    name: &str,
    role: &str,
) -> (Organization, OrgKit, OrganizationMembership) {
    let org = create_org(owner, name).await;
    let (bob, bob_email) = person("ownersbob").await;
    org.invite_member(invite_params(&bob_email, role))
        .await
        .unwrap();
    let token = mailed_token(owner, &bob_email, "/accept").await;
    bob.accept_invitation(token).await.unwrap();
    let members = org.get_memberships().await.unwrap();
    let bobs = members.into_iter().find(|m| !m.is_owner()).unwrap();
    (org, bob, bobs)
}

#[wasm_bindgen_test]
async fn deleting_takes_the_slug_and_an_owner() {
    let (ada, _) = person("ownersada").await;
    let (org, bob, _) = with_member(&ada, "Owned", "admin").await;
    assert!(org.is_owner() && !org.creator_protection());
    // Without the slug, or with another, nothing is sent.
    let destroy = |o: &Organization, confirm: JsValue| {
        let o = o.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            o.destroy(obj(&[("confirm", confirm)]))
                .await
                .map(|_| JsValue::NULL)
        })
    };
    refused_locally(destroy(&org, JsValue::UNDEFINED), "confirmation_mismatch").await;
    refused_locally(
        destroy(&org, "not-the-slug".into()),
        "confirmation_mismatch",
    )
    .await;
    // Bob is an admin, not an owner: refused locally too.
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    assert!(!bobs_org.is_owner());
    refused_locally(destroy(&bobs_org, org.slug().into()), "owner_required").await;
    refused_locally(
        {
            let o = bobs_org.clone();
            wasm_bindgen_futures::future_to_promise(async move {
                o.update(obj(&[("creatorProtection", true.into())]))
                    .await
                    .map(JsValue::from)
            })
        },
        "owner_required",
    )
    .await;
    // The owner protects the creator, then deletes it, confirmed.
    let protected = org
        .update(obj(&[("creatorProtection", true.into())]))
        .await
        .unwrap();
    assert!(protected.creator_protection());
    org.destroy(obj(&[("confirm", org.slug().into())]))
        .await
        .unwrap();
    assert_error(
        &ada.get_organization(org.id()).await.err().expect("gone"),
        "not_found",
        404,
    );
}

#[wasm_bindgen_test]
async fn ownership_is_transferred() {
    let (ada, _) = person("ownersada").await;
    let (org, bob, bobs) = with_member(&ada, "Handed", "basic_member").await;
    let bob_id = text(&bobs.public_user_data(), "userId");
    let transfer = |o: &Organization, p: JsValue| {
        let o = o.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            o.transfer_ownership(p).await.map(JsValue::from)
        })
    };
    // Local refusals: not an owner, myself, a role that does not exist.
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    let to_ada = obj(&[("userId", "user_someone".into())]);
    refused_locally(transfer(&bobs_org, to_ada), "owner_required").await;
    refused_locally(transfer(&org, obj(&[("userId", "me".into())])), "forbidden").await;
    let bad_role = obj(&[
        ("userId", bob_id.clone().into()),
        ("keepRole", "owner".into()),
    ]);
    refused_locally(transfer(&org, bad_role), "unknown_role").await;
    // The server's refusal of a stranger.
    let stranger = settle(transfer(&org, obj(&[("userId", "user_nobody".into())])))
        .await
        .err()
        .expect("not a member");
    assert_error(&stranger, "not_found", 404);
    // Bob gets it; Ada keeps the basic role.
    let after = org
        .transfer_ownership(obj(&[
            ("userId", bob_id.into()),
            ("keepRole", "basic_member".into()),
        ]))
        .await
        .unwrap();
    assert!(!after.is_owner());
    assert_eq!(after.role(), "basic_member");
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    assert!(bobs_org.is_owner());
    assert_eq!(bobs_org.role(), "admin");
}

#[wasm_bindgen_test]
async fn a_transfer_beyond_my_permissions_is_refused_locally() {
    let (ada, _) = person("ownersada").await;
    let (org, _, bobs) = with_member(&ada, "Escalated", "admin").await;
    let bob_id = text(&bobs.public_user_data(), "userId");
    // Ada, the owner, steps down to a basic member (Bob stays admin) and keeps ownership.
    let members = org.get_memberships().await.unwrap();
    let mine = members.into_iter().find(|m| m.is_owner()).unwrap();
    let ada_id = text(&mine.public_user_data(), "userId");
    org.update_role(obj(&[
        ("userId", ada_id.into()),
        ("role", "basic_member".into()),
    ]))
    .await
    .unwrap();
    let org = ada.get_organization(org.id()).await.unwrap();
    assert!(org.is_owner());
    assert_eq!(org.role(), "basic_member");
    // Handing over gives `admin`, which holds more than she does: refused, nothing sent, and
    // the error names what she lacks.
    install_fetch_counter();
    let o = org.clone();
    let params = obj(&[
        ("userId", bob_id.into()),
        ("keepRole", "basic_member".into()),
    ]);
    let refused = settle(wasm_bindgen_futures::future_to_promise(async move {
        o.transfer_ownership(params).await.map(JsValue::from)
    }))
    .await
    .err()
    .expect("should be refused");
    assert_error(&refused, "permission_escalation", 0);
    assert_eq!(fetch_count(), 0, "no request");
    let missing = js_sys::Reflect::get(&refused, &"missingPermissions".into()).unwrap();
    let missing: Vec<String> = js_sys::Array::from(&missing)
        .iter()
        .filter_map(|p| p.as_string())
        .collect();
    assert!(
        missing.iter().any(|p| p == "org:memberships:manage"),
        "{missing:?}"
    );
}

#[wasm_bindgen_test]
async fn members_are_suspended_and_reactivated() {
    let (ada, _) = person("ownersada").await;
    let (org, bob, bobs) = with_member(&ada, "Paused", "basic_member").await;
    assert!(!bobs.suspended() && !bobs.is_owner());
    // Bob, a basic member, cannot suspend anyone; Ada cannot suspend herself.
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    let seen_by_bob = bobs_org.get_memberships().await.unwrap();
    let ada_by_bob = seen_by_bob.iter().find(|m| m.is_owner()).unwrap();
    refused_locally(ada_by_bob.suspend(), "forbidden").await;
    let members = org.get_memberships().await.unwrap();
    let mine = members.iter().find(|m| m.is_owner()).unwrap();
    refused_locally(mine.suspend(), "forbidden").await;

    let suspended =
        OrganizationMembership::try_from_js_value(settle(bobs.suspend()).await.unwrap()).unwrap();
    assert!(suspended.suspended());
    assert_eq!(suspended.role(), "basic_member");
    // Bob has no access to the organization any more.
    let refused = bob
        .get_organization(org.id())
        .await
        .err()
        .expect("suspended");
    assert_error(&refused, "membership_suspended", 403);
    let mine = bob.get_organization_memberships().await.unwrap();
    assert!(mine[0].suspended());
    // Reactivated, he has exactly what he had.
    let back =
        OrganizationMembership::try_from_js_value(settle(suspended.reactivate()).await.unwrap())
            .unwrap();
    assert!(!back.suspended());
    assert_eq!(back.role(), "basic_member");
    assert_eq!(
        bob.get_organization(org.id()).await.unwrap().role(),
        "basic_member"
    );
}
