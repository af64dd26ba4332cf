//! SSO connections through the SDK: an admin creates, lists, changes, tests and deletes them
//! and requires SSO; and what the rule book can see is refused with no request.

use super::*;

/// Calls the method `name` of a JS object (an `SsoConnection`) with `args`, which answers a
/// Promise.
async fn invoke(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let method: js_sys::Function = get(target, name).into();
    let promise = match args {
        [] => method.call0(target),
        [a] => method.call1(target, a),
        _ => unreachable!(),
    };
    settle(promise.unwrap().into()).await
}

fn class_of(value: &JsValue) -> String {
    text(&get(value, "constructor"), "name")
}

/// A connection's parameters, with `pairs` added or replaced. Nothing listens on port 9 of
/// this machine: discovery fails there, quickly.
fn connection(pairs: &[(&str, JsValue)]) -> JsValue {
    let mut all = vec![
        ("name", JsValue::from("Acme IdP")),
        ("issuer", "http://127.0.0.1:9/idp".into()),
        ("clientId", "orgkit".into()),
        ("clientSecret", "a-client-secret".into()),
    ];
    for (key, value) in pairs {
        all.retain(|(k, _)| k != key);
        all.push((key, value.clone()));
    }
    obj(&all)
}

#[wasm_bindgen_test]
async fn sso_connections_are_created_listed_changed_tested_and_deleted() {
    let (admin, _) = person("ssoadmin").await;
    let org = create_org(&admin, "SSO Club").await;
    assert!(org
        .sso_join_url()
        .ends_with(&format!("/sso/{}", org.slug())));
    assert!(!org.require_sso());
    let created =
        settle(org.create_sso_connection(connection(&[("scopes", "openid email".into())])))
            .await
            .unwrap();
    assert_eq!(class_of(&created), "SsoConnection");
    assert!(text(&created, "id").starts_with("sso_"));
    assert_eq!(text(&created, "state"), "draft");
    assert_eq!(text(&created, "scopes"), "openid email");
    assert_eq!(text(&created, "jitRole"), "basic_member");
    assert_eq!(get(&created, "hasClientSecret").as_bool(), Some(true));
    assert!(get(&created, "clientSecret").is_undefined());
    assert!(get(&created, "createdAt").is_instance_of::<js_sys::Date>());
    assert!(text(&created, "callbackUrl")
        .ends_with(&format!("/v1/sso/callback/{}", text(&created, "id"))));

    let page = settle(org.get_sso_connections(JsValue::UNDEFINED))
        .await
        .unwrap();
    let listed = Array::from(&get(&page, "data"));
    assert_eq!(listed.length(), 1);
    assert_eq!(class_of(&listed.get(0)), "SsoConnection");
    assert!(get(&page, "nextCursor").is_null());

    let changed = invoke(
        &listed.get(0),
        "update",
        &[obj(&[
            ("name", "Okta".into()),
            ("jitEnabled", false.into()),
        ])],
    )
    .await
    .unwrap();
    assert_eq!(text(&changed, "name"), "Okta");
    assert_eq!(get(&changed, "jitEnabled").as_bool(), Some(false));
    // A draft without a domain cannot be activated: the SDK sees it.
    let activate = invoke(&changed, "update", &[obj(&[("state", "active".into())])]).await;
    assert_error(&activate.unwrap_err(), "domain_not_verified", 0);

    let report = invoke(&changed, "test", &[]).await.unwrap();
    assert_eq!(get(&report, "ok").as_bool(), Some(false));
    assert!(!text(&report, "error").is_empty());
    assert!(get(&report, "authorizationEndpoint").is_null());

    // Requiring SSO needs an active connection: the server says so.
    let refused = org.update(obj(&[("requireSso", true.into())])).await;
    assert_error(&refused.err().unwrap(), "sso_connection_inactive", 409);

    invoke(&changed, "delete", &[]).await.unwrap();
    let page = settle(org.get_sso_connections(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(Array::from(&get(&page, "data")).length(), 0);
}

#[wasm_bindgen_test]
async fn sso_refusals_the_rule_book_can_see_send_nothing() {
    let (org, member) = org_with_member("SSO rules").await;
    let members_org = member.get_organization(org.id()).await.unwrap();
    let draft = settle(org.create_sso_connection(connection(&[])))
        .await
        .unwrap();

    install_fetch_counter();
    let create = |pairs: &[(&str, JsValue)]| org.create_sso_connection(connection(pairs));
    let refusals = [
        (
            settle(create(&[("issuer", "idp.example".into())])).await,
            "validation_failed",
        ),
        (
            settle(create(&[("issuer", "http://idp.example".into())])).await,
            "forbidden",
        ),
        (
            settle(create(&[("issuer", "https://idp.example/?a=1".into())])).await,
            "validation_failed",
        ),
        (
            settle(create(&[("clientId", "".into())])).await,
            "validation_failed",
        ),
        (
            settle(create(&[("clientSecret", "".into())])).await,
            "validation_failed",
        ),
        (
            settle(create(&[("scopes", "email profile".into())])).await,
            "validation_failed",
        ),
        (
            settle(create(&[("name", "  ".into())])).await,
            "validation_failed",
        ),
        (
            settle(create(&[("jitRole", "owner".into())])).await,
            "unknown_role",
        ),
        (
            settle(create(&[(
                "claimMapping",
                obj(&[("email", "e mail".into())]),
            )]))
            .await,
            "validation_failed",
        ),
        (
            settle(org.create_sso_connection(JsValue::UNDEFINED)).await,
            "validation_failed",
        ),
        (
            settle(members_org.create_sso_connection(connection(&[]))).await,
            "forbidden",
        ),
        (
            settle(members_org.get_sso_connections(JsValue::UNDEFINED)).await,
            "forbidden",
        ),
        (
            settle(org.get_sso_connections(obj(&[("after", "inv_x".into())]))).await,
            "validation_failed",
        ),
        (
            invoke(&draft, "update", &[obj(&[("state", "inactive".into())])]).await,
            "sso_connection_inactive",
        ),
        (
            invoke(&draft, "update", &[obj(&[("scopes", "profile".into())])]).await,
            "validation_failed",
        ),
        (
            members_org
                .update(obj(&[("requireSso", true.into())]))
                .await
                .map(JsValue::from),
            "forbidden",
        ),
    ];
    for (outcome, code) in refusals {
        assert_error(&outcome.expect_err("refused"), code, 0);
    }
    assert_eq!(fetch_count(), 0, "refused locally, without a request");
}
