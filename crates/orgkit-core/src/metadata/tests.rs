use super::*;

#[test]
fn objects_up_to_8_kib() {
    let at_limit = format!("{{\"k\":\"{}\"}}", "x".repeat(MAX_METADATA_BYTES - 8));
    assert_eq!(at_limit.len(), MAX_METADATA_BYTES);
    let over = format!("{{\"k\":\"{}\"}}", "x".repeat(MAX_METADATA_BYTES - 7));
    let cases: [(&str, Option<ErrorCode>); 8] = [
        ("{}", None),
        ("{\"plan\":\"pro\",\"seats\":5}", None),
        (" {\"a\":{\"b\":[1,2]}} ", None),
        (&at_limit, None),
        (&over, Some(ErrorCode::MetadataTooLarge)),
        ("[1]", Some(ErrorCode::ValidationFailed)),
        ("\"text\"", Some(ErrorCode::ValidationFailed)),
        ("null", Some(ErrorCode::ValidationFailed)),
    ];
    for (json, want) in cases {
        assert_eq!(check(json).err().map(|e| e.code), want, "{json:.40}");
    }
}
