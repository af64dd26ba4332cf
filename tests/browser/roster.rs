//! The roster, bulk removal, and declining or dismissing invitations, through the SDK.

use super::*;

fn ids(list: &[&str]) -> JsValue {
    list.iter()
        .map(|s| JsValue::from(*s))
        .collect::<Array>()
        .into()
}

fn statuses(list: &[&str]) -> JsValue {
    obj(&[("status", ids(list))])
}

async fn my_id(kit: &OrgKit) -> String {
    text(&kit.get_user().await.unwrap(), "id")
}

/// Asserts a local refusal: the promise rejects with `code` and no request was sent.
async fn refused_locally(promise: js_sys::Promise, code: &str) {
    install_fetch_counter();
    let error = settle(promise).await.err().expect("should be refused");
    assert_error(&error, code, 0);
    assert_eq!(fetch_count(), 0, "{code}: no request");
}

#[wasm_bindgen_test]
async fn the_roster_pages_filters_and_refuses_locally() {
    let (admin, admin_email) = person("rosterowner").await;
    let org = create_org(&admin, "Roster").await;
    let (member, member_email) = person("rostermember").await;
    org.invite_member(invite_params(&member_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &member_email, "/accept").await;
    let membership = member.accept_invitation(token).await.unwrap();
    let invited = email("rosterinvitee");
    org.invite_member(invite_params(&invited, "admin"))
        .await
        .unwrap();

    let page = settle(org.get_roster(JsValue::UNDEFINED)).await.unwrap();
    let data = page_data(&page);
    assert_eq!(data.length(), 3);
    let kinds: Vec<String> = data.iter().map(|e| text(&e, "status")).collect();
    let mut sorted: Vec<String> = data.iter().map(|e| text(&e, "emailAddress")).collect();
    sorted.sort();
    let addresses: Vec<String> = data.iter().map(|e| text(&e, "emailAddress")).collect();
    assert_eq!(addresses, sorted, "ordered by address");
    assert!(kinds.contains(&"invited".to_owned()), "{kinds:?}");
    assert!(get(&data.get(0), "createdAt").is_instance_of::<js_sys::Date>());

    // Pages of one, followed by the cursor.
    let first = settle(org.get_roster(obj(&[("limit", 1.into())])))
        .await
        .unwrap();
    let next = text(&first, "nextCursor");
    let second = settle(org.get_roster(obj(&[("limit", 1.into()), ("after", next.into())])))
        .await
        .unwrap();
    assert_eq!(
        text(&page_data(&second).get(0), "id"),
        text(&data.get(1), "id")
    );
    let only = settle(org.get_roster(statuses(&["invited"])))
        .await
        .unwrap();
    assert_eq!(text(&page_data(&only).get(0), "emailAddress"), invited);
    assert!(get(&page_data(&only).get(0), "expiresAt").is_instance_of::<js_sys::Date>());
    let prefix = admin_email[..8].to_uppercase();
    let found = settle(org.get_roster(obj(&[("query", prefix.into())])))
        .await
        .unwrap();
    assert_eq!(text(&page_data(&found).get(0), "emailAddress"), admin_email);

    refused_locally(
        org.get_roster(obj(&[("after", "nonsense".into())])),
        "validation_failed",
    )
    .await;
    refused_locally(org.get_roster(statuses(&["left"])), "validation_failed").await;
    refused_locally(
        org.get_roster(obj(&[("limit", 500.into())])),
        "validation_failed",
    )
    .await;
    // A basic member sees members only.
    let theirs = membership.organization();
    refused_locally(theirs.get_roster(statuses(&["invited"])), "forbidden").await;
    refused_locally(theirs.get_roster(statuses(&["requested"])), "forbidden").await;
    let seen = settle(theirs.get_roster(JsValue::UNDEFINED)).await.unwrap();
    assert!(page_data(&seen)
        .iter()
        .all(|e| text(&e, "status") == "joined"));
}

#[wasm_bindgen_test]
async fn members_are_removed_in_bulk_with_local_refusals() {
    let (admin, _) = person("bulkowner").await;
    let org = create_org(&admin, "Bulk").await;
    let admin_id = my_id(&admin).await;
    let mut member_ids = Vec::new();
    for who in ["bulka", "bulkb"] {
        let (kit, address) = person(who).await;
        org.invite_member(invite_params(&address, "basic_member"))
            .await
            .unwrap();
        let token = mailed_token(&admin, &address, "/accept").await;
        kit.accept_invitation(token).await.unwrap();
        member_ids.push(my_id(&kit).await);
    }
    refused_locally(org.remove_members(ids(&[])), "validation_failed").await;
    let many: Vec<String> = (0..101).map(|i| format!("user_{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    refused_locally(org.remove_members(ids(&many)), "validation_failed").await;
    refused_locally(org.remove_members(ids(&["mem_1"])), "validation_failed").await;
    refused_locally(org.remove_members("user_1".into()), "validation_failed").await;
    // With every member seen, removing only the last admin is refused here.
    org.get_memberships().await.unwrap();
    refused_locally(org.remove_members(ids(&[&admin_id])), "last_admin").await;
    refused_locally(org.remove_members(ids(&["user_nobody"])), "not_found").await;

    install_fetch_counter();
    let answer = settle(org.remove_members(ids(&[
        &member_ids[0],
        "user_nobody",
        &member_ids[1],
        &admin_id,
    ])))
    .await
    .unwrap();
    assert_eq!(fetch_count(), 1);
    let results = page_data(&answer);
    let outcome: Vec<(bool, String)> = results
        .iter()
        .map(|r| {
            let error = get(&r, "error");
            let code = if error.is_object() {
                text(&error, "code")
            } else {
                String::new()
            };
            (get(&r, "removed").as_bool().unwrap(), code)
        })
        .collect();
    assert_eq!(
        outcome,
        [
            (true, String::new()),
            (false, "not_found".to_owned()),
            (true, String::new()),
            // The creator is the last owner as well as the last admin.
            (false, "last_owner".to_owned()),
        ]
    );
    assert_eq!(org.get_memberships().await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn invitees_decline_and_dismiss() {
    let (admin, _) = person("declineowner").await;
    let org = create_org(&admin, "Declines").await;
    let (bob, bob_email) = person("bob").await;
    let (eve, _) = person("eve").await;
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &bob_email, "/accept").await;
    // Eve knows her address and, from the preview, the invited one: refused here.
    eve.get_user().await.unwrap();
    eve.preview_invitation(token.clone()).await.unwrap();
    refused_locally(eve.decline_invitation(token.clone()), "wrong_recipient").await;
    install_fetch_counter();
    let error = eve.accept_invitation(token.clone()).await.err().unwrap();
    assert_error(&error, "wrong_recipient", 0);
    assert_eq!(fetch_count(), 0);
    // Bob declines by token, before verifying his address.
    let declined = settle(bob.decline_invitation(token.clone())).await.unwrap();
    assert_eq!(text(&declined, "status"), "declined");
    assert!(get(&declined, "expiresAt").is_instance_of::<js_sys::Date>());
    let again = settle(bob.decline_invitation(token)).await.err().unwrap();
    assert_error(&again, "invitation_not_pending", 409);

    // From his list, once verified.
    org.invite_member(invite_params(&bob_email, "admin"))
        .await
        .unwrap();
    let verify = mailed_token(&bob, &bob_email, "/verify-email").await;
    bob.verify_email(verify).await.unwrap();
    let mine = bob.get_user_invitations().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status(), "pending");
    refused_locally(mine[0].dismiss(), "invitation_not_pending").await;
    let declined = settle(mine[0].decline()).await.unwrap();
    assert_eq!(text(&declined, "status"), "declined");
    assert!(bob.get_user_invitations().await.unwrap().is_empty());
}
