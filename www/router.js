// Routing: which page the address names, navigation, rendering a page into #app, and the top bar.
// The pages themselves are named by app.js (`setView`), so this module imports none of them.
import { h, mount, toast, errorText, busy, avatar, messageCard } from "./ui.js";
import { kit, state } from "./context.js";
import { releaseLive } from "./live.js";

const app = document.getElementById("app");
const nav = document.getElementById("nav");

/** Builds the page of a route: route → Promise<Node>. */
let view = null;
let renderSeq = 0;
let lastKey = "";

const routeKey = (r) => JSON.stringify(r) + (state.user?.id ?? "");

// "#" and "#/" are the same page: only a real change of route renders again.
window.addEventListener("hashchange", () => { if (routeKey(route()) !== lastKey) render(); });

/** Sets the function that builds the page of a route. */
export function setView(fn) {
  view = fn;
}

/** The route of the current address: accept, verify, org (with id and tab), mailbox or home. */
export function route() {
  const params = new URLSearchParams(location.search);
  if (location.pathname === "/accept") return { name: "accept", token: params.get("token") ?? "" };
  if (location.pathname === "/verify-email") return { name: "verify", token: params.get("token") ?? "" };
  if (location.pathname === "/reset-password") return { name: "reset", token: params.get("token") ?? "" };
  if (location.pathname === "/join") return { name: "join", token: params.get("token") ?? "" };
  if (location.pathname.startsWith("/sso/")) return { name: "sso", slug: decodeURIComponent(location.pathname.slice(5)) };
  const [first, second, third] = location.hash.replace(/^#\/?/, "").split("/");
  if (first === "org" && second) return { name: "org", id: decodeURIComponent(second), tab: third || "overview" };
  if (first === "mailbox") return { name: "mailbox" };
  return { name: "home" };
}

/** Navigates inside the app, for example go("#/org/org_123") or go("#/org/org_123/workspaces"). */
export function go(hash) {
  if (location.pathname !== "/" || location.search) {
    history.pushState(null, "", `/${hash}`);
    render();
  } else if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

/** Renders the current route. Keeps the old page on screen while refreshing the same route. */
export async function render() {
  if (!kit) return;
  const seq = ++renderSeq;
  const r = route();
  const key = routeKey(r);
  renderNav(r);
  if (key !== lastKey) {
    mount(app, h("div", { class: "loading", role: "status", "data-testid": "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading…"));
  }
  lastKey = key;
  // The leaving page's store subscriptions end before the next page keeps its own lists.
  releaseLive();
  let node;
  try {
    node = await view(r);
  } catch (err) {
    node = messageCard({ icon: "!", tone: "bad", title: "Something went wrong", text: errorText(err), action: homeButton() });
  }
  if (seq !== renderSeq) return;
  mount(app, node);
  document.title = `${titleOf(r)} · orgkit demo`;
}

/** Renders the current route as if it were new (after signing in, or when access changed). */
export function refresh() {
  lastKey = "";
  return render();
}

function titleOf(r) {
  return { accept: "Invitation", verify: "Verify email", reset: "Choose a password", join: "Invite link", sso: "Single sign-on", mailbox: "Dev mailbox", org: "Organization" }[r.name] ?? "Home";
}

/** Draws the top bar: the links and, when signed in, the user chip with "Sign out". */
export function renderNav(r = route()) {
  const links = [
    state.user ? h("a", { class: "navlink", href: "/#/", "aria-current": r.name === "home" || r.name === "org" ? "page" : null }, "Organizations") : null,
    state.user ? null : h("a", { class: "navlink", href: "/#/", "aria-current": r.name === "home" ? "page" : null }, "Sign in"),
    state.dev ? h("a", { class: "navlink", href: "/#/mailbox", "data-testid": "nav-mailbox", "aria-current": r.name === "mailbox" ? "page" : null }, "Dev mailbox") : null,
  ];
  const user = state.user
    ? h("div", { class: "userchip", "data-testid": "user-chip" },
        avatar(state.user.name || state.user.emailAddress, { small: true }),
        h("span", { class: "userchip-text" }, h("strong", {}, state.user.name), h("small", { "data-testid": "user-email" }, state.user.emailAddress)),
        h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "sign-out", onclick: signOut }, "Sign out"))
    : null;
  mount(nav, links, user);
}

async function signOut(event) {
  await busy(event.currentTarget, async () => {
    await kit.signOut();
    state.user = null;
    toast("info", "Signed out", "See you soon.");
    go("#/");
  }, "Couldn't sign out");
}

/** A button back to the home page (the organization list). */
export function homeButton(label = "Go to your organizations") {
  return h("button", { class: "btn", type: "button", onclick: () => go("#/") }, label);
}
