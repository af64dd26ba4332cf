//! SSO sign-in through the SDK: what the rule book refuses locally, with no request; the
//! server's answer to a start; and the `sso_required` refusal carrying where to go.

use super::*;

#[wasm_bindgen_test]
async fn sso_sign_in_refuses_malformed_input_locally() {
    let kit = kit();
    install_fetch_counter();
    let cases = [
        (
            obj(&[("emailAddress", "not an address".into())]),
            "sso_connection_not_found",
        ),
        (
            obj(&[("organizationSlug", "Not A Slug".into())]),
            "sso_connection_not_found",
        ),
        (
            obj(&[
                ("organizationSlug", "acme".into()),
                ("emailAddress", "@acme.test".into()),
            ]),
            "sso_connection_not_found",
        ),
        (obj(&[]), "validation_failed"),
        (obj(&[("emailAddress", 5.into())]), "validation_failed"),
        (
            obj(&[
                ("emailAddress", "ann@acme.test".into()),
                ("navigate", "yes".into()),
            ]),
            "validation_failed",
        ),
    ];
    for (params, code) in cases {
        let error = kit.sign_in_with_sso(params).await.expect_err("refused");
        assert_error(&error, code, 0);
    }
    assert_eq!(fetch_count(), 0, "refused with no request");
}

#[wasm_bindgen_test]
async fn sso_sign_in_asks_the_server_to_start() {
    let kit = kit();
    // No connection serves this domain: the server's answer.
    install_fetch_counter();
    let unknown = format!("ann@nobody-{}.test", unique_suffix());
    let params = obj(&[("emailAddress", unknown.into()), ("navigate", false.into())]);
    let error = kit
        .sign_in_with_sso(params)
        .await
        .expect_err("no connection");
    assert_error(&error, "sso_connection_not_found", 404);
    assert_eq!(fetch_count(), 1);
    // A start the server accepts answers the provider's URL (navigate: false keeps the page).
    answer_next_fetch(
        200,
        r#"{"redirectUrl":"https://idp.example/auth?state=s"}"#,
        None,
    );
    let params = obj(&[
        ("organizationSlug", "acme".into()),
        ("returnTo", "/organization/".into()),
        ("navigate", false.into()),
    ]);
    let url = kit.sign_in_with_sso(params).await.unwrap();
    assert_eq!(url.as_string().unwrap(), "https://idp.example/auth?state=s");
}

#[wasm_bindgen_test]
async fn sso_required_says_where_to_sign_in() {
    let kit = kit();
    answer_next_fetch(
        403,
        r#"{"error":{"code":"sso_required","message":"Sign in with SSO.","sso":{"organizationSlug":"acme","startUrl":"http://127.0.0.1:1/sso/acme"}}}"#,
        None,
    );
    let params = obj(&[
        ("emailAddress", "ann@acme.test".into()),
        ("password", "correct horse".into()),
    ]);
    let error = kit.sign_in(params).await.expect_err("sso required");
    assert_error(&error, "sso_required", 403);
    let sso = get(&error, "sso");
    assert_eq!(text(&sso, "organizationSlug"), "acme");
    assert_eq!(text(&sso, "startUrl"), "http://127.0.0.1:1/sso/acme");
}
