//! Join requests through the SDK: asking, listing, accepting, rejecting, withdrawing, the
//! organization's setting, and the refusals the rule book sees without a request.

use super::*;
use js_sys::Function;

/// Calls `target.method(arg)`, a method that answers a `Promise`, and settles it.
async fn invoke(target: &JsValue, method: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into().unwrap();
    let promise: js_sys::Promise = f.call1(target, arg).unwrap().dyn_into().unwrap();
    settle(promise).await
}

/// A new person with a verified address.
async fn verified_person(who: &str) -> (OrgKit, String) {
    let (kit, address) = person(who).await;
    let token = mailed_token(&kit, &address, "/verify-email").await;
    kit.verify_email(token).await.unwrap();
    (kit, address)
}

async fn open_org(name: &str) -> (OrgKit, Organization) {
    let (admin, _) = verified_person("gatekeeper").await;
    let org = create_org(&admin, name).await;
    assert!(!org.allow_join_requests());
    let org = org
        .update(obj(&[("allowJoinRequests", true.into())]))
        .await
        .unwrap();
    assert!(org.allow_join_requests());
    (admin, org)
}

fn ask(org: &Organization, message: &str) -> JsValue {
    obj(&[
        ("organization", org.slug().into()),
        ("message", message.into()),
    ])
}

