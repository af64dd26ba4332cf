// useUser(): the signed-in user, in the shape of Clerk's hook of the same name.
import type { User } from "orgkit";
import { useSnapshot } from "./context.js";

/** Clerk's shape: nothing until loaded; then whether someone is signed in, and who. */
export type UseUserReturn =
  | { isLoaded: false; isSignedIn: undefined; user: undefined }
  | { isLoaded: true; isSignedIn: false; user: null }
  | { isLoaded: true; isSignedIn: true; user: User };

/** The signed-in user; re-renders when they sign in or out (in any tab). */
export function useUser(): UseUserReturn {
  const { status, user } = useSnapshot();
  if (status === "loading") return { isLoaded: false, isSignedIn: undefined, user: undefined };
  return user === null ? { isLoaded: true, isSignedIn: false, user: null } : { isLoaded: true, isSignedIn: true, user };
}
