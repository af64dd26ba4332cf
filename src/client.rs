//! `OrgKit`: the entry point. Signs people in and out and opens organizations.

use crate::convert::{date, from_js, from_server, segment, to_js};
use crate::error::local;
use crate::http::{Http, Method};
use crate::invitation::Invitation;
use crate::membership::OrganizationMembership;
use crate::organization::Organization;
use js_sys::Reflect;
use orgkit_core::wire::{
    self, CreateOrganizationRequest, List, Session, SignInRequest, SignUpRequest, TokenRequest,
};
use orgkit_core::{validate, ErrorCode, RoleCatalog};
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What every resource object shares: the HTTP client and the role catalog.
pub(crate) struct Client {
    pub http: Http,
    pub catalog: RoleCatalog,
    /// The signed-in user's id, once known, to tell "remove me" (leaving) from removing others.
    pub me: RefCell<Option<String>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    base_url: Option<String>,
    token: Option<String>,
}

/// The orgkit client.
///
/// @example
/// ```js
/// const kit = new OrgKit({ baseUrl: "https://orgs.example.com" });
/// await kit.signIn({ emailAddress: "ada@example.com", password: "correct horse battery" });
/// const orgs = await kit.getOrganizationMemberships();
/// ```
#[wasm_bindgen]
pub struct OrgKit {
    client: Rc<Client>,
}

