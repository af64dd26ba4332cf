//! Invite links' and join requests' classes and methods, written in JS (`src/js/links.js`,
//! `src/js/join_requests.js`): their TypeScript declarations. Their data and parameters are in
//! `mod.rs`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const JOINING_TS_SECTION: &'static str = JOINING_TYPES;

/// `InviteLink`'s and `JoinRequest`'s declarations, with the methods that make them.
#[allow(dead_code)] // read by the custom section above
const JOINING_TYPES: &str = r#"
/**
 * An invite link of an organization (written in JS, `src/js/links.js`). `token` and `url` are set only on the link that `createInviteLink` or `reset` answered: they are shown once.
 *
 * @example
 * ```js
 * const link = await org.createInviteLink({ role: "basic_member", maxUses: 10 });
 * navigator.clipboard.writeText(link.url);
 * const fresh = await link.reset(); // the old URL stops working
 * ```
 */
export class InviteLink {
  private constructor();
  /** Revokes the link: its URL stops working at once. */
  revoke(): Promise<InviteLink>;
  /** Replaces the link by a new one with the same options (and the same lifetime from now): the old URL stops working; the new link carries its `token` and `url`, once. */
  reset(): Promise<InviteLink>;
}

/** The organization's invite link methods (written in JS; declaration merging with the class). */
export interface Organization {
  /**
   * Creates an invite link (needs `org:links:manage`, and a role I could grant). Anyone with its URL may join with `role`, or ask to when `requiresApproval`. The answer carries `token` and `url`, shown only this once. `expiresAt` (a `Date`, in the future) and `maxUses` (1 to 10000) are optional: by default the link never expires and has no limit.
   *
   * @example
   * ```js
   * const link = await org.createInviteLink({ role: "basic_member", requiresApproval: true });
   * ```
   */
  createInviteLink(p: CreateInviteLinkParams): Promise<InviteLink>;
  /** One page of the organization's invite links, oldest first, with their status and uses (needs `org:links:manage`). Listed links never carry their token. */
  getInviteLinks(p?: PageParams): Promise<InviteLinksPage>;
}

/**
 * A request to join an organization (written in JS, `src/js/join_requests.js`), as its requester sees it (`kit.getMyJoinRequests()`) or as an admin does (`org.getJoinRequests()`). Its fields are own properties.
 *
 * @example
 * ```js
 * const { data } = await org.getJoinRequests({ status: "pending" });
 * await data[0].accept({ role: "basic_member" });
 * ```
 */
export class JoinRequest {
  private constructor();
  /** The request's id. */
  readonly id: string;
  /** `pending`, `accepted`, `rejected` or `withdrawn`. */
  readonly status: JoinRequestStatus;
  /** How it came: `request`, `link` or `suggestion`. */
  readonly source: JoinRequestSource;
  /** The requester's message, if any. */
  readonly message: string | null;
  /** The role proposed (an invite link's) or, once accepted, granted; `null`: the default. */
  readonly role: Role | null;
  /** The organization's id. */
  readonly organizationId: string;
  /** The organization's name. */
  readonly organizationName: string;
  /** The organization's slug. */
  readonly organizationSlug: string;
  /** The requester: `{ userId, identifier, name }` (`identifier` is the email address). */
  readonly publicUserData: PublicUserData;
  /** When it was filed. */
  readonly createdAt: Date;
  /** When it was accepted, rejected or withdrawn; `null` while pending. */
  readonly decidedAt: Date | null;
  /** Withdraws my pending request. Resolves to the withdrawn request. */
  withdraw(): Promise<JoinRequest>;
  /** Accepts the request (needs `org:requests:manage`): the requester becomes a member with `role`, by default the role proposed, else the default role. Resolves to the membership. */
  accept(p?: AcceptJoinRequestParams): Promise<OrganizationMembership>;
  /** Rejects the request (needs `org:requests:manage`). Resolves to the rejected request. */
  reject(): Promise<JoinRequest>;
}

/** The organization's join request method (written in JS; declaration merging with the class). */
export interface Organization {
  /**
   * One page of the organization's requests to join, pending first, newest first within each group: `{ data, nextCursor }` (needs `org:requests:manage`).
   *
   * @example
   * ```js
   * const { data, nextCursor } = await org.getJoinRequests({ status: "pending" });
   * ```
   */
  getJoinRequests(p?: JoinRequestsParams): Promise<JoinRequestsPage>;
}

/** The kit's join request methods (written in JS). */
export interface OrgKit {
  /** Asks to join an organization, by slug or id, with an optional message (at most 500 characters). The organization must allow requests; its admins are emailed. */
  requestToJoin(p: RequestToJoinParams): Promise<JoinRequest>;
  /** My requests to join, newest first. */
  getMyJoinRequests(): Promise<JoinRequest[]>;
}
"#;
