//! The SDK in a real browser (headless Chromium) against a real orgkit-server.
//!
//! `scripts/sdk-test.sh` starts the server and passes its URL at compile time as
//! `ORGKIT_TEST_SERVER`. Every call goes through the same exported methods a JS app calls.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]
// `expect_err` needs `Debug` on the SDK classes, which they do not derive (it would cost size).
#![allow(clippy::err_expect)]

use js_sys::{Array, Object, Reflect};
use orgkit::{Invitation, OrgKit, Organization, OrganizationMembership};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/api_keys.rs"]
mod api_keys;
#[path = "browser/domains.rs"]
mod domains;
#[path = "browser/governance.rs"]
mod governance;
#[path = "browser/join_requests.rs"]
mod join_requests;
#[path = "browser/js_methods.rs"]
mod js_methods;
use js_methods::{
    DomainMethods, GovernanceMethods, JoinRequestMethods, KitDomainMethods, KitJoinRequestMethods,
    KitWorkspaceMethods, LinkMethods, SsoMethods, WebhookMethods, WorkspaceMethods,
};
#[path = "browser/links.rs"]
mod links;
#[path = "browser/owners.rs"]
mod owners;
#[path = "browser/password.rs"]
mod password;
#[path = "browser/refusals.rs"]
mod refusals;
#[path = "browser/roles.rs"]
mod roles;
#[path = "browser/roster.rs"]
mod roster;
#[path = "browser/session_tokens.rs"]
mod session_tokens;
#[path = "browser/sso.rs"]
mod sso;
#[path = "browser/sso_connections.rs"]
mod sso_connections;
#[path = "browser/store.rs"]
mod store;
#[path = "browser/workspace_rules.rs"]
mod workspace_rules;
#[path = "browser/workspaces.rs"]
mod workspaces;

const SERVER: &str = match option_env!("ORGKIT_TEST_SERVER") {
    Some(url) => url,
    None => "http://127.0.0.1:8080",
};

#[wasm_bindgen(inline_js = r#"
let count = 0;
export function installFetchCounter() {
  if (!globalThis.__orgkitFetch) {
    globalThis.__orgkitFetch = globalThis.fetch;
    globalThis.fetch = (...args) => { count += 1; return globalThis.__orgkitFetch(...args); };
  }
  count = 0;
}
export function fetchCount() { return count; }
export function uniqueSuffix() { return Math.random().toString(36).slice(2, 10); }
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
export function answerNextFetch(status, body, retryAfter) {
  const real = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = real;
    const headers = { "Content-Type": "application/json" };
    if (retryAfter !== undefined) headers["Retry-After"] = retryAfter;
    return Promise.resolve(new Response(body, { status, headers }));
  };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = installFetchCounter)]
    fn install_fetch_counter();
    #[wasm_bindgen(js_name = fetchCount)]
    fn fetch_count() -> u32;
    #[wasm_bindgen(js_name = uniqueSuffix)]
    fn unique_suffix() -> String;
    fn sleep(ms: u32) -> js_sys::Promise;
    /// Makes the next `fetch` answer `status` with the JSON `body` (and a `Retry-After`
    /// header when given) without reaching the server: for answers a test server never gives.
    #[wasm_bindgen(js_name = answerNextFetch)]
    fn answer_next_fetch(status: u16, body: &str, retry_after: Option<String>);
}

/// A plain JS object from pairs.
fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("no string {key}"))
}

/// A getter's list of names (roles, permissions) as strings.
fn names(list: JsValue) -> Vec<String> {
    Array::from(&list)
        .iter()
        .filter_map(|name| name.as_string())
        .collect()
}

/// Asserts an `OrgKitError`: a real `Error` with its name, code and status.
#[track_caller]
fn assert_error(error: &JsValue, code: &str, status: u32) {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(text(error, "name"), "OrgKitError");
    assert_eq!(text(error, "code"), code, "{:?}", text(error, "message"));
    assert_eq!(
        get(error, "status").as_f64(),
        Some(f64::from(status)),
        "{code}"
    );
    assert!(!text(error, "message").is_empty());
}