/// A user as a plain JS object, with `createdAt` as a `Date`.
pub(crate) fn user_js(user: &wire::User) -> JsValue {
    let value = to_js(user);
    let _ = Reflect::set(&value, &"createdAt".into(), &date(user.created_at));
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
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            from_js(
                options,
                "The options must be an object: { baseUrl?, token? }.",
            )?
        };
        Ok(OrgKit {
            client: Rc::new(Client {
                http: Http::new(options.base_url, options.token),
                catalog: RoleCatalog::built_in(),
                me: RefCell::new(None),
            }),
        })
    }

    /// Creates an account and signs it in. A verification email is sent.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "User")]
    pub async fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignUpParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params: SignUpRequest =
            from_js(params, "signUp needs { emailAddress, password, name }.")?;
        validate::email(&params.email_address).map_err(local)?;
        validate::password(&params.password).map_err(local)?;
        validate::person_name(&params.name).map_err(local)?;
        self.start_session("/v1/auth/sign-up", to_js(&params)).await
    }

    /// Signs in with an email address and a password.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "User")]
    pub async fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params: SignInRequest = from_js(params, "signIn needs { emailAddress, password }.")?;
        validate::email(&params.email_address).map_err(local)?;
        self.start_session("/v1/auth/sign-in", to_js(&params)).await
    }

    async fn start_session(&self, path: &str, body: JsValue) -> Result<JsValue, JsValue> {
        let answer = self
            .client
            .http
            .send(Method::Post, path, Some(&body))
            .await?;
        let session: Session = from_server(answer)?;
        self.client.http.set_token(Some(session.token));
        *self.client.me.borrow_mut() = Some(session.user.id.0.clone());
        Ok(user_js(&session.user))
    }

    /// Signs out: the session ends on the server and its cookie is cleared.
    #[wasm_bindgen(js_name = signOut)]
    pub async fn sign_out(&self) -> Result<(), JsValue> {
        let result = self
            .client
            .http
            .send(Method::Post, "/v1/auth/sign-out", None)
            .await;
        self.client.http.set_token(None);
        *self.client.me.borrow_mut() = None;
        result.map(drop)
    }

    /// The signed-in user, or `null` when nobody is signed in.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "User | null")]
    pub async fn get_user(&self) -> Result<JsValue, JsValue> {
        match self.client.http.send(Method::Get, "/v1/me", None).await {
            Ok(answer) => {
                let user: wire::User = from_server(answer)?;
                *self.client.me.borrow_mut() = Some(user.id.0.clone());
                Ok(user_js(&user))
            }
            Err(e) if code_of(&e) == Some(ErrorCode::Unauthenticated) => Ok(JsValue::NULL),
            Err(e) => Err(e),
        }
    }

    /// Verifies the email address with the token from the verification email.
    #[wasm_bindgen(js_name = verifyEmail, unchecked_return_type = "User")]
    pub async fn verify_email(&self, token: String) -> Result<JsValue, JsValue> {
        let body = to_js(&TokenRequest { token });
        let answer = self
            .client
            .http
            .send(Method::Post, "/v1/auth/verify-email", Some(&body))
            .await?;
        Ok(user_js(&from_server::<wire::User>(answer)?))
    }

    /// Creates an organization; the signed-in user becomes its admin. Without a slug, one is
    /// suggested from the name.
    #[wasm_bindgen(js_name = createOrganization)]
    pub async fn create_organization(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateOrganizationParams")] params: JsValue,
    ) -> Result<Organization, JsValue> {
        let params: CreateOrganizationRequest =
            from_js(params, "createOrganization needs { name, slug? }.")?;
        validate::organization_name(&params.name).map_err(local)?;
        if let Some(slug) = params.slug.as_deref().filter(|s| !s.is_empty()) {
            validate::slug(slug).map_err(local)?;
        }
        let body = to_js(&params);
        let answer = self
            .client
            .http
            .send(Method::Post, "/v1/organizations", Some(&body))
            .await?;
        Ok(Organization::new(self.client.clone(), from_server(answer)?))
    }

    /// An organization the signed-in user belongs to.
    #[wasm_bindgen(js_name = getOrganization)]
    pub async fn get_organization(&self, id: String) -> Result<Organization, JsValue> {
        let answer = self
            .client
            .http
            .send(
                Method::Get,
                &format!("/v1/organizations/{}", segment(&id)),
                None,
            )
            .await?;
        Ok(Organization::new(self.client.clone(), from_server(answer)?))
    }

    /// The signed-in user's memberships, each with its organization.
    #[wasm_bindgen(js_name = getOrganizationMemberships)]
    pub async fn get_organization_memberships(
        &self,
    ) -> Result<Vec<OrganizationMembership>, JsValue> {
        let answer = self
            .client
            .http
            .send(Method::Get, "/v1/me/memberships", None)
            .await?;
        let list: List<wire::Membership> = from_server(answer)?;
        Ok(list
            .data
            .into_iter()
            .filter_map(|m| OrganizationMembership::with_own_organization(&self.client, m))
            .collect())
    }

    /// The pending invitations addressed to the signed-in user (needs a verified address).
    #[wasm_bindgen(js_name = getUserInvitations)]
    pub async fn get_user_invitations(&self) -> Result<Vec<Invitation>, JsValue> {
        let answer = self
            .client
            .http
            .send(Method::Get, "/v1/me/invitations", None)
            .await?;
        let list: List<wire::Invitation> = from_server(answer)?;
        Ok(list
            .data
            .into_iter()
            .map(|i| Invitation::new(self.client.clone(), i, None))
            .collect())
    }

    /// Accepts an invitation with the token from its email.
    #[wasm_bindgen(js_name = acceptInvitation)]
    pub async fn accept_invitation(
        &self,
        token: String,
    ) -> Result<OrganizationMembership, JsValue> {
        let body = to_js(&TokenRequest { token });
        let answer = self
            .client
            .http
            .send(Method::Post, "/v1/invitations/accept", Some(&body))
            .await?;
        OrganizationMembership::with_own_organization(&self.client, from_server(answer)?)
            .ok_or_else(|| crate::error::network("The server's answer has no organization."))
    }

    /// What an invitation token is for, without signing in: the invited address, the
    /// organization's name, the role and the status.
    #[wasm_bindgen(js_name = previewInvitation, unchecked_return_type = "InvitationPreview")]
    pub async fn preview_invitation(&self, token: String) -> Result<JsValue, JsValue> {
        let body = to_js(&TokenRequest { token });
        let answer = self
            .client
            .http
            .send(Method::Post, "/v1/invitations/preview", Some(&body))
            .await?;
        let preview: wire::InvitationPreview = from_server(answer)?;
        let value = to_js(&preview);
        let _ = Reflect::set(&value, &"expiresAt".into(), &date(preview.expires_at));
        Ok(value)
    }

    /// The newest emails the server sent, optionally only those to `to`. Only servers started
    /// with `--dev` answer.
    #[wasm_bindgen(js_name = getDevMailbox, unchecked_return_type = "MailboxMessage[]")]
    pub async fn get_dev_mailbox(&self, to: Option<String>) -> Result<JsValue, JsValue> {
        let path = match to {
            Some(to) => format!("/v1/dev/mailbox?to={}", segment(&to)),
            None => "/v1/dev/mailbox".to_owned(),
        };
        let answer = self.client.http.send(Method::Get, &path, None).await?;
        let list: List<wire::MailboxMessage> = from_server(answer)?;
        let out = js_sys::Array::new();
        for message in &list.data {
            let value = to_js(message);
            let _ = Reflect::set(&value, &"createdAt".into(), &date(message.created_at));
            out.push(&value);
        }
        Ok(out.into())
    }
}

/// The `code` of an `OrgKitError`.
pub(crate) fn code_of(error: &JsValue) -> Option<ErrorCode> {
    Reflect::get(error, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .and_then(|c| ErrorCode::parse(&c))
}
