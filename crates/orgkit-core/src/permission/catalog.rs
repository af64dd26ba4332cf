//! The permission catalog: orgkit's system permissions plus the app's own
//! `org:<feature>:<action>` permissions, declared in the server's configuration.

use super::{Permission, PermissionSet};
use crate::error::{DomainError, ErrorCode};

/// The most app permissions a server may declare: one bit each in a [`PermissionSet`].
pub const MAX_APP_PERMISSIONS: usize = 64;

/// The longest `<feature>` or `<action>` segment of a permission key.
const MAX_SEGMENT: usize = 40;

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::ValidationFailed, message)
}

/// Checks the form of a permission key: `org:<feature>:<action>`, each segment 1 to 40 of
/// `a-z`, `0-9`, `_` and `-`.
pub fn check_permission_key(key: &str) -> Result<(), DomainError> {
    const BAD: DomainError =
        invalid("A permission is org:<feature>:<action>, each part 1 to 40 of a-z, 0-9, _ and -.");
    let mut parts = key.split(':');
    let (Some("org"), Some(feature), Some(action), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BAD);
    };
    let segment_ok = |s: &str| {
        (1..=MAX_SEGMENT).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    };
    if segment_ok(feature) && segment_ok(action) {
        Ok(())
    } else {
        Err(BAD)
    }
}

/// Every permission a role may hold: the system ones, then the app's, in declaration order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionCatalog {
    app: Vec<String>,
}

impl PermissionCatalog {
    /// The catalog with the app permissions `keys`: each well formed, none a system key, no
    /// duplicate, at most [`MAX_APP_PERMISSIONS`].
    pub fn new<S: AsRef<str>>(keys: &[S]) -> Result<Self, DomainError> {
        if keys.len() > MAX_APP_PERMISSIONS {
            return Err(invalid("An app may declare at most 64 permissions."));
        }
        let mut app: Vec<String> = Vec::with_capacity(keys.len());
        for key in keys {
            let key = key.as_ref();
            check_permission_key(key)?;
            if Permission::parse(key).is_some() || app.iter().any(|k| k == key) {
                return Err(invalid(
                    "An app permission is declared once and is not a system permission.",
                ));
            }
            app.push(key.to_owned());
        }
        Ok(PermissionCatalog { app })
    }

    /// The app's permission keys, in declaration order.
    #[must_use]
    pub fn app_keys(&self) -> &[String] {
        &self.app
    }

