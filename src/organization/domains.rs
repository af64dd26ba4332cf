//! An organization's verified email domains (holders of `org:domains:manage`):
//! `OrganizationDomain`, with affiliation (a mailed code) and ownership (a DNS TXT record)
//! verification and the enrollment mode.
//!
//! Names are converted to ASCII by the browser's own URL parser (IDNA), then held to the rule
//! book, so the SDK carries no Unicode tables. Every method checks synchronously and shares one
//! future ([`send`]), as `Organization::call` does for plain data.

use super::{Checked, Organization};
use crate::context::Client;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{array, date, field, number, object, param, params, segment, text};
use crate::send::Then;
use crate::suggestion::OrganizationSuggestion;
use js_sys::{Array, Promise};
use orgkit_core::domain::{self, EnrollmentMode};
use orgkit_core::policy::Action;
use orgkit_core::DomainError;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A verified email domain of an organization.
#[wasm_bindgen]
pub struct OrganizationDomain {
    org: Organization,
    data: JsValue,
}

/// What a request's answer becomes.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// An `OrganizationDomain`.
    One,
    /// `OrganizationDomain`s, from `data`.
    List,
    /// `OrganizationSuggestion`s, from `data`.
    Suggestions,
    /// The answer as it is.
    Plain,
}

/// The one future of domains and suggestions: sends one checked request and resolves to what
/// `shape` says; a local refusal rejects with no request. `org` is the domains' organization.
pub(crate) fn send(
    client: Rc<Client>,
    org: Option<Organization>,
    checked: Checked,
    shape: Shape,
) -> Promise {
    let shared = client.clone();
    let then = Then::Map(Box::new(move |answer| {
        let wrap = |data: JsValue| -> JsValue {
            match &org {
                Some(org) => OrganizationDomain {
                    org: org.clone(),
                    data,
                }
                .into(),
                None => OrganizationSuggestion {
                    client: client.clone(),
                    data,
                }
                .into(),
            }
        };
        Ok(match shape {
            Shape::One => wrap(answer),
            Shape::List | Shape::Suggestions => {
                let items = array(&answer, "data");
                if let Some(org) = &org {
                    org.state.domains.set(Some(items.length()));
                }
                items.iter().map(wrap).collect::<Array>().into()
            }
            Shape::Plain => answer,
        })
    }));
    crate::send::send(shared, checked, then)
}

impl Organization {
    fn domains_send(&self, checked: Checked, shape: Shape) -> Promise {
        send(
            self.state.client.clone(),
            Some(self.clone()),
            checked,
            shape,
        )
    }
}

/// The ASCII form of a domain name, by the browser's URL parser, held to the rule book.
fn ascii_name(raw: &str) -> Result<String, JsValue> {
    const INVALID: DomainError = DomainError::new(
        orgkit_core::ErrorCode::DomainInvalid,
        "That is not a valid domain name.",
    );
    let raw = raw.trim();
    // A byte scan: `str::contains(char)` searches for a non-ASCII char as a substring, which
    // brings in the substring searcher and the slicing panic (1.9 KB of `.wasm`).
    if raw.is_empty() || raw.bytes().any(|b| b"/?#@:\\[]% ".contains(&b)) {
        return Err(local(INVALID));
    }
    let host = web_sys::Url::new(&("http://".to_owned() + raw))
        .map_err(|_| local(INVALID))?
        .hostname();
    domain::check_domain(&host).map_err(local)
}

fn mode(p: &JsValue, usage: &'static str) -> Result<Option<EnrollmentMode>, JsValue> {
    let value = field(p, "enrollmentMode");
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .as_string()
        .and_then(|m| EnrollmentMode::parse(&m))
        .map(Some)
        .ok_or_else(|| invalid_input(usage))
}

impl Organization {
    fn domains_path(&self, rest: &str) -> Result<String, JsValue> {
        self.authorize(Action::ManageDomains)?;
        Ok(self.path("/domains") + rest)
    }
}

