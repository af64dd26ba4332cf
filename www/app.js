// The orgkit demo: plain ES modules on top of the orgkit SDK (served at /pkg/). This entry module
// loads the SDK, checks the session and names the page of each route; router.js does the rest.
import { mount, showError, messageCard } from "./ui.js";
import { loadSdk, kit, state } from "./context.js";
import { setView, render, renderNav } from "./router.js";
import { signedOutView, verifyView } from "./auth.js";
import { dashboardView } from "./home.js";
import { orgView } from "./organization/page.js";
import { acceptView } from "./accept.js";
import { joinView } from "./join.js";
import { mailboxView } from "./mailbox.js";
import { resetView } from "./password.js";
import { ssoJoinView } from "./sso.js";

window.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  showError("Something went wrong", event.reason);
});
window.addEventListener("error", (event) => {
  event.preventDefault();
  showError("Something went wrong", event.error ?? { message: event.message });
});

setView((r) => {
  switch (r.name) {
    case "accept": return acceptView(r.token);
    case "verify": return verifyView(r.token);
    case "reset": return resetView(r.token);
    case "join": return joinView(r.token);
    case "sso": return ssoJoinView(r.slug);
    case "mailbox": return mailboxView();
    case "org": return state.user ? orgView(r.id, r.tab) : signedOutView("Sign in to see this organization.");
    default: return state.user ? dashboardView() : signedOutView();
  }
});

boot();

async function boot() {
  try {
    await loadSdk();
  } catch (err) {
    renderNav();
    mount(document.getElementById("app"), messageCard({
      icon: "!", tone: "bad", testid: "sdk-missing",
      title: "The orgkit SDK could not be loaded",
      text: [
        "The demo imports the SDK from /pkg/orgkit.js. Build it with scripts/sdk-build.sh (wasm-pack) and start the server with --pkg-dir pkg.",
        `Details: ${err?.message ?? err}`,
      ],
    }));
    return;
  }
  const [user, dev] = await Promise.all([
    kit.getUser().catch((err) => { showError("Couldn't check your session", err); return null; }),
    kit.getDevMailbox("dev-mode-probe@orgkit.invalid").then(() => true, () => false),
  ]);
  state.user = user;
  state.dev = dev;
  await render();
}
