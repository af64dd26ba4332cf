// The orgkit demo: plain ES modules on top of the orgkit SDK (served at /pkg/).
import {
  h, mount, toast, showError, errorText, confirmDialog, busy, avatar,
  ROLES, roleLabel, roleBadge, fmtDate, fmtDateTime,
} from "./ui.js";

const app = document.getElementById("app");
const nav = document.getElementById("nav");

/** The SDK module, the client and what we know about the session. */
let sdk;
let kit;
const state = { user: null, dev: false };

// ---------------------------------------------------------------------------------------------
// Boot and routing

window.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  showError("Something went wrong", event.reason);
});
window.addEventListener("error", (event) => {
  event.preventDefault();
  showError("Something went wrong", event.error ?? { message: event.message });
});
// "#" and "#/" are the same page: only a real change of route renders again.
window.addEventListener("hashchange", () => { if (routeKey(route()) !== lastKey) render(); });

boot();

async function boot() {
  try {
    sdk = await import("/pkg/orgkit.js");
    await sdk.default();
    kit = new sdk.OrgKit();
  } catch (err) {
    renderNav();
    mount(app, messageCard({
      icon: "!", tone: "bad", testid: "sdk-missing",
      title: "The orgkit SDK could not be loaded",
      text: [
        "The demo imports the SDK from /pkg/orgkit.js. Build it with scripts/sdk-build.sh (wasm-pack) and start the server with --pkg-dir pkg.",
        `Details: ${err?.message ?? err}`,
      ],
    }));
    return;
  }
  const [user, dev] = await Promise.all([
    kit.getUser().catch((err) => { showError("Couldn't check your session", err); return null; }),
    kit.getDevMailbox("dev-mode-probe@orgkit.invalid").then(() => true, () => false),
  ]);
  state.user = user;
  state.dev = dev;
  await render();
}

