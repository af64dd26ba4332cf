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
            sso: None,
            missing_permissions: Vec::new(),
            reason: None,
        },
    };
    assert_eq!(
        serde_json::to_string(&err).expect("serialize"),
        r#"{"error":{"code":"last_admin","message":"m"}}"#
    );
    let escalation = ErrorBody {
        error: ErrorDetail {
            code: ErrorCode::PermissionEscalation,
            message: "m".into(),
            sso: None,
            missing_permissions: vec!["org:audit:read".into()],
            reason: None,
        },
    };
    assert_eq!(
        serde_json::to_string(&escalation).expect("serialize"),
        r#"{"error":{"code":"permission_escalation","message":"m","missingPermissions":["org:audit:read"]}}"#
    );
}

#[test]
fn invite_link_options_take_whole_numbers_written_either_way() {
    let read = |raw: &str| serde_json::from_str::<CreateInviteLinkRequest>(raw);
    let plain = read(r#"{"role":"admin","expiresAt":253,"maxUses":5}"#).expect("reads");
    let fraction = read(r#"{"role":"admin","expiresAt":253.0,"maxUses":5.0}"#).expect("reads");
    assert_eq!(plain, fraction);
    assert_eq!(plain.expires_at, Some(Timestamp(253)));
    assert_eq!(plain.max_uses, Some(5));
    let bare = read(r#"{"role":"admin","expiresAt":null}"#).expect("reads");
    assert_eq!(
        (bare.expires_at, bare.max_uses, bare.requires_approval),
        (None, None, None)
    );
    assert!(read(r#"{"role":"admin","maxUses":1.5}"#).is_err());
    assert!(read(r#"{"role":"admin","maxUses":-1}"#).is_err());
    assert!(read(r#"{"role":"admin","expiresAt":"soon"}"#).is_err());
}

#[test]
fn the_active_organization_field_is_required_and_nullable() {
    let set: ActiveOrganization =
        serde_json::from_str(r#"{"organizationId":"org_1"}"#).expect("set");
    assert_eq!(set.organization_id, Some(OrganizationId("org_1".into())));
    let clear: ActiveOrganization =
        serde_json::from_str(r#"{"organizationId":null}"#).expect("clear");
    assert_eq!(clear.organization_id, None);
    assert!(serde_json::from_str::<ActiveOrganization>("{}").is_err());
    assert!(serde_json::from_str::<ActiveOrganization>(r#"{"organizationId":1}"#).is_err());
    let json = serde_json::to_value(&clear).expect("serialize");
    assert_eq!(json, serde_json::json!({ "organizationId": null }));
}

#[test]
fn a_user_always_carries_its_last_active_organization() {
    let user = User {
        id: UserId("user_1".into()),
        email_address: "a@x.io".into(),
        name: "A".into(),
        email_verified: true,
        created_at: Timestamp(1),
        last_active_organization_id: None,
    };
    let json = serde_json::to_value(&user).expect("serialize");
    assert_eq!(json["lastActiveOrganizationId"], serde_json::Value::Null);
    assert!(json
        .as_object()
        .is_some_and(|o| o.contains_key("lastActiveOrganizationId")));
}
