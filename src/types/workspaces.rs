//! Workspaces', groups', service accounts' and API keys' TypeScript declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const WORKSPACE_TS_SECTION: &'static str = WORKSPACE_TYPES;

/// Workspaces', groups', service accounts' and API keys' declarations.
#[allow(dead_code)] // read by the custom section above
pub(crate) const WORKSPACE_TYPES: &str = r#"

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
