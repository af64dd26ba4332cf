// The page behind an invitation link (/accept?token=…): what the invitation is for, and a way in:
// accept it when signed in with the invited address (the SDK refuses another address's
// invitation, and the page then offers to sign out and continue), or
// create an account (or sign in) with the address filled in and join right away.
import { h, mount, toast, showError, errorText, busy, roleLabel, roleWithArticle, fmtDateTime, messageCard } from "./ui.js";
import { kit, state } from "./context.js";
import { go, refresh, renderNav, homeButton } from "./router.js";
import { authCard } from "./auth.js";

export async function acceptView(token) {
  if (!token) {
    return messageCard({ icon: "!", tone: "bad", testid: "accept-error", title: "This invitation link is incomplete", text: "The link has no token. Open the link from the email again.", action: homeButton("Go home") });
  }
  let preview;
  try {
    preview = await kit.previewInvitation(token);
  } catch (err) {
    return messageCard({
      icon: "!", tone: "bad", testid: "accept-error", title: "This invitation link isn't valid",
      text: err?.code === "not_found" ? "We couldn't find this invitation. It may have been revoked or replaced by a newer one." : errorText(err),
      action: homeButton("Go home"),
    });
  }
  if (preview.status !== "pending") {
    const text = {
      accepted: "This invitation was already accepted.",
      revoked: "An admin revoked this invitation.",
      expired: "This invitation has expired. Ask an admin for a new one.",
    }[preview.status] ?? "This invitation can't be used any more.";
    return messageCard({ icon: "!", tone: "bad", testid: "accept-error", title: `Invitation to ${preview.organizationName}`, text, action: homeButton("Go home") });
  }

  const acceptAndGo = async () => {
    const membership = await kit.acceptInvitation(token);
    state.user = await kit.getUser();
    toast("success", `Welcome to ${membership.organization.name}`, `You joined as ${roleWithArticle(membership.role)}.`);
    go(`#/org/${encodeURIComponent(membership.organization.id)}`);
    return true;
  };
  const accept = async (button) => busy(button, acceptAndGo, "Couldn't accept the invitation");

  const summary = h("div", {},
    h("div", { class: "big-icon info", "aria-hidden": "true" }, "✉"),
    h("h1", { "data-testid": "accept-title" }, `Join ${preview.organizationName}`),
    h("p", { class: "muted", style: "margin-top:.5rem" }, "You've been invited to join ", h("strong", {}, preview.organizationName), " as ", h("strong", {}, roleWithArticle(preview.role)), "."),
    h("dl", { class: "kv" },
      h("dt", {}, "Invited address"), h("dd", { "data-testid": "invited-email" }, preview.emailAddress),
      h("dt", {}, "Role"), h("dd", {}, roleLabel(preview.role)),
      h("dt", {}, "Expires"), h("dd", {}, fmtDateTime(preview.expiresAt))));

  const user = state.user;
  if (user) {
    // Whether the invitation is mine is the rule book's call: the SDK refuses another address's
    // invitation with `wrong_recipient` (and no request), and only then does this page say so.
    const actions = h("div", { class: "row" });
    const signOutAndContinue = h("button", { class: "btn", type: "button", onclick: (e) => busy(e.currentTarget, async () => {
      await kit.signOut();
      state.user = null;
      renderNav();
      mount(document.getElementById("app"), await acceptView(token));
    }, "Couldn't sign out") }, "Sign out and continue");
    const notYet = () => h("button", { class: "btn btn-ghost", type: "button", onclick: () => go("#/") }, "Not now");
    const wrongAccount = () => {
      mount(actions, signOutAndContinue, notYet());
      actions.before(h("div", { class: "notice notice-warn", role: "status", "data-testid": "wrong-account", style: "margin-bottom:1rem" },
        h("div", { class: "grow" }, h("p", {}, `You're signed in as ${user.emailAddress}, but this invitation is for ${preview.emailAddress}.`),
          h("p", {}, "Sign out and sign in with the invited address to accept it."))));
    };
    mount(actions,
      h("button", { class: "btn", type: "button", "data-testid": "accept-invitation", onclick: async (e) => {
        const button = e.currentTarget;
        button.disabled = true;
        try {
          await acceptAndGo();
        } catch (err) {
          if (err?.code === "wrong_recipient") wrongAccount();
          else showError("Couldn't accept the invitation", err);
        } finally {
          if (button.isConnected) button.disabled = false;
        }
      } }, "Accept invitation"),
      notYet());
    return h("section", { class: "card center-card", "data-testid": "accept-card" }, summary, actions);
  }

  return h("div", { class: "grid-2", "data-testid": "accept-card" },
    h("section", { class: "card" }, summary,
      h("p", { class: "muted small" }, "Create an account with the invited address — or sign in if you already have one — and you'll join right away.")),
    authCard({
      mode: "signup", email: preview.emailAddress, lockEmail: true,
      title: "Create your account", intro: `to join ${preview.organizationName}`,
      onDone: async () => {
        renderNav();
        // Signed in but not joined: show the signed-in state with the error toast.
        if (!await accept(null)) await refresh();
      },
    }));
}
