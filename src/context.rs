//! `Client`: the context every resource object shares (the HTTP client, the role catalog and
//! who I am). The resource modules depend on this module, never on the entry class `OrgKit`.

use crate::http::Http;
use orgkit_core::RoleCatalog;
use std::cell::RefCell;

/// What every resource object shares: the HTTP client, the role catalog and who I am.
pub(crate) struct Client {
    /// The one way to the server.
    pub http: Http,
    /// The roles the rule book judges with (the built-in ones).
    pub catalog: RoleCatalog,
    /// The signed-in user's id, once known, to tell "remove me" (leaving) from removing others.
    pub me: RefCell<Option<String>>,
}

impl Client {
    /// A client of the server at `base_url` (the page's origin when `None`), sending `token`
    /// as `Authorization: Bearer` when given; nobody is known to be signed in yet.
    pub fn new(base_url: Option<String>, token: Option<String>) -> Self {
        Client {
            http: Http::new(base_url, token),
            catalog: RoleCatalog::built_in(),
            me: RefCell::new(None),
        }
    }
}
