//! The invalidation map: what a successful write touched, from its method and path, so the
//! store revalidates exactly those parts of the snapshot and those kept lists. The bits are the
//! same as `src/js/store.js`'s.

use crate::http::Method;

/// Who is signed in may have changed: everything is read again.
pub const SESSION: u16 = 1;
/// The active organization itself, my membership and my permissions in it.
pub const ORGANIZATION: u16 = 2;
/// The kept `memberships` list.
pub const MEMBERSHIPS: u16 = 4;
/// The kept `invitations` list.
pub const INVITATIONS: u16 = 8;
/// The kept `joinRequests` list.
pub const JOIN_REQUESTS: u16 = 16;
/// The kept `domains` list.
pub const DOMAINS: u16 = 32;
/// The kept `userMemberships` list (mine, in every organization).
pub const USER_MEMBERSHIPS: u16 = 64;
/// The kept `userInvitations` list (addressed to me).
pub const USER_INVITATIONS: u16 = 128;

/// What a successful request touched: the bits above, and the organization its path names
/// (the organization bits count only when it is the active one). Reads touch nothing, and
/// neither do writes that change nothing the store shows (session tokens, the active
/// organization, webhooks, SSO, workspaces, ...). Signing out is told to the store directly.
#[must_use]
pub fn touched(method: Method, path: &str) -> (u16, Option<&str>) {
    if matches!(method, Method::Get) {
        return (0, None);
    }
    let path = path.split('?').next().unwrap_or_default();
    // `strip_prefix`, not `trim_start_matches`: a `&str` pattern there brings in the substring
    // searcher (1.4 KB of `.wasm`).
    let mut parts = path.strip_prefix("/v1/").unwrap_or(path).split('/');
    let (first, second) = (parts.next().unwrap_or_default(), parts.next());
    let third = parts.next();
    let last = path.rsplit('/').next().unwrap_or_default();
    let bits = match (first, second, third) {
        ("auth", Some("sign-in" | "sign-up" | "verify-email"), _) => SESSION,
        ("organizations", None, _) => USER_MEMBERSHIPS,
        ("organizations", Some(org), rest) => {
            let bits = match rest {
                None | Some("logo" | "metadata" | "api-key-policy") => {
                    ORGANIZATION | USER_MEMBERSHIPS
                }
                Some("memberships" | "transfer-ownership") => {
                    MEMBERSHIPS | ORGANIZATION | USER_MEMBERSHIPS
                }
                Some("roles" | "role-settings") => MEMBERSHIPS | ORGANIZATION,
                Some("invitations") => INVITATIONS,
                Some("join-requests") => JOIN_REQUESTS | MEMBERSHIPS,
                // A new enrollment mode invites or suggests (and may delete what it left pending).
                Some("domains") if matches!(method, Method::Patch) => {
                    DOMAINS | INVITATIONS | JOIN_REQUESTS
                }
                Some("domains") => DOMAINS,
                Some(_) => 0,
            };
            return (bits, Some(org));
        }
        ("invitations" | "invite-links", _, _) | ("me", Some("invitations" | "suggestions"), _) => {
            match last {
                "accept" => USER_MEMBERSHIPS | USER_INVITATIONS,
                "decline" | "dismiss" => USER_INVITATIONS,
                _ => 0,
            }
        }
        _ => 0,
    };
    (bits, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Method::{Delete, Get, Patch, Post, Put};

    const ORG: &str = "org_0123456789abcdef";

    #[test]
    fn every_write_touches_what_it_changed() {
        let org = |rest: &str| format!("/v1/organizations/{ORG}{rest}");
        let in_org = [
            (Patch, org(""), ORGANIZATION | USER_MEMBERSHIPS),
            (
                Delete,
                org("?confirm=acme"),
                ORGANIZATION | USER_MEMBERSHIPS,
            ),
            (Put, org("/logo"), ORGANIZATION | USER_MEMBERSHIPS),
            (Patch, org("/metadata"), ORGANIZATION | USER_MEMBERSHIPS),
            (Put, org("/api-key-policy"), ORGANIZATION | USER_MEMBERSHIPS),
            (
                Delete,
                org("/memberships/usr_1"),
                MEMBERSHIPS | ORGANIZATION | USER_MEMBERSHIPS,
            ),
            (
                Patch,
                org("/memberships/usr_1"),
                MEMBERSHIPS | ORGANIZATION | USER_MEMBERSHIPS,
            ),
            (
                Post,
                org("/memberships/bulk-remove"),
                MEMBERSHIPS | ORGANIZATION | USER_MEMBERSHIPS,
            ),
            (
                Post,
                org("/memberships/usr_1/suspend"),
                MEMBERSHIPS | ORGANIZATION | USER_MEMBERSHIPS,
            ),
            (
                Post,
                org("/transfer-ownership"),
                MEMBERSHIPS | ORGANIZATION | USER_MEMBERSHIPS,
            ),
            (Post, org("/roles"), MEMBERSHIPS | ORGANIZATION),
            (Delete, org("/roles/org:editor"), MEMBERSHIPS | ORGANIZATION),
            (Put, org("/role-settings"), MEMBERSHIPS | ORGANIZATION),
            (Post, org("/invitations"), INVITATIONS),
            (Post, org("/invitations/inv_1/revoke"), INVITATIONS),
            (Post, org("/invitations/inv_1/resend"), INVITATIONS),
            (
                Post,
                org("/join-requests/jr_1/accept"),
                JOIN_REQUESTS | MEMBERSHIPS,
            ),
            (
                Post,
                org("/join-requests/jr_1/reject"),
                JOIN_REQUESTS | MEMBERSHIPS,
            ),
            (Post, org("/domains"), DOMAINS),
            (Delete, org("/domains/dom_1"), DOMAINS),
            (
                Patch,
                org("/domains/dom_1"),
                DOMAINS | INVITATIONS | JOIN_REQUESTS,
            ),
            (Post, org("/domains/dom_1/verify-ownership"), DOMAINS),
            (Post, org("/webhooks"), 0),
            (Post, org("/invite-links"), 0),
            (Post, org("/workspaces"), 0),
            (Post, org("/permissions/check"), 0),
            (Put, org("/billing"), 0),
        ];
        for (method, path, bits) in in_org {
            assert_eq!(touched(method, &path), (bits, Some(ORG)), "{path}");
        }
        let mine = [
            (Post, "/v1/auth/sign-in", SESSION),
            (Post, "/v1/auth/sign-up", SESSION),
            (Post, "/v1/auth/verify-email", SESSION),
            (Post, "/v1/auth/sign-out", 0),
            (Post, "/v1/auth/password/forgot", 0),
            (Post, "/v1/organizations", USER_MEMBERSHIPS),
            (
                Post,
                "/v1/invitations/accept",
                USER_MEMBERSHIPS | USER_INVITATIONS,
            ),
            (Post, "/v1/invitations/decline", USER_INVITATIONS),
            (Post, "/v1/invitations/preview", 0),
            (
                Post,
                "/v1/me/invitations/inv_1/accept",
                USER_MEMBERSHIPS | USER_INVITATIONS,
            ),
            (Post, "/v1/me/invitations/inv_1/decline", USER_INVITATIONS),
            (Post, "/v1/me/invitations/inv_1/dismiss", USER_INVITATIONS),
            (
                Post,
                "/v1/me/suggestions/org_1/accept",
                USER_MEMBERSHIPS | USER_INVITATIONS,
            ),
            (
                Post,
                "/v1/invite-links/accept",
                USER_MEMBERSHIPS | USER_INVITATIONS,
            ),
            (Post, "/v1/invite-links/preview", 0),
            (Post, "/v1/join-requests", 0),
            (Post, "/v1/me/join-requests/jr_1/withdraw", 0),
            (Post, "/v1/session/token", 0),
            (Put, "/v1/me/active-organization", 0),
        ];
        for (method, path, bits) in mine {
            assert_eq!(touched(method, path), (bits, None), "{path}");
        }
    }

    #[test]
    fn the_store_snippet_uses_the_same_bits() {
        let js = include_str!("../js/store.js");
        let lists = format!(
            "const BITS = {{ memberships: {MEMBERSHIPS}, invitations: {INVITATIONS}, joinRequests: {JOIN_REQUESTS}, domains: {DOMAINS}, userMemberships: {USER_MEMBERSHIPS}, userInvitations: {USER_INVITATIONS} }};"
        );
        assert!(js.contains(&lists), "{lists}");
        let rest = format!("const SESSION = {SESSION}, ORGANIZATION = {ORGANIZATION};");
        assert!(js.contains(&rest), "{rest}");
    }

    #[test]
    fn reads_touch_nothing() {
        for path in [
            "/v1/me",
            "/v1/me/memberships",
            "/v1/organizations/org_1/memberships?limit=10",
        ] {
            assert_eq!(touched(Get, path), (0, None));
        }
    }
}
