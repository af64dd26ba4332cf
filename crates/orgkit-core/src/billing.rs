//! The billing profile's rules: who may read and change it (`org:billing:read`,
//! `org:billing:manage`), each field's checks, and the refusal of card numbers anywhere in a
//! request (only a provider's reference and display fields are kept).

use crate::error::{DomainError, ErrorCode};
use crate::permission::{Permission, PermissionSet};
use crate::validate;
use crate::wire::{BillingAddress, BillingProfile, PaymentMethod, TaxId};

#[cfg(test)]
mod tests;

/// The most tax ids a profile holds.
pub const MAX_TAX_IDS: usize = 10;

/// The card brands a payment method may show.
pub const BRANDS: [&str; 8] = [
    "visa",
    "mastercard",
    "amex",
    "discover",
    "jcb",
    "diners",
    "unionpay",
    "unknown",
];

/// ISO 3166-1 alpha-2 codes, concatenated in order.
const COUNTRIES: &str = concat!(
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCD",
    "CFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGF",
    "GGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKN",
    "KPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNA",
    "NCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSI",
    "SJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI",
    "VNVUWFWSYEYTZAZMZW",
);

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::BillingProfileInvalid, message)
}

/// Reading the profile needs `org:billing:read` (or `org:billing:manage`).
pub fn check_read(held: PermissionSet) -> Result<(), DomainError> {
    if held.contains(Permission::BillingRead) || held.contains(Permission::BillingManage) {
        Ok(())
    } else {
        Err(DomainError::new(
            ErrorCode::Forbidden,
            "Reading the billing profile needs org:billing:read.",
        ))
    }
}

/// Changing the profile needs `org:billing:manage`.
pub fn check_manage(held: PermissionSet) -> Result<(), DomainError> {
    if held.contains(Permission::BillingManage) {
        Ok(())
    } else {
        Err(DomainError::new(
            ErrorCode::Forbidden,
            "Changing the billing profile needs org:billing:manage.",
        ))
    }
}

/// Whether `raw` is an ISO 3166-1 alpha-2 code (upper case).
#[must_use]
pub fn is_country(raw: &str) -> bool {
    raw.len() == 2
        && raw.bytes().all(|b| b.is_ascii_uppercase())
        && COUNTRIES
            .as_bytes()
            .chunks(2)
            .any(|pair| pair == raw.as_bytes())
}

/// Whether `text` holds a run of 13 to 19 digits (single spaces or dashes may separate them)
/// that passes the Luhn check: what a card number looks like. The server asks this of a
/// request's whole body, the SDK of the JSON it would send.
#[must_use]
pub fn contains_card_number(text: &str) -> bool {
    let mut digits: [u8; 19] = [0; 19];
    let mut len = 0usize;
    let mut overflow = false;
    let mut after_separator = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            if len < digits.len() {
                digits[len] = b - b'0';
                len += 1;
            } else {
                overflow = true;
            }
            after_separator = false;
            continue;
        }
        let separator = (b == b' ' || b == b'-')
            && len > 0
            && !after_separator
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if separator {
            after_separator = true;
            continue;
        }
        if !overflow && looks_like_card(&digits[..len]) {
            return true;
        }
        len = 0;
        overflow = false;
        after_separator = false;
    }
    !overflow && looks_like_card(&digits[..len])
}

fn looks_like_card(digits: &[u8]) -> bool {
    (13..=19).contains(&digits.len()) && luhn(digits)
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if !i.is_multiple_of(2) {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A text field: trimmed, `min..=max` characters, no control characters. Empty optional
/// fields become `None`.
fn text(raw: &str, min: usize, max: usize, bad: DomainError) -> Result<String, DomainError> {
    let trimmed = raw.trim();
    let count = trimmed.chars().count();
    if count < min || count > max || trimmed.chars().any(char::is_control) {
        return Err(bad);
    }
    Ok(trimmed.to_owned())
}

fn optional(
    raw: Option<&String>,
    max: usize,
    bad: DomainError,
) -> Result<Option<String>, DomainError> {
    match raw.map(|r| r.trim()).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => text(r, 1, max, bad).map(Some),
    }
}

fn phone(raw: &str) -> Result<String, DomainError> {
    const BAD: DomainError =
        invalid("The phone number must be 5 to 15 digits, with an optional leading +.");
    let trimmed = raw.trim();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let allowed = body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')'));
    if !allowed || !(5..=15).contains(&digits) || trimmed.len() > 32 {
        return Err(BAD);
    }
    Ok(trimmed.to_owned())
}

fn country(raw: &str, bad: DomainError) -> Result<String, DomainError> {
    let upper = raw.trim().to_ascii_uppercase();
    if is_country(&upper) {
        Ok(upper)
    } else {
        Err(bad)
    }
}