function route() {
  const params = new URLSearchParams(location.search);
  if (location.pathname === "/accept") return { name: "accept", token: params.get("token") ?? "" };
  if (location.pathname === "/verify-email") return { name: "verify", token: params.get("token") ?? "" };
  const [first, second] = location.hash.replace(/^#\/?/, "").split("/");
  if (first === "org" && second) return { name: "org", id: decodeURIComponent(second) };
  if (first === "mailbox") return { name: "mailbox" };
  return { name: "home" };
}

/** Navigates inside the app, for example go("#/org/org_123"). */
function go(hash) {
  if (location.pathname !== "/" || location.search) {
    history.pushState(null, "", `/${hash}`);
    render();
  } else if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

let renderSeq = 0;
let lastKey = "";

const routeKey = (r) => JSON.stringify(r) + (state.user?.id ?? "");

/** Renders the current route. Keeps the old page on screen while refreshing the same route. */
async function render() {
  if (!kit) return;
  const seq = ++renderSeq;
  const r = route();
  const key = routeKey(r);
  renderNav(r);
  if (key !== lastKey) {
    mount(app, h("div", { class: "loading", role: "status", "data-testid": "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading…"));
  }
  lastKey = key;
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

function view(r) {
  switch (r.name) {
    case "accept": return acceptView(r.token);
    case "verify": return verifyView(r.token);
    case "mailbox": return mailboxView();
    case "org": return state.user ? orgView(r.id) : signedOutView("Sign in to see this organization.");
    default: return state.user ? dashboardView() : signedOutView();
  }
}

function titleOf(r) {
  return { accept: "Invitation", verify: "Verify email", mailbox: "Dev mailbox", org: "Organization" }[r.name] ?? "Home";
}

function renderNav(r = route()) {
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

// ---------------------------------------------------------------------------------------------
// Shared pieces

function homeButton(label = "Go to your organizations") {
  return h("button", { class: "btn", type: "button", onclick: () => go("#/") }, label);
}

function messageCard({ icon, tone = "info", title, text, action, testid }) {
  const paragraphs = (Array.isArray(text) ? text : [text]).filter(Boolean);
  return h("section", { class: "card center-card", "data-testid": testid ?? "message-card" },
    h("div", { class: `big-icon ${tone}`, "aria-hidden": "true" }, icon),
    h("h1", {}, title),
    paragraphs.map((p) => h("p", { class: "muted", style: "margin-top:.5rem" }, p)),
    action ? h("div", { class: "row", style: "margin-top:1.25rem" }, action) : null);
}

/** A labelled form control: the label names only the control; a hint describes it. */
function field(label, control, hint = null, wrap = null, style = null) {
  const hintEl = hint ? h("span", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field", style },
    h("label", { for: control.id }, label),
    wrap ? wrap(control) : control,
    hintEl);
}

function formError() {
  return h("div", { class: "form-error", role: "alert", "data-testid": "form-error", hidden: true });
}

function setFormError(el, err) {
  if (!err) { el.hidden = true; el.textContent = ""; return; }
  el.textContent = errorText(err);
  el.hidden = false;
}

/** A sign-in / sign-up card. `email` prefills the address; `lockEmail` keeps it fixed for sign-up. */
function authCard({ mode = "signin", email = "", lockEmail = false, title, intro, onDone }) {
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
      setFormError(err, null);
      submit.disabled = true;
      try {
        const user = current === "signup"
          ? await kit.signUp({ emailAddress: emailInput.value.trim(), password: passwordInput.value, name: nameInput.value.trim() })
          : await kit.signIn({ emailAddress: emailInput.value.trim(), password: passwordInput.value });
        state.user = user;
        await onDone(user, current);
      } catch (e) {
        setFormError(err, e);
      } finally {
        if (submit.isConnected) submit.disabled = false;
      }
    } },
      current === "signup" ? field("Your name", nameInput) : null,
      field("Email address", emailInput, lockEmail && current === "signup" ? "The address your invitation was sent to." : null),
      field("Password", passwordInput, current === "signup" ? "At least 8 characters." : null),
      err,
      submit);
    const tab = (key, label) => h("button", {
      type: "button", role: "tab", "aria-selected": String(current === key), "data-testid": `tab-${key}`,
      onclick: () => { email = emailInput.value; current = key; draw(); },
    }, label);
    mount(card,
      title ? h("div", { class: "card-head" }, h("div", {}, h("h2", {}, title), intro ? h("p", {}, intro) : null)) : null,
      h("div", { class: "tabs", role: "tablist" }, tab("signin", "Sign in"), tab("signup", "Create account")),
      form);
  };
  draw();
  return card;
}

// ---------------------------------------------------------------------------------------------
// Home

function signedOutView(reason) {
  return h("div", { class: "grid-2" },
    h("section", { class: "hero" },
      h("h1", {}, "Organizations for your app, self-hosted."),
      h("p", {}, reason ?? "orgkit gives your users organizations, roles and invitations — checked by the same Rust rule book in the browser and on the server."),
      h("ul", {},
        h("li", {}, "Create an organization and invite teammates by email"),
        h("li", {}, "Admins change roles, remove members and manage invitations"),
        h("li", {}, "Every rule is enforced by the server; obvious mistakes are caught before a request"))),
    authCard({
      mode: "signin", title: "Welcome", intro: "Sign in or create an account to get started.",
      onDone: (user, how) => {
        toast("success", how === "signup" ? "Account created" : "Signed in", `Welcome, ${user.name}.`);
        lastKey = "";
        return render();
      },
    }));
}

async function dashboardView() {
  const user = state.user;
  const [memberships, invitations] = await Promise.all([
    kit.getOrganizationMemberships(),
    user.emailVerified ? kit.getUserInvitations().catch((err) => ({ error: err })) : Promise.resolve([]),
  ]);

  const orgList = memberships.length
    ? h("ul", { class: "list", "data-testid": "org-list" }, memberships.map((m) => {
        const org = m.organization;
        return h("li", { "data-testid": "org-item", "data-org-id": org.id },
          h("a", { class: "org-link", href: `/#/org/${encodeURIComponent(org.id)}` },
            avatar(org.name, { square: true }),
            h("span", { class: "grow" },
              h("span", { class: "org-name truncate", style: "display:block" }, org.name),
              h("span", { class: "muted small" }, `/${org.slug}`)),
            roleBadge(m.role)));
      }))
    : h("div", { class: "empty", "data-testid": "no-orgs" }, h("strong", {}, "No organizations yet"), "Create one, or accept an invitation to join one.");

  const notices = [];
  if (!user.emailVerified) {
    notices.push(h("div", { class: "notice notice-warn", role: "status", "data-testid": "verify-notice" },
      h("div", { class: "grow" },
        h("p", {}, h("strong", {}, "Please verify your email address. "), `We sent a link to ${user.emailAddress}.`),
        state.dev ? h("p", {}, "Running in dev mode: the email is in the ", h("a", { href: "/#/mailbox" }, "dev mailbox"), ".") : null)));
  }

  let invitationCard = null;
  if (Array.isArray(invitations) && invitations.length) {
    invitationCard = h("section", { class: "card", "data-testid": "my-invitations" },
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invitations for you"), h("p", {}, "Organizations that invited your address."))),
      h("ul", { class: "list" }, invitations.map((inv) => h("li", { "data-testid": "my-invitation" },
        avatar(inv.organizationName, { square: true }),
        h("div", { class: "grow" }, h("div", { class: "org-name" }, inv.organizationName),
          h("div", { class: "muted small" }, `As ${roleLabel(inv.role)} · expires ${fmtDate(inv.expiresAt)}`)),
        h("button", { class: "btn btn-sm", type: "button", onclick: (e) => busy(e.currentTarget, async () => {
          const membership = await inv.accept();
          toast("success", "Invitation accepted", `You joined ${membership.organization.name}.`);
          go(`#/org/${encodeURIComponent(membership.organization.id)}`);
        }, "Couldn't accept the invitation") }, "Accept")))));
  } else if (invitations?.error) {
    showError("Couldn't load your invitations", invitations.error);
  }

  return h("div", { class: "stack" },
    h("div", { class: "page-head" },
      h("div", {}, h("h1", { "data-testid": "welcome" }, `Welcome, ${user.name}`),
        h("p", { class: "sub" }, "Your organizations, and a place to start a new one."))),
    notices,
    h("div", { class: "grid-2" },
      h("div", { class: "stack" },
        h("section", { class: "card" },
          h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Your organizations"),
            h("p", {}, memberships.length === 1 ? "1 organization" : `${memberships.length} organizations`))),
          orgList),
        invitationCard),
      createOrgCard()));
}

