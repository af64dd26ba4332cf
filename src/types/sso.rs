//! SSO connections' TypeScript declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SSO_TS_SECTION: &'static str = SSO_TYPES;

/// SSO connections' declarations.
#[allow(dead_code)] // read by the custom section above, which rustc does not see
pub(crate) const SSO_TYPES: &str = r#"

/**
 * An SSO (OIDC) connection of an organization (written in JS, `src/js/sso.js`). Its data (`issuer`, `state`, `domains`, …) are own properties; its client secret is never shown.
 *
 * @example
 * ```js
 * const connection = await org.createSsoConnection({
 *   name: "Okta", issuer: "https://acme.okta.com", clientId, clientSecret, domainIds: [domain.id],
 * });
 * const report = await connection.test();
 * if (report.ok) await connection.update({ state: "active" });
 * ```
 */
export class SsoConnection {
  private constructor();
  /** Changes the connection: its settings, domains (`domainIds` replaces them), client secret, or state (`"active"` needs a domain; an active connection keeps its issuer and client id). Answers the connection as it now is. */
  update(p: UpdateSsoConnectionParams): Promise<SsoConnection>;
  /** Runs OIDC discovery at the issuer and reports what it found (`ok`, endpoints, signing algorithms, unsupported scopes and claims) or why it failed (`error`). Changes nothing. */
  test(): Promise<SsoConnectionTest>;
  /** Deletes the connection; an active one must be deactivated first. */
  delete(): Promise<void>;
}

/** The organization's SSO connection methods (written in JS; declaration merging with the class). */
export interface Organization {
  /** One page of the organization's SSO connections, oldest first (needs `org:sso:manage`). */
  getSsoConnections(p?: PageParams): Promise<SsoConnectionsPage>;
  /** Creates an SSO connection, as a draft (needs `org:sso:manage`, and a JIT role I could grant). Its domains must be the organization's, with ownership verified by DNS. */
  createSsoConnection(p: CreateSsoConnectionParams): Promise<SsoConnection>;
}
/** Where an SSO connection stands: only an `active` one signs people in. */
export type SsoConnectionState = ConnectionState;

/** Which ID token claims hold the email address, the name and whether the address is verified. */
export interface SsoClaimMapping {
  email: string;
  name: string;
  emailVerified: string;
}

/** Parameters of `org.createSsoConnection`. */
export interface CreateSsoConnectionParams {
  name: string;
  /** The issuer (https; plain http only to localhost on a --dev server), or its discovery URL. */
  issuer: string;
  clientId: string;
  /** Sealed by the server, never shown again. */
  clientSecret: string;
  /** Space-separated, with `openid` (default `"openid email profile"`). */
  scopes?: string;
  /** Default `true`. */
  pkce?: boolean;
  claimMapping?: Partial<SsoClaimMapping>;
  /** Default `true`. */
  jitEnabled?: boolean;
  /** Default `basic_member`; a role I could grant. */
  jitRole?: Role;
  /** The organization's domains, with ownership verified by DNS. */
  domainIds?: string[];
}

/** Parameters of `connection.update`: absent fields stay. */
export interface UpdateSsoConnectionParams extends Partial<CreateSsoConnectionParams> {
  /** `active` (needs a domain) or `inactive`; nothing returns to `draft`. */
  state?: SsoConnectionState;
}

/** An SSO connection's data, own properties of each `SsoConnection` (declaration merging with
 * the class, whose methods are `update`, `test` and `delete`). */
export interface SsoConnection {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  /** Always `true`: the secret itself is never shown. */
  readonly hasClientSecret: boolean;
  readonly scopes: string;
  readonly pkce: boolean;
  readonly claimMapping: SsoClaimMapping;
  readonly state: SsoConnectionState;
  readonly jitEnabled: boolean;
  readonly jitRole: Role;
  readonly domains: { id: string; name: string }[];
  /** The redirect URI to register at the identity provider. */
  readonly callbackUrl: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One page of SSO connections, oldest first. */
export interface SsoConnectionsPage {
  data: SsoConnection[];
  nextCursor: string | null;
}

/** What `connection.test()` found at the issuer's discovery document. */
export interface SsoConnectionTest {
  ok: boolean;
  issuer: string;
  /** Why discovery failed: unreachable, a redirect, a malformed document, another issuer. */
  error: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  jwksUri: string | null;
  signingAlgs: string[];
  unsupportedScopes: string[];
  unsupportedClaims: string[];
}
"#;
