//! An organization's governance: its metadata (and its members'), its logo and its billing
//! profile. Each method asks the rule book first (`orgkit_core::metadata`, `logo`, `billing`,
//! and the policy), refuses locally with no request, then sends one.

use super::{Checked, Organization};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{array, field, number};
use js_sys::{Promise, Uint8Array, JSON};
use orgkit_core::billing;
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::wire::{BillingAddress, BillingProfile, PaymentMethod, TaxId};
use orgkit_core::UserId;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const METADATA_USAGE: &str = "updateMetadata takes { publicMetadata?, privateMetadata? }.";
const BILLING_USAGE: &str = "updateBillingProfile takes a BillingProfile object.";

/// The `{ publicMetadata?, privateMetadata? }` body, each given field held to the rule book
/// (an object of at most 8 KiB of JSON).
fn metadata_body(p: &JsValue) -> Result<JsValue, JsValue> {
    if !p.is_object() {
        return Err(invalid_input(METADATA_USAGE));
    }
    for key in ["publicMetadata", "privateMetadata"] {
        let value = field(p, key);
        if value.is_undefined() || value.is_null() {
            continue;
        }
        let text: String = JSON::stringify(&value)
            .map_err(|_| invalid_input(METADATA_USAGE))?
            .into();
        orgkit_core::metadata::check(&text).map_err(local)?;
    }
    Ok(p.clone())
}

/// An optional string field of a billing object; present but not a string is refused.
fn opt(value: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = field(value, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        v.as_string()
            .map(Some)
            .ok_or_else(|| invalid_input(BILLING_USAGE))
    }
}

fn req(value: &JsValue, key: &str) -> Result<String, JsValue> {
    opt(value, key)?.ok_or_else(|| invalid_input(BILLING_USAGE))
}

/// Reads a billing profile from a JS object, by hand (the SDK has no serde).
fn read_profile(p: &JsValue) -> Result<BillingProfile, JsValue> {
    let address = field(p, "address");
    let address = if address.is_object() {
        Some(BillingAddress {
            line1: req(&address, "line1")?,
            line2: opt(&address, "line2")?,
            city: req(&address, "city")?,
            state: opt(&address, "state")?,
            postal_code: req(&address, "postalCode")?,
            country: req(&address, "country")?,
        })
    } else {
        None
    };
    let mut tax_ids = Vec::new();
    for t in array(p, "taxIds").iter() {
        tax_ids.push(TaxId {
            kind: req(&t, "type")?,
            value: req(&t, "value")?,
            country: req(&t, "country")?,
        });
    }
    let method = field(p, "paymentMethod");
    let payment_method = if method.is_object() {
        Some(PaymentMethod {
            provider: req(&method, "provider")?,
            reference: req(&method, "reference")?,
            brand: req(&method, "brand")?,
            last4: req(&method, "last4")?,
            exp_month: number(&method, "expMonth") as u32,
            exp_year: number(&method, "expYear") as u32,
        })
    } else {
        None
    };
    Ok(BillingProfile {
        legal_name: opt(p, "legalName")?,
        email: opt(p, "email")?,
        phone: opt(p, "phone")?,
        address,
        tax_ids,
        payment_method,
        updated_at: None,
    })
}

impl Organization {
    fn billing_update(&self, p: &JsValue) -> Checked {
        if !p.is_object() {
            return Err(invalid_input(BILLING_USAGE));
        }
        billing::check_manage(self.held()).map_err(local)?;
        let text: String = JSON::stringify(p)
            .map_err(|_| invalid_input(BILLING_USAGE))?
            .into();
        billing::check_no_card_data(&text).map_err(local)?;
        billing::check_profile(&read_profile(p)?).map_err(local)?;
        Ok((Method::Put, self.path("/billing"), Some(p.clone())))
    }

    /// The metadata path of the member `user_id` and the local check of writing it (what
    /// changing their role needs, as on the server).
    pub(crate) fn member_metadata(&self, user_id: &str, roles: &[&str], p: &JsValue) -> Checked {
        let body = metadata_body(p)?;
        let target = UserId(user_id.to_owned());
        self.authorize(Action::ChangeRole {
            target: TargetMember {
                user_id: &target,
                roles,
            },
            new_roles: roles,
            admin_count: None,
        })?;
        let path = self.path("/memberships/") + &crate::js::segment(user_id) + "/metadata";
        Ok((Method::Patch, path, Some(body)))
    }
}

