// The part of the SDK's `OrgKit` the hooks use: its reactive store (getSnapshot, subscribe, keep),
// setActive, has and createOrganization. The types are the SDK's own (src/types/store.rs), so the
// two cannot drift; a test can pass a fake that has these members.
import type { KeepOptions, OrgKit } from "orgkit";

export type { KeepOptions, ListOptions, PaginatedList, Snapshot, Status } from "orgkit";

/** The invitations' options as the store takes them (`status`: only `["pending"]` today). */
export type InvitationListOptions = Exclude<KeepOptions["invitations"], true | undefined>;

/** The SDK's client as the hooks see it (`new OrgKit(...)` is one). */
export type OrgKitStore = Pick<
  OrgKit,
  "getSnapshot" | "subscribe" | "keep" | "setActive" | "has" | "createOrganization"
>;