function createOrgCard() {
  const err = formError();
  const name = h("input", { id: "org-name", name: "name", required: true, placeholder: "Acme Corp", autocomplete: "organization" });
  const slug = h("input", { id: "org-slug", name: "slug", placeholder: "acme-corp", autocomplete: "off", spellcheck: "false" });
  let slugEdited = false;
  const suggest = typeof sdk.suggestSlug === "function" ? sdk.suggestSlug : null;
  name.addEventListener("input", () => {
    if (!slugEdited && suggest) slug.value = name.value.trim() ? suggest(name.value) : "";
  });
  slug.addEventListener("input", () => { slugEdited = slug.value !== ""; });
  const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "create-org" }, "Create organization");
  const form = h("form", { class: "form", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    setFormError(err, null);
    submit.disabled = true;
    try {
      const params = { name: name.value.trim() };
      if (slug.value.trim()) params.slug = slug.value.trim();
      const org = await kit.createOrganization(params);
      toast("success", "Organization created", `${org.name} is ready. Invite your team.`);
      go(`#/org/${encodeURIComponent(org.id)}`);
    } catch (e) {
      setFormError(err, e);
    } finally {
      if (submit.isConnected) submit.disabled = false;
    }
  } },
    field("Organization name", name),
    field("URL slug", slug,
      suggest ? "Suggested from the name as you type; you can change it." : "Leave empty and the server picks one from the name.",
      (control) => h("div", { class: "input-prefix" }, h("span", { "aria-hidden": "true" }, "/"), control)),
    err,
    submit);
  return h("section", { class: "card", "data-testid": "create-org-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Create an organization"), h("p", {}, "You'll be its first admin."))),
    form);
}

