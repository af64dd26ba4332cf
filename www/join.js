// The page behind an invite link (/join?token=…): which organization it leads to and with which
// role, then a way in: sign up or sign in, verify the address, and join (or, when the link
// requires approval, ask to join). It says "You joined" or "Your request was sent".
import { h, mount, errorText, busy, roleLabel, roleWithArticle, messageCard, toast } from "./ui.js";
import { kit, state } from "./context.js";
import { go, renderNav, homeButton } from "./router.js";
import { authCard } from "./auth.js";

const DEAD = {
  revoked: "An admin revoked this invite link.",
  expired: "This invite link has expired. Ask an admin for a new one.",
  exhausted: "This invite link has been used as many times as it allows. Ask an admin for a new one.",
};

export async function joinView(token) {
  const failed = (title, text) => messageCard({ icon: "!", tone: "bad", testid: "join-error", title, text, action: homeButton("Go home") });
  if (!token) return failed("This invite link is incomplete", "The link has no token. Copy the whole link again.");
  let preview;
  try {
    preview = await kit.previewInviteLink(token);
  } catch (err) {
    return failed("This invite link isn't valid", err?.code === "not_found" ? "We couldn't find this link. It may have been reset: ask for the new one." : errorText(err));
  }
  if (preview.status !== "active") {
    return failed(`Invite link to ${preview.organizationName}`, DEAD[preview.status] ?? "This invite link can't be used any more.");
  }
  return h("div", { "data-testid": "join-page" }, await body(token, preview));
}

async function body(token, preview) {
  const again = async () => mount(document.getElementById("app"), await joinView(token));
  const summary = h("div", {},
    h("div", { class: "big-icon info", "aria-hidden": "true" }, "➜"),
    h("h1", { "data-testid": "join-title" }, `Join ${preview.organizationName}`),
    h("p", { class: "muted", style: "margin-top:.5rem" },
      preview.requiresApproval ? "Ask to join " : "You can join ", h("strong", {}, preview.organizationName),
      " as ", h("strong", {}, roleWithArticle(preview.role)), preview.requiresApproval ? ": an admin approves each request." : "."),
    h("dl", { class: "kv" },
      h("dt", {}, "Organization"), h("dd", { "data-testid": "join-org" }, `${preview.organizationName} (/${preview.organizationSlug})`),
      h("dt", {}, "Role"), h("dd", {}, roleLabel(preview.role)),
      h("dt", {}, "Approval"), h("dd", {}, preview.requiresApproval ? "An admin decides" : "Not needed")));

  const user = state.user;
  if (!user) {
    return h("div", { class: "grid-2", "data-testid": "join-card" },
      h("section", { class: "card" }, summary,
        h("p", { class: "muted small" }, "Create an account — or sign in if you have one. A new account verifies its email address first, then comes back here to join.")),
      authCard({
        mode: "signup", title: "Your account", intro: `to join ${preview.organizationName}`,
        onDone: async () => { renderNav(); await again(); },
      }));
  }

  if (!user.emailVerified) {
    return h("section", { class: "card center-card", "data-testid": "join-card" }, summary,
      h("div", { class: "notice notice-warn", role: "status", "data-testid": "join-verify-first" },
        h("div", { class: "grow" },
          h("p", {}, h("strong", {}, "Verify your email address first. "), `We sent a link to ${user.emailAddress}.`),
          h("p", {}, "Open it, then come back to this page to join."))),
      h("div", { class: "row", style: "margin-top:1rem" },
        h("button", { class: "btn", type: "button", "data-testid": "join-recheck", onclick: (e) => busy(e.currentTarget, async () => {
          state.user = await kit.getUser();
          renderNav();
          await again();
        }, "Couldn't check your address") }, "I've verified it"),
        state.dev ? h("a", { class: "btn btn-ghost", href: "/#/mailbox", target: "_blank" }, "Open the dev mailbox") : null));
  }

  const join = h("button", { class: "btn", type: "button", "data-testid": "join-accept", onclick: (e) => busy(e.currentTarget, async () => {
    const done = await kit.acceptInviteLink(token);
    if (done.membership) {
      const org = done.membership.organization;
      toast("success", `Welcome to ${org.name}`, `You joined as ${roleWithArticle(done.membership.role)}.`);
      mount(document.getElementById("app"), messageCard({
        icon: "✓", tone: "ok", testid: "join-done", title: `You joined ${org.name}`,
        text: `You're now ${roleWithArticle(done.membership.role)} of ${org.name}.`,
        action: h("button", { class: "btn", type: "button", "data-testid": "join-open-org", onclick: () => go(`#/org/${encodeURIComponent(org.id)}`) }, "Open the organization"),
      }));
    } else {
      mount(document.getElementById("app"), messageCard({
        icon: "✉", tone: "info", testid: "join-requested", title: "Your request was sent",
        text: `An admin of ${preview.organizationName} will decide. You'll find the organization in your list once they approve.`,
        action: homeButton("Go home"),
      }));
    }
  }, "Couldn't join") }, preview.requiresApproval ? "Ask to join" : `Join ${preview.organizationName}`);

  return h("section", { class: "card center-card", "data-testid": "join-card" }, summary,
    h("p", { class: "muted small", style: "margin:.25rem 0 1rem" }, `Signed in as ${user.emailAddress}.`),
    h("div", { class: "row" }, join, h("button", { class: "btn btn-ghost", type: "button", onclick: () => go("#/") }, "Not now")));
}