#[wasm_bindgen_test]
async fn join_requests_are_asked_listed_accepted_rejected_and_withdrawn() {
    let (admin, org) = open_org("Open House").await;
    let (carol, carol_email) = verified_person("carol").await;
    let request = settle(carol.request_to_join(ask(&org, "  Hello!  ")))
        .await
        .unwrap();
    assert_eq!(text(&request, "status"), "pending");
    assert_eq!(text(&request, "source"), "request");
    assert_eq!(text(&request, "message"), "Hello!");
    assert_eq!(text(&request, "organizationName"), "Open House");
    assert!(get(&request, "createdAt").is_instance_of::<js_sys::Date>());
    assert!(get(&request, "decidedAt").is_null() || get(&request, "decidedAt").is_undefined());
    let mine: Array = settle(carol.get_my_join_requests()).await.unwrap().into();
    assert_eq!(mine.length(), 1);
    assert_eq!(text(&mine.get(0), "id"), text(&request, "id"));

    let page = settle(org.get_join_requests(JsValue::UNDEFINED))
        .await
        .unwrap();
    let data: Array = get(&page, "data").into();
    assert_eq!(data.length(), 1);
    assert!(get(&page, "nextCursor").is_null());
    let pending = data.get(0);
    assert_eq!(
        text(&get(&pending, "publicUserData"), "identifier"),
        carol_email
    );
    let membership = invoke(&pending, "accept", &obj(&[("role", "basic_member".into())]))
        .await
        .unwrap();
    assert_eq!(text(&membership, "role"), "basic_member");
    // Carol now sees the organization, and her request accepted.
    let memberships = carol.get_organization_memberships().await.unwrap();
    assert_eq!(memberships[0].organization().name(), "Open House");
    let mine: Array = settle(carol.get_my_join_requests()).await.unwrap().into();
    assert_eq!(text(&mine.get(0), "status"), "accepted");
    let subjects: Array = admin
        .get_dev_mailbox(Some(carol_email.clone()))
        .await
        .unwrap()
        .into();
    assert_eq!(
        text(&subjects.get(0), "subject"),
        "You are now a member of Open House"
    );

    // Rejected, asked again, withdrawn.
    let (dave, _) = verified_person("dave").await;
    settle(dave.request_to_join(ask(&org, ""))).await.unwrap();
    let page = settle(org.get_join_requests(obj(&[("status", "pending".into())])))
        .await
        .unwrap();
    let first = Array::from(&get(&page, "data")).get(0);
    let rejected = invoke(&first, "reject", &JsValue::UNDEFINED).await.unwrap();
    assert_eq!(text(&rejected, "status"), "rejected");
    let again = settle(dave.request_to_join(ask(&org, "Please")))
        .await
        .unwrap();
    let withdrawn = invoke(&again, "withdraw", &JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(text(&withdrawn, "status"), "withdrawn");
    // Server refusals: asking twice, and an organization that takes no requests.
    settle(dave.request_to_join(ask(&org, ""))).await.unwrap();
    let twice = settle(dave.request_to_join(ask(&org, "")))
        .await
        .err()
        .expect("refused");
    assert_error(&twice, "already_requested", 409);
    let closed = create_org(&admin, "Closed House").await;
    let refused = settle(dave.request_to_join(ask(&closed, "")))
        .await
        .err()
        .expect("refused");
    assert_error(&refused, "join_requests_disabled", 403);
    // Paging: limit 1 walks pending first, then the rest.
    let page = settle(org.get_join_requests(obj(&[("limit", 1.into())])))
        .await
        .unwrap();
    assert_eq!(
        text(&Array::from(&get(&page, "data")).get(0), "status"),
        "pending"
    );
    let next = text(&page, "nextCursor");
    let page = settle(org.get_join_requests(obj(&[("limit", 1.into()), ("after", next.into())])))
        .await
        .unwrap();
    assert_eq!(
        text(&Array::from(&get(&page, "data")).get(0), "status"),
        "withdrawn"
    );
}

#[wasm_bindgen_test]
async fn join_request_refusals_the_rule_book_can_see_send_nothing() {
    let (admin, org) = open_org("Strict House").await;
    let (erin, _) = verified_person("erin").await;
    let mine = settle(erin.request_to_join(ask(&org, ""))).await.unwrap();
    let withdrawn = invoke(&mine, "withdraw", &JsValue::UNDEFINED)
        .await
        .unwrap();
    settle(erin.request_to_join(ask(&org, ""))).await.unwrap();
    let page = settle(org.get_join_requests(JsValue::UNDEFINED))
        .await
        .unwrap();
    let data = Array::from(&get(&page, "data"));
    let (pending, done) = (data.get(0), data.get(1));
    assert_eq!(text(&done, "status"), "withdrawn");
    // A basic member's view of the organization.
    let (member, member_email) = person("basic").await;
    org.invite_member(invite_params(&member_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &member_email, "/accept").await;
    let as_member = member
        .accept_invitation(token)
        .await
        .unwrap()
        .organization();

    install_fetch_counter();
    let long = "x".repeat(501);
    let cases: Vec<(js_sys::Promise, &str)> = vec![
        (erin.request_to_join(ask(&org, &long)), "validation_failed"),
        (
            erin.request_to_join(obj(&[("organization", "Not A Slug!".into())])),
            "validation_failed",
        ),
        (
            erin.request_to_join(obj(&[("organization", "org_!".into())])),
            "validation_failed",
        ),
        (erin.request_to_join(JsValue::NULL), "validation_failed"),
        (as_member.get_join_requests(JsValue::UNDEFINED), "forbidden"),
        (
            org.get_join_requests(obj(&[("after", "jrq_x".into())])),
            "validation_failed",
        ),
        (
            org.get_join_requests(obj(&[("status", "maybe".into())])),
            "validation_failed",
        ),
        (
            org.get_join_requests(obj(&[("limit", 0.into())])),
            "validation_failed",
        ),
    ];
    for (promise, code) in cases {
        let error = settle(promise).await.err().expect("refused locally");
        assert_error(&error, code, 0);
    }
    let refusals = [
        (
            invoke(&pending, "accept", &obj(&[("role", "owner".into())])).await,
            "unknown_role",
        ),
        (
            invoke(&done, "accept", &JsValue::UNDEFINED).await,
            "join_request_not_pending",
        ),
        (
            invoke(&done, "reject", &JsValue::UNDEFINED).await,
            "join_request_not_pending",
        ),
        (
            invoke(&withdrawn, "withdraw", &JsValue::UNDEFINED).await,
            "join_request_not_pending",
        ),
        // Read through the organization, a request is someone else's; from my list, not mine
        // to decide.
        (
            invoke(&pending, "withdraw", &JsValue::UNDEFINED).await,
            "not_found",
        ),
        (
            invoke(&mine, "accept", &JsValue::UNDEFINED).await,
            "not_found",
        ),
    ];
    for (answer, code) in refusals {
        assert_error(&answer.err().expect("refused locally"), code, 0);
    }
    let setting = as_member
        .update(obj(&[("allowJoinRequests", true.into())]))
        .await
        .err()
        .expect("refused locally");
    assert_error(&setting, "forbidden", 0);
    assert_eq!(fetch_count(), 0, "local refusals send nothing");
}
