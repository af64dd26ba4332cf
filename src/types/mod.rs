//! The TypeScript types of the public API that wasm-bindgen cannot derive: plain data objects,
//! parameter objects and string unions. A native test keeps the unions equal to the Rust
//! enums of `orgkit-core`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_SECTION: &'static str = TYPES;

/// The declarations appended to the generated `.d.ts`.
#[allow(dead_code)] // read by the custom section above, which rustc does not see
pub(crate) const TYPES: &str = r#"

/** What every method rejects with: a real `Error` subclass, so `err instanceof OrgKitError` works. */
export class OrgKitError extends Error {
  constructor(code: ErrorCode, status: number, message: string);
  name: "OrgKitError";
  /** A stable code, for example `"last_admin"`. */
  code: ErrorCode;
  /** The HTTP status, or 0 when no server answered (network failure or a local refusal). */
  status: number;
  /**
   * The seconds to wait before trying again, from the server's `Retry-After` header (sent with
   * `rate_limited` and `unavailable`); absent when the server sent none.
   */
  retryAfter?: number;
  /** With `sso_required`: where to sign in instead (`signInWithSso({ organizationSlug })`, or open `startUrl`). */
  sso?: SsoRequiredDetail;
  /** With `permission_escalation`: the permission keys the actor lacks. */
  missingPermissions?: string[];
}

/** Where a `sso_required` refusal says to sign in. */
export interface SsoRequiredDetail { organizationSlug: string; startUrl: string; }

/** One of the app's own permissions, declared with the server's `--app-permission`. */
export type AppPermission = `org:${string}:${string}`;


/** A built-in role: `admin` (every permission) and `basic_member` (reads members). */
export type BuiltInRole = "admin" | "basic_member";
/** An organization's custom role key, `org:<slug>`. */
export type CustomRole = `org:${string}`;
/** A role key: a built-in or an organization's custom role (see `org.getRoles()`). */
export type Role = BuiltInRole | CustomRole;


/** Options of `new OrgKit(...)`. */
export interface OrgKitOptions {
  /** The server's base URL; the page's own origin when omitted. */
  baseUrl?: string;
  /** A session token to send as `Authorization: Bearer` instead of the cookie. */
  token?: string;
}

/** `getToken`: the organization the token speaks for; `null` for none; omitted: the active one. */
export interface GetTokenParams { organizationId?: string | null; }
/** `setActive`: this tab's active organization (an id), or `null` for none. */
export interface SetActiveParams { organization: string | null; }

/** A signed-in user. */
export interface User {
  id: string;
  emailAddress: string;
  name: string;
  emailVerified: boolean;
  createdAt: Date;
  /**
   * The organization this user last made active (`PUT /v1/me/active-organization`), where a new
   * tab starts; `null` when none was chosen or they are no longer an active member of it.
   */
  lastActiveOrganizationId: string | null;
}

export type SignUpParams = SignUpRequest;
export type SignInParams = SignInRequest;
/** `requestPasswordReset`: the address to mail a password-reset link to. */
export type RequestPasswordResetParams = PasswordForgotRequest;
/** `resetPassword`: the token from the mailed link and the new password (8 to 256 characters). */
export type ResetPasswordParams = PasswordResetRequest;
/**
 * `signInWithSso`: an email address (the connection serving its domain) or an organization slug
 * (with several connections, also the email); `returnTo` a path here or an allowed origin;
 * `navigate: false` answers the provider's URL instead of going there.
 */
export type SignInWithSsoParams =
  | { emailAddress: string; organizationSlug?: string; returnTo?: string; navigate?: boolean }
  | { organizationSlug: string; emailAddress?: string; returnTo?: string; navigate?: boolean };
