//! Inviting people: `POST /v1/organizations/{orgId}/invitations` with one address or many, and
//! the answer per address.

use super::{ErrorDetail, Invitation};
use crate::role::Role;
use serde::{Deserialize, Serialize};

/// A list of addresses: a JSON array, or one comma-separated string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum EmailList {
    List(Vec<String>),
    Joined(String),
}

impl EmailList {
    /// The addresses, trimmed, empty entries dropped (not yet validated).
    #[must_use]
    pub fn entries(&self) -> Vec<String> {
        match self {
            EmailList::List(list) => list
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            EmailList::Joined(joined) => crate::validate::split_email_list(joined),
        }
    }
}

/// `POST /v1/organizations/{orgId}/invitations`: one address, or many.
///
/// With `emailAddress` the answer is one [`Invitation`]; with `emailAddresses` it is a
/// [`BulkInviteResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteRequest {
    /// One address: the answer is the invitation, or the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<super::EmailAddress>))]
    pub email_address: Option<String>,
    /// Many addresses: the answer has one result per address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_addresses: Option<EmailList>,
    /// The role the invitee joins with; absent: the organization's default role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// How the invitee hears of it: `email` (the default), `none` (the answer carries the
    /// accept URL and token, once) or `webhook` (an `organizationInvitation.delivery` event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<crate::delivery::InvitationDelivery>,
}

/// The result for one address of a bulk invitation: the invitation, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteResult {
    /// The address as given.
    pub email_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Invitation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// The answer to a bulk invitation: one result per address, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkInviteResponse {
    pub data: Vec<InviteResult>,
}
