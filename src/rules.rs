//! The rule book for the SDK's JS families (`src/js/*.js`: workspaces, webhooks and the audit
//! log, domains, SSO connections, invite links, join requests). A JS method reads its
//! parameters and builds its request; every rule it needs is asked here, of `orgkit-core`, so
//! the rules stay written once. One export, `rule(name, …)`, answers them all: each
//! wasm-bindgen export costs a shim of 300 to 600 bytes, one per rule would cost more than the
//! rules (BENCHMARKS.md). A refusal throws an `OrgKitError` (status 0). Hidden from the
//! `.d.ts`: not part of the API. `install.rs` installs the families; `queries.rs` holds the
//! rules that build what they answer.

use crate::error::{invalid_input, local, orgkit_error};
use crate::js::{check_id, string_list};
use crate::organization::{now, page_query};
use js_sys::Array;
use orgkit_core::domain::{self, EnrollmentMode};
use orgkit_core::join_request::{self, JoinRequestStatus};
use orgkit_core::link::{self, LinkOptions};
use orgkit_core::sso::connection::{self, ConnectionState};
use orgkit_core::webhook::{self, UrlPolicy};
use orgkit_core::workspace::{
    check_description, check_name, decide, AccessVia, GroupRole, PrincipalKind, WorkspaceAccess,
    WorkspaceAction, WorkspaceRole, WorkspaceState,
};
use orgkit_core::{api_key, ids, logo, validate, Timestamp, UserId};
use orgkit_core::{DomainError, ErrorCode};
use wasm_bindgen::prelude::*;

mod billing;
mod install;
mod queries;

pub(crate) use install::install_once;
use queries::{ascii_name, audit_query, requests_query};

/// The rule book's checks for the JS modules.
#[wasm_bindgen(js_name = __Rules, skip_typescript)]
pub struct Rules;

/// The shape of the ids named `kind`: a principal kind (`user`, `group`, `service_account`),
/// or `workspace`, `workspace_grant`, `group_member`, `api_key`, `organization`,
/// `webhook_endpoint`, `webhook_attempt`, `webhook_message`, `audit_event`, `domain`,
/// `sso_connection`, `invite_link`.
fn shape(kind: &str) -> Option<fn(&str) -> bool> {
    Some(match kind.as_bytes() {
        b"user" => ids::UserId::is_well_formed,
        b"group" => ids::GroupId::is_well_formed,
        b"service_account" => ids::ServiceAccountId::is_well_formed,
        b"workspace" => ids::WorkspaceId::is_well_formed,
        b"workspace_grant" => ids::WorkspaceGrantId::is_well_formed,
        b"group_member" => ids::GroupMemberId::is_well_formed,
        b"api_key" => ids::ApiKeyId::is_well_formed,
        b"organization" => ids::OrganizationId::is_well_formed,
        b"webhook_endpoint" => ids::WebhookEndpointId::is_well_formed,
        b"webhook_attempt" => ids::WebhookAttemptId::is_well_formed,
        b"webhook_message" => ids::WebhookMessageId::is_well_formed,
        b"audit_event" => ids::AuditEventId::is_well_formed,
        b"domain" => ids::DomainId::is_well_formed,
        b"sso_connection" => ids::SsoConnectionId::is_well_formed,
        b"invite_link" => ids::InviteLinkId::is_well_formed,
        _ => return None,
    })
}

/// `action` of a workspace rule: `update`, `archive`, `grant`, `revoke`, or listing its grants.
fn workspace_action(action: &str) -> WorkspaceAction {
    match action.as_bytes() {
        b"update" => WorkspaceAction::Update,
        b"archive" => WorkspaceAction::Archive,
        b"grant" => WorkspaceAction::Grant,
        b"revoke" => WorkspaceAction::Revoke,
        _ => WorkspaceAction::ListPrincipals,
    }
}

/// The most permissive server, for webhook URLs.
const ANY_SERVER: UrlPolicy = UrlPolicy {
    dev: true,
    allow_private: true,
};

