//! `Client`: the context every resource object shares (the HTTP client, the organizations'
//! role catalogs and who I am). The resource modules depend on this module, never on the entry class `OrgKit`.

use crate::http::Http;
use orgkit_core::wire::RoleCatalogBody;
use orgkit_core::RoleCatalog;
use std::cell::RefCell;
use std::rc::Rc;

/// An organization's role catalog as the server answered it, and the rule book's catalog built
/// from it: what the SDK judges with once it is known.
pub(crate) struct KnownRoles {
    /// The answer of `GET /v1/organizations/{id}/roles`, kept up to date with the SDK's own
    /// role changes.
    pub body: RoleCatalogBody,
    /// `body.to_catalog()`.
    pub catalog: RoleCatalog,
}

/// What every resource object shares: the HTTP client, the role catalogs and who I am.
pub(crate) struct Client {
    /// The one way to the server.
    pub http: Http,
    /// The role catalog of each organization whose catalog was fetched, by organization id:
    /// fetched once, then changed by the SDK's own role changes.
    pub roles: RefCell<Vec<(String, Rc<KnownRoles>)>>,
    /// The signed-in user's id, once known, to tell "remove me" (leaving) from removing others.
    pub me: RefCell<Option<String>>,
    /// The signed-in user's address, once known, to refuse another address's invitation
    /// locally (`wrong_recipient`).
    pub my_email: RefCell<Option<String>>,
    /// The last invitation previewed: its token and invited address.
    pub preview: RefCell<Option<(String, String)>>,
    /// This tab's active organization (`setActive`), for `getToken`.
    pub active: RefCell<Option<String>>,
    /// Session tokens per organization, cached or on their way.
    pub tokens: RefCell<Vec<crate::session::TokenEntry>>,
}

impl Client {
    /// A client of the server at `base_url` (the page's origin when `None`), sending `token`
    /// as `Authorization: Bearer` when given; nobody is known to be signed in yet.
    pub fn new(base_url: Option<String>, token: Option<String>) -> Self {
        Client {
            http: Http::new(base_url, token),
            roles: RefCell::new(Vec::new()),
            me: RefCell::new(None),
            my_email: RefCell::new(None),
            preview: RefCell::new(None),
            active: RefCell::new(None),
            tokens: RefCell::new(Vec::new()),
        }
    }
}

impl Client {
    /// Forgets the session: its token, its session tokens, the active organization and who
    /// I am (signing out, here or in another tab).
    pub fn forget(&self) {
        self.http.set_token(None);
        self.tokens.borrow_mut().clear();
        *self.active.borrow_mut() = None;
        *self.me.borrow_mut() = None;
        *self.my_email.borrow_mut() = None;
    }

    /// Remembers the signed-in user from a `User` answer.
    pub fn know(&self, user: &wasm_bindgen::JsValue) {
        *self.me.borrow_mut() = Some(crate::js::text(user, "id"));
        *self.my_email.borrow_mut() = crate::js::string(user, "emailAddress");
    }

    /// Refuses, with no request, an invitation token previewed as addressed to another
    /// address than mine (the rule book's `wrong_recipient`), when both are known.
    pub fn check_recipient(&self, token: &str) -> Result<(), wasm_bindgen::JsValue> {
        let mine = self.my_email.borrow();
        let preview = self.preview.borrow();
        match (mine.as_deref(), preview.as_ref()) {
            (Some(mine), Some((previewed, invited)))
                if previewed == token && !invited.eq_ignore_ascii_case(mine) =>
            {
                Err(crate::error::local(orgkit_core::DomainError::new(
                    orgkit_core::ErrorCode::WrongRecipient,
                    "This invitation is addressed to another email address.",
                )))
            }
            _ => Ok(()),
        }
    }
}
