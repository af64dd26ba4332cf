// Governance cards of an organization page: the logo and the metadata (holders of
// org:profile:manage edit them; every member reads the public metadata), the member limit
// (in the same card), and the billing profile (holders of org:billing:read; editable with
// org:billing:manage). Every refusal comes from the SDK's rule book or the server.
import { h, mount, toast, busy, field, formError, setFormError, submitting } from "../ui.js";
import { orgPart } from "../live.js";

const pretty = (value) => JSON.stringify(value ?? {}, null, 2);

/** A merge patch from `before` to `after`: changed keys, and removed keys set to null. */
function patchOf(before, after) {
  const patch = { ...after };
  for (const key of Object.keys(before ?? {})) if (!(key in after)) patch[key] = null;
  return patch;
}

/** The logo, the member limit and the metadata. `load` reads the metadata. */
export function brandingCard(org) {
  const manage = org.can("org:profile:manage");
  const logoErr = formError();
  const file = h("input", { id: "logo-file", type: "file", accept: "image/png,image/jpeg,image/webp", "data-testid": "logo-file", disabled: !manage });
  const upload = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "logo-upload", disabled: !manage }, "Upload logo");
  upload.onclick = () => submitting(logoErr, upload, async () => {
    const chosen = file.files?.[0];
    if (!chosen) throw new Error("Choose a PNG, JPEG or WebP image first.");
    await org.setLogo(chosen);
    file.value = "";
    toast("success", "Logo updated", `${chosen.name} is the new logo.`);
  });
  const remove = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "logo-delete",
    onclick: (e) => busy(e.currentTarget, async () => { await org.deleteLogo(); toast("success", "Logo removed", ""); }, "Couldn't remove the logo") }, "Remove");
  // The preview and Remove follow the store's organization: each logo has its own `imageUrl`.
  const logoSlot = h("div", { style: "display:contents" });
  const logoUrl = (o) => (o.hasImage ? o.imageUrl : null);
  const drawLogo = (o) => {
    const url = logoUrl(o);
    remove.hidden = !(url && manage);
    return url
      ? h("img", { class: "org-logo", src: url, alt: `${o.name} logo`, "data-testid": "org-logo" })
      : h("div", { class: "org-logo org-logo-empty", "data-testid": "org-logo-empty" }, "No logo");
  };

  const limitErr = formError();
  const limit = h("input", { id: "member-limit", class: "input-narrow", type: "number", min: "0", max: "1000000", step: "1", value: String(org.maxAllowedMemberships), disabled: !manage, "data-testid": "member-limit" });
  const saveLimit = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "save-member-limit", disabled: !manage }, "Save limit");
  saveLimit.onclick = () => submitting(limitErr, saveLimit, async () => {
    const updated = await org.update({ maxAllowedMemberships: Number(limit.value) });
    toast("success", "Member limit saved", updated.maxAllowedMemberships ? `At most ${updated.maxAllowedMemberships} members.` : "Unlimited members.");
  });

  const metaErr = formError();
  const publicText = h("textarea", { id: "public-metadata", rows: 4, class: "mono", disabled: !manage, "data-testid": "public-metadata" });
  const privateText = manage ? h("textarea", { id: "private-metadata", rows: 4, class: "mono", "data-testid": "private-metadata" }) : null;
  const saveMeta = manage ? h("button", { class: "btn btn-secondary btn-sm btn-start", type: "button", "data-testid": "save-metadata" }, "Save metadata") : null;
  let current = { publicMetadata: {}, privateMetadata: {} };
  const parse = (text, label) => {
    try { const v = JSON.parse(text || "{}"); if (v && typeof v === "object" && !Array.isArray(v)) return v; } catch { /* below */ }
    throw new Error(`${label} must be a JSON object.`);
  };
  if (saveMeta) saveMeta.onclick = () => submitting(metaErr, saveMeta, async () => {
    const pub = parse(publicText.value, "Public metadata");
    const priv = parse(privateText.value, "Private metadata");
    current = await org.updateMetadata({
      publicMetadata: patchOf(current.publicMetadata, pub),
      privateMetadata: patchOf(current.privateMetadata, priv),
    });
    fill();
    toast("success", "Metadata saved", "Merged into the organization's metadata.");
  });
  function fill() {
    publicText.value = pretty(current.publicMetadata);
    if (privateText) privateText.value = pretty(current.privateMetadata);
  }
  async function load() {
    const [logo] = await Promise.all([
      orgPart(org, logoUrl, drawLogo),
      org.getMetadata().then((metadata) => { current = metadata; fill(); }, (err) => setFormError(metaErr, err)),
    ]);
    mount(logoSlot, logo);
  }

  const section = h("section", { class: "card", "data-testid": "branding-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Logo, limits and metadata"),
      h("p", {}, manage ? "PNG, JPEG or WebP up to 1 MB. Public metadata is readable by every member; private metadata only by admins."
        : "Public metadata, readable by every member."))),
    h("div", { class: "row", style: "gap:1rem;align-items:center" }, logoSlot,
      h("div", { class: "stack", style: "gap:.4rem" }, field("Logo file", file), h("div", { class: "row" }, upload, remove))),
    logoErr,
    h("div", { class: "row", style: "margin-top:1rem;align-items:center;gap:.75rem" },
      field("Member limit", limit, "0 means unlimited."), saveLimit),
    limitErr,
    h("div", { class: "stack", style: "margin-top:1rem" },
      field("Public metadata (JSON)", publicText),
      privateText ? field("Private metadata (JSON)", privateText) : null,
      saveMeta),
    metaErr);
  return { section, load };
}