export type CreateOrganizationParams = CreateOrganizationRequest;
export interface UpdateOrganizationParams { name?: string; slug?: string; allowJoinRequests?: boolean; requireSso?: boolean; maxAllowedMemberships?: number; creatorProtection?: boolean; }
/** JSON values of metadata. */
export type MetadataValue = string | number | boolean | null | MetadataValue[] | { [key: string]: MetadataValue };
/** Metadata: `privateMetadata` only for those who may write it. */
export interface OrganizationMetadata { publicMetadata: { [key: string]: MetadataValue }; privateMetadata?: { [key: string]: MetadataValue }; }
/** A merge: objects merge key by key; a key set to `null` is removed. At most 8 KiB each. */
export interface UpdateMetadataParams { publicMetadata?: { [key: string]: MetadataValue }; privateMetadata?: { [key: string]: MetadataValue }; }
export interface BillingAddress { line1: string; line2?: string | null; city: string; state?: string | null; postalCode: string; country: string; }
export interface TaxId { type: string; value: string; country: string; }
/** A payment provider's reference and display fields: never card data. */
export interface PaymentMethod { provider: string; reference: string; brand: "visa" | "mastercard" | "amex" | "discover" | "jcb" | "diners" | "unionpay" | "unknown"; last4: string; expMonth: number; expYear: number; }
export interface BillingProfileParams { legalName?: string | null; email?: string | null; phone?: string | null; address?: BillingAddress | null; taxIds?: TaxId[]; paymentMethod?: PaymentMethod | null; }
export interface BillingProfile extends BillingProfileParams { taxIds: TaxId[]; updatedAt?: Date; }
/** The organization's governance methods (written in JS, `src/js/governance.js`; declaration merging with the class). */
export interface Organization {
  /** The organization's metadata: `{ publicMetadata, privateMetadata? }` (the private part only for holders of `org:profile:manage`). */
  getMetadata(): Promise<OrganizationMetadata>;
  /** Merges into the organization's metadata (`org:profile:manage`): objects merge key by key, and a key set to `null` is removed. Each field is an object of at most 8 KiB. */
  updateMetadata(p: UpdateMetadataParams): Promise<OrganizationMetadata>;
  /** Sets the organization's logo (`org:profile:manage`) from a `File` or `Blob`: a PNG, JPEG or WebP image of at most 1 MB, judged by its content before it is sent. Resolves to the organization as changed: its `imageUrl` names the new logo (a new URL for each). */
  setLogo(file: Blob): Promise<Organization>;
  /** Deletes the organization's logo (`org:profile:manage`). */
  deleteLogo(): Promise<void>;
  /** The billing profile (`org:billing:read`). */
  getBillingProfile(): Promise<BillingProfile>;
  /** Replaces the billing profile (`org:billing:manage`). The payment method is the provider's reference and display fields (brand, last4, expiry): a card number anywhere is refused locally (`card_data_refused`), as by the server. */
  updateBillingProfile(p: BillingProfileParams): Promise<BillingProfile>;
}
/** `org.transferOwnership`: the member who becomes the owner, and the role I keep (default `admin`). */
export type TransferOwnershipParams = TransferOwnershipRequest;
export interface PageParams { limit?: number; after?: string | null; }

export interface InviteMemberParams { emailAddress: string; role: Role; delivery?: InvitationDelivery; }
export interface InviteMembersParams { emailAddresses: string[] | string; role: Role; delivery?: InvitationDelivery; }
export interface UpdateRoleParams { userId: string; role: Role; }
/** `org.updateMember`: the member's whole set of roles (1 to 22, each once; the first primary), or one `role`. */
export type UpdateMemberParams = { userId: string; roles: Role[] } | { userId: string; role: Role };
/** `membership.update`: one `role`, or the whole set of `roles` (the first primary). */
export type UpdateMembershipParams = { role: Role } | { roles: Role[] };

/** `org.getRoles()`: the organization's roles, built-ins first, and what a role may hold. */
export interface RoleCatalog {
  data: OrgRole[];
  /** Every permission a role may hold: the system ones, then the app's (`--app-permission`). */
  permissions: (Permission | AppPermission)[];
  /** The role a new owner is given on an ownership transfer. */
  creatorRole: Role;
  /** The role invitations, invite links, domains and SSO give when none is named. */
  defaultRole: Role;
}
/** `org.createRole`: `key` is `org:<slug>` (slug 1 to 40 of a-z, 0-9, _ and -), `name` 1 to 64 characters, `description` up to 500. */
export type CreateRoleParams = CreateRoleRequest;
/** `role.update`: what changes; `permissions` is the whole new set. */
export type UpdateOrgRoleParams = UpdateRoleRequest;
/** `org.updateRoleSettings`: the creator role (must hold memberships manage and read, and delete) and the default role. */
export type UpdateRoleSettingsParams = RoleSettingsRequest;