fn address(a: &BillingAddress) -> Result<BillingAddress, DomainError> {
    const POSTAL: DomainError =
        invalid("The postal code must be 1 to 20 letters, digits, spaces or dashes.");
    let postal_code = text(&a.postal_code, 1, 20, POSTAL)?;
    if !postal_code
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
    {
        return Err(POSTAL);
    }
    Ok(BillingAddress {
        line1: text(
            &a.line1,
            1,
            200,
            invalid("Address line 1 must be 1 to 200 characters."),
        )?,
        line2: optional(
            a.line2.as_ref(),
            200,
            invalid("Address line 2 must be at most 200 characters."),
        )?,
        city: text(
            &a.city,
            1,
            100,
            invalid("The city must be 1 to 100 characters."),
        )?,
        state: optional(
            a.state.as_ref(),
            100,
            invalid("The state must be at most 100 characters."),
        )?,
        postal_code,
        country: country(
            &a.country,
            invalid("The country must be an ISO 3166-1 alpha-2 code, such as FR."),
        )?,
    })
}

fn tax_id(t: &TaxId) -> Result<TaxId, DomainError> {
    const KIND: DomainError =
        invalid("A tax id type is a lowercase area and kind, such as eu_vat or us_ein.");
    const VALUE: DomainError =
        invalid("A tax id value is 1 to 64 letters, digits, spaces, dots, dashes or slashes.");
    let kind_ok = t.kind.split_once('_').is_some_and(|(area, kind)| {
        (2..=3).contains(&area.len())
            && (2..=8).contains(&kind.len())
            && area
                .bytes()
                .chain(kind.bytes())
                .all(|b| b.is_ascii_lowercase())
    });
    if !kind_ok {
        return Err(KIND);
    }
    let value = text(&t.value, 1, 64, VALUE)?;
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'-' | b'/'))
    {
        return Err(VALUE);
    }
    Ok(TaxId {
        kind: t.kind.clone(),
        value,
        country: country(
            &t.country,
            invalid("A tax id's country must be an ISO 3166-1 alpha-2 code."),
        )?,
    })
}

fn payment_method(p: &PaymentMethod) -> Result<PaymentMethod, DomainError> {
    let provider_ok = (1..=32).contains(&p.provider.len())
        && p.provider
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !provider_ok {
        return Err(invalid(
            "The payment provider is 1 to 32 lowercase letters, digits or underscores.",
        ));
    }
    let reference_ok =
        (1..=255).contains(&p.reference.len()) && p.reference.bytes().all(|b| b.is_ascii_graphic());
    if !reference_ok {
        return Err(invalid(
            "The payment method reference is 1 to 255 printable characters without spaces.",
        ));
    }
    if !BRANDS.contains(&p.brand.as_str()) {
        return Err(invalid("Unknown card brand."));
    }
    if p.last4.len() != 4 || !p.last4.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("last4 must be exactly 4 digits."));
    }
    if !(1..=12).contains(&p.exp_month) || !(2000..=2100).contains(&p.exp_year) {
        return Err(invalid(
            "The expiry must be a month 1 to 12 of a year 2000 to 2100.",
        ));
    }
    Ok(p.clone())
}

/// Checks a whole profile and answers it normalized (trimmed, countries in upper case, empty
/// optional fields dropped). `updated_at` is not the client's to set: it is dropped.
pub fn check_profile(p: &BillingProfile) -> Result<BillingProfile, DomainError> {
    if p.tax_ids.len() > MAX_TAX_IDS {
        return Err(invalid("A billing profile holds at most 10 tax ids."));
    }
    let email = match p.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => None,
        Some(e) => Some(
            validate::email(e).map_err(|_| invalid("The billing email is not a valid address."))?,
        ),
    };
    Ok(BillingProfile {
        legal_name: optional(
            p.legal_name.as_ref(),
            200,
            invalid("The legal name must be at most 200 characters."),
        )?,
        email,
        phone: match p.phone.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(raw) => Some(phone(raw)?),
        },
        address: p.address.as_ref().map(address).transpose()?,
        tax_ids: p.tax_ids.iter().map(tax_id).collect::<Result<_, _>>()?,
        payment_method: p.payment_method.as_ref().map(payment_method).transpose()?,
        updated_at: None,
    })
}

/// Refuses a request body that carries a card number (`card_data_refused`).
pub fn check_no_card_data(body: &str) -> Result<(), DomainError> {
    if contains_card_number(body) {
        Err(DomainError::new(
            ErrorCode::CardDataRefused,
            "Card numbers are never accepted: send the payment provider's reference, brand, last 4 digits and expiry.",
        ))
    } else {
        Ok(())
    }
}