#[wasm_bindgen]
impl Organization {
    /// The organization's email domains, at most 10 (needs `org:domains:manage`).
    #[wasm_bindgen(js_name = getDomains, unchecked_return_type = "Promise<OrganizationDomain[]>")]
    pub fn get_domains(&self) -> Promise {
        let checked = self.domains_path("").map(|path| (Method::Get, path, None));
        self.domains_send(checked, Shape::List)
    }

    /// Adds an email domain, unverified; a Unicode name is stored in its ASCII form. A consumer
    /// or disposable provider (`gmail.com`, …) is refused, and so is an 11th domain.
    ///
    /// @example
    /// ```js
    /// const domain = await org.addDomain({ name: "acme.com" });
    /// await domain.prepareAffiliationVerification({ emailAddress: "me@acme.com" });
    /// ```
    #[wasm_bindgen(js_name = addDomain, unchecked_return_type = "Promise<OrganizationDomain>")]
    pub fn add_domain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AddDomainParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "addDomain needs { name, enrollmentMode? }.";
        let checked = (|| {
            params(&p, USAGE)?;
            let name = param(&p, "name", USAGE)?;
            let mode = mode(&p, USAGE)?;
            self.authorize(Action::ManageDomains)?;
            let name = ascii_name(&name)?;
            if let Some(known) = self.state.domains.get() {
                domain::check_domain_count(u64::from(known)).map_err(local)?;
            }
            if let Some(mode) = mode {
                self.authorize(Action::SetEnrollmentMode {
                    mode,
                    verified: false,
                })?;
            }
            let body = object(&[
                ("name", name.into()),
                (
                    "enrollmentMode",
                    mode.map_or(JsValue::UNDEFINED, |m| m.as_str().into()),
                ),
            ]);
            Ok((Method::Post, self.domains_path("")?, Some(body)))
        })();
        if checked.is_ok() {
            if let Some(known) = self.state.domains.get() {
                self.state.domains.set(Some(known + 1));
            }
        }
        self.domains_send(checked, Shape::One)
    }
}

impl OrganizationDomain {
    fn path(&self, rest: &str) -> Result<String, JsValue> {
        self.org
            .domains_path(&("/".to_owned() + &segment(&text(&self.data, "id")) + rest))
    }

    fn timestamp(&self, key: &str) -> Option<js_sys::Date> {
        field(&self.data, key).as_f64().map(date)
    }
}

