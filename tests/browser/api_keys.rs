//! Service accounts, API keys and the API key policy through the SDK, against the live server:
//! a service account and its key (the secret's shape, the key authenticating, then revoked),
//! one request per allowed call, and every local refusal with no request at all.

use super::workspaces::{one_call, one_request, refused, refused_call, with_member};
use super::*;

#[wasm_bindgen(inline_js = r#"
export async function keyRequest(server, secret, path) {
  const send = globalThis.__orgkitFetch || globalThis.fetch;
  const response = await send(server + path, { headers: { Authorization: "Bearer " + secret } });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  return { status: response.status, reason: json.error ? json.error.reason : null };
}
"#)]
extern "C" {
    /// `GET path` with an API key, not counted: `{ status, reason }`.
    #[wasm_bindgen(js_name = keyRequest)]
    fn key_request(server: &str, secret: &str, path: &str) -> js_sys::Promise;
}

async fn with_key(secret: &str, path: &str) -> (u32, JsValue) {
    let answer = settle(key_request(SERVER, secret, path)).await.unwrap();
    (
        get(&answer, "status").as_f64().unwrap() as u32,
        get(&answer, "reason"),
    )
}

fn strings(list: &[&str]) -> JsValue {
    list.iter()
        .map(|s| JsValue::from(*s))
        .collect::<Array>()
        .into()
}