// ---------------------------------------------------------------------------------------------
// Organization page

async function orgView(id) {
  let org;
  try {
    org = await kit.getOrganization(id);
  } catch (err) {
    if (err?.code === "unauthenticated") {
      state.user = null;
      renderNav();
      return signedOutView("Your session has ended. Sign in again to see this organization.");
    }
    if (err?.code === "not_found" || err?.code === "forbidden") {
      return messageCard({
        icon: "∅", tone: "bad", testid: "not-member",
        title: "You're not a member of this organization",
        text: "It may have been deleted, or an admin removed you. Ask an admin for a new invitation if you need access.",
        action: homeButton(),
      });
    }
    throw err;
  }

  const isAdmin = org.can("org:memberships:manage");
  const canInvite = org.can("org:invitations:manage");
  const canDelete = org.can("org:profile:delete");
  const canEdit = org.can("org:profile:manage");

  const membersSection = h("section", { class: "card", "data-testid": "members-card" });
  const invitationsSection = canInvite ? h("section", { class: "card", "data-testid": "invitations-card" }) : null;
  const pendingBox = h("div", { "data-testid": "pending-invitations" });

  const refreshPage = () => { lastKey = ""; return render(); };

  async function loadMembers() {
    let page;
    try {
      page = await org.getMembershipsPage({ limit: 50 });
    } catch (err) {
      if (err?.code === "not_found" || err?.code === "forbidden") return refreshPage();
      showError("Couldn't load the members", err);
      return;
    }
    const rows = [...page.data];
    const tbody = h("tbody", {});
    const table = h("table", { "data-testid": "members-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Member"), h("th", {}, "Role"), h("th", {}, "Joined"), isAdmin ? h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")) : null)),
      tbody);
    const addRows = (list) => { for (const m of list) tbody.append(memberRow(m)); };
    addRows(rows);
    let cursor = page.nextCursor;
    const more = h("button", { class: "btn btn-secondary btn-sm", type: "button", hidden: !cursor, onclick: (e) => busy(e.currentTarget, async () => {
      const next = await org.getMembershipsPage({ limit: 50, after: cursor });
      rows.push(...next.data);
      addRows(next.data);
      cursor = next.nextCursor;
      more.hidden = !cursor;
      count.textContent = memberCount(rows.length, !!cursor);
    }, "Couldn't load more members") }, "Show more members");
    const count = h("p", {}, memberCount(rows.length, !!cursor));
    mount(membersSection,
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Members"), count)),
      h("div", { class: "table-wrap" }, table),
      h("div", { class: "row", style: "margin-top:.75rem;justify-content:center" }, more));
  }

  function memberCount(n, moreExist) {
    return `${n}${moreExist ? "+" : ""} member${n === 1 && !moreExist ? "" : "s"}`;
  }

  function memberRow(m) {
    const person = m.publicUserData;
    const isMe = person.userId === state.user.id;
    const display = person.name || person.identifier;
    let roleCell = roleBadge(m.role);
    if (isAdmin) {
      const options = ROLES.includes(m.role) ? ROLES : [...ROLES, m.role];
      const select = h("select", {
        "aria-label": `Change role of ${display}`, "data-testid": "role-select",
      }, options.map((r) => h("option", { value: r, selected: r === m.role }, roleLabel(r))));
      select.value = m.role;
      select.addEventListener("change", async () => {
        const previous = m.role;
        const next = select.value;
        select.disabled = true;
        try {
          await org.updateRole({ userId: person.userId, role: next });
          toast("success", "Role changed", `${display} is now ${roleLabel(next) === "Admin" ? "an admin" : "a member"}.`);
          if (isMe) return refreshPage();
          await loadMembers();
        } catch (err) {
          select.value = previous;
          showError("Couldn't change the role", err);
        } finally {
          if (select.isConnected) select.disabled = false;
        }
      });
      roleCell = select;
    }
    const remove = isAdmin && !isMe
      ? h("button", {
          class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "remove-member",
          "aria-label": `Remove ${display}`,
          onclick: async (e) => {
            const button = e.currentTarget;
            const ok = await confirmDialog({
              title: "Remove member?",
              message: `${display} (${person.identifier}) will lose access to ${org.name}.`,
              confirmLabel: "Remove member",
            });
            if (!ok) return;
            await busy(button, async () => {
              await org.removeMember(person.userId);
              toast("success", "Member removed", `${display} is no longer a member of ${org.name}.`);
              await loadMembers();
            }, "Couldn't remove the member");
          },
        }, "Remove")
      : null;
    return h("tr", { "data-testid": "member-row", "data-email": person.identifier, "data-user-id": person.userId },
      h("td", {}, h("div", { class: "person" }, avatar(display, { small: true }),
        h("div", { class: "person-text" },
          h("span", {}, h("strong", {}, display), " ", isMe ? h("span", { class: "badge badge-you" }, "You") : null),
          h("small", {}, person.identifier)))),
      h("td", { "data-testid": "member-role", "data-role": m.role }, roleCell),
      h("td", { class: "muted small" }, fmtDate(m.createdAt)),
      isAdmin ? h("td", { class: "actions" }, remove) : null);
  }

  async function loadInvitations() {
    let list;
    try {
      list = await org.getPendingInvitations();
    } catch (err) {
      showError("Couldn't load the pending invitations", err);
      return;
    }
    if (!list.length) {
      mount(pendingBox, h("div", { class: "empty", "data-testid": "no-pending" }, h("strong", {}, "No pending invitations"), "Invitations you send appear here until they're accepted."));
      return;
    }
    mount(pendingBox, h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Email"), h("th", {}, "Role"), h("th", {}, "Expires"), h("th", { class: "actions" }, ""))),
      h("tbody", {}, list.map((inv) => h("tr", { "data-testid": "invitation-row", "data-email": inv.emailAddress },
        h("td", {}, h("div", { class: "person" }, avatar(inv.emailAddress, { small: true }),
          h("div", { class: "person-text" }, h("span", {}, inv.emailAddress), h("small", {}, `Sent ${fmtDateTime(inv.createdAt)}`)))),
        h("td", {}, roleBadge(inv.role)),
        h("td", { class: "muted small" }, fmtDate(inv.expiresAt)),
        h("td", { class: "actions" }, h("div", { class: "row", style: "justify-content:flex-end" },
          h("button", {
            class: "btn btn-secondary btn-sm", type: "button", "data-testid": "resend-invitation",
            "aria-label": `Resend invitation to ${inv.emailAddress}`,
            onclick: (e) => busy(e.currentTarget, async () => {
              await inv.resend();
              toast("success", "Invitation resent", `We emailed ${inv.emailAddress} again.`);
              await loadInvitations();
            }, "Couldn't resend the invitation"),
          }, "Resend"),
          h("button", {
            class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "revoke-invitation",
            "aria-label": `Revoke invitation to ${inv.emailAddress}`,
            onclick: (e) => busy(e.currentTarget, async () => {
              await inv.revoke();
              toast("success", "Invitation revoked", `${inv.emailAddress} can no longer use that link.`);
              await loadInvitations();
            }, "Couldn't revoke the invitation"),
          }, "Revoke")))))))));
  }

  function inviteForm() {
    const emails = h("input", {
      id: "invite-emails", name: "emails", autocomplete: "off", spellcheck: "false",
      placeholder: "grace@example.com, alan@example.com",
    });
    const role = h("select", { id: "invite-role", name: "role" }, ROLES.map((r) => h("option", { value: r, selected: r === "basic_member" }, roleLabel(r))));
    const submit = h("button", { class: "btn", type: "submit", "data-testid": "invite-submit" }, "Send invitations");
    const results = h("ul", { class: "results", "data-testid": "invite-results", "aria-live": "polite" });
    const form = h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      const raw = emails.value.trim();
      if (!raw) {
        mount(results, resultItem({ emailAddress: "", error: { code: "validation_failed", message: "Enter at least one email address." } }));
        emails.focus();
        return;
      }
      submit.disabled = true;
      let outcome;
      try {
        if (/[,;\n]/.test(raw)) {
          outcome = await org.inviteMembers({ emailAddresses: raw, role: role.value });
        } else {
          try {
            const invitation = await org.inviteMember({ emailAddress: raw, role: role.value });
            outcome = [{ emailAddress: raw, invitation }];
          } catch (err) {
            outcome = [{ emailAddress: raw, error: err }];
          }
        }
      } catch (err) {
        showError("Couldn't send the invitations", err);
        return;
      } finally {
        submit.disabled = false;
      }
      mount(results, outcome.map(resultItem));
      const failed = outcome.filter((o) => o.error);
      const sent = outcome.length - failed.length;
      if (sent) toast("success", sent === 1 ? "Invitation sent" : `${sent} invitations sent`, state.dev ? "Open the dev mailbox to see the email." : null);
      if (failed.length) {
        showError(failed.length === 1 ? "1 invitation was not sent" : `${failed.length} invitations were not sent`,
          failed.length === 1 ? failed[0].error : { message: "See the results below the form." });
        emails.value = failed.map((f) => f.emailAddress).join(", ");
      } else {
        emails.value = "";
      }
      if (sent) await loadInvitations();
    } },
      h("div", { class: "inline-form" },
        field("Email addresses", emails),
        field("Role", role),
        submit),
      h("p", { class: "muted small", style: "margin-top:.4rem" }, "One address, or several separated by commas."),
      results);
    return form;
  }

  function resultItem(r) {
    const ok = !r.error;
    return h("li", { class: ok ? "ok" : "bad", "data-testid": "invite-result", "data-status": ok ? "sent" : "failed", role: ok ? null : "alert" },
      h("span", { class: "mark", "aria-hidden": "true" }, ok ? "✓" : "✕"),
      h("span", {}, r.emailAddress ? h("strong", {}, r.emailAddress) : null, r.emailAddress ? " — " : null,
        ok ? "invitation sent." : errorText(r.error)));
  }

  function settingsCard() {
    const err = formError();
    const name = h("input", { id: "settings-name", name: "name", required: true, value: org.name, autocomplete: "off" });
    const slug = h("input", { id: "settings-slug", name: "slug", required: true, value: org.slug, autocomplete: "off", spellcheck: "false" });
    const save = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "save-settings" }, "Save changes");
    const form = h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      setFormError(err, null);
      const changes = {};
      if (name.value.trim() !== org.name) changes.name = name.value.trim();
      if (slug.value.trim() !== org.slug) changes.slug = slug.value.trim();
      if (!Object.keys(changes).length) {
        toast("info", "Nothing to save", "The name and slug are unchanged.");
        return;
      }
      save.disabled = true;
      try {
        const updated = await org.update(changes);
        toast("success", "Organization updated", `Saved ${updated.name} (/${updated.slug}).`);
        await refreshPage();
      } catch (e) {
        setFormError(err, e);
      } finally {
        if (save.isConnected) save.disabled = false;
      }
    } },
      h("div", { class: "inline-form settings-form" },
        field("Name", name),
        field("URL slug", slug, null, (control) => h("div", { class: "input-prefix" }, h("span", { "aria-hidden": "true" }, "/"), control)),
        save),
      h("div", { style: "margin-top:.75rem" }, err));
    return h("section", { class: "card", "data-testid": "settings-card" },
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Settings"), h("p", {}, "The organization's name and URL slug."))),
      form);
  }

  if (invitationsSection) {
    mount(invitationsSection,
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invitations"),
        h("p", {}, "Invite people by email. They join when they open the link.",
          state.dev ? [" ", h("a", { href: "/#/mailbox", "data-testid": "org-mailbox-link" }, "Open the dev mailbox")] : null))),
      inviteForm(),
      h("h3", { style: "margin:1.25rem 0 .6rem" }, "Pending"),
      pendingBox);
  }

  await Promise.all([loadMembers(), canInvite ? loadInvitations() : null]);

  const leave = h("button", { class: "btn btn-secondary", type: "button", "data-testid": "leave-org", onclick: async (e) => {
    const button = e.currentTarget;
    if (!await confirmDialog({ title: `Leave ${org.name}?`, message: "You'll lose access until someone invites you again.", confirmLabel: "Leave organization" })) return;
    await busy(button, async () => {
      await org.leave();
      toast("success", "You left the organization", `You're no longer a member of ${org.name}.`);
      go("#/");
    }, "Couldn't leave the organization");
  } }, "Leave organization");

  const destroy = canDelete ? h("button", { class: "btn btn-danger", type: "button", "data-testid": "delete-org", onclick: async (e) => {
    const button = e.currentTarget;
    if (!await confirmDialog({
      title: `Delete ${org.name}?`,
      message: "This deletes the organization, its memberships and its invitations. It cannot be undone.",
      confirmLabel: "Delete organization",
      typeToConfirm: org.name,
    })) return;
    await busy(button, async () => {
      await org.destroy();
      toast("success", "Organization deleted", `${org.name} is gone.`);
      go("#/");
    }, "Couldn't delete the organization");
  } }, "Delete organization") : null;

  return h("div", { class: "stack", "data-testid": "org-page", "data-org-id": org.id },
    h("div", {},
      h("a", { class: "back", href: "/#/" }, "← All organizations"),
      h("div", { class: "page-head" },
        h("div", { class: "row", style: "gap:.9rem;flex-wrap:nowrap" },
          avatar(org.name, { square: true }),
          h("div", {},
            h("h1", { "data-testid": "org-name" }, org.name),
            h("p", { class: "sub row" }, h("span", {}, `/${org.slug}`), h("span", { "aria-hidden": "true" }, "·"),
              h("span", {}, "Your role: "), h("span", { "data-testid": "my-role", "data-role": org.role }, roleBadge(org.role))))))),
    membersSection,
    invitationsSection,
    canEdit ? settingsCard() : null,
    h("section", { class: "card danger-zone", "data-testid": "danger-zone" },
      h("div", { class: "card-head", style: "margin-bottom:.25rem" }, h("div", {}, h("h2", {}, "Leave or delete"))),
      h("div", { class: "row-split" },
        h("div", {}, h("strong", {}, "Leave this organization"), h("p", { class: "muted small" }, "The last admin has to hand over the role first.")),
        leave),
      destroy ? h("div", { class: "row-split" },
        h("div", {}, h("strong", {}, "Delete this organization"), h("p", { class: "muted small" }, "Removes everyone and every invitation, for good.")),
        destroy) : null));
}

