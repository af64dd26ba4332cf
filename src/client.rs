//! `OrgKit`: the entry point. Signs people in and out and opens organizations.

use crate::context::Client;
use crate::error::local;
use crate::http::Method;
use crate::invitation::Invitation;
use crate::js::{array, check_id, check_token, dates, field, object, optional_param, param};
use crate::js::{params, segment, text};
use crate::membership::OrganizationMembership;
use crate::organization::{Checked, Organization};
use crate::pending::Pending;
use crate::send::{self, Then};
use orgkit_core::secret::TokenKind;
use orgkit_core::{validate, ErrorCode, OrganizationId};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The orgkit client.
///
/// @example
/// ```js
/// const kit = new OrgKit({ baseUrl: "https://orgs.example.com" });
/// await kit.signIn({ emailAddress: "ada@example.com", password: "correct horse battery" });
/// const memberships = await kit.getOrganizationMemberships();
/// ```
#[wasm_bindgen]
#[derive(Clone)]
pub struct OrgKit {
    pub(crate) client: Rc<Client>,
}

/// A user answer, with `createdAt` as a `Date`.
fn user(value: JsValue) -> JsValue {
    dates(&value, &["createdAt"]);
    value
}

#[wasm_bindgen]
impl OrgKit {
    /// Creates a client. `baseUrl` defaults to the page's own origin; `token` is a session
    /// token to send as `Authorization: Bearer` instead of relying on the cookie.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OrgKitOptions | undefined")] options: JsValue,
    ) -> Result<OrgKit, JsValue> {
        const USAGE: &str = "The options must be an object: { baseUrl?, token? }.";
        let (base_url, token) = if options.is_undefined() || options.is_null() {
            (None, None)
        } else {
            params(&options, USAGE)?;
            (
                optional_param(&options, "baseUrl", USAGE)?,
                optional_param(&options, "token", USAGE)?,
            )
        };
        crate::rules::install_once();
        Ok(OrgKit {
            client: Rc::new(Client::new(base_url, token)),
        })
    }

    /// Creates an account and signs it in. A verification email is sent.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<User>")]
    pub fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignUpParams")] p: JsValue,
    ) -> Pending<JsValue> {
        self.start_session("/v1/auth/sign-up", sign_up_body(&p))
    }

    /// Signs in with an email address and a password.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<User>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInParams")] p: JsValue,
    ) -> Pending<JsValue> {
        self.start_session("/v1/auth/sign-in", sign_in_body(&p))
    }

    /// Signs out: the session ends on the server and its cookie is cleared, and every other tab
    /// of this site signs out too.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(&self) -> Pending<()> {
        let (client, store) = (self.client.clone(), self.store());
        let then = Then::Settle(Box::new(move |outcome| {
            let me = client.me.borrow().clone();
            client.forget();
            // Every tab signs out: the store tells the others.
            store.signed_out(true, me);
            outcome.map(|_| JsValue::UNDEFINED)
        }));
        let request = Ok((Method::Post, "/v1/auth/sign-out".to_owned(), None));
        send::pending(self.client.clone(), request, then)
    }

    /// The signed-in user, or `null` when nobody is signed in.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<User | null>")]
    pub fn get_user(&self) -> Pending<JsValue> {
        let client = self.client.clone();
        let then = Then::Settle(Box::new(move |outcome| match outcome {
            Ok(me) => {
                client.know(&me);
                Ok(user(me))
            }
            Err(e) if code_of(&e) == Some(ErrorCode::Unauthenticated) => Ok(JsValue::NULL),
            Err(e) => Err(e),
        }));
        let request = Ok((Method::Get, "/v1/me".to_owned(), None));
        send::pending(self.client.clone(), request, then)
    }

    /// Verifies the email address with the token from the verification email.
    #[wasm_bindgen(js_name = verifyEmail, unchecked_return_type = "Promise<User>")]
    pub fn verify_email(&self, token: String) -> Pending<JsValue> {
        let request = check_token(TokenKind::Verification, &token).map(|()| {
            let body = object(&[("token", token.into())]);
            (Method::Post, "/v1/auth/verify-email".to_owned(), Some(body))
        });
        send::pending(self.client.clone(), request, Then::User)
    }

    /// Creates an organization; the signed-in user becomes its admin. Without a slug, one is
    /// suggested from the name.
    #[wasm_bindgen(js_name = createOrganization, unchecked_return_type = "Promise<Organization>")]
    pub fn create_organization(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateOrganizationParams")] p: JsValue,
    ) -> Pending<Organization> {
        send::pending(self.client.clone(), create_request(&p), Then::Organization)
    }

    /// An organization the signed-in user belongs to.
    #[wasm_bindgen(js_name = getOrganization, unchecked_return_type = "Promise<Organization>")]
    pub fn get_organization(&self, id: String) -> Pending<Organization> {
        let request = check_id(OrganizationId::is_well_formed(&id)).map(|()| {
            (
                Method::Get,
                "/v1/organizations/".to_owned() + &segment(&id),
                None,
            )
        });
        send::pending(self.client.clone(), request, Then::Organization)
    }

    /// The signed-in user's memberships, each with its organization.
    #[wasm_bindgen(
        js_name = getOrganizationMemberships,
        unchecked_return_type = "Promise<OrganizationMembership[]>"
    )]
    pub fn get_organization_memberships(&self) -> Pending<Vec<OrganizationMembership>> {
        let request = Ok((Method::Get, "/v1/me/memberships".to_owned(), None));
        send::pending(self.client.clone(), request, Then::MyMemberships)
    }

    /// The pending invitations addressed to the signed-in user (needs a verified address).
    #[wasm_bindgen(js_name = getUserInvitations, unchecked_return_type = "Promise<Invitation[]>")]
    pub fn get_user_invitations(&self) -> Pending<Vec<Invitation>> {
        let client = self.client.clone();
        let then = Then::Map(Box::new(move |answer| {
            Ok(array(&answer, "data")
                .iter()
                .map(|i| JsValue::from(Invitation::new(client.clone(), &i, None)))
                .collect::<js_sys::Array>()
                .into())
        }));
        let request = Ok((Method::Get, "/v1/me/invitations".to_owned(), None));
        send::pending(self.client.clone(), request, then)
    }

    /// Accepts an invitation with the token from its email.
    #[wasm_bindgen(
        js_name = acceptInvitation,
        unchecked_return_type = "Promise<OrganizationMembership>"
    )]
    pub fn accept_invitation(&self, token: String) -> Pending<OrganizationMembership> {
        let request = check_token(TokenKind::Invitation, &token)
            .and_then(|()| self.client.check_recipient(&token))
            .map(|()| {
                let body = object(&[("token", token.into())]);
                (
                    Method::Post,
                    "/v1/invitations/accept".to_owned(),
                    Some(body),
                )
            });
        send::pending(self.client.clone(), request, Then::MyMembership)
    }

    /// Declines an invitation with the token from its email (signed in as the invited
    /// address). Resolves to the declined invitation's data.
    #[wasm_bindgen(
        js_name = declineInvitation,
        unchecked_return_type = "Promise<InvitationData>"
    )]
    pub fn decline_invitation(&self, token: String) -> js_sys::Promise {
        let checked = check_token(TokenKind::Invitation, &token)
            .and_then(|()| self.client.check_recipient(&token));
        if let Err(refusal) = checked {
            return js_sys::Promise::reject(&refusal);
        }
        let body = object(&[("token", token.into())]);
        crate::organization::send(
            self.client.clone(),
            Method::Post,
            "/v1/invitations/decline".to_owned(),
            Some(body),
        )
    }

    /// What an invitation token is for, without signing in: the invited address, the
    /// organization's name, the role and the status.
    #[wasm_bindgen(
        js_name = previewInvitation,
        unchecked_return_type = "Promise<InvitationPreview>"
    )]
    pub fn preview_invitation(&self, token: String) -> Pending<JsValue> {
        let request = check_token(TokenKind::Invitation, &token).map(|()| {
            let body = object(&[("token", token.clone().into())]);
            (
                Method::Post,
                "/v1/invitations/preview".to_owned(),
                Some(body),
            )
        });
        let client = self.client.clone();
        let then = Then::Map(Box::new(move |preview| {
            *client.preview.borrow_mut() = Some((token, text(&preview, "emailAddress")));
            dates(&preview, &["expiresAt"]);
            Ok(preview)
        }));
        send::pending(self.client.clone(), request, then)
    }

    /// The newest emails the server sent, optionally only those to `to`. Only servers started
    /// with `--dev` answer.
    #[wasm_bindgen(js_name = getDevMailbox, unchecked_return_type = "Promise<MailboxMessage[]>")]
    pub fn get_dev_mailbox(&self, to: Option<String>) -> Pending<JsValue> {
        let path = match to {
            Some(to) => "/v1/dev/mailbox?to=".to_owned() + &segment(&to),
            None => "/v1/dev/mailbox".to_owned(),
        };
        let then = Then::Map(Box::new(|answer| {
            let messages = array(&answer, "data");
            for message in messages.iter() {
                dates(&message, &["createdAt"]);
            }
            Ok(messages.into())
        }));
        send::pending(self.client.clone(), Ok((Method::Get, path, None)), then)
    }
}

