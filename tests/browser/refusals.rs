//! Every refusal the rule book can see is local: for each case a method is called by its JS
//! name with bad input (a malformed id, token or cursor, a non-string inside a list), and it
//! must reject with the code and send no request at all. Every rejection, local or from the
//! server, is an `OrgKitError`; and an answer without an orgkit error body (a proxy's) is read
//! by its status.

use super::workspaces::one_request;
use super::*;
use js_sys::Function;

#[wasm_bindgen(inline_js = r#"
export function answerNextFetchWith(status, body, contentType, retryAfter) {
  const real = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = real;
    const headers = { "Content-Type": contentType };
    if (retryAfter !== undefined) headers["Retry-After"] = retryAfter;
    return Promise.resolve(new Response(body, { status, headers }));
  };
}
export function failNextFetch() {
  const real = globalThis.fetch;
  globalThis.fetch = () => {
    globalThis.fetch = real;
    return Promise.reject(new TypeError("Failed to fetch"));
  };
}
export function classOf(value) { return Object.getPrototypeOf(value).constructor; }
export function isSubclassOfError(cls) { return cls.prototype instanceof Error; }
"#)]
extern "C" {
    /// Makes the next `fetch` answer `status` with `body` of `content_type`, as a proxy would.
    #[wasm_bindgen(js_name = answerNextFetchWith)]
    fn answer_next_fetch_with(
        status: u16,
        body: &str,
        content_type: &str,
        retry_after: Option<String>,
    );
    /// Makes the next `fetch` fail as an unreachable server does.
    #[wasm_bindgen(js_name = failNextFetch)]
    fn fail_next_fetch();
    #[wasm_bindgen(js_name = classOf)]
    fn class_of(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isSubclassOfError)]
    fn is_subclass_of_error(class: &JsValue) -> bool;
}

/// Calls `target[method](...args)`: its rejection (or synchronous throw), or its answer.
async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method)
        .dyn_into()
        .unwrap_or_else(|_| panic!("no method {method}"));
    let list: Array = args.iter().collect();
    let answer = Reflect::apply(&f, target, &list)?;
    match answer.dyn_into::<js_sys::Promise>() {
        Ok(promise) => settle(promise).await,
        Err(value) => Ok(value),
    }
}

/// One case: the object, the method's JS name, its arguments, the code, and what the message
/// must name (a list position).
type Case<'a> = (&'a JsValue, &'a str, Vec<JsValue>, &'a str, Option<&'a str>);

/// `[value]`.
fn one(value: impl Into<JsValue>) -> Vec<JsValue> {
    vec![value.into()]
}

/// A `{ after }` page request.
fn after(cursor: &str) -> Vec<JsValue> {
    one(obj(&[("after", cursor.into())]))
}

/// The class every `OrgKitError` is an instance of, read from a local refusal.
async fn orgkit_error_class(kit: &OrgKit) -> JsValue {
    let e = kit
        .verify_email(String::new())
        .await
        .err()
        .expect("refused");
    class_of(&e)
}

