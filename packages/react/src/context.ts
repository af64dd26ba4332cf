// <OrgKitProvider kit>: puts the SDK's client in React's context, with the stable `subscribe`
// and `getSnapshot` that useSyncExternalStore needs.
import { createContext, createElement, useContext, useMemo, useSyncExternalStore } from "react";
import type { ReactNode } from "react";
import type { OrgKitStore, Snapshot } from "./store.js";

/** The client and its store functions, bound once per client. */
export interface Bound {
  readonly kit: OrgKitStore;
  readonly subscribe: (listener: () => void) => () => void;
  readonly getSnapshot: () => Snapshot;
}

const Context = createContext<Bound | null>(null);
Context.displayName = "OrgKit";

/** `<OrgKitProvider kit={kit}>`'s props. */
export interface OrgKitProviderProps {
  /** The SDK's client, `new OrgKit(...)` after `await init()`. */
  kit: OrgKitStore;
  children?: ReactNode;
}

/** Makes `kit` the client of every orgkit hook below it. */
export function OrgKitProvider({ kit, children }: OrgKitProviderProps): ReactNode {
  const bound = useMemo<Bound>(() => ({
    kit,
    subscribe: (listener) => kit.subscribe(listener),
    getSnapshot: () => kit.getSnapshot(),
  }), [kit]);
  return createElement(Context.Provider, { value: bound }, children);
}

/** The provider's bound client; throws outside `<OrgKitProvider>`. */
export function useBound(): Bound {
  const bound = useContext(Context);
  if (bound === null) throw new Error("orgkit hooks must be used inside <OrgKitProvider kit={kit}>");
  return bound;
}

/** The SDK's client from `<OrgKitProvider>`, for everything the hooks do not wrap. */
export function useOrgKit(): OrgKitStore {
  return useBound().kit;
}

/** The store's whole snapshot; re-renders on every change. */
export function useSnapshot(): Snapshot {
  const { subscribe, getSnapshot } = useBound();
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
