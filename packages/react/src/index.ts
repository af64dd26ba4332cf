// @orgkit/react: React hooks on the orgkit SDK's reactive store.
export { OrgKitProvider, useOrgKit, useSnapshot } from "./context.js";
export type { OrgKitProviderProps } from "./context.js";
export { useOrganization } from "./useOrganization.js";
export type { UseOrganizationParams, UseOrganizationReturn, OrganizationLists } from "./useOrganization.js";
export { useOrganizationList } from "./useOrganizationList.js";
export type { UseOrganizationListParams, UseOrganizationListReturn, SetActiveParams } from "./useOrganizationList.js";
export { useHas } from "./useHas.js";
export { useUser } from "./useUser.js";
export type { UseUserReturn } from "./useUser.js";
export type { ClerkPaging, ListParam } from "./keep.js";
export type {
  InvitationListOptions, KeepOptions, ListOptions, OrgKitStore, PaginatedList, Snapshot, Status,
} from "./store.js";