// ---------------------------------------------------------------------------------------------
// Invitation links and email verification

async function acceptView(token) {
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

  const accept = async (button) => busy(button, async () => {
    const membership = await kit.acceptInvitation(token);
    state.user = await kit.getUser();
    toast("success", `Welcome to ${membership.organization.name}`, `You joined as ${roleLabel(membership.role) === "Admin" ? "an admin" : "a member"}.`);
    go(`#/org/${encodeURIComponent(membership.organization.id)}`);
    return true;
  }, "Couldn't accept the invitation");

  const summary = h("div", {},
    h("div", { class: "big-icon info", "aria-hidden": "true" }, "✉"),
    h("h1", { "data-testid": "accept-title" }, `Join ${preview.organizationName}`),
    h("p", { class: "muted", style: "margin-top:.5rem" }, "You've been invited to join ", h("strong", {}, preview.organizationName), " as ", h("strong", {}, roleLabel(preview.role) === "Admin" ? "an admin" : "a member"), "."),
    h("dl", { class: "kv" },
      h("dt", {}, "Invited address"), h("dd", { "data-testid": "invited-email" }, preview.emailAddress),
      h("dt", {}, "Role"), h("dd", {}, roleLabel(preview.role)),
      h("dt", {}, "Expires"), h("dd", {}, fmtDateTime(preview.expiresAt))));

  const user = state.user;
  if (user) {
    const mismatch = user.emailAddress.toLowerCase() !== preview.emailAddress.toLowerCase();
    return h("section", { class: "card center-card", "data-testid": "accept-card" },
      summary,
      mismatch ? h("div", { class: "notice notice-warn", role: "status", style: "margin-bottom:1rem" },
        h("div", { class: "grow" }, h("p", {}, `You're signed in as ${user.emailAddress}, but this invitation is for ${preview.emailAddress}.`),
          h("p", {}, "Sign out and sign in with the invited address to accept it."))) : null,
      h("div", { class: "row" },
        mismatch
          ? h("button", { class: "btn", type: "button", onclick: (e) => busy(e.currentTarget, async () => {
              await kit.signOut();
              state.user = null;
              renderNav();
              mount(app, await acceptView(token));
            }, "Couldn't sign out") }, "Sign out and continue")
          : h("button", { class: "btn", type: "button", "data-testid": "accept-invitation", onclick: (e) => accept(e.currentTarget) }, "Accept invitation"),
        h("button", { class: "btn btn-ghost", type: "button", onclick: () => go("#/") }, "Not now")));
  }

  return h("div", { class: "grid-2", "data-testid": "accept-card" },
    h("section", { class: "card" }, summary,
      h("p", { class: "muted small" }, "Create an account with the invited address — or sign in if you already have one — and you'll join right away.")),
    authCard({
      mode: "signup", email: preview.emailAddress, lockEmail: true,
      title: "Create your account", intro: `to join ${preview.organizationName}`,
      onDone: async () => {
        renderNav();
        if (!await accept(null)) {
          // Signed in but not joined: show the signed-in state with the error toast.
          lastKey = "";
          await render();
        }
      },
    }));
}

