//! Verified email domains through the SDK: adding (IDNA through the browser's URL parser),
//! affiliation by mailed code, enrollment modes, suggestions, and the refusals the rule book
//! sees with no request.

use super::workspaces::invoke;
use super::*;

/// A person at `domain` whose address is verified.
async fn verified_person(who: &str, domain: &str) -> (OrgKit, String) {
    let kit = kit();
    let address = format!("{who}@{domain}");
    let params = obj(&[
        ("emailAddress", address.clone().into()),
        ("password", "correct horse".into()),
        ("name", who.into()),
    ]);
    kit.sign_up(params).await.unwrap();
    let token = mailed_token(&kit, &address, "/verify-email").await;
    kit.verify_email(token).await.unwrap();
    (kit, address)
}

/// An `OrganizationDomain` (a class written in JS): its fields are own properties.
async fn domain(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    let value = settle(promise).await?;
    assert_eq!(
        text(&get(&value, "constructor"), "name"),
        "OrganizationDomain"
    );
    Ok(value)
}

/// `domain[method](p)`'s Promise, unsettled.
fn call(target: &JsValue, method: &str, p: JsValue) -> js_sys::Promise {
    let f: js_sys::Function = get(target, method).dyn_into().unwrap();
    f.call1(target, &p).unwrap().dyn_into().unwrap()
}

fn verified(domain: &JsValue) -> bool {
    get(domain, "verified").as_bool().unwrap()
}

/// The 6-digit code in the newest email to `to`.
async fn mailed_code(kit: &OrgKit, to: &str) -> String {
    let messages: Array = kit
        .get_dev_mailbox(Some(to.to_owned()))
        .await
        .unwrap()
        .into();
    let body = text(&messages.get(0), "body");
    body.split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .unwrap()
        .to_owned()
}

#[wasm_bindgen_test]
async fn domains_are_added_verified_and_suggested() {
    let name = format!("acme-{}.test", unique_suffix());
    let (admin, _) = verified_person("boss", &name).await;
    let org = create_org(&admin, "Domains").await;

    let added = domain(org.add_domain(obj(&[("name", name.to_uppercase().into())])))
        .await
        .unwrap();
    assert_eq!(text(&added, "name"), name);
    assert_eq!(text(&added, "enrollmentMode"), "manual_invitation");
    assert!(!verified(&added));
    assert!(get(&added, "createdAt").is_instance_of::<js_sys::Date>());
    assert!(get(&added, "affiliationVerifiedAt").is_null());
    assert_eq!(
        text(&added, "ownershipRecordName"),
        format!("_orgkit-challenge.{name}")
    );
    assert!(text(&added, "ownershipRecordValue").starts_with("orgkit-domain-verification="));
    let unicode = domain(org.add_domain(obj(&[(
        "name",
        format!("bücher-{}.test", unique_suffix()).into(),
    )])))
    .await
    .unwrap();
    let unicode_name = text(&unicode, "name");
    assert!(unicode_name.starts_with("xn--bcher-"), "{unicode_name}");
    let listed: Array = settle(org.get_domains()).await.unwrap().into();
    assert_eq!(listed.length(), 2);

    // Affiliation by code, to an address that is not mine.
    let ceo = format!("ceo@{name}");
    let sent = domain(call(
        &added,
        "prepareAffiliationVerification",
        obj(&[("emailAddress", ceo.clone().into())]),
    ))
    .await
    .unwrap();
    assert!(!verified(&sent));
    let code = mailed_code(&admin, &ceo).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let attempt = "attemptAffiliationVerification";
    let refused = invoke(&sent, attempt, &obj(&[("code", wrong.into())]))
        .await
        .err()
        .unwrap();
    assert_error(&refused, "verification_code_invalid", 422);
    let proven = domain(call(&sent, attempt, obj(&[("code", code.into())])))
        .await
        .unwrap();
    assert!(verified(&proven));
    assert_eq!(text(&proven, "affiliationEmailAddress"), ceo);
    assert!(get(&proven, "affiliationVerifiedAt").is_instance_of::<js_sys::Date>());

    // Ownership: no such record in any DNS.
    let missing = invoke(&unicode, "verifyOwnership", &JsValue::UNDEFINED)
        .await
        .err()
        .unwrap();
    assert_error(&missing, "ownership_record_not_found", 409);

    // Suggestions.
    let suggesting = domain(call(
        &proven,
        "updateEnrollmentMode",
        obj(&[("enrollmentMode", "automatic_suggestion".into())]),
    ))
    .await
    .unwrap();
    assert_eq!(text(&suggesting, "enrollmentMode"), "automatic_suggestion");
    let (dev, _) = verified_person("dev", &name).await;
    let suggestions: Array = settle(dev.get_user_suggestions()).await.unwrap().into();
    assert_eq!(suggestions.length(), 1);
    let suggestion = suggestions.get(0);
    assert_eq!(
        text(&get(&suggestion, "constructor"), "name"),
        "OrganizationSuggestion"
    );
    assert_eq!(text(&suggestion, "organizationId"), org.id());
    assert_eq!(text(&suggestion, "domainName"), name);
    let accepted = invoke(&suggestion, "accept", &JsValue::UNDEFINED)
        .await
        .unwrap();
    assert!(text(&accepted, "joinRequestId").starts_with("jrq_"));
    let after: Array = settle(dev.get_user_suggestions()).await.unwrap().into();
    assert_eq!(after.length(), 0);

    invoke(&unicode, "delete", &JsValue::UNDEFINED)
        .await
        .unwrap();
    let listed: Array = settle(org.get_domains()).await.unwrap().into();
    assert_eq!(listed.length(), 1);
}

