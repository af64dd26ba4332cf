//! The wire types' JSON shapes.
use super::*;

#[test]
fn invite_request_takes_a_list_or_a_joined_string() {
    let list: InviteRequest =
        serde_json::from_str(r#"{"emailAddresses":["a@x.io"," b@y.io "],"role":"admin"}"#)
            .expect("list");
    let joined: InviteRequest =
        serde_json::from_str(r#"{"emailAddresses":"a@x.io, b@y.io","role":"admin"}"#)
            .expect("joined");
    let entries = |r: &InviteRequest| r.email_addresses.as_ref().map(EmailList::entries);
    assert_eq!(entries(&list), Some(vec!["a@x.io".into(), "b@y.io".into()]));
    assert_eq!(entries(&list), entries(&joined));
}

#[test]
fn wire_fields_are_camel_case() {
    let inv = Invitation {
        id: InvitationId("inv_1".into()),
        email_address: "a@x.io".into(),
        role: Role::basic_member(),
        status: InvitationStatus::Pending,
        organization_id: OrganizationId("org_1".into()),
        organization_name: "Acme".into(),
        created_at: Timestamp(1),
        expires_at: Timestamp(2),
        accept_url: None,
        token: None,
    };
    let json = serde_json::to_value(&inv).expect("serialize");
    assert_eq!(json["emailAddress"], "a@x.io");
    assert_eq!(json["organizationId"], "org_1");
    assert_eq!(json["status"], "pending");
    assert_eq!(json["expiresAt"], 2);
    let err = ErrorBody {
        error: ErrorDetail {
            code: ErrorCode::LastAdmin,
            message: "m".into(),
        },
    };
    assert_eq!(
        serde_json::to_string(&err).expect("serialize"),
        r#"{"error":{"code":"last_admin","message":"m"}}"#
    );
}
