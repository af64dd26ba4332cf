// Small DOM helpers, notifications, the confirm dialog, friendly error text and the form pieces
// every page shares (labelled fields, the form error line, the message card).

/** Creates an element: h("button", { class: "btn", onclick }, "Save"). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "value" && "value" in el) {
      el.value = value;
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Friendly words for each error code of the SDK. */
const FRIENDLY = {
  unauthenticated: "Please sign in to continue.",
  forbidden: "You don't have permission to do that in this organization.",
  not_found: "We couldn't find that. It may have been deleted, or you may no longer have access.",
  last_admin: "An organization needs at least one admin. Make someone else an admin first.",
  already_member: "That person is already a member of this organization.",
  already_invited: "That address already has a pending invitation.",
  invitation_expired: "This invitation has expired. Ask an admin of the organization to send a new one.",
  invitation_not_pending: "This invitation is no longer open: it was already accepted or revoked.",
  wrong_recipient: "This invitation was sent to a different email address. Sign in with that address to accept it.",
  email_not_verified: "Please verify your email address first — use the link in the email we sent you.",
  slug_taken: "Another organization already uses that URL slug. Please choose another.",
  email_taken: "An account with this email address already exists. Try signing in instead.",
  invalid_credentials: "The email address or password is incorrect.",
  rate_limited: "Too many attempts. Please wait a minute and try again.",
  unknown_role: "That role doesn't exist.",
  internal: "Something went wrong on the server. Please try again.",
  network_error: "We couldn't reach the server. Check your connection and try again.",
};

/** A sentence a person can read for any thrown value. */
export function errorText(err) {
  const code = err && typeof err === "object" ? err.code : undefined;
  const message = err && typeof err === "object" && typeof err.message === "string" ? err.message : "";
  if (code === "validation_failed") {
    return message ? ensurePeriod(message) : "Please check what you entered and try again.";
  }
  if (code && FRIENDLY[code]) return FRIENDLY[code];
  if (message) return ensurePeriod(message);
  return "Something unexpected went wrong. Please try again.";
}

function ensurePeriod(text) {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

const toastRegion = () => document.getElementById("toasts");

/** Shows a notification. kind: "error" | "success" | "info". Errors stay until dismissed. */
export function toast(kind, title, text) {
  const close = h("button", { type: "button", "aria-label": "Dismiss notification" }, "×");
  const el = h(
    "div",
    {
      class: `toast toast-${kind}`,
      role: kind === "error" ? "alert" : "status",
      "data-testid": `toast-${kind}`,
    },
    h("div", { class: "grow" }, h("div", { class: "toast-title" }, title), text ? h("div", { class: "toast-text" }, text) : null),
    close,
  );
  close.addEventListener("click", () => el.remove());
  toastRegion().append(el);
  const region = toastRegion();
  while (region.children.length > 3) region.firstElementChild.remove();
  setTimeout(() => el.remove(), kind === "error" ? 15000 : 5000);
  return el;
}

/** Shows an error in words: a toast titled `title` with the friendly text. */
export function showError(title, err) {
  return toast("error", title, errorText(err));
}

/**
 * Asks for confirmation in a modal dialog. With `typeToConfirm`, the person must type that
 * text before the confirm button works. Resolves to true or false.
 */
export function confirmDialog({ title, message, confirmLabel = "Confirm", danger = true, typeToConfirm = null }) {
  const dialog = document.getElementById("confirm");
  const ok = document.getElementById("confirm-ok");
  const typedLabel = document.getElementById("confirm-typed-label");
  const typed = document.getElementById("confirm-typed");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-message").textContent = message;
  ok.textContent = confirmLabel;
  ok.className = danger ? "btn btn-danger" : "btn";
  typed.value = "";
  if (typeToConfirm) {
    typedLabel.hidden = false;
    document.getElementById("confirm-typed-caption").textContent = `Type “${typeToConfirm}” to confirm`;
    ok.disabled = true;
    typed.oninput = () => { ok.disabled = typed.value.trim() !== typeToConfirm; };
  } else {
    typedLabel.hidden = true;
    ok.disabled = false;
    typed.oninput = null;
  }
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "cancel";
    dialog.showModal();
    (typeToConfirm ? typed : ok).focus();
  });
}

