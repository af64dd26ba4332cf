//! Workspaces and groups through the SDK, against the live server: the full flow (an admin
//! makes a workspace and a group, puts a member in the group and grants the group; the member
//! sees the workspace through the group), one request per allowed call, and every local
//! refusal with no request at all.

use super::*;
use js_sys::Function;

/// Calls `method` of a JS object with `arg` (`undefined` for none) and settles its Promise.
pub(super) async fn invoke(
    target: &JsValue,
    method: &str,
    arg: &JsValue,
) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into().unwrap();
    let promise: js_sys::Promise = f.call1(target, arg).unwrap().dyn_into().unwrap();
    settle(promise).await
}

/// Settles `promise` and asserts it resolved with exactly one request.
pub(super) async fn one_request(promise: impl FnOnce() -> js_sys::Promise) -> JsValue {
    install_fetch_counter();
    let answer = settle(promise())
        .await
        .unwrap_or_else(|e| panic!("refused: {:?} {:?}", text(&e, "code"), text(&e, "message")));
    assert_eq!(fetch_count(), 1, "one request");
    answer
}

/// `invoke` that must resolve with exactly one request.
pub(super) async fn one_call(target: &JsValue, method: &str, arg: &JsValue) -> JsValue {
    install_fetch_counter();
    let answer = invoke(target, method, arg).await.unwrap_or_else(|e| {
        panic!(
            "{method} refused: {:?} {:?}",
            text(&e, "code"),
            text(&e, "message")
        )
    });
    assert_eq!(fetch_count(), 1, "{method}: one request");
    answer
}

/// Asserts a local refusal with `code`: the Promise rejects and nothing was sent.
pub(super) async fn refused(promise: impl FnOnce() -> js_sys::Promise, code: &str) -> JsValue {
    install_fetch_counter();
    let error = settle(promise()).await.err().expect("refused");
    assert_error(&error, code, 0);
    assert_eq!(fetch_count(), 0, "{code}: refused locally sends nothing");
    error
}

/// `refused` for a method of a JS object.
pub(super) async fn refused_call(target: &JsValue, method: &str, arg: &JsValue, code: &str) {
    install_fetch_counter();
    let error = invoke(target, method, arg)
        .await
        .err()
        .unwrap_or_else(|| panic!("{method} should be refused"));
    assert_error(&error, code, 0);
    assert_eq!(fetch_count(), 0, "{method}: refused locally sends nothing");
}

/// An organization of `admin` with a new basic member: (organization, member's client, the
/// member's user id, the member's view of the organization).
pub(super) async fn with_member(
    admin: &OrgKit,
    name: &str,
) -> (Organization, OrgKit, String, Organization) {
    let org = create_org(admin, name).await;
    let (bob, bob_email) = person("wsbob").await;
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(admin, &bob_email, "/accept").await;
    bob.accept_invitation(token).await.unwrap();
    let bob_id = text(&bob.get_user().await.unwrap(), "id");
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    (org, bob, bob_id, bobs_org)
}

pub(super) async fn user_id(kit: &OrgKit) -> String {
    text(&kit.get_user().await.unwrap(), "id")
}

fn grant(key: &str, id: &str, role: &str) -> JsValue {
    obj(&[(key, id.into()), ("role", role.into())])
}