#[wasm_bindgen(js_class = __Rules)]
impl Rules {
    /// Runs the rule `name` on `a`, `b`, `c`, `d`; answers its value (or `undefined`), or throws
    /// its refusal:
    /// - `id(kind, id)`: an id of `kind`'s shape, a non-string refused; `shape(kind, id)`: whether
    ///   it is one;
    /// - `principal(kind)`: whether `kind` is a principal kind;
    /// - `page(params, usage, kind)`: a page's query (`?limit=…&after=…`), the cursor of
    ///   `kind`'s shape; `usage` is the message for parameters of a wrong type;
    /// - `strings(params, key, usage)`: the strings of the list `params[key]` (`undefined`
    ///   when absent), refusing the first item that is not one;
    /// - `name(text)`, `description(text)`, `reason(text)`: trimmed, within bounds;
    /// - `slug(text)`;
    /// - `expiry(ms)`: an API key's expiry in the future, as whole milliseconds;
    /// - `workspaceRole(role)`, `groupRole(role)`;
    /// - `url(url)`: a webhook endpoint's URL, as the most permissive server takes it (the SDK
    ///   cannot know `--dev` or `--webhook-allow-private`: it refuses what no server takes);
    /// - `eventTypes(names)`, `webhookDescription(text)`;
    /// - `auditFilter(actor, action, subject, [from, to])`: the audit log's filters, answered as
    ///   their query (`&actor=…`), empty ones left out;
    /// - `domainName(name)`: a domain's name in its ASCII form; `enrollmentMode(mode)`: whether
    ///   it names one; `emailAtDomain(address, domain)`: an address at the domain, normalized;
    ///   `domainCode(code)`: an affiliation code's shape;
    /// - `linkOptions(expiresAt, maxUses, requiresApproval)`: an invite link's options at the
    ///   browser's clock (answers its expiry as whole milliseconds); `linkLive(status)`: a link
    ///   not revoked;
    /// - `requestNotFound()`: `not_found`, for an admin's action on a request read as mine;
    ///   `withdraw(status, readThroughOrganization)`; `requestsQuery(status, limit, after,
    ///   usage)`: the query of a page of join requests (`status=…&limit=…&after=…&`);
    ///   `joinRequest(organization, message)`: a slug or an id, and the message (answered
    ///   trimmed);
    /// - `metadata(json)`: a metadata field's JSON, an object of at most 8 KiB;
    ///   `logoSize(bytes)`: a logo's size (answers how many first bytes `logoHead` needs);
    ///   `logoHead(firstBytes, size)`: a PNG, JPEG or WebP image by its content;
    ///   `noCardData(json)`: no card number anywhere; `billingProfile(profile)`: its fields;
    /// - `ssoField(key, value)`: an SSO connection's `name`, `issuer` (as on a `--dev` server:
    ///   the SDK cannot know the flag), `clientId`, `clientSecret`, `scopes`, or a `claim`;
    ///   `ssoDomains(count)`: a new connection's domains; `connectionState(state)`: whether it
    ///   names one; `ssoDelete(state)`: deleting a connection in that state;
    /// - `workspace(action, myRole, personal, archived)`: may my role do `action` there.
    pub fn rule(
        &self,
        name: &str,
        a: JsValue,
        b: JsValue,
        c: JsValue,
        d: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = |v: &JsValue| v.as_string().unwrap_or_default();
        let done = JsValue::UNDEFINED;
        Ok(match name.as_bytes() {
            b"id" => {
                let id = b.as_string().unwrap_or_default();
                check_id(shape(&text(&a)).is_some_and(|shape| shape(&id)))?;
                done
            }
            b"shape" => b
                .as_string()
                .is_some_and(|id| shape(&text(&a)).is_some_and(|shape| shape(&id)))
                .into(),
            b"principal" => PrincipalKind::parse(&text(&a)).is_some().into(),
            b"url" => {
                webhook::check_endpoint_url(&text(&a), ANY_SERVER).map_err(local)?;
                done
            }
            b"eventTypes" => {
                let names: Vec<String> = Array::from(&a).iter().map(|n| text(&n)).collect();
                webhook::event_types(&names).map_err(local)?;
                done
            }
            b"webhookDescription" => webhook::description(&text(&a)).map_err(local)?.into(),
            b"auditFilter" => audit_query(&a, &b, &c, &d)?.into(),
            b"domainName" => ascii_name(&text(&a))?.into(),
            b"enrollmentMode" => EnrollmentMode::parse(&text(&a)).is_some().into(),
            b"emailAtDomain" => {
                let email = validate::email(&text(&a)).map_err(local)?;
                domain::check_email_at_domain(&email, &text(&b)).map_err(local)?;
                email.into()
            }
            b"ssoField" => {
                let value = text(&b);
                match text(&a).as_bytes() {
                    b"name" => connection::check_name(&value).map(drop),
                    b"issuer" => connection::check_issuer_url(&value, true),
                    b"clientId" => connection::check_client_id(&value),
                    b"clientSecret" => connection::check_client_secret(&value),
                    b"scopes" => connection::check_scope_list(&value),
                    _ => connection::check_claim(&value),
                }
                .map_err(local)?;
                done
            }
            b"ssoDomains" => {
                let count = a.as_f64().unwrap_or(0.0) as usize;
                connection::check_domain_count(ConnectionState::Draft, count).map_err(local)?;
                done
            }
            b"connectionState" => ConnectionState::parse(&text(&a)).is_some().into(),
            b"ssoDelete" => {
                let state = ConnectionState::parse(&text(&a)).unwrap_or(ConnectionState::Draft);
                connection::check_delete(state).map_err(local)?;
                done
            }
            b"linkOptions" => {
                let expires_at = a.as_f64().map(|ms| Timestamp(ms as i64));
                let options = LinkOptions {
                    expires_at,
                    max_uses: b.as_f64().map(|n| n as u32),
                    requires_approval: c.is_truthy(),
                };
                link::check_options(options, now()).map_err(local)?;
                expires_at.map_or(done, |t| (t.millis() as f64).into())
            }
            b"linkLive" => {
                if text(&a) == "revoked" {
                    return Err(orgkit_error(
                        ErrorCode::InviteLinkRevoked,
                        0,
                        "This invite link was already revoked.",
                    ));
                }
                done
            }
            b"requestNotFound" => {
                return Err(local(DomainError::new(
                    ErrorCode::NotFound,
                    "Request not found.",
                )))
            }
            b"withdraw" => {
                // Read through an organization, the request is someone else's: its requester
                // is no member, and I am.
                let me = UserId(String::new());
                let requester = UserId(if b.is_truthy() { "other" } else { "" }.to_owned());
                if let Some(status) = JoinRequestStatus::parse(&text(&a)) {
                    join_request::check_withdraw(&me, &requester, status).map_err(local)?;
                }
                done
            }
            b"requestsQuery" => requests_query(&a, &b, &c, &text(&d))?.into(),
            b"joinRequest" => {
                let organization = text(&a);
                if !ids::OrganizationId::is_well_formed(&organization) {
                    validate::slug(&organization).map_err(local)?;
                }
                join_request::message(b.as_string().as_deref())
                    .map_err(local)?
                    .map_or(done, JsValue::from)
            }
            b"metadata" => {
                orgkit_core::metadata::check(&text(&a)).map_err(local)?;
                done
            }
            b"logoSize" => {
                logo::check_size(a.as_f64().unwrap_or(0.0) as usize).map_err(local)?;
                (logo::HEAD_BYTES as f64).into()
            }
            b"logoHead" => {
                let head = js_sys::Uint8Array::new(&a).to_vec();
                let size = b.as_f64().unwrap_or(0.0) as usize;
                logo::check_head(&head, size).map_err(local)?;
                done
            }
            b"noCardData" => {
                orgkit_core::billing::check_no_card_data(&text(&a)).map_err(local)?;
                done
            }
            b"billingProfile" => {
                orgkit_core::billing::check_profile(&billing::read_profile(&a)?).map_err(local)?;
                done
            }
            b"domainCode" => {
                domain::check_code_format(&text(&a)).map_err(local)?;
                done
            }
            b"page" => {
                let shape = shape(&text(&c)).unwrap_or(ids::ApiKeyId::is_well_formed);
                page_query(&a, &text(&b), shape)?.into()
            }
            b"strings" => {
                string_list(&a, &text(&b), &text(&c))?.map_or(done, |list| crate::js::names(&list))
            }
            b"name" => check_name(&text(&a)).map_err(local)?.into(),
            b"description" => check_description(&text(&a)).map_err(local)?.into(),
            b"reason" => api_key::check_reason(&text(&a)).map_err(local)?.into(),
            b"slug" => validate::slug(&text(&a)).map_err(local)?.into(),
            b"expiry" => {
                let at = a.as_f64().map(|ms| Timestamp(ms as i64));
                api_key::check_expiry(at, now()).map_err(local)?;
                at.map_or(done, |t| (t.millis() as f64).into())
            }
            b"workspaceRole" => {
                WorkspaceRole::parse(&text(&a))
                    .ok_or_else(|| invalid_input("The role must be ws:member or ws:manager."))?;
                done
            }
            b"groupRole" => {
                GroupRole::parse(&text(&a))
                    .ok_or_else(|| invalid_input("The role must be member or manager."))?;
                done
            }
            _ => {
                // `workspace`: `decide` reads the role only; where it comes from does not matter.
                let access = WorkspaceRole::parse(&text(&b)).map(|role| WorkspaceAccess {
                    role,
                    via: AccessVia::Direct,
                });
                let state = WorkspaceState {
                    personal: c.is_truthy(),
                    archived: d.is_truthy(),
                };
                decide(workspace_action(&text(&a)), access, state).map_err(local)?;
                done
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{shape, workspace_action};
    use orgkit_core::workspace::WorkspaceAction;

    /// Each kind the JS families name takes its own ids and refuses another kind's; an unknown
    /// kind has no shape.
    #[test]
    fn each_kind_has_the_shape_of_its_ids() {
        let cases = [
            ("user", "user_1", "org_1"),
            ("group", "grp_1", "grm_1"),
            ("service_account", "sa_1", "ak_1"),
            ("workspace", "ws_1", "wsg_1"),
            ("workspace_grant", "wsg_1", "ws_1"),
            ("group_member", "grm_1", "grp_1"),
            ("api_key", "ak_1", "sa_1"),
            ("organization", "org_1", "user_1"),
            ("webhook_endpoint", "whe_1", "wha_1"),
            ("webhook_attempt", "wha_1", "whe_1"),
            ("webhook_message", "msg_1", "evt_1"),
            ("audit_event", "evt_1", "msg_1"),
            ("domain", "dom_1", "sso_1"),
            ("sso_connection", "sso_1", "dom_1"),
            ("invite_link", "lnk_1", "inv_1"),
        ];
        for (kind, own, other) in cases {
            let shape = shape(kind).unwrap_or_else(|| panic!("{kind} has a shape"));
            assert!(shape(own), "{kind} takes {own}");
            assert!(!shape(other), "{kind} refuses {other}");
            assert!(!shape(""), "{kind} refuses an empty id");
        }
        assert!(shape("membership").is_none());
    }

    /// The workspace actions the JS names; anything else lists the grants (reading).
    #[test]
    fn workspace_actions_by_name() {
        let cases = [
            ("update", WorkspaceAction::Update),
            ("archive", WorkspaceAction::Archive),
            ("grant", WorkspaceAction::Grant),
            ("revoke", WorkspaceAction::Revoke),
            ("list", WorkspaceAction::ListPrincipals),
        ];
        for (name, action) in cases {
            assert_eq!(workspace_action(name), action, "{name}");
        }
    }
}