async function verifyView(token) {
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

// ---------------------------------------------------------------------------------------------
// Dev mailbox

async function mailboxView() {
  const filter = new URLSearchParams(location.hash.split("?")[1] ?? "").get("to") ?? "";
  const list = h("div", { "data-testid": "mailbox-list" });
  const toInput = h("input", { id: "mailbox-to", type: "email", placeholder: "Everyone", value: filter, autocomplete: "off" });

  async function load() {
    let messages;
    try {
      messages = await kit.getDevMailbox(toInput.value.trim() || undefined);
    } catch (err) {
      if (err?.code === "not_found") {
        mount(list, h("div", { class: "notice notice-info" }, h("div", { class: "grow" },
          h("p", {}, h("strong", {}, "The dev mailbox is off. "), "Start the server with --dev to read the emails it sends here."))));
      } else {
        showError("Couldn't load the mailbox", err);
      }
      return;
    }
    if (!messages.length) {
      mount(list, h("div", { class: "empty", "data-testid": "mailbox-empty" }, h("strong", {}, "No emails yet"), "Invitations and verification emails will show up here."));
      return;
    }
    mount(list, messages.map((m) => h("article", { class: "mail", "data-testid": "mail-message", "data-to": m.to, "data-subject": m.subject },
      h("div", { class: "mail-head" },
        h("span", { class: "mail-subject" }, m.subject),
        h("span", { class: "mail-meta" }, fmtDateTime(m.createdAt))),
      h("div", { class: "mail-meta" }, "To: ", h("strong", {}, m.to)),
      h("pre", { class: "mail-body" }, m.body),
      m.link ? h("div", { class: "row" },
        h("a", { class: "btn btn-sm", href: m.link, "data-testid": "mail-link" }, /\/accept\?/.test(m.link) ? "Open invitation link" : /\/verify-email\?/.test(m.link) ? "Open verification link" : "Open link"),
        h("span", { class: "muted small truncate", style: "max-width:32rem" }, m.link)) : null)));
  }

  const refresh = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "mailbox-refresh" }, "Show");
  const form = h("form", { class: "row", novalidate: true, style: "align-items:flex-end", onsubmit: (e) => { e.preventDefault(); busy(refresh, load); } },
    field("Recipient", toInput, null, null, "flex:1;min-width:14rem"),
    refresh);
  await load();
  return h("div", { class: "stack" },
    h("div", { class: "page-head" }, h("div", {},
      h("h1", {}, "Dev mailbox"),
      h("p", { class: "sub" }, "Emails the server sent, newest first (only with --dev). Open an invitation link in another browser or a private window to accept it as the invitee."))),
    h("section", { class: "card" }, form),
    h("section", {}, list));
}
