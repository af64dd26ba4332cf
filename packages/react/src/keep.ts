// Asking the store to keep lists from a hook: the hook's params become `kit.keep` options, and a
// key that only changes when they do, so an inline `{ pageSize: 20 }` does not keep again on every
// render.
import { useEffect } from "react";
import type { OrgKitStore, KeepOptions, ListOptions, InvitationListOptions } from "./store.js";

/**
 * Clerk's paging flags, taken so that code written for Clerk type-checks: a kept list is always
 * infinite (`fetchNext` appends) and keeps its data while it revalidates.
 */
export interface ClerkPaging {
  infinite?: true;
  keepPreviousData?: boolean;
}

/** A hook's list param: `true` for the defaults, its options, or `false`/absent for none. */
export type ListParam<O extends ListOptions = ListOptions> = boolean | (O & ClerkPaging) | undefined;

/** The options of one list as the store takes them, or `undefined` when not asked. */
export function listOptions(param: ListParam): true | ListOptions | undefined {
  if (param === undefined || param === false) return undefined;
  if (param === true) return true;
  return param.pageSize === undefined ? true : { pageSize: param.pageSize };
}

/** The invitations' options as the store takes them (a copy of `status`, in the order given). */
export function invitationOptions(param: ListParam<InvitationListOptions>): true | InvitationListOptions | undefined {
  if (param === undefined || param === false) return undefined;
  if (param === true) return true;
  const out: InvitationListOptions = {};
  if (param.pageSize !== undefined) out.pageSize = param.pageSize;
  if (param.status !== undefined) out.status = [...param.status];
  return Object.keys(out).length === 0 ? true : out;
}

/** The lists asked for, without the absent ones; `null` when none is. */
export function compact(lists: KeepOptions): KeepOptions | null {
  const out: KeepOptions = JSON.parse(JSON.stringify(lists)) as KeepOptions;
  return Object.keys(out).length === 0 ? null : out;
}

/** A key equal for equal options (the lists are always built in the same order). */
export function keepKey(lists: KeepOptions | null): string {
  return lists === null ? "" : JSON.stringify(lists);
}

/** Keeps `lists` while the component is mounted and they stay the same; releases them after. */
export function useKeep(kit: OrgKitStore, lists: KeepOptions | null): void {
  const key = keepKey(lists);
  useEffect(() => {
    if (key === "") return undefined;
    const release = kit.keep(JSON.parse(key) as KeepOptions);
    return release;
  }, [kit, key]);
}