#[wasm_bindgen]
impl Organization {
    /// The organization's metadata: `{ publicMetadata, privateMetadata? }` (the private part
    /// only for holders of `org:profile:manage`).
    #[wasm_bindgen(js_name = getMetadata, unchecked_return_type = "Promise<OrganizationMetadata>")]
    pub fn get_metadata(&self) -> Promise {
        self.call(Ok((Method::Get, self.path("/metadata"), None)))
    }

    /// Merges into the organization's metadata (`org:profile:manage`): objects merge key by
    /// key, and a key set to `null` is removed. Each field is an object of at most 8 KiB.
    ///
    /// @example
    /// ```js
    /// await org.updateMetadata({ publicMetadata: { plan: "pro", trial: null } });
    /// ```
    #[wasm_bindgen(js_name = updateMetadata, unchecked_return_type = "Promise<OrganizationMetadata>")]
    pub fn update_metadata(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateMetadataParams")] p: JsValue,
    ) -> Promise {
        let checked = metadata_body(&p).and_then(|body| {
            self.authorize(Action::UpdateOrganization)?;
            Ok((Method::Patch, self.path("/metadata"), Some(body)))
        });
        self.call(checked)
    }

    /// Sets the organization's logo (`org:profile:manage`) from a `File` or `Blob`: a PNG,
    /// JPEG or WebP image of at most 1 MB, judged by its content before it is sent. Resolves to
    /// the organization as changed: its `imageUrl` names the new logo (a new URL for each).
    #[wasm_bindgen(js_name = setLogo, unchecked_return_type = "Promise<Organization>")]
    pub fn set_logo(&self, file: web_sys::Blob) -> Promise {
        let size = file.size() as usize;
        if let Err(refusal) = orgkit_core::logo::check_size(size)
            .map_err(local)
            .and_then(|()| self.authorize(Action::UpdateOrganization))
        {
            return Promise::reject(&refusal);
        }
        let org = self.clone();
        future_to_promise(async move {
            let head = file
                .slice_with_i32_and_i32(0, orgkit_core::logo::HEAD_BYTES as i32)
                .map_err(|_| invalid_input("The logo could not be read."))?;
            let head = Uint8Array::new(&JsFuture::from(head.array_buffer()).await?).to_vec();
            orgkit_core::logo::check_head(&head, size).map_err(local)?;
            let answer = org
                .client()
                .http
                .send(Method::Put, &org.path("/logo"), Some(&file))
                .await?;
            Ok(org.changed_to(&answer))
        })
    }

    /// Deletes the organization's logo (`org:profile:manage`).
    #[wasm_bindgen(js_name = deleteLogo, unchecked_return_type = "Promise<void>")]
    pub fn delete_logo(&self) -> Promise {
        let checked = self
            .authorize(Action::UpdateOrganization)
            .map(|()| (Method::Delete, self.path("/logo"), None));
        if checked.is_ok() {
            let mut data = self.state.data.borrow_mut();
            data.has_image = false;
            data.image_url = None;
        }
        self.call(checked)
    }

    /// The billing profile (`org:billing:read`).
    #[wasm_bindgen(js_name = getBillingProfile, unchecked_return_type = "Promise<BillingProfile>")]
    pub fn get_billing_profile(&self) -> Promise {
        let checked = billing::check_read(self.held())
            .map_err(local)
            .map(|()| (Method::Get, self.path("/billing"), None));
        self.call(checked)
    }

    /// Replaces the billing profile (`org:billing:manage`). The payment method is the
    /// provider's reference and display fields (brand, last4, expiry): a card number anywhere
    /// is refused locally (`card_data_refused`), as by the server.
    ///
    /// @example
    /// ```js
    /// await org.updateBillingProfile({ legalName: "Acme SAS", address: { line1: "1 rue de la Paix",
    ///   city: "Paris", postalCode: "75002", country: "FR" }, taxIds: [] });
    /// ```
    #[wasm_bindgen(js_name = updateBillingProfile, unchecked_return_type = "Promise<BillingProfile>")]
    pub fn update_billing_profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BillingProfileParams")] p: JsValue,
    ) -> Promise {
        self.call(self.billing_update(&p))
    }
}
