// The SSO card of an organization page (holders of org:sso:manage): the SSO join link with
// Copy, the "require SSO" toggle, the OIDC connections with their state, domains and JIT role,
// each with Test connection (what discovery found), Activate / Deactivate and Delete, and the
// form that creates one (issuer, client id and secret, domains owned by DNS, JIT role).
import {
  h, mount, toast, showError, confirmDialog, busy, field, formError, setFormError, submitting, roleOptions, defaultRole, roleLabel,
} from "../ui.js";

const STATES = { draft: ["Draft", "badge"], active: ["Active", "badge badge-ok"], inactive: ["Inactive", "badge badge-bad"] };

/** The join link, read-only, with a Copy button. */
function joinLink(org) {
  const input = h("input", { class: "link-input", readonly: true, value: org.ssoJoinUrl, "data-testid": "sso-join-url", "aria-label": "SSO join link" });
  const copy = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "copy-sso-join-url", onclick: async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(org.ssoJoinUrl);
      toast("success", "Join link copied", "People who open it sign in with your identity provider.");
    } catch {
      toast("info", "Copy the selected link", "Your browser did not allow copying.");
    }
  } }, "Copy");
  return h("div", { class: "stack-sm" },
    h("strong", {}, "SSO join link"),
    h("p", { class: "muted small" }, "Share it with your colleagues: it starts sign-in with your identity provider and adds them to this organization."),
    h("span", { class: "link-share" }, input, copy));
}

/** "Require SSO": members at the SSO domains must sign in through SSO. */
function requireToggle(org) {
  const box = h("input", { type: "checkbox", id: "require-sso", "data-testid": "require-sso", checked: org.requireSso });
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      await org.update({ requireSso: box.checked });
      toast("success", box.checked ? "SSO is required" : "SSO is no longer required",
        box.checked ? "Members at your SSO domains now sign in through your identity provider." : "Members may sign in with a password again.");
    } catch (err) {
      box.checked = !box.checked;
      showError("Couldn't change the setting", err);
    } finally {
      box.disabled = false;
    }
  });
  return h("label", { class: "check", style: "font-size:.95rem;font-weight:600" }, box,
    h("span", {}, "Require SSO for members at the SSO domains (password sign-in is refused for them)"));
}

/** What "Test connection" found, or why it failed. */
function testReport(report) {
  if (!report.ok) {
    return h("div", { class: "notice notice-bad", "data-testid": "sso-test-result", "data-ok": "false" },
      h("p", {}, h("strong", {}, "Discovery failed: "), report.error));
  }
  const row = (label, value) => h("li", {}, h("span", { class: "muted" }, `${label}: `), h("code", {}, value ?? "—"));
  const warn = [
    report.unsupportedScopes.length ? `Scopes the provider does not list: ${report.unsupportedScopes.join(", ")}.` : null,
    report.unsupportedClaims.length ? `Claims the provider does not list: ${report.unsupportedClaims.join(", ")}.` : null,
  ].filter(Boolean);
  return h("div", { class: "notice notice-ok", "data-testid": "sso-test-result", "data-ok": "true" }, h("div", { class: "grow" },
    h("p", {}, h("strong", {}, "Discovery succeeded"), ` at ${report.issuer}`),
    h("ul", { class: "plain small" },
      row("Authorization endpoint", report.authorizationEndpoint),
      row("Token endpoint", report.tokenEndpoint),
      row("Keys", report.jwksUri),
      row("Signing algorithms", report.signingAlgs.join(", "))),
    warn.map((w) => h("p", { class: "small" }, w))));
}

