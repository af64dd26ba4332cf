use super::*;

fn profile() -> BillingProfile {
    BillingProfile {
        legal_name: Some(" Acme SAS ".to_owned()),
        email: Some("Billing@Acme.test".to_owned()),
        phone: Some("+33 1 23 45 67 89".to_owned()),
        address: Some(BillingAddress {
            line1: "1 rue de la Paix".to_owned(),
            line2: Some(String::new()),
            city: "Paris".to_owned(),
            state: None,
            postal_code: "75002".to_owned(),
            country: "fr".to_owned(),
        }),
        tax_ids: vec![TaxId {
            kind: "eu_vat".to_owned(),
            value: "FR12345678901".to_owned(),
            country: "FR".to_owned(),
        }],
        payment_method: Some(PaymentMethod {
            provider: "stripe".to_owned(),
            reference: "pm_1NvAbcDEF".to_owned(),
            brand: "visa".to_owned(),
            last4: "4242".to_owned(),
            exp_month: 12,
            exp_year: 2030,
        }),
        updated_at: Some(crate::Timestamp(5)),
    }
}

#[test]
fn a_valid_profile_is_normalized() {
    let p = check_profile(&profile()).expect("valid");
    assert_eq!(p.legal_name.as_deref(), Some("Acme SAS"));
    assert_eq!(p.email.as_deref(), Some("billing@acme.test"));
    let address = p.address.expect("address");
    assert_eq!(address.country, "FR");
    assert_eq!(address.line2, None);
    assert_eq!(p.updated_at, None);
    assert_eq!(
        check_profile(&BillingProfile::default()),
        Ok(BillingProfile::default())
    );
}

#[test]
fn each_field_is_checked() {
    type Edit = fn(&mut BillingProfile);
    let cases: [(&str, Edit); 17] = [
        ("long legal name", |p| p.legal_name = Some("x".repeat(201))),
        ("control character", |p| {
            p.legal_name = Some("a\u{7}b".to_owned())
        }),
        ("email", |p| p.email = Some("not an address".to_owned())),
        ("phone letters", |p| {
            p.phone = Some("+33 CALL ME".to_owned())
        }),
        ("phone too short", |p| p.phone = Some("+1 23".to_owned())),
        ("phone too long", |p| {
            p.phone = Some("+1234567890123456".to_owned())
        }),
        ("line1 empty", |p| {
            if let Some(a) = p.address.as_mut() {
                a.line1 = " ".to_owned();
            }
        }),
        ("city long", |p| {
            if let Some(a) = p.address.as_mut() {
                a.city = "c".repeat(101);
            }
        }),
        ("postal code", |p| {
            if let Some(a) = p.address.as_mut() {
                a.postal_code = "75_002".to_owned();
            }
        }),
        ("country not ISO", |p| {
            if let Some(a) = p.address.as_mut() {
                a.country = "ZZ".to_owned();
            }
        }),
        ("country long", |p| {
            if let Some(a) = p.address.as_mut() {
                a.country = "FRA".to_owned();
            }
        }),
        ("tax id type", |p| p.tax_ids[0].kind = "VAT".to_owned()),
        ("tax id value", |p| p.tax_ids[0].value = "FR<1>".to_owned()),
        ("too many tax ids", |p| {
            p.tax_ids = vec![p.tax_ids[0].clone(); MAX_TAX_IDS + 1];
        }),
        ("brand", |p| {
            if let Some(m) = p.payment_method.as_mut() {
                m.brand = "bitcoin".to_owned();
            }
        }),
        ("last4", |p| {
            if let Some(m) = p.payment_method.as_mut() {
                m.last4 = "42a2".to_owned();
            }
        }),
        ("expiry", |p| {
            if let Some(m) = p.payment_method.as_mut() {
                m.exp_month = 13;
            }
        }),
    ];
    for (name, edit) in cases {
        let mut p = profile();
        edit(&mut p);
        assert_eq!(
            check_profile(&p).err().map(|e| e.code),
            Some(ErrorCode::BillingProfileInvalid),
            "{name}"
        );
    }
    let mut ten = profile();
    ten.tax_ids = vec![ten.tax_ids[0].clone(); MAX_TAX_IDS];
    assert!(check_profile(&ten).is_ok());
}

#[test]
fn card_numbers_are_found_anywhere() {
    let cases: [(&str, bool); 14] = [
        ("4242424242424242", true),
        ("{\"reference\":\"4242 4242 4242 4242\"}", true),
        ("note: 4242-4242-4242-4242.", true),
        ("378282246310005", true),       // Amex, 15 digits
        ("6011111111111117", true),      // Discover
        ("4242424242424241", false),     // fails Luhn
        ("424242424242", false),         // 12 digits
        ("42424242424242424242", false), // 20 digits
        ("+33 1 23 45 67 89", false),    // a phone number
        ("\"expMonth\":12,\"expYear\":2030", false),
        ("4242  4242 4242 4242", false), // a double space ends the run
        ("FR12345678901", false),
        ("pm_1NvAbcDEF last4 4242", false),
        ("", false),
    ];
    for (text, want) in cases {
        assert_eq!(contains_card_number(text), want, "{text}");
    }
    assert_eq!(
        check_no_card_data("{\"x\":\"5555555555554444\"}")
            .err()
            .map(|e| e.code),
        Some(ErrorCode::CardDataRefused)
    );
}

#[test]
fn countries() {
    for ok in ["FR", "US", "DE", "JP", "ZW", "AD"] {
        assert!(is_country(ok), "{ok}");
    }
    for bad in ["ZZ", "fr", "F", "FRA", "UK", "EU", ""] {
        assert!(!is_country(bad), "{bad}");
    }
}

#[test]
fn permissions() {
    use Permission::{BillingManage, BillingRead, MembershipsRead};
    let none = PermissionSet::of(&[MembershipsRead]);
    let read = PermissionSet::of(&[BillingRead]);
    let manage = PermissionSet::of(&[BillingManage]);
    assert!(check_read(none).is_err());
    assert!(check_read(read).is_ok());
    assert!(check_read(manage).is_ok());
    assert!(check_manage(read).is_err());
    assert!(check_manage(manage).is_ok());
    assert!(check_manage(PermissionSet::all()).is_ok());
}
