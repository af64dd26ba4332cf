//! The reactive store through the SDK: the snapshot after a mutation made through the SDK (no
//! refetch by hand), its identity, unsubscribing, paging a kept list, and a change made by
//! another client shown at the next revalidation.

use super::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// `snapshot[list][key]`, or `undefined` when the list is not kept.
fn of(snapshot: &JsValue, list: &str, key: &str) -> JsValue {
    let list = get(snapshot, list);
    if list.is_object() {
        get(&list, key)
    } else {
        JsValue::UNDEFINED
    }
}

/// A kept list's `count`.
fn count(snapshot: &JsValue, list: &str) -> Option<f64> {
    of(snapshot, list, "count").as_f64()
}

/// Waits (at most 10 s) for the snapshot to pass `check`, and returns it.
async fn until(kit: &OrgKit, what: &str, check: impl Fn(&JsValue) -> bool) -> JsValue {
    for _ in 0..100 {
        let snapshot = kit.get_snapshot();
        if check(&snapshot) {
            return snapshot;
        }
        JsFuture::from(sleep(100)).await.unwrap();
    }
    panic!("timed out waiting for {what}");
}

/// The active organization's id in a snapshot, if any.
fn active_id(snapshot: &JsValue) -> Option<String> {
    let org = get(snapshot, "organization");
    org.is_object().then(|| text(&org, "id"))
}

fn keep(kit: &OrgKit, lists: &[(&str, JsValue)]) -> js_sys::Function {
    kit.keep(obj(lists)).unwrap().unchecked_into()
}