#[wasm_bindgen_test]
async fn domain_refusals_the_rule_book_can_see_send_nothing() {
    let (admin, _) = person("domain-admin").await;
    let (member, member_email) = person("domain-member").await;
    let org = create_org(&admin, "Domain rules").await;
    org.invite_member(invite_params(&member_email, "basic_member"))
        .await
        .unwrap();
    member
        .accept_invitation(mailed_token(&admin, &member_email, "/accept").await)
        .await
        .unwrap();
    let members_org = member.get_organization(org.id()).await.unwrap();
    let other_org = create_org(&admin, "Domain rules 2").await;
    let base = format!("d{}", unique_suffix());
    let first = domain(org.add_domain(obj(&[("name", format!("{base}-0.test").into())])))
        .await
        .unwrap();
    for i in 1..10 {
        domain(org.add_domain(obj(&[("name", format!("{base}-{i}.test").into())])))
            .await
            .unwrap();
    }
    settle(org.get_domains()).await.unwrap();

    install_fetch_counter();
    let add = |name: &str| org.add_domain(obj(&[("name", name.into())]));
    // Local refusals carry status 0: no server answered.
    let cases: Vec<(js_sys::Promise, &str, u32)> = vec![
        (add("gmail.com"), "domain_not_allowed", 0),
        (add("bad..name"), "domain_invalid", 0),
        (add("127.0.0.1"), "domain_invalid", 0),
        (add("acme.test/path"), "domain_invalid", 0),
        (add("eleventh.test"), "domain_limit_reached", 0),
        (
            members_org.add_domain(obj(&[("name", "member.test".into())])),
            "forbidden",
            0,
        ),
        (
            other_org.add_domain(obj(&[
                ("name", "auto.test".into()),
                ("enrollmentMode", "automatic_invitation".into()),
            ])),
            "domain_not_verified",
            0,
        ),
        (
            call(
                &first,
                "prepareAffiliationVerification",
                obj(&[("emailAddress", "someone@elsewhere.test".into())]),
            ),
            "email_not_at_domain",
            0,
        ),
        (
            call(
                &first,
                "attemptAffiliationVerification",
                obj(&[("code", "12a456".into())]),
            ),
            "verification_code_invalid",
            0,
        ),
        (
            call(
                &first,
                "updateEnrollmentMode",
                obj(&[("enrollmentMode", "automatic_invitation".into())]),
            ),
            "domain_not_verified",
            0,
        ),
    ];
    for (promise, code, status) in cases {
        let refused = settle(promise).await.err().expect("refused");
        assert_error(&refused, code, status);
    }
    assert_eq!(
        fetch_count(),
        0,
        "no request for what the rule book refuses"
    );
}
