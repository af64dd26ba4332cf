//! Session tokens through the SDK: `getToken` for two organizations and for the active one,
//! caching, and a malformed organization id refused with no request.

use super::*;

#[wasm_bindgen(inline_js = r#"
export function claimsOf(jwt) {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = claimsOf)]
    fn claims_of(jwt: &str) -> JsValue;
}

/// The `o.id` claim of a token, or `None` without organization claims.
fn org_claim(jwt: &str) -> Option<String> {
    let o = get(&claims_of(jwt), "o");
    (!o.is_undefined()).then(|| text(&o, "id"))
}

/// `getToken(params)`, awaited.
async fn token(kit: &OrgKit, params: JsValue) -> Result<String, JsValue> {
    settle(kit.get_token(params))
        .await
        .map(|jwt| jwt.as_string().unwrap())
}

fn token_for(org: JsValue) -> JsValue {
    obj(&[("organizationId", org)])
}

#[wasm_bindgen_test]
async fn tokens_follow_the_organization_asked_for_and_the_active_one() {
    let (kit, _) = person("tokens").await;
    let a = create_org(&kit, "Token A").await;
    let b = create_org(&kit, "Token B").await;

    let for_a = token(&kit, token_for(a.id().into())).await.unwrap();
    let for_b = token(&kit, token_for(b.id().into())).await.unwrap();
    let claims_a = claims_of(&for_a);
    assert_eq!(org_claim(&for_a), Some(a.id()));
    assert_eq!(org_claim(&for_b), Some(b.id()));
    assert_eq!(text(&get(&claims_a, "o"), "rol"), "admin");
    assert_eq!(text(&get(&claims_a, "o"), "slg"), a.slug());
    assert_eq!(get(&claims_a, "v").as_f64(), Some(2.0));

    // No active organization yet: no organization claims.
    assert!(kit.active_organization_id().is_none());
    let none = token(&kit, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(org_claim(&none), None);
    assert!(!text(&claims_of(&none), "sub").is_empty());

    // Switching the active organization switches the claims; the cache answers without a request.
    settle(kit.set_active(obj(&[("organization", a.id().into())])))
        .await
        .unwrap();
    assert_eq!(kit.active_organization_id(), Some(a.id()));
    install_fetch_counter();
    let active = token(&kit, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(active, for_a, "cached");
    assert_eq!(fetch_count(), 0);
    settle(kit.set_active(obj(&[("organization", b.id().into())])))
        .await
        .unwrap();
    assert_eq!(
        fetch_count(),
        1,
        "setActive's one request: the server remembers it"
    );
    install_fetch_counter();
    let active = token(&kit, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(org_claim(&active), Some(b.id()));
    // `null` asks for no organization even with one active.
    let personal = token(&kit, token_for(JsValue::NULL)).await.unwrap();
    assert_eq!(org_claim(&personal), None);
    assert_eq!(fetch_count(), 0, "every token so far came from the cache");

    // Concurrent calls for a new organization share one request.
    let c = create_org(&kit, "Token C").await;
    install_fetch_counter();
    // Both promises exist before either is awaited.
    let (one, two) = (
        kit.get_token(token_for(c.id().into())),
        kit.get_token(token_for(c.id().into())),
    );
    assert_eq!(settle(one).await.unwrap(), settle(two).await.unwrap());
    assert_eq!(fetch_count(), 1);
}

#[wasm_bindgen_test]
async fn malformed_organizations_are_refused_without_a_request() {
    let (kit, _) = person("badtoken").await;
    install_fetch_counter();
    for bad in [
        JsValue::from("acme"),
        JsValue::from(42),
        JsValue::from("org_"),
    ] {
        let refused = token(&kit, token_for(bad.clone()))
            .await
            .err()
            .expect("refused");
        assert_error(&refused, "validation_failed", 0);
        let refused = settle(kit.set_active(obj(&[("organization", bad)])))
            .await
            .err()
            .expect("refused");
        assert_error(&refused, "validation_failed", 0);
    }
    let refused = settle(kit.set_active(obj(&[])))
        .await
        .err()
        .expect("refused");
    assert_error(&refused, "validation_failed", 0);
    assert_eq!(fetch_count(), 0);

    // Well-formed but not mine: the server's not_found.
    let (other, _) = person("stranger").await;
    let theirs = create_org(&other, "Not Yours").await;
    let refused = token(&kit, token_for(theirs.id().into()))
        .await
        .err()
        .expect("refused");
    assert_error(&refused, "not_found", 404);
}
