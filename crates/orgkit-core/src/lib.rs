//! orgkit's rule book.
//!
//! Every permission, invariant and validation rule of orgkit lives here as a pure function: the
//! server calls it inside its transactions and the browser SDK calls it before every request.
//! No I/O, no clock: time comes in as a [`Timestamp`] parameter.

pub mod api_key;
pub mod audit;
pub mod billing;
pub mod clerk;
pub mod custom_role;
pub mod delivery;
pub mod domain;
pub mod error;
pub mod ids;
pub mod invitation;
pub mod join_request;
pub mod limits;
pub mod link;
pub mod logo;
pub mod metadata;
pub mod ownership;
pub mod password_reset;
pub mod permission;
pub mod policy;
pub mod role;
pub mod roster;
pub mod secret;
pub mod session_token;
pub mod sso;
pub mod suspension;
pub mod time;
pub mod validate;
pub mod verification;
pub mod webhook;
pub mod wire;
pub mod workspace;

pub use error::{DomainError, ErrorCode};
pub use ids::{ApiKeyId, GroupId, GroupMemberId, ServiceAccountId, WorkspaceGrantId, WorkspaceId};
pub use ids::{
    AuditEventId, DomainId, InvitationId, InviteLinkId, JoinRequestId, MembershipId,
    OrganizationId, SsoConnectionId, UserId, WebhookAttemptId, WebhookEndpointId, WebhookMessageId,
};
pub use invitation::{InvitationStatus, InviteeAccess, DEFAULT_INVITATION_TTL_MS};
pub use join_request::JoinRequestStatus;
pub use link::InviteLinkStatus;
pub use permission::{Permission, PermissionCatalog, PermissionSet};
pub use policy::{authorize, Action, Actor, OrgLock, RoleUsage, TargetMember};
pub use role::{Role, RoleCatalog};
pub use roster::RosterStatus;
pub use time::Timestamp;
pub use webhook::{DisabledReason, EventType};
