// Join requests on an organization page (holders of org:requests:manage): the "Allow requests to
// join" toggle, and the Requests card listing requests (pending first) with Accept (and the role
// to grant) and Reject, paged with "Show more".
import { h, mount, toast, showError, busy, avatar, roleOptions, defaultRole, roleLabel, roleBadge, fmtDateTime } from "../ui.js";

const STATUS_LABELS = { pending: "Pending", accepted: "Accepted", rejected: "Rejected", withdrawn: "Withdrawn" };

/** The "Allow requests to join" switch; saves at once. */
export function joinRequestsToggle(org) {
  const box = h("input", { type: "checkbox", id: "allow-join-requests", "data-testid": "allow-join-requests", checked: org.allowJoinRequests });
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      await org.update({ allowJoinRequests: box.checked });
      toast("success", box.checked ? "Requests to join are on" : "Requests to join are off",
        box.checked ? `People can ask to join with the slug /${org.slug}.` : "Nobody new can ask to join.");
    } catch (err) {
      box.checked = !box.checked;
      showError("Couldn't change the setting", err);
    } finally {
      box.disabled = false;
    }
  });
  return h("section", { class: "card", "data-testid": "join-requests-setting" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Requests to join"),
      h("p", {}, `Signed-in people with a verified email can ask to join with the slug /${org.slug}; you accept or reject each request.`))),
    h("label", { class: "check", style: "font-size:.95rem;font-weight:600" }, box, "Allow requests to join"));
}

/** The Requests card (`section`); `load` fills it and refreshes it after a decision. */
export function requestsCard(org) {
  const box = h("div", { "data-testid": "join-requests" });
  const more = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "more-join-requests", hidden: true }, "Show more");
  let cursor = null;
  let rows = [];

  async function fetchPage(after) {
    try {
      const page = await org.getJoinRequests({ limit: 20, after });
      cursor = page.nextCursor;
      more.hidden = !cursor;
      return page.data;
    } catch (err) {
      showError("Couldn't load the requests", err);
      return [];
    }
  }

  function render() {
    if (!rows.length) {
      mount(box, h("div", { class: "empty", "data-testid": "no-join-requests" }, h("strong", {}, "No requests yet"),
        org.allowJoinRequests ? "Requests to join appear here." : "Turn on “Allow requests to join” to let people ask."));
      return;
    }
    mount(box, h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Person"), h("th", {}, "Message"), h("th", {}, "Status"), h("th", { class: "actions" }, ""))),
      h("tbody", {}, rows.map(row)))));
  }

  async function load() {
    rows = await fetchPage(null);
    render();
  }

  more.addEventListener("click", (e) => busy(e.currentTarget, async () => {
    rows = rows.concat(await fetchPage(cursor));
    render();
  }, "Couldn't load more requests"));

  function row(req) {
    const who = req.publicUserData;
    const pending = req.status === "pending";
    const role = h("select", { "data-testid": "join-request-role", "aria-label": `Role for ${who.identifier}` },
      roleOptions(req.role ?? defaultRole()));
    const accept = h("button", { class: "btn btn-sm", type: "button", "data-testid": "accept-join-request", onclick: (e) => busy(e.currentTarget, async () => {
      await req.accept({ role: role.value });
      toast("success", "Request accepted", `${who.name} joined as ${roleLabel(role.value)}.`);
      // The members card shows the new member too: it follows the SDK's store, which the acceptance updated.
      await load();
    }, "Couldn't accept the request") }, "Accept");
    const reject = h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "reject-join-request", onclick: (e) => busy(e.currentTarget, async () => {
      await req.reject();
      toast("success", "Request rejected", `${who.name} was told.`);
      await load();
    }, "Couldn't reject the request") }, "Reject");
    return h("tr", { "data-testid": "join-request-row", "data-email": who.identifier, "data-status": req.status },
      h("td", {}, h("div", { class: "person" }, avatar(who.name || who.identifier, { small: true }),
        h("div", { class: "person-text" }, h("span", {}, who.name), h("small", {}, `${who.identifier} · ${fmtDateTime(req.createdAt)}`)))),
      h("td", { class: "small" }, req.message ?? h("span", { class: "muted" }, "—")),
      h("td", {}, pending ? h("span", { class: "badge" }, STATUS_LABELS.pending)
        : h("span", { class: "muted small" }, STATUS_LABELS[req.status], req.status === "accepted" && req.role ? [" as ", roleBadge(req.role)] : null)),
      h("td", { class: "actions" }, pending ? h("div", { class: "row", style: "justify-content:flex-end" }, role, accept, reject) : null));
  }

  const section = h("section", { class: "card", "data-testid": "join-requests-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Requests"), h("p", {}, "People asking to join: pending first."))),
    box,
    h("div", { style: "margin-top:.6rem" }, more));
  return { section, load };
}