#[wasm_bindgen]
impl OrganizationDomain {
    /// The domain's id (`dom_…`).
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        text(&self.data, "id")
    }

    /// The ASCII (IDNA) form of the name, lowercased.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        text(&self.data, "name")
    }

    /// How people at the domain join.
    #[wasm_bindgen(getter, js_name = enrollmentMode, unchecked_return_type = "EnrollmentMode")]
    pub fn enrollment_mode(&self) -> String {
        text(&self.data, "enrollmentMode")
    }

    /// Whether affiliation or ownership is proven (one organization at a time).
    #[wasm_bindgen(getter)]
    pub fn verified(&self) -> bool {
        field(&self.data, "verified").as_bool() == Some(true)
    }

    /// The address that proved affiliation, or `null`.
    #[wasm_bindgen(getter, js_name = affiliationEmailAddress)]
    pub fn affiliation_email_address(&self) -> Option<String> {
        field(&self.data, "affiliationEmailAddress").as_string()
    }

    /// When affiliation was proven, or `null`.
    #[wasm_bindgen(getter, js_name = affiliationVerifiedAt)]
    pub fn affiliation_verified_at(&self) -> Option<js_sys::Date> {
        self.timestamp("affiliationVerifiedAt")
    }

    /// The name of the TXT record that proves ownership: `_orgkit-challenge.<domain>`.
    #[wasm_bindgen(getter, js_name = ownershipRecordName)]
    pub fn ownership_record_name(&self) -> String {
        text(&self.data, "ownershipRecordName")
    }

    /// The value to publish in that record.
    #[wasm_bindgen(getter, js_name = ownershipRecordValue)]
    pub fn ownership_record_value(&self) -> String {
        text(&self.data, "ownershipRecordValue")
    }

    /// When ownership was proven, or `null`.
    #[wasm_bindgen(getter, js_name = ownershipVerifiedAt)]
    pub fn ownership_verified_at(&self) -> Option<js_sys::Date> {
        self.timestamp("ownershipVerifiedAt")
    }

    /// The pending invitations this domain created.
    #[wasm_bindgen(getter, js_name = pendingInvitations)]
    pub fn pending_invitations(&self) -> f64 {
        number(&self.data, "pendingInvitations")
    }

    /// When it was added.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(number(&self.data, "createdAt"))
    }

    /// Mails a 6-digit code to an address at the domain itself. My own verified address
    /// verifies the domain at once, with no code (the answer is `verified`).
    #[wasm_bindgen(
        js_name = prepareAffiliationVerification,
        unchecked_return_type = "Promise<OrganizationDomain>"
    )]
    pub fn prepare_affiliation_verification(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PrepareAffiliationParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "prepareAffiliationVerification needs { emailAddress }.";
        let checked = (|| {
            params(&p, USAGE)?;
            let email = param(&p, "emailAddress", USAGE)?;
            let path = self.path("/prepare-affiliation")?;
            let email = orgkit_core::validate::email(&email).map_err(local)?;
            domain::check_email_at_domain(&email, &self.name()).map_err(local)?;
            Ok((
                Method::Post,
                path,
                Some(object(&[("emailAddress", email.into())])),
            ))
        })();
        self.org.domains_send(checked, Shape::One)
    }

    /// Verifies affiliation with the mailed 6-digit code.
    #[wasm_bindgen(
        js_name = attemptAffiliationVerification,
        unchecked_return_type = "Promise<OrganizationDomain>"
    )]
    pub fn attempt_affiliation_verification(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AttemptAffiliationParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "attemptAffiliationVerification needs { code }.";
        let checked = (|| {
            params(&p, USAGE)?;
            let code = param(&p, "code", USAGE)?;
            let path = self.path("/attempt-affiliation")?;
            domain::check_code_format(&code).map_err(local)?;
            Ok((Method::Post, path, Some(object(&[("code", code.into())]))))
        })();
        self.org.domains_send(checked, Shape::One)
    }

    /// Verifies ownership: the server looks up the TXT record `ownershipRecordName` for
    /// `ownershipRecordValue`.
    #[wasm_bindgen(js_name = verifyOwnership, unchecked_return_type = "Promise<OrganizationDomain>")]
    pub fn verify_ownership(&self) -> Promise {
        let checked = self
            .path("/verify-ownership")
            .map(|path| (Method::Post, path, None));
        self.org.domains_send(checked, Shape::One)
    }

    /// Sets the enrollment mode; the automatic ones need a verified domain.
    /// `automatic_invitation` invites every verified address at the domain at once;
    /// `deletePending` revokes the invitations the domain created and withdraws the requests
    /// its suggestions led to.
    #[wasm_bindgen(
        js_name = updateEnrollmentMode,
        unchecked_return_type = "Promise<OrganizationDomain>"
    )]
    pub fn update_enrollment_mode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateEnrollmentModeParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "updateEnrollmentMode needs { enrollmentMode, deletePending? }.";
        let checked = (|| {
            params(&p, USAGE)?;
            let mode = mode(&p, USAGE)?.ok_or_else(|| invalid_input(USAGE))?;
            let delete_pending = field(&p, "deletePending");
            if !(delete_pending.is_undefined() || delete_pending.as_bool().is_some()) {
                return Err(invalid_input(USAGE));
            }
            self.org.authorize(Action::SetEnrollmentMode {
                mode,
                verified: self.verified(),
            })?;
            let body = object(&[
                ("enrollmentMode", mode.as_str().into()),
                ("deletePending", delete_pending),
            ]);
            Ok((Method::Patch, self.path("")?, Some(body)))
        })();
        self.org.domains_send(checked, Shape::One)
    }

    /// Deletes the domain; the invitations it created stay.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self) -> Promise {
        let checked = self.path("").map(|path| (Method::Delete, path, None));
        if checked.is_ok() {
            if let Some(known) = self.org.state.domains.get() {
                self.org.state.domains.set(Some(known.saturating_sub(1)));
            }
        }
        self.org.domains_send(checked, Shape::Plain)
    }
}
