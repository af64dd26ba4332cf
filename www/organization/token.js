// The backend token card of an organization page (every member): the decoded claims of the
// short-lived token `kit.getToken()` gives for this tab's active organization (this one), which
// the app's own backend verifies with the keys at /v1/.well-known/jwks.json.
import { h, mount, showError, busy } from "../ui.js";
import { kit } from "../context.js";

/** The payload of a compact JWT, decoded (not verified: the backend does that). */
function claimsOf(jwt) {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part));
}

/** Permission keys back from `fea`, `o.per` and `o.fpm` (a bitmask over `per` per feature). */
function permissionsOf(c) {
  const actions = (c.o?.per ?? "").split(",").filter(Boolean);
  const features = (c.fea ?? "").split(",").filter(Boolean).map((f) => f.replace(/^o:/, ""));
  const masks = (c.o?.fpm ?? "").split(",");
  return features.flatMap((f, i) => actions
    .filter((_, bit) => (BigInt(masks[i] ?? "0") >> BigInt(bit)) & 1n)
    .map((a) => `org:${f}:${a}`));
}

/** The card (`section`) for `org`, the active organization; `load` fills it. */
export function tokenCard(org) {
  const claims = h("dl", { class: "token-claims", "data-testid": "token-claims" });
  const raw = h("code", { class: "attempt-body", "data-testid": "token-jwt" });
  const refresh = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "token-refresh" }, "Refresh");

  async function load() {
    try {
      const jwt = await kit.getToken();
      const c = claimsOf(jwt);
      const row = (label, value, testid) => [h("dt", {}, label), h("dd", { class: "mono", "data-testid": testid }, String(value))];
      mount(claims,
        row("User", c.sub, "token-sub"),
        row("Organization", c.o?.id ?? "none", "token-org"),
        row("Slug", c.o?.slg ?? "", "token-slug"),
        row("Role", c.o?.rol ? `org:${c.o.rol}` : "", "token-role"),
        row("Membership version", c.o?.ver ?? "", "token-version"),
        row("Permissions", permissionsOf(c).join(" "), "token-permissions"),
        row("Expires", new Date(c.exp * 1000).toLocaleTimeString(), "token-expires"));
      mount(raw, `${jwt.length} bytes: ${jwt.slice(0, 48)}…`);
      claims.dataset.exp = String(c.exp);
    } catch (err) {
      showError("Couldn't get a backend token", err);
    }
  }

  refresh.onclick = (e) => busy(e.currentTarget, load, "Couldn't get a backend token");

  const section = h("section", { class: "card", "data-testid": "token-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Backend token"),
      h("p", {}, "What your app's backend learns from kit.getToken(): a 60-second ES256 token it verifies offline with /v1/.well-known/jwks.json.")),
      refresh),
    claims,
    raw);
  return { section, load };
}