#[wasm_bindgen_test]
async fn a_service_account_key_works_until_revoked() {
    let (ada, _) = person("keyada").await;
    let org = create_org(&ada, "Keys Inc").await;
    let account = obj(&[("name", "CI".into()), ("role", "basic_member".into())]);
    let sa = one_request(|| org.create_service_account(account)).await;
    assert_eq!(text(&sa, "name"), "CI");
    assert_eq!(text(&sa, "role"), "basic_member");
    assert!(text(&sa, "id").starts_with("sa_"));
    assert!(get(&sa, "createdAt").is_instance_of::<js_sys::Date>());

    let created = one_call(&sa, "createApiKey", &obj(&[("name", "deploys".into())])).await;
    let secret = text(&created, "secret");
    assert!(secret.starts_with("ok_") && secret.len() == 67, "{secret}");
    assert!(secret[3..]
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert!(orgkit_core::api_key::is_secret_shaped(&secret));
    let key = get(&created, "apiKey");
    assert_eq!(text(&key, "last4"), secret[secret.len() - 4..]);
    assert_eq!(text(&get(&key, "owner"), "type"), "service_account");
    assert_eq!(text(&get(&key, "owner"), "id"), text(&sa, "id"));
    assert!(get(&key, "revokedAt").is_null());
    assert!(
        get(&key, "secret").is_undefined(),
        "the key itself never carries it"
    );

    // The key reads its organization, and nothing elsewhere.
    let path = format!("/v1/organizations/{}", org.id());
    assert_eq!(with_key(&secret, &path).await.0, 200);
    let keys = one_call(&sa, "getApiKeys", &JsValue::UNDEFINED).await;
    let listed = Array::from(&get(&keys, "data"));
    assert_eq!(listed.length(), 1);
    assert_eq!(text(&listed.get(0), "id"), text(&key, "id"));

    let revoked = one_call(&key, "revoke", &obj(&[("reason", "rotated".into())])).await;
    assert!(get(&revoked, "revokedAt").is_instance_of::<js_sys::Date>());
    assert_eq!(text(&revoked, "revokeReason"), "rotated");
    let (status, reason) = with_key(&secret, &path).await;
    assert_eq!(
        (status, reason.as_string()),
        (401, Some("api_key_revoked".to_owned()))
    );
    let (status, reason) = with_key(&("ok_".to_owned() + &"0".repeat(64)), &path).await;
    assert_eq!(
        (status, reason.as_string()),
        (401, Some("api_key_unknown".to_owned()))
    );

    // My own key, scoped; the account changes and goes.
    let mine = obj(&[
        ("name", "reporting".into()),
        ("permissions", strings(&["org:memberships:read"])),
        ("expiresAt", (js_sys::Date::now() + 86_400_000.0).into()),
    ]);
    let created = one_request(|| org.create_api_key(mine)).await;
    let key = get(&created, "apiKey");
    assert_eq!(text(&get(&key, "owner"), "type"), "user");
    assert!(get(&key, "expiresAt").is_instance_of::<js_sys::Date>());
    let all = one_request(|| org.get_api_keys(JsValue::UNDEFINED)).await;
    assert_eq!(Array::from(&get(&all, "data")).length(), 2);
    let renamed = one_call(&sa, "update", &obj(&[("name", "CI bot".into())])).await;
    assert_eq!(text(&renamed, "name"), "CI bot");
    let accounts = one_request(|| org.get_service_accounts(JsValue::UNDEFINED)).await;
    assert_eq!(Array::from(&get(&accounts, "data")).length(), 1);
    assert!(one_call(&sa, "destroy", &JsValue::UNDEFINED)
        .await
        .is_undefined());
    let accounts = one_request(|| org.get_service_accounts(JsValue::UNDEFINED)).await;
    assert_eq!(Array::from(&get(&accounts, "data")).length(), 0);
}

#[wasm_bindgen_test]
async fn key_refusals_the_rule_book_sees_send_nothing() {
    let (ada, _) = person("keyrules").await;
    let (org, _bob, _bob_id, bobs_org) = with_member(&ada, "Key Rules").await;
    let key = |name: &str| obj(&[("name", name.into())]);

    // Bob, a basic member, under the default policy (admins).
    assert_eq!(
        one_request(|| bobs_org.get_api_key_policy())
            .await
            .as_string()
            .as_deref(),
        Some("admins")
    );
    refused(|| bobs_org.create_api_key(key("mine")), "forbidden").await;
    refused(
        || bobs_org.set_api_key_policy("members".into()),
        "forbidden",
    )
    .await;
    let account = obj(&[("name", "CI".into()), ("role", "basic_member".into())]);
    refused(
        || bobs_org.create_service_account(account.clone()),
        "forbidden",
    )
    .await;
    let sa_keys = obj(&[("serviceAccountId", "sa_1".into())]);
    refused(|| bobs_org.get_api_keys(sa_keys), "forbidden").await;

    // Members may create keys, within their own permissions.
    let policy = one_request(|| org.set_api_key_policy("members".into())).await;
    assert_eq!(policy.as_string().as_deref(), Some("members"));
    assert_eq!(
        one_request(|| bobs_org.get_api_key_policy())
            .await
            .as_string()
            .as_deref(),
        Some("members")
    );
    let beyond = obj(&[
        ("name", "too much".into()),
        (
            "permissions",
            strings(&["org:memberships:read", "org:memberships:manage"]),
        ),
    ]);
    let error = refused(|| bobs_org.create_api_key(beyond), "permission_escalation").await;
    let missing: Vec<String> = Array::from(&get(&error, "missingPermissions"))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(missing, ["org:memberships:manage"]);
    let created = one_request(|| bobs_org.create_api_key(key("bob's"))).await;
    let bobs_key = get(&created, "apiKey");
    // Bob sees and revokes his own key.
    let listed = one_request(|| bobs_org.get_api_keys(JsValue::UNDEFINED)).await;
    assert_eq!(Array::from(&get(&listed, "data")).length(), 1, "only mine");
    let bobs_view = Array::from(&get(&listed, "data")).get(0);
    let long = obj(&[("reason", "r".repeat(201).into())]);
    refused_call(&bobs_view, "revoke", &long, "validation_failed").await;
    one_call(&bobs_view, "revoke", &JsValue::UNDEFINED).await;
    assert_eq!(text(&bobs_view, "id"), text(&bobs_key, "id"));
    let everyones = one_request(|| org.get_api_keys(JsValue::UNDEFINED)).await;
    assert_eq!(
        Array::from(&get(&everyones, "data")).length(),
        1,
        "the admin sees Bob's"
    );

    // Nobody: no key at all, refused locally even for the admin.
    one_request(|| org.set_api_key_policy("nobody".into())).await;
    refused(|| org.create_api_key(key("none")), "api_keys_disabled").await;
    refused(
        || org.set_api_key_policy("everyone".into()),
        "validation_failed",
    )
    .await;
    one_request(|| org.set_api_key_policy("admins".into())).await;

    // Malformed input.
    refused(|| org.create_api_key(key("")), "validation_failed").await;
    let past = obj(&[
        ("name", "late".into()),
        ("expiresAt", js_sys::Date::new_0().into()),
    ]);
    let past_ms = js_sys::Date::now() - 1000.0;
    refused(|| org.create_api_key(past), "validation_failed").await;
    let past = obj(&[("name", "late".into()), ("expiresAt", past_ms.into())]);
    refused(|| org.create_api_key(past), "validation_failed").await;
    let cursor = obj(&[("after", "ws_1".into())]);
    refused(|| org.get_api_keys(cursor.clone()), "validation_failed").await;
    refused(|| org.get_service_accounts(cursor), "validation_failed").await;
    let unnamed = obj(&[("name", " ".into()), ("role", "basic_member".into())]);
    refused(|| org.create_service_account(unnamed), "validation_failed").await;
    let sa = one_request(|| org.create_service_account(account)).await;
    let past = obj(&[("name", "late".into()), ("expiresAt", past_ms.into())]);
    refused_call(&sa, "createApiKey", &past, "validation_failed").await;
    let role = obj(&[("role", "owner".into())]);
    refused_call(&sa, "update", &role, "unknown_role").await;
    let keys = one_call(&sa, "getApiKeys", &JsValue::UNDEFINED).await;
    assert_eq!(Array::from(&get(&keys, "data")).length(), 0);
}
