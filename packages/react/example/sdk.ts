// The SDK's client, one per tab: its wasm module is fetched next to the bundle.
import init, { OrgKit } from "orgkit";

await init();

/** The app's client; also given to <OrgKitProvider>. */
export const kit = new OrgKit(undefined);

// `?revalidate=MS` revalidates every kept list on that interval (besides on focus); the store takes
// one second at least.
const every = Number(new URLSearchParams(location.search).get("revalidate") ?? "");
if (Number.isFinite(every) && every > 0) kit.setRevalidation({ intervalMs: Math.max(1000, every) });
