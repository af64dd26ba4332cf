//! Workspaces', groups', service accounts' and API keys' TypeScript declarations: their classes
//! are written in JS (`src/js/workspaces.js`), so they are declared here with their data.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const WORKSPACE_TS_SECTION: &'static str = WORKSPACE_TYPES;

/// Workspaces', groups', service accounts' and API keys' declarations.
#[allow(dead_code)] // read by the custom section above
pub(crate) const WORKSPACE_TYPES: &str = r#"

/** The organization's workspace, group, service account and API key methods (written in JS, `src/js/workspaces.js`; declaration merging with the class). */
export interface Organization {
  /**
   * Creates a shared workspace (needs `org:workspaces:manage`); without a slug, one is suggested from the name.
   *
   * @example
   * ```js
   * const ws = await org.createWorkspace({ name: "Payments" });
   * ```
   */
  createWorkspace(p: CreateWorkspaceParams): Promise<Workspace>;
  /** One page of the workspaces I reach (all of them with `org:workspaces:manage`), by id: `{ data, nextCursor }`. */
  getWorkspaces(p?: PageParams): Promise<WorkspacesPage>;
  /** A workspace I reach, by id (`not_found` otherwise). */
  getWorkspace(id: string): Promise<Workspace>;
  /** My personal workspace here, created on first use; I am its manager, and it takes no grants. */
  getPersonalWorkspace(): Promise<Workspace>;
  /** Creates a group (needs `org:groups:manage`). */
  createGroup(p: CreateGroupParams): Promise<Group>;
  /** One page of the organization's groups, by id (any member): `{ data, nextCursor }`. */
  getGroups(p?: PageParams): Promise<GroupsPage>;
  /** Creates a service account with an organization role (needs `org:service_accounts:manage`, and a role I could grant). */
  createServiceAccount(p: CreateServiceAccountParams): Promise<ServiceAccount>;
  /** One page of the organization's service accounts, by id (needs `org:memberships:read`): `{ data, nextCursor }`. */
  getServiceAccounts(p?: PageParams): Promise<ServiceAccountsPage>;
  /**
   * Creates an API key of mine, acting as me in this organization (within `permissions`, a subset of mine, when given), under the organization's policy (`api_keys_disabled` when it allows none). Resolves to `{ apiKey, secret }`: the secret (`ok_` and 64 hex digits) is shown only this once.
   *
   * @example
   * ```js
   * const { apiKey, secret } = await org.createApiKey({
   *   name: "reporting", permissions: ["org:memberships:read"],
   * });
   * ```
   */
  createApiKey(p: CreateApiKeyParams): Promise<CreatedApiKey>;
  /** One page of API keys: mine, or everyone's with `org:api_keys:manage`; one service account's with `serviceAccountId`. `{ data, nextCursor }`. */
  getApiKeys(p?: GetApiKeysParams): Promise<ApiKeysPage>;
  /** Who may create API keys here: `nobody`, `admins` (holders of `org:api_keys:manage`, the default) or `members` (each their own). */
  getApiKeyPolicy(): Promise<ApiKeyPolicy>;
  /** Sets who may create API keys (needs `org:api_keys:manage`). Existing keys stay. */
  setApiKeyPolicy(policy: ApiKeyPolicy): Promise<ApiKeyPolicy>;
}

/** The kit's workspace method (written in JS). */
export interface OrgKit {
  /** One page of the workspaces I reach in an organization, by id: `{ data, nextCursor }`. */
  getMyWorkspaces(p: GetMyWorkspacesParams): Promise<WorkspacesPage>;
}

/**
 * A workspace of an organization, with my effective role in it (`myRole`, `myAccessVia`).
 * Its fields are own properties, as the server answered them.
 *
 * @example
 * ```js
 * const ws = await org.createWorkspace({ name: "Payments" });
 * await ws.addGroup({ groupId: group.id, role: "ws:member" });
 * ```
 */