#[wasm_bindgen_test]
async fn a_member_reaches_a_workspace_through_a_group() {
    let (ada, _) = person("wsada").await;
    let ada_id = user_id(&ada).await;
    let (org, bob, bob_id, bobs_org) = with_member(&ada, "Workspaces Inc").await;

    let ws = one_request(|| org.create_workspace(obj(&[("name", "  Payments ".into())]))).await;
    assert_eq!(text(&ws, "name"), "Payments");
    assert_eq!(text(&ws, "slug"), "payments");
    assert_eq!(text(&ws, "organizationId"), org.id());
    assert_eq!(get(&ws, "personal").as_bool(), Some(false));
    assert_eq!(get(&ws, "archived").as_bool(), Some(false));
    assert_eq!(text(&ws, "myRole"), "ws:manager");
    assert_eq!(text(&ws, "myAccessVia"), "organization");
    assert!(get(&ws, "createdAt").is_instance_of::<js_sys::Date>());
    let ws_id = text(&ws, "id");

    let group = one_request(|| org.create_group(obj(&[("name", "Payments team".into())]))).await;
    let group_id = text(&group, "id");
    assert!(group_id.starts_with("grp_"));
    let member = one_call(&group, "addMember", &grant("userId", &bob_id, "member")).await;
    assert_eq!(text(&get(&member, "principal"), "type"), "user");
    assert_eq!(text(&get(&member, "principal"), "id"), bob_id);
    assert_eq!(text(&member, "role"), "member");
    let granted = one_call(&ws, "addGroup", &grant("groupId", &group_id, "ws:member")).await;
    assert_eq!(text(&granted, "role"), "ws:member");
    assert_eq!(text(&get(&granted, "principal"), "type"), "group");
    assert_eq!(text(&get(&granted, "principal"), "name"), "Payments team");
    assert!(get(&granted, "createdAt").is_instance_of::<js_sys::Date>());

    // Bob sees it through the group, as a member.
    let args = obj(&[("organizationId", org.id().into())]);
    let page = one_request(|| bob.get_my_workspaces(args.clone())).await;
    let data = Array::from(&get(&page, "data"));
    assert_eq!(data.length(), 1);
    let bobs_ws = data.get(0);
    assert_eq!(text(&bobs_ws, "id"), ws_id);
    assert_eq!(text(&bobs_ws, "myRole"), "ws:member");
    assert_eq!(text(&bobs_ws, "myAccessVia"), "group");
    let access = one_call(&ws, "getAccess", &bob_id.clone().into()).await;
    assert_eq!(text(&access, "role"), "ws:member");
    assert_eq!(text(&access, "via"), "group");
    let own = one_call(&bobs_ws, "getAccess", &bob_id.clone().into()).await;
    assert_eq!(text(&own, "via"), "group");
    let grants = one_call(&ws, "getMembers", &JsValue::UNDEFINED).await;
    assert_eq!(Array::from(&get(&grants, "data")).length(), 1);
    let members = one_call(&group, "getMembers", &JsValue::UNDEFINED).await;
    assert_eq!(Array::from(&get(&members, "data")).length(), 1);

    // What a member may not do is refused without a request.
    let ada_grant = grant("userId", &ada_id, "ws:member");
    refused_call(&bobs_ws, "addMember", &ada_grant, "forbidden").await;
    refused_call(&bobs_ws, "archive", &JsValue::UNDEFINED, "forbidden").await;
    refused_call(&bobs_ws, "getMembers", &JsValue::UNDEFINED, "forbidden").await;
    refused_call(&bobs_ws, "getAccess", &ada_id.clone().into(), "forbidden").await;
    refused(
        || bobs_org.create_workspace(obj(&[("name", "Mine".into())])),
        "forbidden",
    )
    .await;
    refused(
        || bobs_org.create_group(obj(&[("name", "Mine".into())])),
        "forbidden",
    )
    .await;
    let bobs_group = Array::from(&get(
        &one_request(|| bobs_org.get_groups(JsValue::UNDEFINED)).await,
        "data",
    ))
    .get(0);
    assert_eq!(text(&bobs_group, "myRole"), "member");
    refused_call(
        &bobs_group,
        "addMember",
        &grant("userId", &ada_id, "member"),
        "forbidden",
    )
    .await;
    refused_call(&bobs_group, "destroy", &JsValue::UNDEFINED, "forbidden").await;

    // A direct grant outranks the group's; the admin lists and reads the workspaces.
    one_call(&ws, "addMember", &grant("userId", &bob_id, "ws:manager")).await;
    let access = one_call(&ws, "getAccess", &bob_id.clone().into()).await;
    assert_eq!(
        (text(&access, "role"), text(&access, "via")),
        ("ws:manager".into(), "direct".into())
    );
    let all = one_request(|| org.get_workspaces(JsValue::UNDEFINED)).await;
    assert_eq!(Array::from(&get(&all, "data")).length(), 1);
    let fetched = one_request(|| org.get_workspace(&ws_id)).await;
    assert_eq!(text(&fetched, "name"), "Payments");
    let principal = obj(&[("type", "user".into()), ("id", bob_id.clone().into())]);
    let removed = one_call(&ws, "removePrincipal", &principal).await;
    assert!(removed.is_undefined());
    let principal = obj(&[("type", "group".into()), ("id", group_id.clone().into())]);
    one_call(&ws, "removePrincipal", &principal).await;
    let access = one_call(&ws, "getAccess", &bob_id.clone().into()).await;
    assert!(get(&access, "role").is_null());
    let page = one_request(|| bob.get_my_workspaces(args.clone())).await;
    assert_eq!(
        Array::from(&get(&page, "data")).length(),
        0,
        "no access left"
    );

    // Archived: no grant, refused locally; restored: granted again.
    let archived = one_call(&ws, "archive", &JsValue::UNDEFINED).await;
    assert_eq!(get(&archived, "archived").as_bool(), Some(true));
    let bob_grant = grant("userId", &bob_id, "ws:member");
    refused_call(&archived, "addMember", &bob_grant, "workspace_archived").await;
    let restored = one_call(&archived, "unarchive", &JsValue::UNDEFINED).await;
    assert_eq!(get(&restored, "archived").as_bool(), Some(false));
    one_call(&restored, "addMember", &bob_grant).await;
    let renamed = one_call(&restored, "update", &obj(&[("name", "Billing".into())])).await;
    assert_eq!(text(&renamed, "name"), "Billing");

    // A personal workspace takes no grant.
    let personal = one_request(|| bobs_org.get_personal_workspace()).await;
    assert_eq!(get(&personal, "personal").as_bool(), Some(true));
    assert_eq!(text(&personal, "myAccessVia"), "personal");
    refused_call(
        &personal,
        "addMember",
        &grant("userId", &ada_id, "ws:member"),
        "workspace_personal",
    )
    .await;
    let again = one_request(|| bobs_org.get_personal_workspace()).await;
    assert_eq!(text(&again, "id"), text(&personal, "id"), "created once");

    // The group changes, loses its member and goes.
    let renamed = one_call(&group, "update", &obj(&[("name", "Billing team".into())])).await;
    assert_eq!(text(&renamed, "name"), "Billing team");
    one_call(
        &group,
        "removeMember",
        &obj(&[("userId", bob_id.clone().into())]),
    )
    .await;
    one_call(&group, "destroy", &JsValue::UNDEFINED).await;
    let groups = one_request(|| org.get_groups(JsValue::UNDEFINED)).await;
    assert_eq!(Array::from(&get(&groups, "data")).length(), 0);
}

