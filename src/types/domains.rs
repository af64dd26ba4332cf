//! Verified email domains' TypeScript declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const DOMAIN_TS_SECTION: &'static str = DOMAIN_TYPES;

/// Verified email domains' declarations.
#[allow(dead_code)] // read by the custom section above
pub(crate) const DOMAIN_TYPES: &str = r#"

/** Parameters of `org.addDomain`. */
export interface AddDomainParams {
  /** A domain name; a Unicode one is converted to its ASCII form. */
  name: string;
  /** `manual_invitation` when absent; the automatic modes need a verified domain. */
  enrollmentMode?: EnrollmentMode;
}

/** Parameters of `domain.prepareAffiliationVerification`. */
export interface PrepareAffiliationParams {
  /** An address at the domain itself. */
  emailAddress: string;
}

/** Parameters of `domain.attemptAffiliationVerification`. */
export interface AttemptAffiliationParams {
  /** The 6-digit code mailed to the address. */
  code: string;
}

/** Parameters of `domain.updateEnrollmentMode`. */
export interface UpdateEnrollmentModeParams {
  enrollmentMode: EnrollmentMode;
  /** Revoke the invitations the domain created, and withdraw the requests its suggestions led to. */
  deletePending?: boolean;
}

/** What `suggestion.accept()` answers: the join request it filed. */
export interface SuggestionAccepted {
  joinRequestId: string;
  organizationId: string;
}
"#;
