//! The SDK's local refusals about workspaces, groups, service accounts and API keys are the
//! server's: each is refused with no request, and the same request sent straight to the server
//! is refused with the same code.

use super::workspaces::{invoke, one_call, one_request, with_member};
use super::*;

#[wasm_bindgen(inline_js = r#"
export async function sessionToken(server, emailAddress) {
  const send = globalThis.__orgkitFetch || globalThis.fetch;
  const response = await send(server + "/v1/auth/sign-in", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ emailAddress, password: "correct horse" }),
  });
  return (await response.json()).token;
}
export async function serverCode(server, token, method, path, body) {
  const send = globalThis.__orgkitFetch || globalThis.fetch;
  const headers = { Authorization: "Bearer " + token, "Content-Type": "application/json" };
  const response = await send(server + path, { method, headers, body: JSON.stringify(body) });
  const json = await response.json();
  return json.error ? json.error.code : "accepted";
}
"#)]
extern "C" {
    /// A fresh session token of a person made by `person`.
    #[wasm_bindgen(js_name = sessionToken)]
    fn session_token(server: &str, email: &str) -> js_sys::Promise;
    /// The error code of one request sent straight to the server, not counted.
    #[wasm_bindgen(js_name = serverCode)]
    fn server_code(
        server: &str,
        token: &str,
        method: &str,
        path: &str,
        body: JsValue,
    ) -> js_sys::Promise;
}

