// Signing in and up: the sign-in / create-account card, the signed-out home page, and the page
// behind the email verification link (/verify-email?token=…).
import { h, mount, toast, errorText, messageCard, field, formError, submitting } from "./ui.js";
import { kit, state } from "./context.js";
import { refresh, renderNav, homeButton } from "./router.js";
import { ssoForm, ssoErrorNotice } from "./sso.js";
import { forgotForm } from "./password.js";

/** A sign-in / sign-up card. `email` prefills the address; `lockEmail` keeps it fixed for sign-up. */
export function authCard({ mode = "signin", email = "", lockEmail = false, title, intro, onDone }) {
  let current = mode;
  const card = h("section", { class: "card", "data-testid": "auth-card" });
  const draw = () => {
    const err = formError();
    const nameInput = h("input", { id: "auth-name", name: "name", autocomplete: "name", required: true, placeholder: "Ada Lovelace" });
    const emailInput = h("input", {
      id: "auth-email", name: "email", type: "email", autocomplete: "email", required: true,
      placeholder: "you@example.com", value: email, readonly: lockEmail && current === "signup",
    });
    const passwordInput = h("input", {
      id: "auth-password", name: "password", type: "password", required: true, minlength: 8,
      autocomplete: current === "signup" ? "new-password" : "current-password",
    });
    const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "auth-submit" },
      current === "signup" ? "Create account" : "Sign in");
    const form = h("form", { class: "form", novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      await submitting(err, submit, async () => {
        const emailAddress = emailInput.value.trim();
        let user;
        try {
          user = current === "signup"
            ? await kit.signUp({ emailAddress, password: passwordInput.value, name: nameInput.value.trim() })
            : await kit.signIn({ emailAddress, password: passwordInput.value });
        } catch (e) {
          // The organization requires SSO for this address: go through its identity provider.
          if (e?.code !== "sso_required" || !e.sso) throw e;
          toast("info", "Single sign-on required", `Signing you in through /${e.sso.organizationSlug}'s identity provider…`);
          await kit.signInWithSso({ organizationSlug: e.sso.organizationSlug, emailAddress });
          return;
        }
        state.user = user;
        await onDone(user, current);
      });
    } },
      current === "signup" ? field("Your name", nameInput) : null,
      field("Email address", emailInput, lockEmail && current === "signup" ? "The address your invitation was sent to." : null),
      field("Password", passwordInput, current === "signup" ? "At least 8 characters." : null),
      err,
      submit,
      current === "signin" ? h("button", {
        class: "btn btn-ghost btn-sm", type: "button", "data-testid": "forgot-link",
        onclick: () => { email = emailInput.value; current = "forgot"; draw(); },
      }, "Forgot password?") : null);
    const tab = (key, label) => h("button", {
      type: "button", role: "tab", "aria-selected": String(current === key), "data-testid": `tab-${key}`,
      onclick: () => { email = emailInput.value; current = key; draw(); },
    }, label);
    mount(card,
      title ? h("div", { class: "card-head" }, h("div", {}, h("h2", {}, title), intro ? h("p", {}, intro) : null)) : null,
      h("div", { class: "tabs", role: "tablist" }, tab("signin", "Sign in"), tab("signup", "Create account"), tab("sso", "SSO")),
      current === "sso" ? ssoForm({ email: emailInput.value })
        : current === "forgot" ? forgotForm({ email, back: () => { current = "signin"; draw(); } })
          : form);
  };
  draw();
  return card;
}

/** The home page when signed out: what orgkit is, and the sign-in card. */
export function signedOutView(reason) {
  return h("div", { class: "grid-2" },
    h("section", { class: "hero" },
      h("h1", {}, "Organizations for your app, self-hosted."),
      h("p", {}, reason ?? "orgkit gives your users organizations, roles and invitations — checked by the same Rust rule book in the browser and on the server."),
      h("ul", {},
        h("li", {}, "Create an organization and invite teammates by email"),
        h("li", {}, "Admins change roles, remove members and manage invitations"),
        h("li", {}, "Every rule is enforced by the server; obvious mistakes are caught before a request"))),
    h("div", {},
      ssoErrorNotice(),
      authCard({
        mode: "signin", title: "Welcome", intro: "Sign in or create an account to get started.",
        onDone: (user, how) => {
          toast("success", how === "signup" ? "Account created" : "Signed in", `Welcome, ${user.name}.`);
          return refresh();
        },
      })));
}

/** The page behind an email verification link: verifies the address and says how it went. */
export async function verifyView(token) {
  if (!token) {
    return messageCard({ icon: "!", tone: "bad", testid: "verify-error", title: "This verification link is incomplete", text: "Open the link from the email again.", action: homeButton("Go home") });
  }
  try {
    const user = await kit.verifyEmail(token);
    if (state.user && user && state.user.id === user.id) state.user = user;
    renderNav();
    return messageCard({
      icon: "✓", tone: "ok", testid: "verify-ok", title: "Your email address is verified",
      text: `Thanks${user?.name ? `, ${user.name}` : ""}! ${user?.emailAddress ?? "Your address"} is confirmed.`,
      action: homeButton("Continue"),
    });
  } catch (err) {
    return messageCard({ icon: "!", tone: "bad", testid: "verify-error", title: "We couldn't verify your email address", text: errorText(err), action: homeButton("Go home") });
  }
}
