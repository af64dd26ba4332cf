// Setting or resetting a password through a mailed link: the "Forgot password?" form (inside the
// sign-in card) and the page behind the link (/reset-password?token=…), which signs in.
import { h, mount, toast, messageCard, field, formError, submitting } from "./ui.js";
import { kit, state } from "./context.js";
import { go, homeButton } from "./router.js";

/** The form asking for the address to mail a link to; `back` returns to the sign-in form. */
export function forgotForm({ email = "", back }) {
  const box = h("div", { "data-testid": "forgot-form" });
  const err = formError();
  const emailInput = h("input", { id: "forgot-email", name: "email", type: "email", autocomplete: "email", required: true, placeholder: "you@example.com", value: email });
  const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "forgot-submit" }, "Email me a link");
  const form = h("form", { class: "form", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    await submitting(err, submit, async () => {
      const emailAddress = emailInput.value.trim();
      await kit.requestPasswordReset({ emailAddress });
      mount(box, h("div", { class: "form", "data-testid": "forgot-sent" },
        h("p", {}, `If an account uses ${emailAddress}, we sent it a link to choose a password. It works once, for 30 minutes.`),
        h("button", { class: "btn btn-ghost", type: "button", onclick: back }, "Back to sign in")));
    });
  } },
    h("p", { class: "muted" }, "Forgot your password, or never had one? We'll email you a link to choose one."),
    field("Email address", emailInput),
    err,
    submit,
    h("button", { class: "btn btn-ghost btn-block", type: "button", onclick: back }, "Back to sign in"));
  mount(box, form);
  return box;
}

/** The page behind a password-reset link: a new-password form, then signed in. */
export function resetView(token) {
  if (!token) {
    return messageCard({ icon: "!", tone: "bad", testid: "reset-error", title: "This link is incomplete", text: "Open the link from the email again.", action: homeButton("Go home") });
  }
  const err = formError();
  const passwordInput = h("input", { id: "reset-password", name: "password", type: "password", autocomplete: "new-password", required: true, minlength: 8 });
  const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "reset-submit" }, "Set password and sign in");
  const form = h("form", { class: "form", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    await submitting(err, submit, async () => {
      const user = await kit.resetPassword({ token, password: passwordInput.value });
      state.user = user;
      toast("success", "Password set", `Welcome, ${user.name}. You are signed in.`);
      go("#/");
    });
  } },
    field("New password", passwordInput, "At least 8 characters."),
    err,
    submit);
  return h("section", { class: "card narrow", "data-testid": "reset-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Choose a password"), h("p", {}, "Your other sessions will be signed out."))),
    form);
}
