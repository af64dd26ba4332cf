//! The TypeScript unions held equal to the rule book's enums. Most are generated from the
//! enums' serde names by tsify (`generated`); these tests hold those names equal to the
//! `as_str` the server and the rule book use.

use super::{
    domains::DOMAIN_TYPES, sso::SSO_TYPES, webhooks::WEBHOOK_TYPES, workspaces::WORKSPACE_TYPES,
    TYPES,
};
use orgkit_core::{ErrorCode, InvitationStatus, Permission};

/// The members of the union tsify generated for `T` from its serde names.
fn generated<T: tsify::Tsify>() -> Vec<String> {
    let declaration = T::DECL
        .lines()
        .find(|line| line.starts_with("export type "))
        .expect("a type declaration");
    members(declaration)
}

/// The quoted members of a one-line union declaration.
fn members(line: &str) -> Vec<String> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The members of `export type NAME = "a" | "b";`, in whichever hand-written section declares
/// it.
fn union(name: &str) -> Vec<String> {
    let declaration = format!("export type {name} = ");
    let section = [
        TYPES,
        WEBHOOK_TYPES,
        DOMAIN_TYPES,
        SSO_TYPES,
        WORKSPACE_TYPES,
    ]
    .into_iter()
    .find(|section| section.contains(&declaration))
    .expect("declared");
    let start = section.find(&declaration).expect("declared");
    members(section[start..].lines().next().expect("line"))
}

#[test]
fn error_codes_match_the_rule_book() {
    let rust: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(generated::<ErrorCode>(), rust);
}

#[test]
fn permissions_match_the_rule_book() {
    let rust: Vec<String> = Permission::ALL
        .iter()
        .map(|p| p.as_str().to_owned())
        .collect();
    assert_eq!(generated::<Permission>(), rust);
}

#[test]
fn roles_match_the_built_in_catalog() {
    let rust: Vec<String> = orgkit_core::RoleCatalog::built_in()
        .roles()
        .iter()
        .map(|r| r.key.to_owned())
        .collect();
    assert_eq!(union("BuiltInRole"), rust);
}

#[test]
fn invitation_deliveries_match_the_rule_book() {
    use orgkit_core::delivery::InvitationDelivery;
    let rust = InvitationDelivery::ALL.map(InvitationDelivery::as_str);
    assert_eq!(generated::<InvitationDelivery>(), rust);
}

#[test]
fn join_request_unions_match_the_rule_book() {
    use orgkit_core::join_request::{JoinRequestSource, JoinRequestStatus};
    assert_eq!(
        generated::<JoinRequestStatus>(),
        JoinRequestStatus::ALL.map(JoinRequestStatus::as_str)
    );
    assert_eq!(
        generated::<JoinRequestSource>(),
        JoinRequestSource::ALL.map(JoinRequestSource::as_str)
    );
}

#[test]
fn invitation_statuses_match_the_rule_book() {
    let rust = InvitationStatus::ALL.map(InvitationStatus::as_str);
    assert_eq!(generated::<InvitationStatus>(), rust);
}

#[test]
fn webhook_event_types_match_the_rule_book() {
    use orgkit_core::EventType;
    let rust = EventType::ALL.map(EventType::as_str);
    assert_eq!(generated::<EventType>(), rust);
    // `SubscribableWebhookEventType` leaves out exactly the types no endpoint subscribes to.
    let excluded: Vec<&str> = EventType::ALL
        .into_iter()
        .filter(|e| !e.is_subscribable())
        .map(EventType::as_str)
        .collect();
    assert_eq!(union("SubscribableWebhookEventType"), excluded);
    assert_eq!(
        crate::subscribable_event_types(),
        EventType::ALL
            .into_iter()
            .filter(|e| e.is_subscribable())
            .map(EventType::as_str)
            .collect::<Vec<_>>()
    );
}

#[test]
fn invite_link_statuses_match_the_rule_book() {
    use orgkit_core::InviteLinkStatus;
    let rust = InviteLinkStatus::ALL.map(InviteLinkStatus::as_str);
    assert_eq!(generated::<InviteLinkStatus>(), rust);
}

#[test]
fn roster_statuses_match_the_rule_book() {
    use orgkit_core::RosterStatus;
    let rust = RosterStatus::ALL.map(RosterStatus::as_str);
    assert_eq!(generated::<RosterStatus>(), rust);
}

#[test]
fn webhook_disabled_reasons_match_the_rule_book() {
    use orgkit_core::DisabledReason;
    let rust = DisabledReason::ALL.map(DisabledReason::as_str);
    assert_eq!(generated::<DisabledReason>(), rust);
}

#[test]
fn enrollment_modes_match_the_rule_book() {
    use orgkit_core::domain::EnrollmentMode;
    let ts = generated::<EnrollmentMode>();
    assert_eq!(ts, EnrollmentMode::ALL.map(EnrollmentMode::as_str));
}

#[test]
fn sso_connection_states_match_the_rule_book() {
    use orgkit_core::sso::connection::ConnectionState;
    let ts = generated::<ConnectionState>();
    assert_eq!(ts, ConnectionState::ALL.map(ConnectionState::as_str));
}

#[test]
fn workspace_and_api_key_unions_match_the_rule_book() {
    use orgkit_core::api_key::ApiKeyPolicy;
    use orgkit_core::workspace::{GroupRole, PrincipalKind, WorkspaceRole};
    // Each union member parses, and each enum value is a member (the enums have no `ALL`).
    let roles = generated::<WorkspaceRole>();
    assert!(roles.iter().all(|r| WorkspaceRole::parse(r).is_some()));
    for role in [WorkspaceRole::Member, WorkspaceRole::Manager] {
        assert!(roles.contains(&role.as_str().to_owned()));
    }
    assert_eq!(roles.len(), 2);
    let groups = generated::<GroupRole>();
    assert_eq!(
        groups,
        [GroupRole::Member.as_str(), GroupRole::Manager.as_str()]
    );
    let kinds = [
        PrincipalKind::User,
        PrincipalKind::Group,
        PrincipalKind::ServiceAccount,
    ];
    assert_eq!(
        generated::<PrincipalKind>(),
        kinds.map(PrincipalKind::as_str)
    );
    let policies = [
        ApiKeyPolicy::Nobody,
        ApiKeyPolicy::Admins,
        ApiKeyPolicy::Members,
    ];
    assert_eq!(
        generated::<ApiKeyPolicy>(),
        policies.map(ApiKeyPolicy::as_str)
    );
    // `AccessVia` has no `as_str`: its serde names, listed exhaustively so a new variant fails here.
    use orgkit_core::workspace::AccessVia;
    let name = |v: AccessVia| match v {
        AccessVia::Direct => "direct",
        AccessVia::Group => "group",
        AccessVia::Organization => "organization",
        AccessVia::Personal => "personal",
    };
    let all = [
        AccessVia::Direct,
        AccessVia::Group,
        AccessVia::Organization,
        AccessVia::Personal,
    ];
    assert_eq!(generated::<AccessVia>(), all.map(name));
}