/** The billing profile card: a form, read-only without org:billing:manage. */
export function billingCard(org) {
  const manage = org.can("org:billing:manage");
  const err = formError();
  const input = (id, label, attrs = {}) => {
    const control = h("input", { id: `billing-${id}`, name: id, autocomplete: "off", disabled: !manage, "data-testid": `billing-${id}`, ...attrs });
    return { control, row: field(label, control) };
  };
  const f = {
    legalName: input("legal-name", "Legal name"),
    email: input("email", "Billing email", { type: "email" }),
    phone: input("phone", "Phone"),
    line1: input("line1", "Address line 1"),
    line2: input("line2", "Address line 2"),
    city: input("city", "City"),
    state: input("state", "State or region"),
    postalCode: input("postal-code", "Postal code"),
    country: input("country", "Country (ISO code)", { maxlength: 2, placeholder: "FR" }),
    taxType: input("tax-type", "Tax id type", { placeholder: "eu_vat" }),
    taxValue: input("tax-value", "Tax id"),
    provider: input("provider", "Payment provider", { placeholder: "stripe" }),
    reference: input("reference", "Payment method reference", { placeholder: "pm_…" }),
    brand: input("brand", "Card brand", { placeholder: "visa" }),
    last4: input("last4", "Last 4 digits", { maxlength: 4 }),
    expiry: input("expiry", "Expiry (MM/YYYY)", { placeholder: "12/2030" }),
  };
  const v = (k) => f[k].control.value.trim();
  const updated = h("p", { class: "muted small", "data-testid": "billing-updated" });
  const save = manage ? h("button", { class: "btn btn-primary", type: "submit", "data-testid": "save-billing" }, "Save billing profile") : null;

  function profileOfForm() {
    const profile = { legalName: v("legalName") || null, email: v("email") || null, phone: v("phone") || null, taxIds: [] };
    if (v("line1") || v("city") || v("postalCode") || v("country")) {
      profile.address = { line1: v("line1"), line2: v("line2") || null, city: v("city"), state: v("state") || null, postalCode: v("postalCode"), country: v("country").toUpperCase() };
    }
    if (v("taxValue")) profile.taxIds.push({ type: v("taxType"), value: v("taxValue"), country: v("country").toUpperCase() });
    if (v("reference")) {
      const [month, year] = v("expiry").split("/").map(Number);
      profile.paymentMethod = { provider: v("provider"), reference: v("reference"), brand: v("brand"), last4: v("last4"), expMonth: month || 0, expYear: year || 0 };
    }
    return profile;
  }
  function fill(p) {
    const set = (k, value) => { f[k].control.value = value ?? ""; };
    set("legalName", p.legalName); set("email", p.email); set("phone", p.phone);
    set("line1", p.address?.line1); set("line2", p.address?.line2); set("city", p.address?.city);
    set("state", p.address?.state); set("postalCode", p.address?.postalCode); set("country", p.address?.country);
    set("taxType", p.taxIds?.[0]?.type); set("taxValue", p.taxIds?.[0]?.value);
    const m = p.paymentMethod;
    set("provider", m?.provider); set("reference", m?.reference); set("brand", m?.brand); set("last4", m?.last4);
    set("expiry", m ? `${String(m.expMonth).padStart(2, "0")}/${m.expYear}` : "");
    mount(updated, p.updatedAt ? `Last saved ${p.updatedAt.toLocaleString()}` : "Not saved yet.");
  }
  async function load() {
    try { fill(await org.getBillingProfile()); } catch (e) { setFormError(err, e); }
  }
  const form = h("form", { class: "billing-form", novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    if (!save) return;
    return submitting(err, save, async () => {
      fill(await org.updateBillingProfile(profileOfForm()));
      toast("success", "Billing profile saved", "");
    });
  } },
    h("div", { class: "billing-grid" }, f.legalName.row, f.email.row, f.phone.row),
    h("h3", {}, "Address"),
    h("div", { class: "billing-grid" }, f.line1.row, f.line2.row, f.city.row, f.state.row, f.postalCode.row, f.country.row),
    h("h3", {}, "Tax id"),
    h("div", { class: "billing-grid" }, f.taxType.row, f.taxValue.row),
    h("h3", {}, "Default payment method"),
    h("p", { class: "muted small" }, "Only the provider's reference and what a person sees. Never enter a card number: it is refused."),
    h("div", { class: "billing-grid" }, f.provider.row, f.reference.row, f.brand.row, f.last4.row, f.expiry.row),
    h("div", { style: "margin-top:.75rem" }, err),
    save);
  const section = h("section", { class: "card", "data-testid": "billing-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Billing profile"),
      h("p", {}, manage ? "Legal name, address, tax ids and the default payment method." : "Read-only: changing it needs org:billing:manage.")),
      updated),
    form);
  return { section, load };
}