/** One page of members. */
export interface MembershipsPage {
  data: OrganizationMembership[];
  /** Pass as `after` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** `kit.requestToJoin`: the organization's slug or id, and an optional message (at most 500 characters). */
export type RequestToJoinParams = CreateJoinRequestRequest;
/** `org.getJoinRequests`: all statuses (pending first) unless `status` is given. */
export interface JoinRequestsParams extends PageParams { status?: JoinRequestStatus; }
/** `request.accept`: the role to grant (by default the one proposed, else the default role). */
export type AcceptJoinRequestParams = AcceptJoinRequestRequest;

/** One page of requests to join. */
export interface JoinRequestsPage {
  data: JoinRequest[];
  /** Pass as `after` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** A member's public data. */
export interface PublicUserData {
  userId: string;
  /** The member's email address. */
  identifier: string;
  name: string;
}

/** The result for one address of `inviteMembers`. */
export interface InviteResult {
  emailAddress: string;
  invitation?: Invitation;
  error?: { code: ErrorCode; message: string };
}

/** What an invitation token is for, before signing in. */
export interface InvitationPreview {
  emailAddress: string;
  organizationName: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: Date;
}

/** The filters of `getAuditEvents`; each is optional, and they combine. */
export interface AuditEventsParams extends PageParams {
  /** Events by this user id. */
  actor?: string;
  /** Events of this action, for example `"membership.role_changed"`. */
  action?: string;
  /** Events about this subject: a user, invitation or organization id. */
  subject?: string;
  /** From this instant, inclusive. */
  from?: Date | number;
  /** Until this instant, exclusive. */
  to?: Date | number;
}

/** Who made a change. */
export interface AuditActor { type: "user"; id: string; }

/** One change to an organization: who did what, to what, when and from where. */
export interface AuditEvent {
  id: string;
  organizationId: string;
  actor: AuditActor;
  /** For example `"invitation.created"` or `"membership.role_changed"`. */
  action: string;
  /** The id of what it happened to. */
  subject: string;
  /** A short human-readable detail: an address, a role change, a name. */
  detail: string;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
}

/** One page of audit events, newest first. */
export interface AuditEventsPage {
  data: AuditEvent[];
  /** Pass as `after` for the next (older) page; `null` on the last page. */
  nextCursor: string | null;
}


export interface CreateInviteLinkParams {
  role: Role;
  /** When it stops working: in the future. Absent: never. */
  expiresAt?: Date | number;
  /** 1 to 10000. Absent: unlimited. */
  maxUses?: number;
  /** Accepting files a join request for an admin instead of joining (default `false`). */
  requiresApproval?: boolean;
}

/** An invite link's data, own properties of each `InviteLink` (declaration merging with the
 * class below, whose methods are `reset` and `revoke`). */
export interface InviteLink {
  readonly id: string;
  readonly organizationId: string;
  /** The role people join with. */
  readonly role: Role;
  /** The status when it was read. */
  readonly status: InviteLinkStatus;
  /** Accepting files a join request for an admin instead of joining. */
  readonly requiresApproval: boolean;
  /** `null`: unlimited. */
  readonly maxUses: number | null;
  /** Joins and join requests so far. */
  readonly uses: number;
  /** `null`: never. */
  readonly expiresAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  /** The secret token: only on a link just created or reset. */
  readonly token?: string;
  /** `{server}/join?token=…`: only on a link just created or reset. */
  readonly url?: string;
}

/** One page of invite links, oldest first. */
export interface InviteLinksPage {
  data: InviteLink[];
  /** Pass as `after` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** What an invite link leads to, before signing in: nothing about the members. */
export interface InviteLinkPreview {
  organizationName: string;
  organizationSlug: string;
  role: Role;
  status: InviteLinkStatus;
  requiresApproval: boolean;
}

/** The join request an invite link that requires approval filed. */
export interface LinkJoinRequest {
  id: string;
  organizationId: string;
  status: "pending";
  createdAt: Date;
}

/** What `acceptInviteLink` did: joined (`membership`), or asked to (`joinRequest`). */
export type InviteLinkAcceptance =
  | { membership: OrganizationMembership; joinRequest?: undefined }
  | { membership?: undefined; joinRequest: LinkJoinRequest };

/** An email in the dev mailbox. */
export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
  link?: string;
  createdAt: Date;
}

/** An invitation as plain data: the answer of declining or dismissing one. */
export interface InvitationData {
  id: string;
  emailAddress: string;
  role: Role;
  status: InvitationStatus;
  organizationId: string;
  organizationName: string;
  createdAt: Date;
  expiresAt: Date;
}


/** The filters of `getRoster`; each is optional. */
export interface RosterParams extends PageParams {
  /** Only these statuses (default: every status my role may see). */
  status?: RosterStatus[];
  /** The start of a name or an email address, matched case-insensitively. */
  query?: string;
}

/** One person on the roster: a member, a pending invitation or a pending request to join. */
export interface RosterEntry {
  status: RosterStatus;
  /** `mem_…`, `inv_…` or `jrq_…`. */
  id: string;
  /** The user (joined and requested); pass it to `removeMembers`. */
  userId?: string;
  /** The person's name (joined and requested). */
  name?: string;
  emailAddress: string;
  /** The role held, invited with, or proposed. */
  role: Role;
  createdAt: Date;
  /** When the invitation expires (invited only). */
  expiresAt?: Date;
}

/** One page of the roster, ordered by email address. */
export interface RosterPage {
  data: RosterEntry[];
  /** Pass as `after` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** The result for one member of `removeMembers`. */
export interface BulkRemoveResult {
  memberId: string;
  removed: boolean;
  error?: { code: ErrorCode; message: string };
}

/** The answer of `removeMembers`: one result per member, in the order given. */
export interface BulkRemoveResponse { data: BulkRemoveResult[]; }
"#;

mod domains;
mod joining;
mod sso;
mod store;
#[cfg(test)]
mod tests;
mod webhooks;
mod workspaces;
