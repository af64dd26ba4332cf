//! The reactive store's TypeScript declarations (`getSnapshot`, `keep`, `setRevalidation`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const STORE_TS_SECTION: &'static str = STORE_TYPES;

/// The store's declarations.
#[allow(dead_code)] // read by the custom section above, which rustc does not see
pub(crate) const STORE_TYPES: &str = r#"
/** Where the snapshot stands: `loading` until the first `GET /v1/me` answered. */
export type Status = "loading" | "ready" | "error";

/** A kept list, paged like Clerk's paginated resources (infinite mode). */
export interface PaginatedList<T> {
  /** Every item fetched so far: the first page, then each `fetchNext` appends one. */
  readonly data: readonly T[];
  /** The total when the server gives the whole list (invitations, domains, mine); else `data.length`. */
  readonly count: number;
  readonly hasNextPage: boolean;
  /** The first load is in flight. */
  readonly isLoading: boolean;
  /** Any load is in flight (`fetchNext`, `revalidate`). */
  readonly isFetching: boolean;
  readonly error: OrgKitError | null;
  fetchNext(): Promise<void>;
  /** Refetches from the first page through the pages already shown. */
  revalidate(): Promise<void>;
}

/** How a kept list is paged: `pageSize` 1 to 100, default 10. */
export interface ListOptions { pageSize?: number; }
/** `keep`: the lists to keep in the snapshot. */
export interface KeepOptions {
  /** The active organization's members. */
  memberships?: true | ListOptions;
  /** The active organization's invitations; only pending ones can be kept today. */
  invitations?: true | (ListOptions & { status?: ["pending"] });
  /** The active organization's requests to join (Clerk: membershipRequests). */
  joinRequests?: true | ListOptions;
  /** The active organization's email domains. */
  domains?: true | ListOptions;
  /** My memberships in every organization. */
  userMemberships?: true | ListOptions;
  /** The pending invitations addressed to me. */
  userInvitations?: true | ListOptions;
}

/** `setRevalidation`: revalidate on focus (default `true`), and every `intervalMs` (at least 1000; `null`: never). */
export interface RevalidationOptions { onFocus?: boolean; intervalMs?: number | null; }

/** The state `getSnapshot` gives: immutable, a new object after every change. */
export interface Snapshot {
  readonly status: Status;
  readonly error: OrgKitError | null;
  /** `null` when nobody is signed in. */
  readonly user: User | null;
  /** This tab's active organization. */
  readonly organization: Organization | null;
  /** My membership in it. */
  readonly membership: OrganizationMembership | null;
  /** My permissions in it. */
  readonly permissions: readonly (Permission | AppPermission)[];
  readonly memberships?: PaginatedList<OrganizationMembership>;
  readonly invitations?: PaginatedList<Invitation>;
  readonly joinRequests?: PaginatedList<JoinRequest>;
  readonly domains?: PaginatedList<OrganizationDomain>;
  readonly userMemberships?: PaginatedList<OrganizationMembership>;
  readonly userInvitations?: PaginatedList<Invitation>;
}
"#;
