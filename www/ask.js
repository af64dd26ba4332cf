// The home page's join requests: the "Ask to join an organization" form (slug and message) and
// "My requests", each pending one with "Withdraw".
import { h, mount, toast, showError, busy, avatar, field, formError, submitting, slugPrefix, fmtDate } from "./ui.js";
import { kit } from "./context.js";

const STATUS_TEXT = { pending: "Waiting for an admin", accepted: "Accepted", rejected: "Not accepted", withdrawn: "Withdrawn" };

/** The card with the form and my requests; `load` fills the list. */
export function joinRequestsCard() {
  const list = h("div", { "data-testid": "my-join-requests" });

  async function load() {
    let requests;
    try {
      requests = await kit.getMyJoinRequests();
    } catch (err) {
      showError("Couldn't load your requests", err);
      return;
    }
    if (!requests.length) {
      mount(list, h("p", { class: "muted small", "data-testid": "no-my-join-requests" }, "You haven't asked to join any organization."));
      return;
    }
    mount(list, h("ul", { class: "list" }, requests.map((req) => h("li", { "data-testid": "my-join-request", "data-status": req.status },
      avatar(req.organizationName, { square: true }),
      h("div", { class: "grow" }, h("div", { class: "org-name" }, req.organizationName),
        h("div", { class: "muted small" }, `/${req.organizationSlug} · ${STATUS_TEXT[req.status]} · ${fmtDate(req.createdAt)}`)),
      req.status === "pending"
        ? h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "withdraw-join-request", onclick: (e) => busy(e.currentTarget, async () => {
          await req.withdraw();
          toast("success", "Request withdrawn", `You no longer ask to join ${req.organizationName}.`);
          await load();
        }, "Couldn't withdraw the request") }, "Withdraw")
        : null))));
  }

  const err = formError();
  // The create-organization card has its own `form-error`.
  err.dataset.testid = "join-form-error";
  const slug = h("input", { id: "join-slug", name: "organization", required: true, placeholder: "acme-corp", autocomplete: "off", spellcheck: "false" });
  const message = h("textarea", { id: "join-message", name: "message", rows: 2, maxlength: 500, placeholder: "Hi! I work on the robotics team." });
  const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "ask-to-join" }, "Ask to join");
  const form = h("form", { class: "form", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    await submitting(err, submit, async () => {
      const params = { organization: slug.value.trim() };
      if (message.value.trim()) params.message = message.value;
      const req = await kit.requestToJoin(params);
      toast("success", "Request sent", `${req.organizationName}'s admins will decide.`);
      slug.value = "";
      message.value = "";
      await load();
    });
  } },
    field("Organization slug", slug, "Ask its admins for it.", slugPrefix),
    field("Message (optional)", message, "At most 500 characters."),
    err,
    submit);

  const section = h("section", { class: "card", "data-testid": "join-requests-home" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Ask to join an organization"), h("p", {}, "If it takes requests, its admins accept or reject yours."))),
    form,
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "My requests"),
    list);
  return { section, load };
}
