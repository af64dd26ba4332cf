// useHas(permission): whether I hold a permission in the active organization, re-rendering only
// when the answer changes.
import { useCallback, useSyncExternalStore } from "react";
import type { AppPermission, Permission } from "orgkit";
import { useBound } from "./context.js";

/**
 * Whether my roles in the active organization grant `permission` (the rule book's answer, custom
 * roles and app permissions included); `false` while loading, signed out or without one. Local:
 * no request.
 *
 * @example
 * const canManage = useHas("org:memberships:manage");
 */
export function useHas(permission: Permission | AppPermission): boolean {
  const { kit, subscribe } = useBound();
  const has = useCallback(() => kit.has(permission), [kit, permission]);
  return useSyncExternalStore(subscribe, has, has);
}