#[wasm_bindgen_test]
async fn every_refusal_the_rule_book_can_see_sends_nothing() {
    let (ada, _) = person("refusals").await;
    let org = create_org(&ada, "Refusals Inc").await;
    let ws = one_request(|| org.create_workspace(obj(&[("name", "Refused".into())]))).await;
    let group = one_request(|| org.create_group(obj(&[("name", "Refused team".into())]))).await;
    let class = orgkit_error_class(&ada).await;
    let kit: JsValue = ada.into();
    let org: JsValue = org.into();
    let long_token = "A".repeat(44);
    let strings_with = |first: JsValue, second: JsValue| -> JsValue {
        [first, second].into_iter().collect::<Array>().into()
    };
    let cases: Vec<Case<'_>> = vec![
        // Tokens: a string that was never issued is an unknown token.
        (&kit, "verifyEmail", one(""), "not_found", None),
        (&kit, "verifyEmail", one("token"), "not_found", None),
        (&kit, "acceptInvitation", one(""), "not_found", None),
        (&kit, "declineInvitation", one("x"), "not_found", None),
        (
            &kit,
            "previewInvitation",
            one(long_token.as_str()),
            "not_found",
            None,
        ),
        (&kit, "previewInviteLink", one("nope"), "not_found", None),
        (&kit, "acceptInviteLink", one(""), "not_found", None),
        (
            &kit,
            "resetPassword",
            one(obj(&[
                ("token", "".into()),
                ("password", "long enough".into()),
            ])),
            "not_found",
            None,
        ),
        // Ids of the wrong kind or shape.
        (
            &kit,
            "getOrganization",
            one("acme"),
            "validation_failed",
            None,
        ),
        (
            &kit,
            "getOrganization",
            one("user_01"),
            "validation_failed",
            None,
        ),
        (
            &kit,
            "getToken",
            one(obj(&[("organizationId", "acme".into())])),
            "validation_failed",
            None,
        ),
        (
            &kit,
            "setActive",
            one(obj(&[("organization", "ws_1".into())])),
            "validation_failed",
            None,
        ),
        (
            &kit,
            "getMyWorkspaces",
            one(obj(&[("organizationId", "acme".into())])),
            "validation_failed",
            None,
        ),
        (&org, "removeMember", one("bob"), "validation_failed", None),
        (
            &org,
            "updateRole",
            one(obj(&[("userId", "bob".into()), ("role", "admin".into())])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "updateMember",
            one(obj(&[
                ("userId", "mem_1".into()),
                ("roles", strings_with("org:admin".into(), "x".into())),
            ])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "transferOwnership",
            one(obj(&[("userId", "bob".into())])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getWorkspace",
            one("grp_1"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getApiKeys",
            one(obj(&[("serviceAccountId", "user_1".into())])),
            "validation_failed",
            None,
        ),
        // Types inside lists: the position is named.
        (
            &org,
            "inviteMembers",
            one(obj(&[
                ("emailAddresses", strings_with(1.into(), "a@x.io".into())),
                ("role", "basic_member".into()),
            ])),
            "validation_failed",
            Some("emailAddresses[0]"),
        ),
        (
            &org,
            "removeMembers",
            one(strings_with("user_1".into(), 2.into())),
            "validation_failed",
            Some("memberIds[1]"),
        ),
        (
            &org,
            "removeMembers",
            one(strings_with("user_1".into(), "bob".into())),
            "validation_failed",
            None,
        ),
        (
            &org,
            "updateMember",
            one(obj(&[
                ("userId", "user_1".into()),
                ("roles", strings_with("org:admin".into(), 3.into())),
            ])),
            "validation_failed",
            Some("roles[1]"),
        ),
        (
            &org,
            "createRole",
            one(obj(&[
                ("key", "org:billing".into()),
                ("name", "Billing".into()),
                (
                    "permissions",
                    strings_with("org:billing:read".into(), 7.into()),
                ),
            ])),
            "validation_failed",
            Some("permissions[1]"),
        ),
        (
            &org,
            "createWebhookEndpoint",
            one(obj(&[
                ("url", "https://example.com/hooks".into()),
                (
                    "eventTypes",
                    strings_with("organization.updated".into(), JsValue::NULL),
                ),
            ])),
            "validation_failed",
            Some("eventTypes[1]"),
        ),
        (
            &org,
            "getRoster",
            one(obj(&[("status", strings_with("active".into(), 5.into()))])),
            "validation_failed",
            Some("status[1]"),
        ),
        // Cursors: each list's own id kind.
        (
            &org,
            "getMembershipsPage",
            after("junk"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getMembershipsPage",
            after("user_1"),
            "validation_failed",
            None,
        ),
        (&org, "getRoster", after("junk"), "validation_failed", None),
        (
            &org,
            "getAuditEvents",
            after("mem_1"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getJoinRequests",
            after("junk"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getInviteLinks",
            after("inv_1"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getWebhookEndpoints",
            after("junk"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getSsoConnections",
            after("lnk_1"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "getWorkspaces",
            after("grp_1"),
            "validation_failed",
            None,
        ),
        (&org, "getGroups", after("ws_1"), "validation_failed", None),
        (
            &org,
            "getServiceAccounts",
            after("ak_1"),
            "validation_failed",
            None,
        ),
        (&org, "getApiKeys", after("sa_1"), "validation_failed", None),
        (&ws, "getMembers", after("grm_1"), "validation_failed", None),
        (
            &group,
            "getMembers",
            after("wsg_1"),
            "validation_failed",
            None,
        ),
    ];
    for (target, method, args, code, names) in &cases {
        install_fetch_counter();
        let refused = call(target, method, args)
            .await
            .err()
            .unwrap_or_else(|| panic!("{method} {args:?}: should be refused"));
        assert_eq!(fetch_count(), 0, "{method} {args:?}: no request");
        assert_error(&refused, code, 0);
        assert!(
            refused.is_instance_of::<js_sys::Error>() && class_of(&refused) == class,
            "{method}: an OrgKitError"
        );
        if let Some(position) = names {
            let message = text(&refused, "message");
            assert!(message.contains(position), "{method}: {message}");
        }
    }
}

#[wasm_bindgen_test]
async fn local_and_server_refusals_are_the_same_error_class() {
    let kit = kit();
    let class = orgkit_error_class(&kit).await;
    let kit: JsValue = kit.into();
    assert_eq!(
        get(&class, "name").as_string().as_deref(),
        Some("OrgKitError")
    );
    assert!(is_subclass_of_error(&class), "a subclass of Error");
    let server = call(&kit, "verifyEmail", &one("A".repeat(43)))
        .await
        .expect_err("unknown token");
    assert_error(&server, "not_found", 404);
    assert!(class_of(&server) == class, "a server refusal too");
    assert!(server.is_instance_of::<js_sys::Error>());
}

#[wasm_bindgen_test]
async fn answers_without_an_orgkit_body_are_read_by_status() {
    let kit = kit();
    let class = orgkit_error_class(&kit).await;
    let html = "<html><body><h1>Bad Gateway</h1></body></html>";
    let cases: [(u16, &str, &str, Option<&str>, &str); 8] = [
        (404, "<h1>Not Found</h1>", "text/html", None, "not_found"),
        (
            429,
            "Too Many Requests",
            "text/plain",
            Some("7"),
            "rate_limited",
        ),
        (401, "", "text/plain", None, "unauthenticated"),
        (403, "<h1>Forbidden</h1>", "text/html", None, "forbidden"),
        (502, html, "text/html", None, "internal"),
        (503, html, "text/html", Some("30"), "unavailable"),
        (
            404,
            r#"{"message":"no route"}"#,
            "application/json",
            None,
            "not_found",
        ),
        (400, "bad request", "text/plain", None, "validation_failed"),
    ];
    for (status, body, content_type, retry_after, code) in cases {
        answer_next_fetch_with(status, body, content_type, retry_after.map(str::to_owned));
        let refused = kit.get_user_invitations().await.err().expect("refused");
        assert_error(&refused, code, u32::from(status));
        assert!(class_of(&refused) == class, "{status}: an OrgKitError");
        assert_eq!(
            get(&refused, "retryAfter").as_f64(),
            retry_after.map(|s| s.parse::<f64>().expect("seconds")),
            "{status}"
        );
    }
    fail_next_fetch();
    let unreachable = kit.get_user_invitations().await.err().expect("refused");
    assert_error(&unreachable, "network_error", 0);
    assert!(class_of(&unreachable) == class);
    // A success with a body that is not JSON stays `internal`.
    answer_next_fetch_with(200, "<html></html>", "text/html", None);
    let malformed = kit.get_user_invitations().await.err().expect("refused");
    assert_error(&malformed, "internal", 200);
}

/// The thin exports of `src/send.rs` (which were `async fn`s) answer a `Promise` in every case,
/// their local refusals included: none throws synchronously, each rejects with an
/// `OrgKitError` and sends nothing.
#[wasm_bindgen_test]
async fn thin_exports_answer_a_promise_even_when_refused_locally() {
    let (ada, _) = person("thin").await;
    let org = create_org(&ada, "Thin Inc").await;
    let class = orgkit_error_class(&ada).await;
    let kit: JsValue = ada.into();
    let org: JsValue = org.into();
    let cases: Vec<Case<'_>> = vec![
        (
            &kit,
            "signUp",
            one(JsValue::NULL),
            "validation_failed",
            None,
        ),
        (&kit, "signIn", one(obj(&[])), "validation_failed", None),
        (&kit, "verifyEmail", one(""), "not_found", None),
        (
            &kit,
            "getOrganization",
            one("acme"),
            "validation_failed",
            None,
        ),
        (&kit, "acceptInvitation", one(""), "not_found", None),
        (&kit, "previewInvitation", one(""), "not_found", None),
        (
            &kit,
            "requestPasswordReset",
            one(obj(&[])),
            "validation_failed",
            None,
        ),
        (
            &kit,
            "signInWithSso",
            one(obj(&[])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "update",
            one(obj(&[("name", "".into())])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "destroy",
            one(obj(&[])),
            "confirmation_mismatch",
            None,
        ),
        (&org, "removeMember", one("acme"), "validation_failed", None),
        (
            &org,
            "getMembershipsPage",
            after("junk"),
            "validation_failed",
            None,
        ),
        (
            &org,
            "inviteMember",
            one(obj(&[])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "inviteMembers",
            one(obj(&[])),
            "validation_failed",
            None,
        ),
        (
            &org,
            "transferOwnership",
            one(obj(&[])),
            "validation_failed",
            None,
        ),
    ];
    for (target, method, args, code, _) in cases {
        let f: Function = get(target, method).dyn_into().expect("a method");
        let list: Array = args.iter().collect();
        install_fetch_counter();
        let answer = Reflect::apply(&f, target, &list)
            .unwrap_or_else(|e| panic!("{method} threw synchronously: {e:?}"));
        let promise: js_sys::Promise = answer
            .dyn_into()
            .unwrap_or_else(|_| panic!("{method} answered no Promise"));
        let refused = settle(promise).await.err().expect("refused");
        assert_eq!(
            text(&refused, "code"),
            code,
            "{method}: {:?}",
            text(&refused, "message")
        );
        assert!(class_of(&refused) == class, "{method}: an OrgKitError");
        assert_eq!(fetch_count(), 0, "{method}: no request");
    }
}
