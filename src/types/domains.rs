//! Verified email domains' TypeScript declarations: `OrganizationDomain` and
//! `OrganizationSuggestion` are written in JS (`src/js/domains.js`), so they are declared here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const DOMAIN_TS_SECTION: &'static str = DOMAIN_TYPES;

/// Verified email domains' declarations.
#[allow(dead_code)] // read by the custom section above
pub(crate) const DOMAIN_TYPES: &str = r#"

/** A verified email domain of an organization (written in JS, `src/js/domains.js`): its fields are own properties, as the server answered them. */
export class OrganizationDomain {
  private constructor();
  /** The domain's id (`dom_…`). */
  readonly id: string;
  /** The ASCII (IDNA) form of the name, lowercased. */
  readonly name: string;
  /** How people at the domain join. */
  readonly enrollmentMode: EnrollmentMode;
  /** Whether affiliation or ownership is proven (one organization at a time). */
  readonly verified: boolean;
  /** The address that proved affiliation, or `null`. */
  readonly affiliationEmailAddress: string | null;
  /** When affiliation was proven, or `null`. */
  readonly affiliationVerifiedAt: Date | null;
  /** The name of the TXT record that proves ownership: `_orgkit-challenge.<domain>`. */
  readonly ownershipRecordName: string;
  /** The value to publish in that record. */
  readonly ownershipRecordValue: string;
  /** When ownership was proven, or `null`. */
  readonly ownershipVerifiedAt: Date | null;
  /** The pending invitations this domain created. */
  readonly pendingInvitations: number;
  /** When it was added. */
  readonly createdAt: Date;
  /** Mails a 6-digit code to an address at the domain itself. My own verified address verifies the domain at once, with no code (the answer is `verified`). */
  prepareAffiliationVerification(p: PrepareAffiliationParams): Promise<OrganizationDomain>;
  /** Verifies affiliation with the mailed 6-digit code. */
  attemptAffiliationVerification(p: AttemptAffiliationParams): Promise<OrganizationDomain>;
  /** Verifies ownership: the server looks up the TXT record `ownershipRecordName` for `ownershipRecordValue`. */
  verifyOwnership(): Promise<OrganizationDomain>;
  /** Sets the enrollment mode; the automatic ones need a verified domain. `automatic_invitation` invites every verified address at the domain at once; `deletePending` revokes the invitations the domain created and withdraws the requests its suggestions led to. */
  updateEnrollmentMode(p: UpdateEnrollmentModeParams): Promise<OrganizationDomain>;
  /** Deletes the domain; the invitations it created stay. */
  delete(): Promise<void>;
}

/** An organization I could ask to join, suggested by my address's verified domain (written in JS). */
export class OrganizationSuggestion {
  private constructor();
  /** The suggesting domain's id. */
  readonly domainId: string;
  /** The suggesting domain. */
  readonly domainName: string;
  /** The organization's id. */
  readonly organizationId: string;
  /** The organization's name. */
  readonly organizationName: string;
  /** Asks to join: a join request the organization's admins accept or reject. */
  accept(): Promise<SuggestionAccepted>;
}

/** The organization's domain methods (written in JS; declaration merging with the class). */
export interface Organization {
  /** The organization's email domains, at most 10 (needs `org:domains:manage`). */
  getDomains(): Promise<OrganizationDomain[]>;
  /**
   * Adds an email domain, unverified; a Unicode name is stored in its ASCII form. A consumer or disposable provider (`gmail.com`, …) is refused, and so is an 11th domain.
   *
   * @example
   * ```js
   * const domain = await org.addDomain({ name: "acme.com" });
   * await domain.prepareAffiliationVerification({ emailAddress: "me@acme.com" });
   * ```
   */
  addDomain(p: AddDomainParams): Promise<OrganizationDomain>;
}

/** The kit's suggestions (written in JS). */
export interface OrgKit {
  /** Organizations my verified address's domain suggests: their domain is verified and in `automatic_suggestion` mode, and I am neither a member nor waiting on a request. */
  getUserSuggestions(): Promise<OrganizationSuggestion[]>;
}

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