export class Workspace {
  private constructor();
  /** Renames it or changes its slug (its managers). */
  update(p: UpdateWorkspaceParams): Promise<Workspace>;
  /** Archives it (its managers): its data stays, it takes no new grants, and only managers still reach it. */
  archive(): Promise<Workspace>;
  /** Restores an archived workspace (its managers). */
  unarchive(): Promise<Workspace>;
  /** Grants a member of the organization a role here (its managers; not on a personal or an archived workspace). Resolves to the grant. */
  addMember(p: { userId: string; role: WorkspaceRole }): Promise<WorkspaceGrant>;
  /** Grants a group a role here: each of its members reaches the workspace with it. */
  addGroup(p: { groupId: string; role: WorkspaceRole }): Promise<WorkspaceGrant>;
  /** Grants a service account a role here. */
  addServiceAccount(p: { serviceAccountId: string; role: WorkspaceRole }): Promise<WorkspaceGrant>;
  /** Takes a principal's grant away (its managers): `{ type, id }`, as a grant's `principal` reads. */
  removePrincipal(p: { type: PrincipalKind; id: string }): Promise<void>;
  /** One page of its grants, oldest first (its managers): `{ data, nextCursor }`. */
  getMembers(p?: PageParams): Promise<WorkspaceGrantsPage>;
  /** A member's effective access here, with where it comes from (its managers, or anyone about themselves). */
  getAccess(userId: string): Promise<EffectiveAccess>;
}

/**
 * A group of an organization's members and service accounts: granted a workspace role, it
 * gives it to each of them. Its fields are own properties.
 *
 * @example
 * ```js
 * const group = await org.createGroup({ name: "Payments team" });
 * await group.addMember({ userId: grace.id, role: "member" });
 * ```
 */
export class Group {
  private constructor();
  /** Renames it or changes its description (needs `org:groups:manage`). */
  update(p: UpdateGroupParams): Promise<Group>;
  /** Deletes it (needs `org:groups:manage`), with its grants and memberships. */
  destroy(): Promise<void>;
  /** Adds a member (`userId`) or a service account (`serviceAccountId`) with a role in the group, or changes their role (needs `org:groups:manage`, or to be a manager of the group). Resolves to the group membership. */
  addMember(p: AddGroupMemberParams): Promise<GroupMember>;
  /** Takes a member or a service account out of the group (needs `org:groups:manage`, or to be a manager of the group). */
  removeMember(p: RemoveGroupMemberParams): Promise<void>;
  /** One page of its members, oldest first: `{ data, nextCursor }`. */
  getMembers(p?: PageParams): Promise<GroupMembersPage>;
}

/**
 * A service account: a machine principal of the organization, acting through its API keys
 * with its organization role. Its fields are own properties.
 *
 * @example
 * ```js
 * const ci = await org.createServiceAccount({ name: "CI", role: "basic_member" });
 * const { secret } = await ci.createApiKey({ name: "deploys" });
 * ```
 */
export class ServiceAccount {
  private constructor();
  /** Changes its name, description or role (needs `org:service_accounts:manage`, and a role I could grant). */
  update(p: UpdateServiceAccountParams): Promise<ServiceAccount>;
  /** Deletes it (needs `org:service_accounts:manage`): its keys are revoked, its grants and group memberships removed. */
  destroy(): Promise<void>;
  /** Creates an API key of this service account (needs `org:service_accounts:manage`, and what the organization's policy asks). Resolves to `{ apiKey, secret }`: the secret is shown only this once. */
  createApiKey(p: CreateApiKeyParams): Promise<CreatedApiKey>;
  /** One page of its API keys (needs `org:api_keys:manage` or `org:service_accounts:manage`): `{ data, nextCursor }`. */
  getApiKeys(p?: PageParams): Promise<ApiKeysPage>;
}

/** An API key of a member or a service account, never with its secret (`createApiKey` answers that, once). Its fields are own properties. */
export class ApiKey {
  private constructor();
  /** Revokes it, with an optional reason (at most 200 characters): it stops working at once. My own keys always; anyone else's need `org:api_keys:manage` (a service account's, that or `org:service_accounts:manage`). */
  revoke(p?: { reason?: string }): Promise<ApiKey>;
}

