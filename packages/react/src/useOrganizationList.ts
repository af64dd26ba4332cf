// useOrganizationList(): my memberships and the invitations addressed to me, with
// createOrganization and setActive, in the shape of Clerk's hook of the same name.
import { useCallback } from "react";
import type { CreateOrganizationParams, Invitation, Organization, OrganizationMembership } from "orgkit";
import { useBound, useSnapshot } from "./context.js";
import { compact, listOptions, useKeep } from "./keep.js";
import type { ListParam } from "./keep.js";
import type { ListOptions, PaginatedList } from "./store.js";

/** Which of my lists to keep: `true` (defaults) or their options. */
export interface UseOrganizationListParams {
  /** My memberships, each with its organization. */
  userMemberships?: ListParam<ListOptions>;
  /** The pending invitations addressed to me. */
  userInvitations?: ListParam<ListOptions>;
}

/** `setActive`'s params: an organization, its id, or `null` for none (per tab). */
export interface SetActiveParams {
  organization: Organization | string | null;
}

/** Clerk's shape; each list `undefined` when not asked (or before the store keeps it). */
export interface UseOrganizationListReturn {
  isLoaded: boolean;
  /** Creates an organization; I become its admin. It does not become active by itself. */
  createOrganization: (params: CreateOrganizationParams) => Promise<Organization>;
  /** Makes an organization this tab's active one (remembered by the server for new tabs). */
  setActive: (params: SetActiveParams) => Promise<void>;
  userMemberships: PaginatedList<OrganizationMembership> | undefined;
  userInvitations: PaginatedList<Invitation> | undefined;
}

/**
 * My organizations and invitations, kept while the component is mounted.
 *
 * @example
 * const { userMemberships, setActive } = useOrganizationList({ userMemberships: true });
 */
export function useOrganizationList(params: UseOrganizationListParams = {}): UseOrganizationListReturn {
  const { kit } = useBound();
  const snapshot = useSnapshot();
  const memberships = listOptions(params.userMemberships);
  const invitations = listOptions(params.userInvitations);
  useKeep(kit, compact({ userMemberships: memberships, userInvitations: invitations }));
  const createOrganization = useCallback((p: CreateOrganizationParams) => kit.createOrganization(p), [kit]);
  const setActive = useCallback(({ organization }: SetActiveParams) =>
    kit.setActive({ organization: typeof organization === "string" || organization === null ? organization : organization.id }), [kit]);
  return {
    isLoaded: snapshot.status !== "loading",
    createOrganization,
    setActive,
    userMemberships: memberships === undefined ? undefined : snapshot.userMemberships,
    userInvitations: invitations === undefined ? undefined : snapshot.userInvitations,
  };
}