#[wasm_bindgen_test]
async fn malformed_workspace_and_group_input_is_refused_without_a_request() {
    let (ada, _) = person("wsbad").await;
    let org = create_org(&ada, "Refusals Ltd").await;
    let create = |p: JsValue| org.create_workspace(p);
    let long = "x".repeat(101);
    refused(
        || create(obj(&[("name", "   ".into())])),
        "validation_failed",
    )
    .await;
    refused(
        || create(obj(&[("name", long.clone().into())])),
        "validation_failed",
    )
    .await;
    let bad_slug = obj(&[("name", "Fine".into()), ("slug", "Not A Slug!".into())]);
    refused(|| create(bad_slug), "validation_failed").await;
    refused(|| org.get_workspace("grp_123"), "validation_failed").await;
    let cursor = obj(&[("after", "user_123".into())]);
    refused(|| org.get_workspaces(cursor.clone()), "validation_failed").await;
    refused(|| org.get_groups(cursor.clone()), "validation_failed").await;
    let args = obj(&[("organizationId", "acme".into())]);
    refused(|| ada.get_my_workspaces(args), "validation_failed").await;

    let ws = one_request(|| org.create_workspace(obj(&[("name", "Checked".into())]))).await;
    let me = user_id(&ada).await;
    refused_call(
        &ws,
        "addMember",
        &grant("userId", "bob", "ws:member"),
        "validation_failed",
    )
    .await;
    refused_call(
        &ws,
        "addMember",
        &grant("userId", &me, "admin"),
        "validation_failed",
    )
    .await;
    refused_call(
        &ws,
        "addGroup",
        &grant("groupId", "ws_1", "ws:member"),
        "validation_failed",
    )
    .await;
    let sa = grant("serviceAccountId", "user_1", "ws:member");
    refused_call(&ws, "addServiceAccount", &sa, "validation_failed").await;
    let kind = obj(&[("type", "team".into()), ("id", "grp_1".into())]);
    refused_call(&ws, "removePrincipal", &kind, "validation_failed").await;
    refused_call(&ws, "getAccess", &"someone".into(), "validation_failed").await;
    refused_call(
        &ws,
        "update",
        &obj(&[("name", "".into())]),
        "validation_failed",
    )
    .await;
    refused_call(
        &ws,
        "getMembers",
        &obj(&[("limit", (-1).into())]),
        "validation_failed",
    )
    .await;

    let description = "d".repeat(501);
    let create = |p: JsValue| org.create_group(p);
    refused(|| create(obj(&[("name", "".into())])), "validation_failed").await;
    let too_long = obj(&[("name", "Team".into()), ("description", description.into())]);
    refused(|| create(too_long), "validation_failed").await;
    let group = one_request(|| create(obj(&[("name", "Team".into())]))).await;
    refused_call(
        &group,
        "addMember",
        &grant("userId", &me, "owner"),
        "validation_failed",
    )
    .await;
    refused_call(
        &group,
        "addMember",
        &grant("groupId", "grp_1", "member"),
        "validation_failed",
    )
    .await;
    refused_call(
        &group,
        "removeMember",
        &obj(&[("userId", "me".into())]),
        "validation_failed",
    )
    .await;
    refused_call(
        &group,
        "update",
        &obj(&[("name", long.into())]),
        "validation_failed",
    )
    .await;
}
