// What every page shares: the SDK module, its client and what we know about the session.
// The bindings are live: importers see `sdk` and `kit` once `loadSdk` has set them.

/** The SDK module (/pkg/orgkit.js) and the client made from it. */
export let sdk;
export let kit;

/** The signed-in user (or null) and whether the server runs with --dev (the dev mailbox). */
export const state = { user: null, dev: false };

/** Imports and initializes the SDK and makes the client; throws when the SDK can't load. */
export async function loadSdk() {
  sdk = await import("/pkg/orgkit.js");
  await sdk.default();
  kit = new sdk.OrgKit();
}