    /// Every key of the catalog: the system permissions, then the app's.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        Permission::ALL
            .iter()
            .map(|p| p.as_str())
            .chain(self.app.iter().map(String::as_str))
    }

    /// Every permission of the catalog: what `admin` holds.
    #[must_use]
    pub fn everything(&self) -> PermissionSet {
        (0..self.app.len()).fold(PermissionSet::all(), |set, i| {
            set.union(PermissionSet::app(i))
        })
    }

    /// The one-permission set of `key`, or `unknown_permission`.
    pub fn parse(&self, key: &str) -> Result<PermissionSet, DomainError> {
        self.find(key).ok_or(DomainError::new(
            ErrorCode::UnknownPermission,
            "That permission is not in the catalog.",
        ))
    }

    /// The set of `keys`, or `unknown_permission` for the first one not in the catalog.
    pub fn parse_all<S: AsRef<str>>(&self, keys: &[S]) -> Result<PermissionSet, DomainError> {
        keys.iter().try_fold(PermissionSet::EMPTY, |set, key| {
            Ok(set.union(self.parse(key.as_ref())?))
        })
    }

    /// The set of stored `keys` (a custom role's, an API key's scope): a key the catalog no
    /// longer declares (an app permission dropped from the configuration) grants nothing.
    #[must_use]
    pub fn parse_stored<S: AsRef<str>>(&self, keys: &[S]) -> PermissionSet {
        keys.iter()
            .filter_map(|k| self.find(k.as_ref()))
            .fold(PermissionSet::EMPTY, PermissionSet::union)
    }

    /// Whether `held` contains the permission `key` (`false` for a key not in the catalog):
    /// the `can("org:invoices:create")` of the server and the SDK.
    #[must_use]
    pub fn can(&self, held: PermissionSet, key: &str) -> bool {
        self.find(key).is_some_and(|p| held.is_superset_of(p))
    }

    /// The keys of the permissions in `set`, system ones first, in catalog order.
    #[must_use]
    pub fn names(&self, set: PermissionSet) -> Vec<String> {
        let mut names = set.names();
        names.extend(
            self.app
                .iter()
                .enumerate()
                .filter(|(i, _)| set.contains_app(*i))
                .map(|(_, k)| k.clone()),
        );
        names
    }

    fn find(&self, key: &str) -> Option<PermissionSet> {
        if let Some(p) = Permission::parse(key) {
            return Some(PermissionSet::of(&[p]));
        }
        self.app
            .iter()
            .position(|k| k == key)
            .map(PermissionSet::app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_keys() {
        for ok in ["org:invoices:create", "org:a:b", "org:x_y-1:z9"] {
            assert_eq!(check_permission_key(ok), Ok(()), "{ok}");
        }
        let long = format!("org:{}:read", "a".repeat(41));
        for bad in [
            "",
            "org:invoices",
            "org:invoices:create:now",
            "app:invoices:create",
            "org::create",
            "org:Invoices:create",
            "org:invoices:cré",
            "org:in voices:create",
            long.as_str(),
        ] {
            assert_eq!(
                check_permission_key(bad).map_err(|e| e.code),
                Err(ErrorCode::ValidationFailed),
                "{bad}"
            );
        }
    }

    /// Stored keys the catalog no longer declares grant nothing; the rest are kept.
    #[test]
    fn stored_keys_drop_what_the_catalog_lost() {
        let catalog = PermissionCatalog::new(&["org:invoices:create"]).expect("valid");
        let cases: [(&[&str], PermissionSet); 4] = [
            (&[], PermissionSet::EMPTY),
            (
                &["org:audit:read"],
                PermissionSet::of(&[Permission::AuditRead]),
            ),
            (
                &["org:invoices:create", "org:gone:away"],
                PermissionSet::app(0),
            ),
            (&["org:gone:away", "nonsense"], PermissionSet::EMPTY),
        ];
        for (keys, expected) in cases {
            assert_eq!(catalog.parse_stored(keys), expected, "{keys:?}");
        }
    }

    #[test]
    fn catalog_declares_app_permissions_once() {
        let catalog =
            PermissionCatalog::new(&["org:invoices:create", "org:invoices:read"]).expect("valid");
        assert_eq!(catalog.app_keys().len(), 2);
        assert_eq!(catalog.keys().count(), Permission::ALL.len() + 2);
        for bad in [
            vec!["org:invoices:create", "org:invoices:create"],
            vec!["org:memberships:read"],
            vec!["invoices"],
        ] {
            assert_eq!(
                PermissionCatalog::new(&bad).map_err(|e| e.code),
                Err(ErrorCode::ValidationFailed),
                "{bad:?}"
            );
        }
        let too_many: Vec<String> = (0..=MAX_APP_PERMISSIONS)
            .map(|i| format!("org:f:a{i}"))
            .collect();
        assert!(PermissionCatalog::new(&too_many).is_err());
        assert!(PermissionCatalog::new(&too_many[..MAX_APP_PERMISSIONS]).is_ok());
    }

    /// `can()` with app permissions: a table of (held keys, asked key, verdict).
    #[test]
    fn can_with_app_permissions() {
        let catalog =
            PermissionCatalog::new(&["org:invoices:create", "org:invoices:read"]).expect("valid");
        let cases: [(&[&str], &str, bool); 8] = [
            (&["org:invoices:create"], "org:invoices:create", true),
            (&["org:invoices:create"], "org:invoices:read", false),
            (&["org:invoices:read"], "org:invoices:create", false),
            (&[], "org:invoices:create", false),
            (&["org:memberships:read"], "org:memberships:read", true),
            (&["org:memberships:read"], "org:invoices:read", false),
            (&["org:invoices:read"], "org:unknown:thing", false),
            (&["org:invoices:read"], "org:memberships:read", false),
        ];
        for (held, asked, verdict) in cases {
            let set = catalog.parse_all(held).expect("known");
            assert_eq!(catalog.can(set, asked), verdict, "{held:?} can {asked}");
        }
        assert!(catalog.can(catalog.everything(), "org:invoices:read"));
        assert!(catalog.can(catalog.everything(), "org:roles:manage"));
        assert_eq!(
            catalog.parse("org:unknown:thing").map_err(|e| e.code),
            Err(ErrorCode::UnknownPermission)
        );
        let set = catalog
            .parse_all(&["org:invoices:read", "org:audit:read"])
            .expect("known");
        assert_eq!(catalog.names(set), ["org:audit:read", "org:invoices:read"]);
    }
}
