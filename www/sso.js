// Single sign-on in the demo: the SSO join link's page (/sso/<org-slug>), the "Sign in with SSO"
// form of the sign-in card, and the notice for a failed SSO sign-in (/?ssoError=<code>).
import { h, mount, messageCard, field, formError, submitting } from "./ui.js";
import { kit, state } from "./context.js";
import { go, homeButton } from "./router.js";

/** Why an SSO sign-in failed, by the code the server sent back in ?ssoError=. */
const SSO_ERRORS = {
  sso_state_invalid: "This sign-in link was already used or is unknown. Start again.",
  sso_state_expired: "The sign-in took more than 10 minutes. Start again.",
  sso_token_invalid: "Your identity provider's answer could not be verified.",
  sso_provider_error: "Your identity provider did not sign you in.",
  sso_email_outside_domains: "Your address is not at a domain of this organization's SSO.",
  sso_jit_disabled: "This organization does not create accounts at sign-in. Ask an admin to invite you.",
  sso_connection_inactive: "This organization's SSO is switched off.",
  sso_connection_not_found: "No SSO connection signs in this address.",
  email_not_verified: "Your identity provider has not verified your email address.",
};

/** The notice for `?ssoError=<code>` on the sign-in page, or null. */
export function ssoErrorNotice() {
  const code = new URLSearchParams(location.search).get("ssoError");
  if (!code) return null;
  return h("div", { class: "notice notice-bad", role: "alert", "data-testid": "sso-error" },
    h("p", {}, h("strong", {}, "SSO sign-in failed. "), SSO_ERRORS[code] ?? "Try again.", " ", h("code", {}, code)));
}

/** A form that starts SSO: the email address, and the organization when it is known. */
export function ssoForm({ slug = null, email = "", returnTo = "/" } = {}) {
  const err = formError();
  const emailInput = h("input", {
    id: "sso-email", name: "email", type: "email", autocomplete: "email", required: true,
    placeholder: "you@company.com", value: email, "data-testid": "sso-email",
  });
  const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "sso-submit" }, "Continue with SSO");
  return h("form", { class: "form", novalidate: true, "data-testid": "sso-form", onsubmit: async (event) => {
    event.preventDefault();
    await submitting(err, submit, async () => {
      const emailAddress = emailInput.value.trim();
      const params = slug ? { organizationSlug: slug, emailAddress, returnTo } : { emailAddress, returnTo };
      // Navigates to the identity provider, which sends the browser back signed in.
      await kit.signInWithSso(params);
    });
  } },
    field("Work email address", emailInput, slug ? "Your organization's identity provider signs you in." : "We find your organization's SSO by your address."),
    err,
    submit);
}

/** The SSO join link's page: sign in through the organization's SSO; signed in, open it. */
export async function ssoJoinView(slug) {
  if (state.user) {
    const memberships = await kit.getOrganizationMemberships();
    const mine = memberships.find((m) => m.organization.slug === slug);
    if (mine) {
      go(`#/org/${encodeURIComponent(mine.organization.id)}`);
      return h("div", {});
    }
  }
  const signedIn = state.user
    ? h("p", { class: "muted small" }, `Signed in as ${state.user.emailAddress}, not a member of /${slug} yet. Sign in through its SSO to join.`)
    : null;
  return h("section", { class: "card center-card", "data-testid": "sso-join" },
    h("div", { class: "big-icon info", "aria-hidden": "true" }, "➜"),
    h("h1", { "data-testid": "sso-join-title" }, "Single sign-on"),
    h("p", { class: "muted", style: "margin:.5rem 0 1rem" },
      "Sign in to ", h("strong", {}, `/${slug}`), " with your company account. New members join the organization as they sign in."),
    ssoErrorNotice(),
    signedIn,
    ssoForm({ slug, returnTo: `/sso/${slug}` }),
    h("div", { class: "row", style: "margin-top:1rem" }, homeButton("Not now")));
}
