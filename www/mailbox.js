// The dev mailbox (#/mailbox?to=…): the emails the server sent, newest first, with their links.
// Only a server started with --dev has one; otherwise the page says so.
import { h, mount, showError, busy, fmtDateTime, field } from "./ui.js";
import { kit } from "./context.js";

const linkLabel = (link) =>
  /\/accept\?/.test(link) ? "Open invitation link" : /\/verify-email\?/.test(link) ? "Open verification link" : "Open link";

function mailItem(m) {
  return h("article", { class: "mail", "data-testid": "mail-message", "data-to": m.to, "data-subject": m.subject },
    h("div", { class: "mail-head" },
      h("span", { class: "mail-subject" }, m.subject),
      h("span", { class: "mail-meta" }, fmtDateTime(m.createdAt))),
    h("div", { class: "mail-meta" }, "To: ", h("strong", {}, m.to)),
    h("pre", { class: "mail-body" }, m.body),
    m.link ? h("div", { class: "row" },
      h("a", { class: "btn btn-sm", href: m.link, "data-testid": "mail-link" }, linkLabel(m.link)),
      h("span", { class: "muted small truncate", style: "max-width:32rem" }, m.link)) : null);
}

export async function mailboxView() {
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
    mount(list, messages.map(mailItem));
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
