//! Setting or resetting a password through a mailed link: `kit.requestPasswordReset` and
//! `kit.resetPassword`.

use crate::client::OrgKit;
use crate::error::local;
use crate::http::Method;
use crate::js::{check_token, object, param, params};
use crate::pending::Pending;
use crate::send::{self, Then};
use orgkit_core::secret::TokenKind;
use orgkit_core::validate;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl OrgKit {
    /// Asks for a link to set or reset the password of the account with this address. The
    /// server answers the same whether such an account exists or not; if it does, the link
    /// (valid 30 minutes, single use) is mailed. A malformed address is refused here.
    #[wasm_bindgen(js_name = requestPasswordReset, unchecked_return_type = "Promise<void>")]
    pub fn request_password_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestPasswordResetParams")] p: JsValue,
    ) -> Pending<()> {
        let request = forgot_body(&p).map(|body| {
            (
                Method::Post,
                "/v1/auth/password/forgot".to_owned(),
                Some(body),
            )
        });
        send::pending(self.client.clone(), request, Then::Unit)
    }

    /// Sets the new password with the token from the mailed link, and signs in (the account's
    /// other sessions end). An empty token or a weak password is refused here.
    #[wasm_bindgen(js_name = resetPassword, unchecked_return_type = "Promise<User>")]
    pub fn reset_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResetPasswordParams")] p: JsValue,
    ) -> Pending<JsValue> {
        self.start_session("/v1/auth/password/reset", reset_body(&p))
    }
}

/// The checks and the body of `requestPasswordReset`.
fn forgot_body(p: &JsValue) -> Result<JsValue, JsValue> {
    const USAGE: &str = "requestPasswordReset needs { emailAddress }.";
    params(p, USAGE)?;
    let email = param(p, "emailAddress", USAGE)?;
    validate::email(&email).map_err(local)?;
    Ok(object(&[("emailAddress", email.into())]))
}

/// The checks and the body of `resetPassword`.
fn reset_body(p: &JsValue) -> Result<JsValue, JsValue> {
    const USAGE: &str = "resetPassword needs { token, password }.";
    params(p, USAGE)?;
    let (token, password) = (param(p, "token", USAGE)?, param(p, "password", USAGE)?);
    validate::password(&password).map_err(local)?;
    check_token(TokenKind::PasswordReset, &token)?;
    Ok(object(&[
        ("token", token.into()),
        ("password", password.into()),
    ]))
}
