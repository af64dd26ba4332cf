// The part of the SDK's `OrgKit` the hooks use: its reactive store (getSnapshot, subscribe, keep),
// setActive, has and createOrganization. Structural, so the SDK's class fits it as it is, and a
// test can pass a fake.
import type {
  AppPermission,
  CreateOrganizationParams,
  Invitation,
  InvitationStatus,
  JoinRequest,
  OrgKitError,
  Organization,
  OrganizationDomain,
  OrganizationMembership,
  Permission,
  User,
} from "orgkit";

/** Where the store stands: `loading` until the first `GET /v1/me` answered. */
export type Status = "loading" | "ready" | "error";

/** A list the store keeps, paged by cursor: Clerk's paginated resource in infinite mode. */
export interface PaginatedList<T> {
  /** Every item fetched so far: the first page, then each `fetchNext` appends. */
  readonly data: readonly T[];
  /** The total when the server says it, else `data.length`. */
  readonly count: number;
  readonly hasNextPage: boolean;
  /** The first load is in flight. */
  readonly isLoading: boolean;
  /** Any load is in flight (`fetchNext`, `revalidate`). */
  readonly isFetching: boolean;
  readonly error: OrgKitError | null;
  /** Fetches the next page and appends it. */
  fetchNext(): Promise<void>;
  /** Fetches again from the first page, through the pages already shown. */
  revalidate(): Promise<void>;
}

/** A list's options: `pageSize` 1 to 100, by default 10 (Clerk's default). */
export interface ListOptions {
  pageSize?: number;
}

/** The invitations' options: also which statuses (by default every one the server lists). */
export interface InvitationListOptions extends ListOptions {
  status?: InvitationStatus[];
}

/** What `kit.keep` is asked to keep: each list `true` (defaults) or its options. */
export interface KeepOptions {
  memberships?: true | ListOptions;
  invitations?: true | InvitationListOptions;
  joinRequests?: true | ListOptions;
  domains?: true | ListOptions;
  userMemberships?: true | ListOptions;
  userInvitations?: true | ListOptions;
}

/** The store's state: immutable, a new object on every change. */
export interface Snapshot {
  readonly status: Status;
  readonly error: OrgKitError | null;
  /** `null` when signed out. */
  readonly user: User | null;
  /** This tab's active organization. */
  readonly organization: Organization | null;
  /** My membership in it. */
  readonly membership: OrganizationMembership | null;
  /** My permissions in it. */
  readonly permissions: readonly string[];
  readonly memberships?: PaginatedList<OrganizationMembership>;
  readonly invitations?: PaginatedList<Invitation>;
  readonly joinRequests?: PaginatedList<JoinRequest>;
  readonly domains?: PaginatedList<OrganizationDomain>;
  readonly userMemberships?: PaginatedList<OrganizationMembership>;
  readonly userInvitations?: PaginatedList<Invitation>;
}

/** The SDK's client as the hooks see it (`new OrgKit(...)` fits). */
export interface OrgKitStore {
  getSnapshot(): Snapshot;
  subscribe(listener: () => void): () => void;
  /** Starts keeping these lists; the answer releases them (reference-counted). */
  keep(lists: KeepOptions): () => void;
  setActive(p: { organization: string | null }): Promise<void>;
  has(permission: Permission | AppPermission): boolean;
  createOrganization(p: CreateOrganizationParams): Promise<Organization>;
}