/// The `code` of an `OrgKitError`.
fn code_of(error: &JsValue) -> Option<ErrorCode> {
    ErrorCode::parse(&text(error, "code"))
}

impl OrgKit {
    /// Signs in with `body` at `path` (its local refusal, or the request): the session's token
    /// is sent from now on and the user is known; resolves to the user.
    pub(crate) fn start_session(
        &self,
        path: &str,
        body: Result<JsValue, JsValue>,
    ) -> Pending<JsValue> {
        let client = self.client.clone();
        let then = Then::Map(Box::new(move |session| {
            client.http.set_token(field(&session, "token").as_string());
            let signed_in = field(&session, "user");
            client.tokens.borrow_mut().clear();
            client.know(&signed_in);
            Ok(user(signed_in))
        }));
        let request = body.map(|body| (Method::Post, path.to_owned(), Some(body)));
        send::pending(self.client.clone(), request, then)
    }
}

/// The checks and the body of `signUp`.
fn sign_up_body(p: &JsValue) -> Result<JsValue, JsValue> {
    const USAGE: &str = "signUp needs { emailAddress, password, name }.";
    params(p, USAGE)?;
    let (email, password, name) = (
        param(p, "emailAddress", USAGE)?,
        param(p, "password", USAGE)?,
        param(p, "name", USAGE)?,
    );
    validate::email(&email).map_err(local)?;
    validate::password(&password).map_err(local)?;
    validate::person_name(&name).map_err(local)?;
    Ok(object(&[
        ("emailAddress", email.into()),
        ("password", password.into()),
        ("name", name.into()),
    ]))
}

/// The checks and the body of `signIn`.
fn sign_in_body(p: &JsValue) -> Result<JsValue, JsValue> {
    const USAGE: &str = "signIn needs { emailAddress, password }.";
    params(p, USAGE)?;
    let (email, password) = (
        param(p, "emailAddress", USAGE)?,
        param(p, "password", USAGE)?,
    );
    validate::email(&email).map_err(local)?;
    Ok(object(&[
        ("emailAddress", email.into()),
        ("password", password.into()),
    ]))
}

/// The checks and the request of `createOrganization`.
fn create_request(p: &JsValue) -> Checked {
    const USAGE: &str = "createOrganization needs { name, slug? }.";
    params(p, USAGE)?;
    let name = param(p, "name", USAGE)?;
    let slug = optional_param(p, "slug", USAGE)?.filter(|s| !s.is_empty());
    validate::organization_name(&name).map_err(local)?;
    if let Some(slug) = &slug {
        validate::slug(slug).map_err(local)?;
    }
    let body = object(&[
        ("name", name.into()),
        ("slug", slug.map_or(JsValue::UNDEFINED, JsValue::from)),
    ]);
    Ok((Method::Post, "/v1/organizations".to_owned(), Some(body)))
}