/// Someone's session token, for requests sent without the SDK.
async fn token_of(email: &str) -> String {
    settle(session_token(SERVER, email))
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

/// Asserts that `local` is refused with `code` and no request, and that the server refuses
/// the same request (`method`, `path`, `body`, as `token`) with the same code.
async fn same_refusal(
    local: Result<JsValue, JsValue>,
    code: &str,
    token: &str,
    (method, path, body): (&str, String, JsValue),
) {
    let error = local.err().unwrap_or_else(|| panic!("{path}: not refused"));
    assert_error(&error, code, 0);
    assert_eq!(fetch_count(), 0, "{code}: refused locally sends nothing");
    let server = settle(server_code(SERVER, token, method, &path, body))
        .await
        .unwrap();
    assert_eq!(server.as_string().as_deref(), Some(code), "{method} {path}");
}

fn named(name: &str) -> JsValue {
    obj(&[("name", name.into())])
}

#[wasm_bindgen_test]
async fn local_refusals_are_the_servers() {
    let (ada, ada_email) = person("paradmin").await;
    let ada_id = text(&ada.get_user().await.unwrap(), "id");
    let (org, bob, bob_id, bobs_org) = with_member(&ada, "Parity").await;
    let bob_email = text(&bob.get_user().await.unwrap(), "emailAddress");
    let (ada_token, bob_token) = (token_of(&ada_email).await, token_of(&bob_email).await);
    let base = format!("/v1/organizations/{}", org.id());
    let at = |rest: &str| format!("{base}{rest}");
    let role = |r: &str| obj(&[("role", r.into())]);

    // Bob, a basic member, may create nothing, under the default policy (admins).
    install_fetch_counter();
    let local = settle(bobs_org.create_workspace(named("Mine"))).await;
    same_refusal(
        local,
        "forbidden",
        &bob_token,
        ("POST", at("/workspaces"), named("Mine")),
    )
    .await;
    let local = settle(bobs_org.create_group(named("Mine"))).await;
    same_refusal(
        local,
        "forbidden",
        &bob_token,
        ("POST", at("/groups"), named("Mine")),
    )
    .await;
    let account = obj(&[("name", "CI".into()), ("role", "basic_member".into())]);
    let local = settle(bobs_org.create_service_account(account.clone())).await;
    same_refusal(
        local,
        "forbidden",
        &bob_token,
        ("POST", at("/service-accounts"), account),
    )
    .await;
    let local = settle(bobs_org.create_api_key(named("mine"))).await;
    same_refusal(
        local,
        "forbidden",
        &bob_token,
        ("POST", at("/api-keys"), named("mine")),
    )
    .await;
    let members = obj(&[("policy", "members".into())]);
    let local = settle(bobs_org.set_api_key_policy("members".into())).await;
    same_refusal(
        local,
        "forbidden",
        &bob_token,
        ("PUT", at("/api-key-policy"), members),
    )
    .await;

    // A workspace member grants nothing; a personal workspace takes no grant.
    let ws = one_request(|| org.create_workspace(named("Shared"))).await;
    let ws_path = format!("/workspaces/{}", text(&ws, "id"));
    let grant = obj(&[
        ("userId", bob_id.clone().into()),
        ("role", "ws:member".into()),
    ]);
    one_call(&ws, "addMember", &grant).await;
    let args = obj(&[("organizationId", org.id().into())]);
    let bobs_ws = Array::from(&get(
        &settle(bob.get_my_workspaces(args)).await.unwrap(),
        "data",
    ))
    .get(0);
    let to_ada = obj(&[
        ("userId", ada_id.clone().into()),
        ("role", "ws:member".into()),
    ]);
    let ada_path = at(&format!("{ws_path}/principals/user/{ada_id}"));
    install_fetch_counter();
    let local = invoke(&bobs_ws, "addMember", &to_ada).await;
    same_refusal(
        local,
        "forbidden",
        &bob_token,
        ("PUT", ada_path.clone(), role("ws:member")),
    )
    .await;
    let personal = one_request(|| bobs_org.get_personal_workspace()).await;
    let personal_path = at(&format!(
        "/workspaces/{}/principals/user/{ada_id}",
        text(&personal, "id")
    ));
    install_fetch_counter();
    let local = invoke(&personal, "addMember", &to_ada).await;
    same_refusal(
        local,
        "workspace_personal",
        &bob_token,
        ("PUT", personal_path, role("ws:member")),
    )
    .await;

    // Ada, the admin: an archived workspace, a role that is none, an expiry in the past.
    let archived = one_call(&ws, "archive", &JsValue::UNDEFINED).await;
    install_fetch_counter();
    let local = invoke(&archived, "addMember", &to_ada).await;
    same_refusal(
        local,
        "workspace_archived",
        &ada_token,
        ("PUT", ada_path.clone(), role("ws:member")),
    )
    .await;
    let wrong = obj(&[("userId", ada_id.clone().into()), ("role", "admin".into())]);
    let local = invoke(&archived, "addMember", &wrong).await;
    same_refusal(
        local,
        "validation_failed",
        &ada_token,
        ("PUT", ada_path, role("admin")),
    )
    .await;
    let past = js_sys::Date::now() - 60_000.0;
    let late = || obj(&[("name", "late".into()), ("expiresAt", past.into())]);
    let local = settle(org.create_api_key(late())).await;
    same_refusal(
        local,
        "validation_failed",
        &ada_token,
        ("POST", at("/api-keys"), late()),
    )
    .await;

    // Nobody may create keys; then members may, within their permissions.
    one_request(|| org.set_api_key_policy("nobody".into())).await;
    install_fetch_counter();
    let local = settle(org.create_api_key(named("none"))).await;
    same_refusal(
        local,
        "api_keys_disabled",
        &ada_token,
        ("POST", at("/api-keys"), named("none")),
    )
    .await;
    one_request(|| org.set_api_key_policy("members".into())).await;
    let bobs_org = bob.get_organization(org.id()).await.unwrap();
    let beyond = || {
        let scope: Array = ["org:memberships:manage"]
            .iter()
            .map(|s| JsValue::from(*s))
            .collect();
        obj(&[("name", "more".into()), ("permissions", scope.into())])
    };
    install_fetch_counter();
    let local = settle(bobs_org.create_api_key(beyond())).await;
    same_refusal(
        local,
        "permission_escalation",
        &bob_token,
        ("POST", at("/api-keys"), beyond()),
    )
    .await;
}
