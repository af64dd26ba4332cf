// useOrganization(): the active organization, my membership in it, and the lists asked for, in
// the shape of Clerk's hook of the same name.
import type { Invitation, JoinRequest, Organization, OrganizationDomain, OrganizationMembership } from "orgkit";
import { useBound, useSnapshot } from "./context.js";
import { compact, invitationOptions, listOptions, useKeep } from "./keep.js";
import type { ListParam } from "./keep.js";
import type { InvitationListOptions, ListOptions, PaginatedList } from "./store.js";

/** Which lists of the active organization to keep: `true` (defaults) or their options. */
export interface UseOrganizationParams {
  /** Its members. */
  memberships?: ListParam<ListOptions>;
  /** Its pending invitations (the store keeps only those today). */
  invitations?: ListParam<InvitationListOptions>;
  /** Its join requests (orgkit's `joinRequests`). */
  membershipRequests?: ListParam<ListOptions>;
  /** Its email domains. */
  domains?: ListParam<ListOptions>;
}

/** The lists, each `undefined` when not asked (or before the store keeps it). */
export interface OrganizationLists {
  memberships: PaginatedList<OrganizationMembership> | undefined;
  invitations: PaginatedList<Invitation> | undefined;
  membershipRequests: PaginatedList<JoinRequest> | undefined;
  domains: PaginatedList<OrganizationDomain> | undefined;
}

/** Clerk's shape: nothing until loaded; then the organization, or `null` when none is active. */
export type UseOrganizationReturn =
  | ({ isLoaded: false; organization: undefined; membership: undefined } & OrganizationLists)
  | ({ isLoaded: true; organization: Organization | null; membership: OrganizationMembership | null } & OrganizationLists);

/**
 * The active organization and my membership; keeps the lists asked for while the component is
 * mounted (`kit.keep`), released on unmount or when the params change.
 *
 * @example
 * const { isLoaded, organization, memberships } = useOrganization({ memberships: { pageSize: 20 } });
 */
export function useOrganization(params: UseOrganizationParams = {}): UseOrganizationReturn {
  const { kit } = useBound();
  const snapshot = useSnapshot();
  useKeep(kit, compact({
    memberships: listOptions(params.memberships),
    invitations: invitationOptions(params.invitations),
    joinRequests: listOptions(params.membershipRequests),
    domains: listOptions(params.domains),
  }));
  const asked = (param: ListParam<ListOptions> | undefined) => param !== undefined && param !== false;
  const lists: OrganizationLists = {
    memberships: asked(params.memberships) ? snapshot.memberships : undefined,
    invitations: asked(params.invitations) ? snapshot.invitations : undefined,
    membershipRequests: asked(params.membershipRequests) ? snapshot.joinRequests : undefined,
    domains: asked(params.domains) ? snapshot.domains : undefined,
  };
  if (snapshot.status === "loading") return { isLoaded: false, organization: undefined, membership: undefined, ...lists };
  return { isLoaded: true, organization: snapshot.organization, membership: snapshot.membership, ...lists };
}
