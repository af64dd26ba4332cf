//! Setting a password through the mailed link with the SDK: what the rule book can see is
//! refused with no request, and the whole flow signs in with the new password.

use super::*;

#[wasm_bindgen_test]
async fn malformed_reset_input_is_refused_locally() {
    let kit = kit();
    install_fetch_counter();
    let bad_email = obj(&[("emailAddress", "not an address".into())]);
    let e = kit.request_password_reset(bad_email).await.unwrap_err();
    assert_error(&e, "validation_failed", 0);
    let empty_token = obj(&[("token", "".into()), ("password", "long enough".into())]);
    let e = kit.reset_password(empty_token).await.unwrap_err();
    assert_error(&e, "not_found", 0);
    let weak = obj(&[
        ("token", "A".repeat(43).into()),
        ("password", "short".into()),
    ]);
    let e = kit.reset_password(weak).await.unwrap_err();
    assert_error(&e, "validation_failed", 0);
    assert_eq!(fetch_count(), 0, "no request sent");
}

#[wasm_bindgen_test]
async fn a_mailed_link_sets_the_password_and_signs_in() {
    let (old, address) = person("forgetful").await;
    let kit = kit();
    kit.request_password_reset(obj(&[("emailAddress", address.clone().into())]))
        .await
        .unwrap();
    let token = mailed_token(&kit, &address, "/reset-password").await;
    let user = kit
        .reset_password(obj(&[
            ("token", token.clone().into()),
            ("password", "a brand new secret".into()),
        ]))
        .await
        .unwrap();
    assert_eq!(text(&user, "emailAddress"), address);
    assert_eq!(get(&user, "emailVerified").as_bool(), Some(true));
    assert!(!kit.get_user().await.unwrap().is_null(), "signed in");
    assert!(
        old.get_user().await.unwrap().is_null(),
        "the old session ended"
    );
    let again = obj(&[
        ("token", token.into()),
        ("password", "another secret".into()),
    ]);
    let e = kit.reset_password(again).await.unwrap_err();
    assert_error(&e, "verification_token_used", 409);
    let fresh = self::kit();
    fresh
        .sign_in(obj(&[
            ("emailAddress", address.into()),
            ("password", "a brand new secret".into()),
        ]))
        .await
        .unwrap();
}