/** Runs `action` with the button disabled; shows errors in words. Returns the result or undefined. */
export async function busy(button, action, errorTitle = "That didn't work") {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (err) {
    showError(errorTitle, err);
    return undefined;
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

/** A centred card with a big icon, a title, one or more paragraphs and an optional action. */
export function messageCard({ icon, tone = "info", title, text, action, testid }) {
  const paragraphs = (Array.isArray(text) ? text : [text]).filter(Boolean);
  return h("section", { class: "card center-card", "data-testid": testid ?? "message-card" },
    h("div", { class: `big-icon ${tone}`, "aria-hidden": "true" }, icon),
    h("h1", {}, title),
    paragraphs.map((p) => h("p", { class: "muted", style: "margin-top:.5rem" }, p)),
    action ? h("div", { class: "row", style: "margin-top:1.25rem" }, action) : null);
}

/** A labelled form control: the label names only the control; a hint describes it. */
export function field(label, control, hint = null, wrap = null, style = null) {
  const hintEl = hint ? h("span", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field", style },
    h("label", { for: control.id }, label),
    wrap ? wrap(control) : control,
    hintEl);
}

/** Wraps a slug input behind a "/" prefix (for `field`'s `wrap`). */
export const slugPrefix = (control) => h("div", { class: "input-prefix" }, h("span", { "aria-hidden": "true" }, "/"), control);

/** The error line of a form, hidden until `setFormError` fills it. */
export function formError() {
  return h("div", { class: "form-error", role: "alert", "data-testid": "form-error", hidden: true });
}

/** Shows `err` in words in the error line `el`, or hides the line when `err` is null. */
export function setFormError(el, err) {
  if (!err) { el.hidden = true; el.textContent = ""; return; }
  el.textContent = errorText(err);
  el.hidden = false;
}

/** Submits a form: clears the error line, disables `button` while `action` runs, shows a failure in the line. */
export async function submitting(err, button, action) {
  setFormError(err, null);
  button.disabled = true;
  try {
    await action();
  } catch (e) {
    setFormError(err, e);
  } finally {
    if (button.isConnected) button.disabled = false;
  }
}

const PALETTE = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#db2777", "#7c3aed", "#2563eb", "#dc2626"];

/** A coloured circle with initials. */
export function avatar(label, { square = false, small = false } = {}) {
  const words = String(label || "?").replace(/@.*/, "").split(/[\s._-]+/).filter(Boolean);
  const initials = ((words[0]?.[0] ?? "?") + (words[1]?.[0] ?? "")).toUpperCase();
  let hash = 0;
  for (const ch of String(label)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return h("span", {
    class: `avatar${square ? " square" : ""}${small ? " sm" : ""}`,
    style: `background:${PALETTE[hash % PALETTE.length]}`,
    "aria-hidden": "true",
  }, initials);
}

// Roles come from the catalog of the organization on screen (`loadRoles`, from org.getRoles()):
// no role name or label is written here. Keys seen without a catalog (an invitation preview,
// the home page) read as their key: "basic_member" is "Basic member", "org:billing" "Billing".
let catalog = { data: [], permissions: [], creatorRole: null, defaultRole: null };
const roleNames = new Map();

/** Loads `org`'s role catalog for the cards of its page; resolves to it. */
export async function loadRoles(org) {
  catalog = await org.getRoles();
  for (const r of catalog.data) roleNames.set(r.key, r.name);
  return catalog;
}
/** The catalog of the organization on screen: `{ data: OrgRole[], permissions, creatorRole, defaultRole }`. */
export const roleCatalog = () => catalog;
/** Every role key of the catalog, built-ins first. */
export const roleKeys = () => catalog.data.map((r) => r.key);
/** The role invitations and links give unless another is chosen. */
export const defaultRole = () => catalog.defaultRole;
export function roleLabel(key) {
  if (roleNames.has(key)) return roleNames.get(key);
  const words = String(key ?? "").replace(/^org:/, "").replace(/[_-]+/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
/** "an admin" or "a member", for sentences. */
export function roleWithArticle(key) {
  const label = roleLabel(key).toLowerCase();
  return `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
}
/** Whether `key` holds every permission of the catalog (shown as an admin badge). */
const holdsAll = (key) => {
  const role = catalog.data.find((r) => r.key === key);
  return !!role && catalog.permissions.length > 0 && catalog.permissions.every((p) => role.permissions.includes(p));
};
export const roleBadge = (key) => h("span", { class: `badge${holdsAll(key) ? " badge-admin" : ""}`, "data-testid": "role-badge", "data-role": key }, roleLabel(key));
/** The `<option>`s of a role select, from the catalog, with `selected` chosen. */
export const roleOptions = (selected) => catalog.data.map((r) => h("option", { value: r.key, selected: r.key === selected }, r.name));

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export const fmtDate = (d) => (d ? dateFmt.format(new Date(d)) : "");
export const fmtDateTime = (d) => (d ? dateTimeFmt.format(new Date(d)) : "");