/** The card (`section`) for `org`; `load` fills and refreshes the connections and domains. */
export function ssoCard(org) {
  const list = h("div", { "data-testid": "sso-connections" });
  const domainBox = h("div", { class: "stack-sm", "data-testid": "sso-domain-choices" });

  async function load() {
    let page;
    let domains;
    try {
      [page, domains] = await Promise.all([org.getSsoConnections({ limit: 100 }), org.getDomains()]);
    } catch (err) {
      showError("Couldn't load the SSO connections", err);
      return;
    }
    const owned = domains.filter((d) => d.ownershipVerifiedAt);
    // A domain serves one connection: those taken are shown, not offered.
    const taken = new Map(page.data.flatMap((c) => c.domains.map((d) => [d.id, c.name])));
    mount(domainBox, owned.length
      ? h("div", { class: "checks" }, owned.map((d) => h("label", { class: "check" },
        h("input", { type: "checkbox", value: d.id, disabled: taken.has(d.id), "data-testid": "sso-domain-choice", "data-name": d.name }),
        h("span", {}, d.name, taken.has(d.id) ? h("span", { class: "muted" }, ` (${taken.get(d.id)})`) : null))))
      : h("p", { class: "muted small", "data-testid": "sso-no-owned-domains" }, "No domain is verified by DNS yet: verify one in Domains to activate a connection."));
    if (!page.data.length) {
      mount(list, h("div", { class: "empty", "data-testid": "no-sso-connections" }, h("strong", {}, "No SSO connection yet"),
        "Connect your OIDC identity provider (Okta, Entra ID, Google Workspace, Keycloak…)."));
      return;
    }
    mount(list, h("ul", { class: "list" }, page.data.map(connectionItem)));
  }

  function connectionItem(connection) {
    const [label, tone] = STATES[connection.state] ?? [connection.state, "badge"];
    const result = h("div", { "aria-live": "polite" });
    const domains = connection.domains.map((d) => d.name).join(", ") || "no domain yet";
    const jit = connection.jitEnabled ? `new people join as ${roleLabel(connection.jitRole).toLowerCase()}` : "no one is added just in time";
    const next = connection.state === "active" ? "inactive" : "active";
    const buttons = [
      h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "sso-test", onclick: (e) => busy(e.currentTarget, async () => {
        mount(result, testReport(await connection.test()));
      }, "Couldn't test the connection") }, "Test connection"),
      h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": next === "active" ? "sso-activate" : "sso-deactivate", onclick: (e) => busy(e.currentTarget, async () => {
        await connection.update({ state: next });
        toast("success", next === "active" ? "Connection active" : "Connection deactivated",
          next === "active" ? `People at ${domains} can sign in with ${connection.name}.` : "Nobody signs in through it until you activate it again.");
        await load();
      }, next === "active" ? "Couldn't activate the connection" : "Couldn't deactivate the connection") }, next === "active" ? "Activate" : "Deactivate"),
      connection.state === "active" ? null : h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "sso-delete", onclick: (e) => busy(e.currentTarget, async () => {
        const ok = await confirmDialog({ title: `Delete ${connection.name}?`, message: "Its settings and client secret are deleted. People it added stay members.", confirmLabel: "Delete connection" });
        if (!ok) return;
        await connection.delete();
        toast("success", "Connection deleted", `${connection.name} is gone.`);
        await load();
      }, "Couldn't delete the connection") }, "Delete"),
    ];
    return h("li", { "data-testid": "sso-connection", "data-id": connection.id, "data-state": connection.state },
      h("div", { class: "grow stack-sm" },
        h("div", { class: "row" }, h("strong", {}, connection.name), h("span", { class: tone, "data-testid": "sso-state" }, label)),
        h("p", { class: "muted small" }, h("code", {}, connection.issuer), ` · client ${connection.clientId} · secret hidden`),
        h("p", { class: "muted small", "data-testid": "sso-domains" }, `Domains: ${domains} · ${jit}`),
        h("p", { class: "muted small" }, "Redirect URI to register: ", h("code", { "data-testid": "sso-callback-url" }, connection.callbackUrl)),
        result),
      h("div", { class: "row" }, buttons));
  }

  function createForm() {
    const err = formError();
    const input = (id, attrs) => h("input", { id, autocomplete: "off", ...attrs });
    const name = input("sso-name", { placeholder: "Okta", "data-testid": "sso-name" });
    const issuer = input("sso-issuer", { type: "url", placeholder: "https://acme.okta.com", "data-testid": "sso-issuer" });
    const clientId = input("sso-client-id", { "data-testid": "sso-client-id" });
    const secret = input("sso-client-secret", { type: "password", "data-testid": "sso-client-secret" });
    const jit = h("input", { type: "checkbox", checked: true, "data-testid": "sso-jit" });
    const role = h("select", { id: "sso-jit-role", "aria-label": "Role of people added just in time", style: "width:auto", "data-testid": "sso-jit-role" },
      roleOptions(defaultRole()));
    const create = h("button", { class: "btn", type: "submit", "data-testid": "sso-create" }, "Add connection");
    return h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      setFormError(err, null);
      await submitting(err, create, async () => {
        const domainIds = [...domainBox.querySelectorAll("input:checked")].map((b) => b.value);
        const created = await org.createSsoConnection({
          name: name.value.trim(), issuer: issuer.value.trim(), clientId: clientId.value.trim(), clientSecret: secret.value,
          jitEnabled: jit.checked, jitRole: role.value, domainIds,
        });
        toast("success", "SSO connection added", `${created.name} is a draft: test it, then activate it.`);
        for (const el of [name, issuer, clientId, secret]) el.value = "";
        await load();
      });
    } },
      h("div", { class: "sso-form" },
        field("Name", name), field("Issuer or discovery URL", issuer, "https, the provider's issuer or its /.well-known/openid-configuration"),
        field("Client ID", clientId), field("Client secret", secret, "Kept sealed; never shown again")),
      h("div", { class: "stack-sm", style: "margin-top:1rem" }, h("strong", {}, "Domains"),
        h("p", { class: "muted small" }, "People at these domains sign in through this connection; each domain serves one connection and enrolls nobody automatically."),
        domainBox),
      h("div", { class: "row", style: "margin-top:1rem" },
        h("label", { class: "check" }, jit, h("span", {}, "Add people just in time at their first sign-in, as")),
        role),
      h("div", { class: "row", style: "margin-top:.75rem" }, create),
      h("div", { style: "margin-top:.75rem" }, err));
  }

  const section = h("section", { class: "card", "data-testid": "sso-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Single sign-on (SSO)"),
      h("p", {}, "Let people at your domains sign in with your OIDC identity provider, and join this organization when they do."))),
    joinLink(org),
    h("div", { style: "margin:1rem 0" }, requireToggle(org)),
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Connections"),
    list,
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Add a connection"),
    createForm());

  return { section, load };
}