/** A workspace's data, own properties of each `Workspace` (declaration merging with the class). */
export interface Workspace {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly slug: string;
  /** A member's own workspace: it takes no grants. */
  readonly personal: boolean;
  /** Archived: it takes no new grants, and only managers reach it. */
  readonly archived: boolean;
  readonly createdAt: Date;
  /** My effective role in it. */
  readonly myRole: WorkspaceRole | null;
  readonly myAccessVia: AccessVia | null;
}
export type CreateWorkspaceParams = CreateWorkspaceRequest;
export type UpdateWorkspaceParams = UpdateWorkspaceRequest;
/** `kit.getMyWorkspaces`: the organization, and the page. */
export interface GetMyWorkspacesParams extends PageParams { organizationId: string; }
export interface WorkspacesPage { data: Workspace[]; nextCursor: string | null; }

/** Someone or something granted a role, with a name to show. */
export interface Principal { type: PrincipalKind; id: string; name: string; }
/** One grant of a workspace role. */
export interface WorkspaceGrant { workspaceId: string; principal: Principal; role: WorkspaceRole; createdAt: Date; }
export interface WorkspaceGrantsPage { data: WorkspaceGrant[]; nextCursor: string | null; }
/** A member's effective access to a workspace: `role` and `via` are `null` without access. */
export interface EffectiveAccess { userId: string; role: WorkspaceRole | null; via: AccessVia | null; }

/** A group's data, own properties of each `Group`. */
export interface Group {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly description: string;
  readonly memberCount: number;
  readonly createdAt: Date;
  /** My role in the group, when I am in it. */
  readonly myRole: GroupRole | null;
}
export type CreateGroupParams = CreateGroupRequest;
export type UpdateGroupParams = UpdateGroupRequest;
/** `group.addMember`: a member (`userId`) or a service account (`serviceAccountId`), and the role. */
export type AddGroupMemberParams =
  | { userId: string; serviceAccountId?: undefined; role: GroupRole }
  | { userId?: undefined; serviceAccountId: string; role: GroupRole };
export type RemoveGroupMemberParams =
  | { userId: string; serviceAccountId?: undefined }
  | { userId?: undefined; serviceAccountId: string };
export interface GroupMember { groupId: string; principal: Principal; role: GroupRole; createdAt: Date; }
export interface GroupsPage { data: Group[]; nextCursor: string | null; }
export interface GroupMembersPage { data: GroupMember[]; nextCursor: string | null; }

/** A service account's data, own properties of each `ServiceAccount`. */
export interface ServiceAccount {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly description: string;
  /** Its organization role. */
  readonly role: Role;
  readonly createdAt: Date;
  readonly createdBy: string;
}
export type CreateServiceAccountParams = CreateServiceAccountRequest;
export type UpdateServiceAccountParams = UpdateServiceAccountRequest;
export interface ServiceAccountsPage { data: ServiceAccount[]; nextCursor: string | null; }

/** An API key's data, own properties of each `ApiKey`: never its secret. */
export interface ApiKey {
  readonly id: string;
  readonly organizationId: string;
  /** A member (`user`) or a `service_account`. */
  readonly owner: Principal;
  readonly name: string;
  readonly description: string;
  /** The secret's last four characters. */
  readonly last4: string;
  /** The permissions it is limited to; `null`: all of its owner's. */
  readonly permissions: (Permission | AppPermission)[] | null;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  /** To within a few seconds. */
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokeReason: string | null;
}
export interface CreateApiKeyParams {
  name: string;
  description?: string;
  /** In the future; absent: never. */
  expiresAt?: Date | number;
  /** A subset of the owner's permissions; absent: all of them, as they are at each request. */
  permissions?: (Permission | AppPermission)[];
}
/** A new key with its secret (`ok_` and 64 hex digits): shown only this once. */
export interface CreatedApiKey { apiKey: ApiKey; secret: string; }
export interface GetApiKeysParams extends PageParams { serviceAccountId?: string; }
export interface ApiKeysPage { data: ApiKey[]; nextCursor: string | null; }
"#;
