//! The webhook rules as tables: URLs, addresses, event types, answers.

use super::*;
use crate::ErrorCode::*;
use core::net::IpAddr;

const PROD: UrlPolicy = UrlPolicy {
    dev: false,
    allow_private: false,
};
const DEV_PRIVATE: UrlPolicy = UrlPolicy {
    dev: true,
    allow_private: true,
};
const DEV: UrlPolicy = UrlPolicy {
    dev: true,
    allow_private: false,
};
const PRIVATE: UrlPolicy = UrlPolicy {
    dev: false,
    allow_private: true,
};

#[test]
fn endpoint_urls() {
    let long = format!("https://example.com/{}", "a".repeat(MAX_URL_CHARS));
    let cases: &[(&str, UrlPolicy, Result<&str, ErrorCode>)] = &[
        (
            "https://example.com/hooks",
            PROD,
            Ok("https://example.com/hooks"),
        ),
        ("HTTPS://Example.COM", PROD, Ok("https://example.com/")),
        (
            "https://example.com?x=1",
            PROD,
            Ok("https://example.com/?x=1"),
        ),
        (
            "https://example.com:8443/a/b?c=d",
            PROD,
            Ok("https://example.com:8443/a/b?c=d"),
        ),
        (" https://example.com/", PROD, Err(WebhookUrlInvalid)),
        (
            "https://93.184.216.34/h",
            PROD,
            Ok("https://93.184.216.34/h"),
        ),
        (
            "https://[2606:4700::1]:443/h",
            PROD,
            Ok("https://[2606:4700::1]:443/h"),
        ),
        (
            "https://xn--bcher-kva.example/",
            PROD,
            Ok("https://xn--bcher-kva.example/"),
        ),
        ("https://intranet/hook", PROD, Ok("https://intranet/hook")),
        // Not https.
        ("http://example.com/", PROD, Err(WebhookUrlInvalid)),
        ("http://example.com/", DEV_PRIVATE, Err(WebhookUrlInvalid)),
        ("ftp://example.com/", PROD, Err(WebhookUrlInvalid)),
        ("example.com/hook", PROD, Err(WebhookUrlInvalid)),
        ("https:example.com", PROD, Err(WebhookUrlInvalid)),
        ("", PROD, Err(WebhookUrlInvalid)),
        // http to loopback: only on a dev server, and only when private targets are allowed.
        (
            "http://127.0.0.1:9000/h",
            DEV_PRIVATE,
            Ok("http://127.0.0.1:9000/h"),
        ),
        (
            "http://localhost:9000/h",
            DEV_PRIVATE,
            Ok("http://localhost:9000/h"),
        ),
        (
            "http://[::1]:9000/h",
            DEV_PRIVATE,
            Ok("http://[::1]:9000/h"),
        ),
        ("http://127.0.0.1:9000/h", PRIVATE, Err(WebhookUrlInvalid)),
        ("http://127.0.0.1:9000/h", DEV, Err(WebhookUrlForbidden)),
        ("http://localhost:9000/h", DEV, Err(WebhookUrlForbidden)),
        ("http://api.localhost/h", DEV, Err(WebhookUrlForbidden)),
        // Credentials, fragments, odd characters, length.
        ("https://user:pw@example.com/", PROD, Err(WebhookUrlInvalid)),
        ("https://user@example.com/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com/#top", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com/a b", PROD, Err(WebhookUrlInvalid)),
        (
            "https://example.com\\@127.0.0.1/",
            PROD,
            Err(WebhookUrlInvalid),
        ),
        ("https://bücher.example/", PROD, Err(WebhookUrlInvalid)),
        (&long, PROD, Err(WebhookUrlInvalid)),
        // Hosts and ports.
        ("https:///path", PROD, Err(WebhookUrlInvalid)),
        ("https://exa_mple.com/", PROD, Err(WebhookUrlInvalid)),
        ("https://-example.com/", PROD, Err(WebhookUrlInvalid)),
        ("https://example..com/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com./", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com%2f/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com:0/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com:65536/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com:99999/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com:123456/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com:1/", PROD, Ok("https://example.com:1/")),
        (
            "https://example.com:65535/",
            PROD,
            Ok("https://example.com:65535/"),
        ),
        (
            "https://example.com:00443/x",
            PROD,
            Ok("https://example.com:443/x"),
        ),
        ("https://example.com:/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.com:+80/", PROD, Err(WebhookUrlInvalid)),
        ("https://[::1/", PROD, Err(WebhookUrlInvalid)),
        ("https://[fe80::1%25eth0]/", PROD, Err(WebhookUrlInvalid)),
        // Numeric hosts that URL parsers read as IPv4: only a dotted quad is taken.
        ("https://2130706433/", PROD, Err(WebhookUrlInvalid)),
        ("https://0x7f.1/", PROD, Err(WebhookUrlInvalid)),
        ("https://127.1/", PROD, Err(WebhookUrlInvalid)),
        ("https://0177.0.0.1/", PROD, Err(WebhookUrlInvalid)),
        ("https://example.123/", PROD, Err(WebhookUrlInvalid)),
        // Forbidden addresses, refused at once whatever the scheme.
        ("https://127.0.0.1/", PROD, Err(WebhookUrlForbidden)),
        ("https://localhost/", PROD, Err(WebhookUrlForbidden)),
        ("https://LOCALHOST/", PROD, Err(WebhookUrlForbidden)),
        ("https://10.0.0.5/", PROD, Err(WebhookUrlForbidden)),
        (
            "https://169.254.169.254/latest",
            PROD,
            Err(WebhookUrlForbidden),
        ),
        (
            "https://[::ffff:127.0.0.1]/",
            PROD,
            Err(WebhookUrlForbidden),
        ),
        (
            "https://[::ffff:a9fe:a9fe]/",
            PROD,
            Err(WebhookUrlForbidden),
        ),
        ("https://[fd00::1]/", PROD, Err(WebhookUrlForbidden)),
        ("https://0.0.0.0/", PROD, Err(WebhookUrlForbidden)),
        ("https://0.0.0.0/", PRIVATE, Err(WebhookUrlForbidden)),
        ("https://10.0.0.5/", PRIVATE, Ok("https://10.0.0.5/")),
        ("https://localhost/", PRIVATE, Ok("https://localhost/")),
    ];
    for (raw, policy, expected) in cases {
        let got = endpoint_url(raw, *policy);
        // The check alone (the SDK's) decides every case as the whole does.
        let checked = check_endpoint_url(raw, *policy);
        assert_eq!(
            checked.as_ref().map(|c| &c.host).map_err(|e| e.code),
            got.as_ref().map(|u| &u.host).map_err(|e| e.code),
            "{raw} under {policy:?}"
        );
        let got = got.as_ref().map(|u| u.url.as_str()).map_err(|e| e.code);
        assert_eq!(got, *expected, "{raw} under {policy:?}");
    }
    let checked = endpoint_url("https://Hooks.Example.com/x", PROD).expect("valid");
    assert_eq!(checked.host, UrlHost::Name("hooks.example.com".into()));
    let checked = endpoint_url("https://[2606:4700::1]/", PROD).expect("valid");
    assert_eq!(
        checked.host,
        UrlHost::Ip("2606:4700::1".parse().expect("ip"))
    );
}

#[test]
fn address_classes() {
    use AddressClass::*;
    let cases: &[(&str, AddressClass)] = &[
        ("93.184.216.34", Public),
        ("8.8.8.8", Public),
        ("0.0.0.0", Unspecified),
        ("0.1.2.3", Unspecified),
        ("10.1.2.3", Private),
        ("100.63.255.255", Public),
        ("100.64.0.1", SharedAddressSpace),
        ("100.127.255.255", SharedAddressSpace),
        ("100.128.0.0", Public),
        ("127.0.0.1", Loopback),
        ("127.255.0.9", Loopback),
        ("169.254.169.254", LinkLocal),
        ("172.15.0.1", Public),
        ("172.16.0.1", Private),
        ("172.31.255.255", Private),
        ("172.32.0.1", Public),
        ("192.0.0.8", Reserved),
        ("192.0.2.1", Reserved),
        ("192.168.1.1", Private),
        ("198.18.0.1", Reserved),
        ("198.51.100.7", Reserved),
        ("203.0.113.9", Reserved),
        ("224.0.0.1", Multicast),
        ("239.255.255.250", Multicast),
        ("240.0.0.1", Reserved),
        ("255.255.255.255", Broadcast),
        ("::", Unspecified),
        ("::1", Loopback),
        ("2606:4700:4700::1111", Public),
        ("fe80::1", LinkLocal),
        ("febf::1", LinkLocal),
        ("fec0::1", UniqueLocal),
        ("fc00::1", UniqueLocal),
        ("fdff::1", UniqueLocal),
        ("ff02::1", Multicast),
        ("::ffff:127.0.0.1", Loopback),
        ("::ffff:10.0.0.1", Private),
        ("::ffff:93.184.216.34", Public),
        ("::127.0.0.1", Loopback),
        ("64:ff9b::a9fe:a9fe", LinkLocal),
        ("64:ff9b::808:808", Public),
        ("64:ff9b:1::1", Reserved),
        ("2001:db8::1", Reserved),
        ("2002:7f00:1::", Reserved),
        ("2001:0:4136:e378::1", Reserved),
        ("100::1", Reserved),
    ];
    for (raw, class) in cases {
        let ip: IpAddr = raw.parse().expect("ip");
        assert_eq!(classify(ip), *class, "{raw}");
        let public = *class == Public;
        assert_eq!(check_address(ip, false).is_ok(), public, "{raw}");
        assert_eq!(
            check_address(ip, true).is_ok(),
            public || class.is_private_network(),
            "{raw} with private allowed"
        );
        if let Err(e) = check_address(ip, false) {
            assert_eq!(e.code, WebhookUrlForbidden);
        }
    }
}

#[test]
fn localhost_names() {
    for (host, expected) in [
        ("localhost", true),
        ("LocalHost", true),
        ("api.localhost", true),
        ("notlocalhost", false),
        ("localhost.example.com", false),
        ("example.com", false),
    ] {
        assert_eq!(is_localhost_name(host), expected, "{host}");
    }
}

#[test]
fn event_type_catalog() {
    for e in EventType::ALL {
        assert_eq!(EventType::parse(e.as_str()), Some(e));
        let json = serde_json::to_string(&e).expect("serialize");
        assert_eq!(json, format!("\"{}\"", e.as_str()));
    }
    assert_eq!(EventType::parse("user.created"), None);
    let subscribable = EventType::ALL
        .iter()
        .filter(|e| e.is_subscribable())
        .count();
    assert_eq!(subscribable, EventType::ALL.len() - 1);
}

#[test]
fn subscriptions() {
    let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    type Case = (&'static [&'static str], Result<Vec<EventType>, ErrorCode>);
    let cases: &[Case] = &[
        (
            &["organizationMembership.deleted", "organization.updated"],
            Ok(vec![
                EventType::OrganizationUpdated,
                EventType::MembershipDeleted,
            ]),
        ),
        (
            &["organization.updated", "organization.updated"],
            Ok(vec![EventType::OrganizationUpdated]),
        ),
        (&[], Err(ValidationFailed)),
        (&["organization.exploded"], Err(UnknownEventType)),
        (&["Organization.Updated"], Err(UnknownEventType)),
        (&["webhook.test"], Err(ValidationFailed)),
    ];
    for (raw, expected) in cases {
        let got = event_types(&names(raw)).map_err(|e| e.code);
        assert_eq!(&got, expected, "{raw:?}");
    }
}

#[test]
fn descriptions_and_limits() {
    assert_eq!(
        description("  Billing sync "),
        Ok("Billing sync".to_owned())
    );
    assert_eq!(description(""), Ok(String::new()));
    let long = "é".repeat(MAX_DESCRIPTION_CHARS + 1);
    assert_eq!(
        description(&long).map_err(|e| e.code),
        Err(ValidationFailed)
    );
    assert!(description(&"é".repeat(MAX_DESCRIPTION_CHARS)).is_ok());
    for bad in ["a\u{7}b", "\tab"] {
        assert_eq!(description(bad).map_err(|e| e.code), Err(ValidationFailed));
    }
    let padded = format!(" {}", "é".repeat(MAX_DESCRIPTION_CHARS));
    assert_eq!(
        description(&padded).map_err(|e| e.code),
        Err(ValidationFailed)
    );
    assert_eq!(check_endpoint_count(19), Ok(()));
    assert_eq!(
        check_endpoint_count(20).map_err(|e| e.code),
        Err(WebhookLimitReached)
    );
}

#[test]
fn answers() {
    for (status, expected) in [
        (200, AnswerOutcome::Delivered),
        (204, AnswerOutcome::Delivered),
        (299, AnswerOutcome::Delivered),
        (301, AnswerOutcome::Retry),
        (400, AnswerOutcome::Retry),
        (404, AnswerOutcome::Retry),
        (410, AnswerOutcome::Gone),
        (429, AnswerOutcome::Retry),
        (500, AnswerOutcome::Retry),
        (100, AnswerOutcome::Retry),
    ] {
        assert_eq!(answer_outcome(status), expected, "{status}");
    }
    for r in DisabledReason::ALL {
        assert_eq!(DisabledReason::parse(r.as_str()), Some(r));
        let json = serde_json::to_string(&r).expect("serialize");
        assert_eq!(json, format!("\"{}\"", r.as_str()));
    }
}
