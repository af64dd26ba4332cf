//! The URL forms, logins and CA files of `--smtp-url`, checked on the transport lettre builds.

use super::*;

/// A login given by flags: user name and password.
type Flags<'a> = Option<(&'a str, &'a str)>;

/// The transport for `url` and the login flags, as lettre describes it (its `Debug`).
fn built(url: &str, flags: Flags, ca: Option<&Path>) -> Result<String, String> {
    let mut config = Config::for_database("sqlite://unused.db");
    config.smtp_url = Some(url.to_owned());
    config.smtp_username = flags.map(|(user, _)| user.to_owned());
    config.smtp_password = flags.map(|(_, password)| password.to_owned());
    config.smtp_ca_file = ca.map(Path::to_path_buf);
    match transport(&config) {
        Ok(Some(t)) => Ok(format!("{t:?}")),
        Ok(None) => Err("no transport".to_owned()),
        Err(e) => Err(format!("{e:#}")),
    }
}

#[test]
fn urls_choose_port_tls_and_login() {
    let cases: &[(&str, Flags, &[&str])] = &[
        (
            "smtp://mail.example.com",
            None,
            &["port: 25,", "tls: Opportunistic", "credentials: None"],
        ),
        (
            "smtp://mail.example.com:2525",
            None,
            &["port: 2525,", "tls: Opportunistic"],
        ),
        (
            "smtp://mail.example.com?tls=opportunistic",
            None,
            &["port: 25,", "tls: Opportunistic"],
        ),
        (
            "smtp://mail.example.com?tls=required",
            None,
            &["port: 587,", "tls: Required"],
        ),
        (
            "smtp://127.0.0.1:1025?tls=none",
            None,
            &["port: 1025,", "tls: None"],
        ),
        (
            "smtps://mail.example.com",
            None,
            &["port: 465,", "tls: Wrapper"],
        ),
        (
            "smtps://mail.example.com:2465",
            None,
            &["port: 2465,", "tls: Wrapper"],
        ),
        (
            "smtps://me:p%40ss@mail.example.com",
            None,
            &["tls: Wrapper", "credentials: Some"],
        ),
        (
            "smtp://mail.example.com",
            Some(("me", "pass")),
            &["credentials: Some"],
        ),
    ];
    for (url, flags, expected) in cases {
        let debug = built(url, *flags, None).unwrap_or_else(|e| panic!("{url}: {e}"));
        for part in *expected {
            assert!(debug.contains(part), "{url}: no `{part}` in {debug}");
        }
        assert!(
            !debug.contains("p%40ss") && !debug.contains("p@ss"),
            "{debug}"
        );
    }
}

#[test]
fn bad_urls_and_logins_are_startup_errors_naming_the_flag() {
    let cases: &[(&str, Flags, &str)] = &[
        ("mail.example.com", None, "--smtp-url is not a URL"),
        (
            "http://mail.example.com",
            None,
            "--smtp-url has the scheme `http`",
        ),
        ("smtp://", None, "--smtp-url has no host"),
        (
            "smtp://mail.example.com?tls=maybe",
            None,
            "--smtp-url has tls=maybe",
        ),
        (
            "smtp://mail.example.com?tsl=required",
            None,
            "unknown parameter `tsl`",
        ),
        ("smtp://h?tls=required&tls=none", None, "`tls` twice"),
        (
            "smtps://mail.example.com?tls=required",
            None,
            "smtps:// is always TLS",
        ),
        (
            "smtp://me@mail.example.com",
            None,
            "a user name but no password",
        ),
        (
            "smtp://me:s3cret@mail.example.com",
            Some(("me", "s3cret")),
            "do not set --smtp-username",
        ),
    ];
    for (url, flags, expected) in cases {
        match built(url, *flags, None) {
            Err(e) => {
                assert!(e.contains(expected), "{url}: {e}");
                assert!(!e.contains("s3cret"), "{url}: the password leaked: {e}");
            }
            Ok(t) => panic!("{url}: built {t}"),
        }
    }
    let mut config = Config::for_database("sqlite://unused.db");
    config.smtp_url = Some("smtp://mail.example.com".to_owned());
    config.smtp_username = Some("me".to_owned());
    let e = transport(&config).expect_err("no password");
    assert_eq!(e.to_string(), "--smtp-username needs --smtp-password");
    config.smtp_username = None;
    config.smtp_password = Some("s3cret".to_owned());
    let e = transport(&config).expect_err("no user name");
    assert_eq!(e.to_string(), "--smtp-password needs --smtp-username");
    config.smtp_url = None;
    assert!(transport(&config).expect("no URL, no mail").is_none());
}

#[test]
fn the_ca_file_must_hold_a_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let good = dir.path().join("ca.pem");
    std::fs::write(&good, cert.cert.pem()).expect("write");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").expect("write");
    let missing = dir.path().join("missing.pem");

    let debug = built("smtp://localhost", None, Some(&good)).expect("a CA file");
    assert!(debug.contains("tls: Opportunistic"), "{debug}");
    for (url, ca, expected) in [
        ("smtp://localhost", &empty, "holds no PEM certificate"),
        ("smtp://localhost", &missing, "--smtp-ca-file"),
        (
            "smtp://localhost?tls=none",
            &good,
            "--smtp-ca-file is for TLS",
        ),
    ] {
        let e = built(url, None, Some(ca)).expect_err(expected);
        assert!(e.contains(expected), "{url}: {e}");
    }
}
