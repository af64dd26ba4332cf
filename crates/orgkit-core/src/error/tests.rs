use super::*;

#[test]
fn every_code_round_trips_through_its_wire_form() {
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        let json = serde_json::to_string(&code).expect("serialize");
        assert_eq!(json, format!("\"{}\"", code.as_str()));
    }
    assert_eq!(ErrorCode::parse("nope"), None);
}

#[test]
fn statuses_are_client_errors_except_server_side_and_network() {
    for code in ErrorCode::ALL {
        let status = code.http_status();
        match code {
            ErrorCode::Internal => assert_eq!(status, 500),
            ErrorCode::SsoProviderError => assert_eq!(status, 502),
            ErrorCode::Unavailable => assert_eq!(status, 503),
            ErrorCode::NetworkError => assert_eq!(status, 0),
            _ => assert!((400..500).contains(&status), "{code}: {status}"),
        }
    }
}

#[test]
fn bare_statuses_map_to_codes() {
    let cases = [
        (0, ErrorCode::NetworkError),
        (400, ErrorCode::ValidationFailed),
        (401, ErrorCode::Unauthenticated),
        (403, ErrorCode::Forbidden),
        (404, ErrorCode::NotFound),
        (405, ErrorCode::ValidationFailed),
        (409, ErrorCode::ValidationFailed),
        (410, ErrorCode::NotFound),
        (418, ErrorCode::ValidationFailed),
        (429, ErrorCode::RateLimited),
        (500, ErrorCode::Internal),
        (502, ErrorCode::Internal),
        (503, ErrorCode::Unavailable),
        (504, ErrorCode::Internal),
        (599, ErrorCode::Internal),
    ];
    for (status, code) in cases {
        assert_eq!(ErrorCode::for_bare_status(status), code, "{status}");
    }
}