async fn activate(kit: &OrgKit, org: &Organization) {
    settle(kit.set_active(obj(&[("organization", org.id().into())])))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_snapshot_follows_the_sdks_own_mutations() {
    let (admin, _) = person("store-admin").await;
    let bob_email = email("store-bob");
    let org = create_org(&admin, "Store Co").await;
    settle(admin.load()).await.unwrap();
    activate(&admin, &org).await;
    let release = keep(
        &admin,
        &[("memberships", true.into()), ("invitations", true.into())],
    );
    let first = until(&admin, "the kept lists", |s| {
        count(s, "memberships") == Some(1.0) && count(s, "invitations") == Some(0.0)
    })
    .await;
    assert_eq!(text(&first, "status"), "ready");
    assert_eq!(active_id(&first), Some(org.id()));
    assert!(Object::is_frozen(first.unchecked_ref::<Object>()));
    assert!(
        js_sys::Object::is(&first, &admin.get_snapshot()),
        "the same object until something changes"
    );
    assert!(admin.has("org:memberships:manage"));
    assert!(admin.has("org:invoices:create"));
    assert!(!admin.has("org:invoices:delete"));

    let calls = Rc::new(Cell::new(0u32));
    let seen = calls.clone();
    let listener = Closure::<dyn FnMut()>::new(move || seen.set(seen.get() + 1));
    let unsubscribe: js_sys::Function = admin
        .subscribe(listener.as_ref().unchecked_ref())
        .unchecked_into();

    // An invitation through the SDK: the kept list follows with no refetch by hand.
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let after = until(&admin, "the invitation", |s| {
        count(s, "invitations") == Some(1.0)
    })
    .await;
    assert!(!js_sys::Object::is(&first, &after), "a new object");
    assert_eq!(
        count(&first, "invitations"),
        Some(0.0),
        "the old one is unchanged"
    );
    let listened = calls.get();
    assert!(listened > 0, "the listener was told");

    // Unsubscribed: told nothing more. Released: the lists leave the snapshot.
    unsubscribe.call0(&JsValue::NULL).unwrap();
    release.call0(&JsValue::NULL).unwrap();
    let released = admin.get_snapshot();
    assert!(get(&released, "memberships").is_undefined());
    assert!(get(&released, "invitations").is_undefined());
    assert_eq!(calls.get(), listened);
    drop(listener);

    // A malformed keep is refused locally.
    for bad in [
        obj(&[("memberships", obj(&[("pageSize", 0.into())]))]),
        obj(&[("memberships", obj(&[("pageSize", 101.into())]))]),
        obj(&[("domains", "yes".into())]),
        JsValue::from("memberships"),
    ] {
        assert_error(
            &admin.keep(bad).err().expect("refused"),
            "validation_failed",
            0,
        );
    }
}

#[wasm_bindgen_test]
async fn kept_lists_page_and_show_another_clients_change_at_revalidation() {
    let (admin, _) = person("store-owner").await;
    let (bob, bob_email) = person("store-member").await;
    let org = create_org(&admin, "Revalidated").await;
    activate(&admin, &org).await;
    let _kept = keep(
        &admin,
        &[
            ("memberships", obj(&[("pageSize", 1.into())])),
            ("invitations", true.into()),
        ],
    );
    settle(admin.load()).await.unwrap();
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    until(&admin, "the invitation", |s| {
        count(s, "invitations") == Some(1.0)
    })
    .await;

    // Bob accepts with his own client: nothing changes here until a revalidation.
    let token = mailed_token(&admin, &bob_email, "/accept").await;
    bob.accept_invitation(token).await.unwrap();
    JsFuture::from(sleep(300)).await.unwrap();
    let stale = admin.get_snapshot();
    assert_eq!(count(&stale, "invitations"), Some(1.0));
    settle(admin.revalidate()).await.unwrap();
    let fresh = until(&admin, "Bob's membership", |s| {
        count(s, "invitations") == Some(0.0)
            && of(s, "memberships", "hasNextPage").as_bool() == Some(true)
    })
    .await;
    assert_eq!(count(&fresh, "memberships"), Some(1.0), "one page of one");

    // The next page, then a revalidation through both pages.
    let next: js_sys::Function = of(&fresh, "memberships", "fetchNext").unchecked_into();
    settle(next.call0(&JsValue::NULL).unwrap().unchecked_into())
        .await
        .unwrap();
    let two = until(&admin, "the second page", |s| {
        count(s, "memberships") == Some(2.0)
    })
    .await;
    let data: Array = of(&two, "memberships", "data").unchecked_into();
    let ids: Vec<String> = data.iter().map(|m| text(&m, "id")).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    settle(admin.revalidate()).await.unwrap();
    assert_eq!(count(&admin.get_snapshot(), "memberships"), Some(2.0));

    // Bob's store: the organization is his active one, until the admin removes him.
    activate(&bob, &org).await;
    settle(bob.load()).await.unwrap();
    let his = until(&bob, "Bob's active organization", |s| {
        active_id(s).is_some()
    })
    .await;
    assert_eq!(active_id(&his), Some(org.id()));
    assert!(!bob.has("org:memberships:manage"));
    assert!(bob.has("org:memberships:read"));
    let bob_id = text(&get(&his, "user"), "id");
    org.remove_member(bob_id).await.unwrap();
    until(&admin, "the removal, through the SDK", |s| {
        count(s, "memberships") == Some(1.0)
    })
    .await;
    settle(bob.revalidate()).await.unwrap();
    let gone = bob.get_snapshot();
    assert!(
        get(&gone, "organization").is_null(),
        "removed by someone else"
    );
    assert!(!bob.has("org:memberships:read"));
}

#[wasm_bindgen_test]
async fn signing_out_empties_the_snapshot() {
    let (kit, address) = person("store-leaver").await;
    let org = create_org(&kit, "Leaving").await;
    activate(&kit, &org).await;
    settle(kit.load()).await.unwrap();
    let before = until(&kit, "signed in", |s| active_id(s).is_some()).await;
    assert_eq!(text(&get(&before, "user"), "emailAddress"), address);
    kit.sign_out().await.unwrap();
    let after = kit.get_snapshot();
    assert_eq!(text(&after, "status"), "ready");
    assert!(get(&after, "user").is_null());
    assert!(get(&after, "organization").is_null());
    assert!(!kit.has("org:memberships:manage"));
}