/// The outcome of a method that answers a `Promise` (the audit log and webhooks).
async fn settle(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

fn email(who: &str) -> String {
    format!("{who}-{}@example.com", unique_suffix())
}

fn kit() -> OrgKit {
    OrgKit::new(obj(&[("baseUrl", SERVER.into())])).unwrap()
}

/// A new signed-in person, with their own client (Bearer token).
async fn person(who: &str) -> (OrgKit, String) {
    let kit = kit();
    let address = email(who);
    let params = obj(&[
        ("emailAddress", address.clone().into()),
        ("password", "correct horse".into()),
        ("name", who.into()),
    ]);
    kit.sign_up(params).await.unwrap();
    (kit, address)
}

async fn create_org(kit: &OrgKit, name: &str) -> Organization {
    kit.create_organization(obj(&[("name", name.into())]))
        .await
        .unwrap()
}

/// The token of the newest link mailed to `to`, read through the SDK's dev mailbox.
async fn mailed_token(kit: &OrgKit, to: &str, path: &str) -> String {
    let messages: Array = kit
        .get_dev_mailbox(Some(to.to_owned()))
        .await
        .unwrap()
        .into();
    let link = messages
        .iter()
        .filter_map(|m| get(&m, "link").as_string())
        .find(|l| l.contains(path))
        .unwrap_or_else(|| panic!("no {path} mail to {to}"));
    link.split("token=").nth(1).unwrap().to_owned()
}

/// The `OrganizationMembership` a Promise-returning method resolved to.
fn as_membership(value: JsValue) -> OrganizationMembership {
    use wasm_bindgen::convert::TryFromJsValue;
    OrganizationMembership::try_from_js_value(value).unwrap()
}

fn invite_params(address: &str, role: &str) -> JsValue {
    obj(&[("emailAddress", address.into()), ("role", role.into())])
}

#[wasm_bindgen_test]
async fn sign_up_sign_in_get_user_and_sign_out() {
    let kit = kit();
    let address = email("ada");
    let user = kit
        .sign_up(obj(&[
            ("emailAddress", address.to_uppercase().into()),
            ("password", "correct horse".into()),
            ("name", "Ada".into()),
        ]))
        .await
        .unwrap();
    assert_eq!(text(&user, "emailAddress"), address, "stored lowercase");
    assert_eq!(get(&user, "emailVerified").as_bool(), Some(false));
    assert!(get(&user, "createdAt").is_instance_of::<js_sys::Date>());
    let me = kit.get_user().await.unwrap();
    assert_eq!(text(&me, "id"), text(&user, "id"));

    kit.sign_out().await.unwrap();
    assert!(kit.get_user().await.unwrap().is_null(), "signed out");

    let wrong = kit
        .sign_in(obj(&[
            ("emailAddress", address.clone().into()),
            ("password", "wrong password".into()),
        ]))
        .await
        .err()
        .expect("should be refused");
    assert_error(&wrong, "invalid_credentials", 401);
    let again = kit
        .sign_in(obj(&[
            ("emailAddress", address.clone().into()),
            ("password", "correct horse".into()),
        ]))
        .await
        .unwrap();
    assert_eq!(text(&again, "id"), text(&user, "id"));
    let taken = kit
        .sign_up(obj(&[
            ("emailAddress", address.into()),
            ("password", "correct horse".into()),
            ("name", "Ada".into()),
        ]))
        .await
        .unwrap_err();
    assert_error(&taken, "email_taken", 409);
}

#[wasm_bindgen_test]
async fn organizations_are_created_read_updated_listed_and_destroyed() {
    let (kit, _) = person("owner").await;
    let org = create_org(&kit, "Acme Corp").await;
    assert!(org.slug().starts_with("acme-corp"), "{}", org.slug());
    assert_eq!(org.role(), "admin");
    assert!(org.can("org:memberships:manage"));
    assert!(!org.can("org:nonsense"));
    // The app's own permissions (`--app-permission` in scripts/sdk-test.sh): admins hold them.
    assert!(org.can("org:invoices:create"));
    assert!(org.can("org:roles:manage"));
    assert!(!org.can("org:invoices:delete"));
    assert!(names(org.permissions()).contains(&"org:profile:delete".to_owned()));

    let read = kit.get_organization(org.id()).await.unwrap();
    assert_eq!(read.name(), "Acme Corp");
    let slug = format!("acme-{}", unique_suffix());
    let updated = org
        .update(obj(&[
            ("name", "Acme Inc".into()),
            ("slug", slug.clone().into()),
        ]))
        .await
        .unwrap();
    assert_eq!(
        (updated.name(), updated.slug()),
        ("Acme Inc".to_owned(), slug)
    );

    let mine = kit.get_organization_memberships().await.unwrap();
    assert!(mine
        .iter()
        .any(|m| m.organization().id() == org.id() && m.role() == "admin"));

    let members = org.get_memberships().await.unwrap();
    assert_eq!(members.len(), 1);
    assert!(members[0].created_at().get_time() > 0.0);

    assert!(org.is_owner(), "the creator owns it");
    org.destroy(obj(&[("confirm", org.slug().into())]))
        .await
        .unwrap();
    let gone = kit
        .get_organization(org.id())
        .await
        .err()
        .expect("should be refused");
    assert_error(&gone, "not_found", 404);
}

#[wasm_bindgen_test]
async fn invite_accept_change_role_remove_and_leave() {
    let (admin, _) = person("admin").await;
    let (bob, bob_email) = person("bob").await;
    let org = create_org(&admin, "Team").await;

    let invitation: Invitation = org
        .invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    assert_eq!(
        (invitation.email_address(), invitation.status()),
        (bob_email.clone(), "pending".to_owned())
    );
    assert_eq!(invitation.organization_id(), org.id());
    assert!(invitation.expires_at().get_time() > invitation.created_at().get_time());
    let pending = org.get_pending_invitations().await.unwrap();
    assert_eq!(pending.len(), 1);
    let resent = pending[0].resend().await.unwrap();
    assert_eq!(resent.status(), "pending");

    let token = mailed_token(&admin, &bob_email, "/accept").await;
    let preview = bob.preview_invitation(token.clone()).await.unwrap();
    assert_eq!(text(&preview, "organizationName"), "Team");
    let membership: OrganizationMembership = bob.accept_invitation(token.clone()).await.unwrap();
    assert_eq!(membership.role(), "basic_member");
    assert_eq!(membership.organization().id(), org.id());
    let again = bob
        .accept_invitation(token)
        .await
        .err()
        .expect("should be refused");
    assert_error(&again, "invitation_not_pending", 409);

    // The admin sees Bob and promotes him, then demotes him through the membership.
    let members = org.get_memberships().await.unwrap();
    assert_eq!(members.len(), 2);
    let bob_id = text(&members[1].public_user_data(), "userId");
    assert_eq!(
        text(&members[1].public_user_data(), "identifier"),
        bob_email
    );
    let promoted = org
        .update_role(obj(&[
            ("userId", bob_id.clone().into()),
            ("role", "admin".into()),
        ]))
        .await
        .unwrap();
    let promoted = as_membership(promoted);
    assert_eq!(promoted.role(), "admin");
    assert_eq!(names(promoted.roles()), vec!["admin".to_owned()]);
    let demoted = promoted
        .update(obj(&[("role", "basic_member".into())]))
        .await
        .unwrap();
    assert_eq!(as_membership(demoted).role(), "basic_member");

    // Bob, a basic member, cannot remove the admin; the admin removes Bob.
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    assert!(!bobs_org.can("org:memberships:manage"));
    assert!(!bobs_org.can("org:invoices:create"));
    org.remove_member(bob_id.clone()).await.unwrap();
    assert_error(
        &bob.get_organization(org.id())
            .await
            .err()
            .expect("should be refused"),
        "not_found",
        404,
    );

    // Invited again, Bob joins and leaves on his own.
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &bob_email, "/accept").await;
    let membership = bob.accept_invitation(token).await.unwrap();
    membership.organization().leave().await.unwrap();
    assert!(bob.get_organization_memberships().await.unwrap().is_empty());

    // A member's own membership can be destroyed too (removal by the admin).
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    bob.accept_invitation(mailed_token(&admin, &bob_email, "/accept").await)
        .await
        .unwrap();
    let members = org.get_memberships().await.unwrap();
    members[1].destroy().await.unwrap();
    assert_eq!(org.get_memberships().await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn bulk_invitations_revoke_and_pages() {
    let (admin, _) = person("bulk").await;
    let org = create_org(&admin, "Bulk").await;
    let (a, b) = (email("a"), email("b"));
    let results: Array = org
        .invite_members(obj(&[
            ("emailAddresses", format!("{a}, not-an-email, {b}").into()),
            ("role", "basic_member".into()),
        ]))
        .await
        .unwrap()
        .into();
    assert_eq!(results.length(), 3);
    let first = results.get(0);
    let invitation: &JsValue = &get(&first, "invitation");
    assert!(!invitation.is_undefined());
    assert_eq!(
        text(&get(&results.get(1), "error"), "code"),
        "validation_failed"
    );
    assert!(!get(&results.get(2), "invitation").is_undefined());

    let pending = org.get_pending_invitations().await.unwrap();
    assert_eq!(pending.len(), 2);
    let revoked = pending[0].revoke().await.unwrap();
    assert_eq!(revoked.status(), "revoked");
    // Revoking twice is refused; the SDK already knows it is no longer pending.
    install_fetch_counter();
    assert_error(
        &revoked.revoke().await.err().expect("should be refused"),
        "invitation_not_pending",
        0,
    );
    assert_eq!(fetch_count(), 0);
    assert_eq!(org.get_pending_invitations().await.unwrap().len(), 1);

    // Pages: one member per page, then the end.
    let page = org
        .get_memberships_page(obj(&[("limit", 1.into())]))
        .await
        .unwrap();
    let data: Array = get(&page, "data").into();
    assert_eq!(data.length(), 1);
    assert!(
        get(&page, "nextCursor").is_null(),
        "only the admin is a member"
    );
}

#[wasm_bindgen_test]
async fn verified_invitees_list_and_accept_their_invitations() {
    let (admin, _) = person("inviter").await;
    let (carol, carol_email) = person("carol").await;
    let org = create_org(&admin, "Verified").await;
    org.invite_member(invite_params(&carol_email, "admin"))
        .await
        .unwrap();

    assert_error(
        &carol
            .get_user_invitations()
            .await
            .err()
            .expect("should be refused"),
        "email_not_verified",
        403,
    );
    let token = mailed_token(&carol, &carol_email, "/verify-email").await;
    let user = carol.verify_email(token).await.unwrap();
    assert_eq!(get(&user, "emailVerified").as_bool(), Some(true));
    let invitations = carol.get_user_invitations().await.unwrap();
    assert_eq!(invitations.len(), 1);
    assert_eq!(invitations[0].organization_name(), "Verified");
    assert_eq!(invitations[0].role(), "admin");
    let membership = invitations[0].accept().await.unwrap();
    assert_eq!(membership.role(), "admin");
    assert_eq!(membership.organization().role(), "admin");
}

#[wasm_bindgen_test]
async fn an_invitation_without_email_answers_its_link_once() {
    let (admin, _) = person("linker").await;
    let (bob, bob_email) = person("linked").await;
    let org = create_org(&admin, "Links").await;
    let invitation: Invitation = org
        .invite_member(obj(&[
            ("emailAddress", bob_email.clone().into()),
            ("role", "basic_member".into()),
            ("delivery", "none".into()),
        ]))
        .await
        .unwrap();
    let token = invitation.token().expect("the token, once");
    let url = invitation.accept_url().expect("the link, once");
    assert!(url.ends_with(&format!("/accept?token={token}")), "{url}");
    // Nothing was emailed, and the list never shows the token again.
    let mailbox: Array = admin
        .get_dev_mailbox(Some(bob_email.clone()))
        .await
        .unwrap()
        .into();
    let links = mailbox.iter().filter_map(|m| get(&m, "link").as_string());
    assert_eq!(links.filter(|l| l.contains("/accept")).count(), 0);
    let pending = org.get_pending_invitations().await.unwrap();
    assert_eq!(pending[0].token(), None);
    assert_eq!(pending[0].accept_url(), None);
    let membership: OrganizationMembership = bob.accept_invitation(token).await.unwrap();
    assert_eq!(membership.organization().id(), org.id());
}

#[wasm_bindgen_test]
async fn local_rules_refuse_without_a_request() {
    let (admin, _) = person("rules").await;
    let (member, member_email) = person("member").await;
    let org = create_org(&admin, "Rules").await;
    org.invite_member(invite_params(&member_email, "basic_member"))
        .await
        .unwrap();
    member
        .accept_invitation(mailed_token(&admin, &member_email, "/accept").await)
        .await
        .unwrap();
    let members = org.get_memberships().await.unwrap();
    let admin_id = text(&members[0].public_user_data(), "userId");
    let member_id = text(&members[1].public_user_data(), "userId");
    let members_org = member.get_organization(org.id()).await.unwrap();
    let fresh = kit();

    install_fetch_counter();
    let refusals: Vec<(JsValue, &str)> = vec![
        (
            fresh
                .sign_up(obj(&[
                    ("emailAddress", "not-an-email".into()),
                    ("password", "correct horse".into()),
                    ("name", "X".into()),
                ]))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        (
            fresh
                .sign_up(obj(&[
                    ("emailAddress", "x@example.com".into()),
                    ("password", "short".into()),
                    ("name", "X".into()),
                ]))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        (
            admin
                .create_organization(obj(&[("name", "   ".into())]))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        (
            admin
                .create_organization(obj(&[("name", "x".repeat(257).into())]))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        (
            admin
                .create_organization(obj(&[("name", "Ok".into()), ("slug", "Not A Slug".into())]))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        (
            org.invite_member(invite_params("not-an-email", "basic_member"))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        (
            org.invite_member(invite_params("x@example.com", "owner"))
                .await
                .err()
                .expect("should be refused"),
            "unknown_role",
        ),
        (
            org.invite_member(obj(&[
                ("emailAddress", "x@example.com".into()),
                ("role", "basic_member".into()),
                ("delivery", "pigeon".into()),
            ]))
            .await
            .err()
            .expect("should be refused"),
            "validation_failed",
        ),
        (
            org.get_memberships_page(obj(&[("limit", 500.into())]))
                .await
                .err()
                .expect("should be refused"),
            "validation_failed",
        ),
        // A basic member may not invite, change roles, remove, rename or delete.
        (
            members_org
                .invite_member(invite_params("x@example.com", "basic_member"))
                .await
                .err()
                .expect("should be refused"),
            "forbidden",
        ),
        (
            members_org
                .update_role(obj(&[
                    ("userId", admin_id.clone().into()),
                    ("role", "basic_member".into()),
                ]))
                .await
                .err()
                .expect("should be refused"),
            "forbidden",
        ),
        (
            members_org
                .remove_member(admin_id.clone())
                .await
                .err()
                .expect("should be refused"),
            "forbidden",
        ),
        (
            members_org
                .update(obj(&[("name", "Mine".into())]))
                .await
                .err()
                .expect("should be refused"),
            "forbidden",
        ),
        (
            members_org
                .destroy(obj(&[("confirm", members_org.slug().into())]))
                .await
                .err()
                .expect("should be refused"),
            "forbidden",
        ),
        (
            members_org
                .get_pending_invitations()
                .await
                .err()
                .expect("should be refused"),
            "forbidden",
        ),
        // The admin is the last admin, and the SDK has seen the whole member list.
        (
            org.update_role(obj(&[
                ("userId", admin_id.clone().into()),
                ("role", "basic_member".into()),
            ]))
            .await
            .err()
            .expect("should be refused"),
            "last_admin",
        ),
        (
            org.remove_member(admin_id.clone())
                .await
                .err()
                .expect("should be refused"),
            "last_admin",
        ),
        (
            org.leave().await.err().expect("should be refused"),
            "last_admin",
        ),
        (
            members[0]
                .update(obj(&[("role", "basic_member".into())]))
                .await
                .err()
                .expect("should be refused"),
            "last_admin",
        ),
    ];
    assert_eq!(fetch_count(), 0, "local refusals send nothing");
    for (error, code) in &refusals {
        assert_error(error, code, 0);
    }
    // The counter does see the SDK's requests: one method call, one request.
    admin.get_user().await.unwrap();
    assert_eq!(fetch_count(), 1);

    // What the SDK cannot know, the server decides: a stale SDK view is still refused.
    let stale = admin.get_organization(org.id()).await.unwrap();
    assert_error(
        &stale
            .update_role(obj(&[
                ("userId", admin_id.into()),
                ("role", "basic_member".into()),
            ]))
            .await
            .err()
            .expect("should be refused"),
        "last_admin",
        409,
    );
    // The member may leave; that is allowed locally and by the server.
    members_org.remove_member(member_id).await.unwrap();
}

#[wasm_bindgen_test]
async fn server_refusals_and_network_failures_are_org_kit_errors() {
    let (admin, _) = person("srv").await;
    let (eve, _) = person("eve").await;
    let org = create_org(&admin, "Server").await;
    let bob_email = email("bob");
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &bob_email, "/accept").await;
    assert_error(
        &eve.accept_invitation(token)
            .await
            .err()
            .expect("should be refused"),
        "wrong_recipient",
        403,
    );
    assert_error(
        &org.invite_member(invite_params(&bob_email, "basic_member"))
            .await
            .err()
            .expect("should be refused"),
        "already_invited",
        409,
    );
    assert_error(
        &eve.get_organization(org.id())
            .await
            .err()
            .expect("should be refused"),
        "not_found",
        404,
    );
    let taken = admin
        .create_organization(obj(&[("name", "Dup".into()), ("slug", org.slug().into())]))
        .await
        .err()
        .expect("should be refused");
    assert_error(&taken, "slug_taken", 409);

    let unreachable = OrgKit::new(obj(&[("baseUrl", "http://127.0.0.1:9".into())])).unwrap();
    assert_error(
        &unreachable
            .get_user()
            .await
            .err()
            .expect("should be refused"),
        "network_error",
        0,
    );
    let anonymous = OrgKit::new(obj(&[
        ("baseUrl", SERVER.into()),
        ("token", "not-a-session".into()),
    ]))
    .unwrap();
    assert_error(
        &anonymous
            .create_organization(obj(&[("name", "X".into())]))
            .await
            .err()
            .expect("should be refused"),
        "unauthenticated",
        401,
    );
    assert!(
        OrgKit::new(JsValue::from(42)).err().is_some(),
        "bad options are refused"
    );
}

#[wasm_bindgen_test]
async fn unavailable_answers_carry_their_retry_after() {
    let kit = kit();
    answer_next_fetch(
        503,
        r#"{"error":{"code":"unavailable","message":"Try again in a moment."}}"#,
        Some("7".to_owned()),
    );
    let unavailable = kit.get_user().await.err().expect("should be refused");
    assert_error(&unavailable, "unavailable", 503);
    assert_eq!(get(&unavailable, "retryAfter").as_f64(), Some(7.0));

    answer_next_fetch(
        409,
        r#"{"error":{"code":"verification_token_used","message":"Already used."}}"#,
        None,
    );
    let used = kit
        .verify_email("A".repeat(43))
        .await
        .err()
        .expect("should be refused");
    assert_error(&used, "verification_token_used", 409);
    assert!(
        get(&used, "retryAfter").is_undefined(),
        "no Retry-After sent"
    );
}

#[wasm_bindgen_test]
async fn the_session_cookie_works_without_a_token() {
    let (_, address) = person("cookie").await;
    // The sign-up response set the HttpOnly cookie; a client without a token uses it.
    let cookie_kit = kit();
    let me = cookie_kit.get_user().await.unwrap();
    assert_eq!(text(&me, "emailAddress"), address);
    let org = cookie_kit
        .create_organization(obj(&[("name", "Cookie Co".into())]))
        .await
        .unwrap();
    assert_eq!(org.role(), "admin");
    assert!(
        js_sys::eval("document.cookie")
            .unwrap()
            .as_string()
            .unwrap()
            .find("orgkit_session")
            .is_none(),
        "HttpOnly: invisible to scripts"
    );
}

#[wasm_bindgen_test]
fn slugs_are_suggested_by_the_rule_book() {
    assert_eq!(orgkit::suggest_slug("Acme Corp"), "acme-corp");
    assert_eq!(orgkit::suggest_slug("Café Zürich"), "cafe-zurich");
}

/// An admin's new organization `name` that a second person joined as a basic member.
async fn org_with_member(name: &str) -> (Organization, OrgKit) {
    let (admin, _) = person("owner").await;
    let (member, member_email) = person("joiner").await;
    let org = create_org(&admin, name).await;
    let invited = org.invite_member(invite_params(&member_email, "basic_member"));
    invited.await.unwrap();
    let token = mailed_token(&admin, &member_email, "/accept").await;
    member.accept_invitation(token).await.unwrap();
    (org, member)
}

#[wasm_bindgen_test]
async fn the_audit_log_reads_newest_first_and_refuses_locally() {
    let (org, bob) = org_with_member("Audited").await;

    let page = settle(org.get_audit_events(JsValue::UNDEFINED))
        .await
        .unwrap();
    let events = Array::from(&get(&page, "data"));
    let actions: Vec<String> = events.iter().map(|e| text(&e, "action")).collect();
    assert_eq!(
        actions,
        [
            "invitation.accepted",
            "invitation.created",
            "organization.created"
        ]
    );
    assert!(get(&events.get(0), "createdAt").is_instance_of::<js_sys::Date>());
    assert_eq!(text(&get(&events.get(2), "actor"), "type"), "user");
    assert!(get(&page, "nextCursor").is_null());
    let filtered = settle(org.get_audit_events(obj(&[
        ("action", "invitation.created".into()),
        ("limit", 1.into()),
    ])))
    .await
    .unwrap();
    assert_eq!(Array::from(&get(&filtered, "data")).length(), 1);
    // An empty cursor is the first page, as for members.
    let first = settle(org.get_audit_events(obj(&[("after", "".into())]))).await;
    assert_eq!(Array::from(&get(&first.unwrap(), "data")).length(), 3);

    // A basic member and malformed filters are refused locally, with no request.
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    install_fetch_counter();
    let refusals = [
        (
            settle(bobs_org.get_audit_events(JsValue::UNDEFINED)).await,
            "forbidden",
        ),
        (
            settle(org.get_audit_events(obj(&[("action", "Not An Action".into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.get_audit_events(obj(&[("after", "inv_1".into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.get_audit_events(obj(&[("from", "yesterday".into())]))).await,
            "validation_failed",
        ),
    ];
    assert_eq!(fetch_count(), 0, "local refusals send nothing");
    for (answer, code) in &refusals {
        assert_error(answer.as_ref().err().expect("refused"), code, 0);
    }
}

/// `eventTypes` from names.
fn event_types(names: &[&str]) -> JsValue {
    names
        .iter()
        .map(|n| JsValue::from(*n))
        .collect::<Array>()
        .into()
}

/// `{ url, eventTypes, description? }`.
fn endpoint_params(url: &str, types: &[&str]) -> JsValue {
    obj(&[("url", url.into()), ("eventTypes", event_types(types))])
}

/// The `data` of a page.
fn page_data(page: &JsValue) -> Array {
    Array::from(&get(page, "data"))
}

/// The endpoint's attempts once at least `count` of them are recorded (the delivery worker
/// runs after the answer); panics after 20 s.
async fn attempts_once(org: &Organization, id: &str, count: u32) -> Array {
    for _ in 0..100 {
        let page = settle(org.get_webhook_attempts(id, JsValue::UNDEFINED)).await;
        let data = page_data(&page.unwrap());
        if data.length() >= count {
            return data;
        }
        JsFuture::from(sleep(200)).await.unwrap();
    }
    panic!("fewer than {count} attempts recorded for {id}");
}

#[wasm_bindgen_test]
async fn webhook_endpoints_are_created_listed_changed_tested_and_deleted() {
    let (org, _) = org_with_member("Hooked").await;
    // sdk-test.sh runs the server with --dev and --webhook-allow-private, so the endpoint may be
    // the server itself: a route it does not have answers 404, which the attempt records.
    let url = format!("{SERVER}/v1/webhook-receiver");
    let mut params = endpoint_params(&url, &["organizationMembership.created"]);
    js_sys::Reflect::set(&params, &"description".into(), &"The tests".into()).unwrap();
    let created = settle(org.create_webhook_endpoint(params.clone()))
        .await
        .unwrap();
    let secret = text(&created, "secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    let id = text(&created, "id");
    assert!(id.starts_with("whe_"), "{id}");
    assert_eq!(text(&created, "url"), url);
    assert_eq!(text(&created, "description"), "The tests");
    assert_eq!(get(&created, "enabled").as_bool(), Some(true));
    assert!(get(&created, "disabledReason").is_null());
    assert!(get(&created, "previousSecretExpiresAt").is_null());
    assert!(get(&created, "createdAt").is_instance_of::<js_sys::Date>());
    assert!(get(&created, "updatedAt").is_instance_of::<js_sys::Date>());

    // The secret is shown once: no list carries it.
    params = endpoint_params(&url, &["organization.updated", "organization.deleted"]);
    let second = settle(org.create_webhook_endpoint(params)).await.unwrap();
    let page = settle(org.get_webhook_endpoints(JsValue::UNDEFINED))
        .await
        .unwrap();
    let listed = page_data(&page);
    assert_eq!(listed.length(), 2);
    assert_eq!(text(&listed.get(0), "id"), id, "oldest first");
    assert!(get(&listed.get(0), "secret").is_undefined());
    assert!(get(&listed.get(0), "createdAt").is_instance_of::<js_sys::Date>());
    let json = String::from(js_sys::JSON::stringify(&page).unwrap());
    assert!(!json.contains(&secret), "the list never shows a secret");
    assert!(get(&page, "nextCursor").is_null());
    let first = settle(org.get_webhook_endpoints(obj(&[("limit", 1.into())])))
        .await
        .unwrap();
    let cursor = text(&first, "nextCursor");
    let rest = settle(org.get_webhook_endpoints(obj(&[("after", cursor.into())])))
        .await
        .unwrap();
    assert_eq!(text(&page_data(&rest).get(0), "id"), text(&second, "id"));

    // Changes: the subscription and description, then off (manual) and on again.
    let updated = settle(org.update_webhook_endpoint(
        &id,
        obj(&[
            (
                "eventTypes",
                event_types(&[
                    "organizationMembership.deleted",
                    "organizationMembership.created",
                ]),
            ),
            ("description", "  Renamed  ".into()),
        ]),
    ))
    .await
    .unwrap();
    let types: Vec<String> = Array::from(&get(&updated, "eventTypes"))
        .iter()
        .map(|t| t.as_string().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "organizationMembership.created",
            "organizationMembership.deleted"
        ],
        "catalog order"
    );
    assert_eq!(text(&updated, "description"), "Renamed");
    let off = settle(org.update_webhook_endpoint(&id, obj(&[("enabled", false.into())])))
        .await
        .unwrap();
    assert_eq!(get(&off, "enabled").as_bool(), Some(false));
    assert_eq!(text(&off, "disabledReason"), "manual");
    // What the SDK cannot know (the endpoint is off) the server decides, with its own code.
    let refused = settle(org.send_test_webhook(&id)).await.unwrap_err();
    assert_error(&refused, "webhook_endpoint_disabled", 409);
    let on = settle(org.update_webhook_endpoint(&id, obj(&[("enabled", true.into())])))
        .await
        .unwrap();
    assert!(get(&on, "disabledReason").is_null());

    // A new secret, shown once; the old one keeps signing for a while.
    let rotated = settle(org.rotate_webhook_secret(&id)).await.unwrap();
    let new_secret = text(&rotated, "secret");
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    assert!(get(&rotated, "previousSecretExpiresAt").is_instance_of::<js_sys::Date>());

    // A test message, and its attempt: the server's 404 answer, recorded.
    let queued = settle(org.send_test_webhook(&id)).await.unwrap();
    assert_eq!(text(&queued, "eventType"), "webhook.test");
    let message_id = text(&queued, "messageId");
    assert!(message_id.starts_with("msg_"), "{message_id}");
    let attempts = attempts_once(&org, &id, 1).await;
    let attempt = attempts.get(0);
    assert_eq!(text(&attempt, "messageId"), message_id);
    assert_eq!(text(&attempt, "eventType"), "webhook.test");
    assert_eq!(get(&attempt, "statusCode").as_f64(), Some(404.0));
    assert_eq!(get(&attempt, "succeeded").as_bool(), Some(false));
    assert!(text(&attempt, "responseBody").contains("not_found"));
    assert!(get(&attempt, "durationMs").as_f64().is_some());
    assert!(get(&attempt, "createdAt").is_instance_of::<js_sys::Date>());

    // Resent: the same message id, once more; attempts read newest first, page by page.
    let again = settle(org.resend_webhook(&id, &message_id)).await.unwrap();
    assert_eq!(text(&again, "messageId"), message_id);
    let attempts = attempts_once(&org, &id, 2).await;
    assert!(attempts.iter().all(|a| text(&a, "messageId") == message_id));
    let newest = settle(org.get_webhook_attempts(&id, obj(&[("limit", 1.into())])))
        .await
        .unwrap();
    assert_eq!(page_data(&newest).length(), 1);
    let older =
        settle(org.get_webhook_attempts(&id, obj(&[("after", get(&newest, "nextCursor"))])))
            .await
            .unwrap();
    let (newer_id, older_id) = (
        text(&page_data(&newest).get(0), "id"),
        text(&page_data(&older).get(0), "id"),
    );
    assert!(older_id < newer_id, "newest first");

    // Deleted, with its attempts.
    let deleted = settle(org.delete_webhook_endpoint(&id)).await.unwrap();
    assert!(deleted.is_undefined());
    let gone = settle(org.get_webhook_attempts(&id, JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_error(&gone, "not_found", 404);
    let page = settle(org.get_webhook_endpoints(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(page_data(&page).length(), 1);
}

#[wasm_bindgen_test]
async fn webhook_refusals_the_rule_book_can_see_send_nothing() {
    let (org, member) = org_with_member("Hook rules").await;
    let members_org = member.get_organization(org.id()).await.unwrap();
    let good = || endpoint_params("https://example.com/hooks", &["organization.updated"]);
    let id = "whe_0123456789abcdef";

    install_fetch_counter();
    let refusals = [
        // A basic member holds no org:webhooks:manage.
        (
            settle(members_org.get_webhook_endpoints(JsValue::UNDEFINED)).await,
            "forbidden",
        ),
        (
            settle(members_org.create_webhook_endpoint(good())).await,
            "forbidden",
        ),
        (
            settle(members_org.update_webhook_endpoint(id, obj(&[("enabled", false.into())])))
                .await,
            "forbidden",
        ),
        (
            settle(members_org.delete_webhook_endpoint(id)).await,
            "forbidden",
        ),
        (
            settle(members_org.rotate_webhook_secret(id)).await,
            "forbidden",
        ),
        (settle(members_org.send_test_webhook(id)).await, "forbidden"),
        (
            settle(members_org.get_webhook_attempts(id, JsValue::UNDEFINED)).await,
            "forbidden",
        ),
        (
            settle(members_org.resend_webhook(id, "msg_1")).await,
            "forbidden",
        ),
        // URLs no server takes, whatever its flags.
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "ftp://example.com/",
                &["organization.updated"],
            )))
            .await,
            "webhook_url_invalid",
        ),
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "http://example.com/hooks",
                &["organization.updated"],
            )))
            .await,
            "webhook_url_invalid",
        ),
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "https://user:pw@example.com/",
                &["organization.updated"],
            )))
            .await,
            "webhook_url_invalid",
        ),
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "https://2130706433/",
                &["organization.updated"],
            )))
            .await,
            "webhook_url_invalid",
        ),
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "https://224.0.0.1/",
                &["organization.updated"],
            )))
            .await,
            "webhook_url_forbidden",
        ),
        (
            settle(org.update_webhook_endpoint(id, obj(&[("url", "https://[::]/".into())]))).await,
            "webhook_url_forbidden",
        ),
        // Event types: at least one, each in the catalog, and never webhook.test.
        (
            settle(org.create_webhook_endpoint(endpoint_params("https://example.com/hooks", &[])))
                .await,
            "validation_failed",
        ),
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "https://example.com/hooks",
                &["user.created"],
            )))
            .await,
            "unknown_event_type",
        ),
        (
            settle(org.create_webhook_endpoint(endpoint_params(
                "https://example.com/hooks",
                &["webhook.test"],
            )))
            .await,
            "validation_failed",
        ),
        (
            settle(org.create_webhook_endpoint(obj(&[
                ("url", "https://example.com/hooks".into()),
                ("eventTypes", "organization.updated".into()),
            ])))
            .await,
            "validation_failed",
        ),
        (
            settle(
                org.create_webhook_endpoint(obj(&[("url", "https://example.com/hooks".into())])),
            )
            .await,
            "validation_failed",
        ),
        (
            settle(org.create_webhook_endpoint(JsValue::UNDEFINED)).await,
            "validation_failed",
        ),
        // Descriptions: no control characters, at most 512 characters.
        (
            settle(org.update_webhook_endpoint(id, obj(&[("description", "a\u{7}b".into())])))
                .await,
            "validation_failed",
        ),
        (
            settle(
                org.update_webhook_endpoint(id, obj(&[("description", "x".repeat(513).into())])),
            )
            .await,
            "validation_failed",
        ),
        (
            settle(org.update_webhook_endpoint(id, obj(&[("enabled", "yes".into())]))).await,
            "validation_failed",
        ),
        // Ids, cursors and page sizes.
        (
            settle(org.delete_webhook_endpoint("inv_1")).await,
            "validation_failed",
        ),
        (
            settle(org.rotate_webhook_secret("whe_")).await,
            "validation_failed",
        ),
        (
            settle(org.send_test_webhook("whe_a-b")).await,
            "validation_failed",
        ),
        (
            settle(org.resend_webhook(id, "whe_1")).await,
            "validation_failed",
        ),
        (
            settle(org.get_webhook_endpoints(obj(&[("limit", 500.into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.get_webhook_endpoints(obj(&[("after", "wha_1".into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.get_webhook_attempts(id, obj(&[("after", "whe_1".into())]))).await,
            "validation_failed",
        ),
        (
            settle(org.get_webhook_attempts(id, obj(&[("limit", 0.into())]))).await,
            "validation_failed",
        ),
    ];
    assert_eq!(fetch_count(), 0, "local refusals send nothing");
    for (answer, code) in &refusals {
        assert_error(answer.as_ref().err().expect("refused"), code, 0);
    }
    // A URL only the server can judge (a plain-http loopback URL needs --dev) goes to it.
    let loopback = endpoint_params("http://localhost:9/hooks", &["organization.updated"]);
    settle(org.create_webhook_endpoint(loopback)).await.unwrap();
    assert_eq!(fetch_count(), 1, "one method call, one request");
}

#[wasm_bindgen_test]
fn the_subscribable_event_types_come_from_the_rule_book() {
    let types = names(orgkit::webhook_event_types());
    assert!(types.contains(&"organizationMembership.created".to_owned()));
    assert!(types.contains(&"organizationInvitation.delivery".to_owned()));
    assert!(!types.contains(&"webhook.test".to_owned()));
}
