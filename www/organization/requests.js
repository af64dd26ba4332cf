// Join requests on an organization page (holders of org:requests:manage): the "Allow requests to
// join" toggle, and the Requests card listing requests (pending first, the store's `joinRequests`)
// with Accept (and the role to grant) and Reject, paged with "Show more".
import { h, mount, toast, showError, busy, avatar, roleOptions, roleKeys, defaultRole, roleLabel, roleBadge, fmtDateTime } from "../ui.js";
import { orgListPart, keyed } from "../live.js";

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

/**
 * The Requests card (`section`); `load` shows the requests (pending first) as the SDK's store
 * keeps them for the active organization: an acceptance or a rejection redraws the list, with no
 * refetch here, and "Show more" is the list's `fetchNext`.
 */
export function requestsCard(org) {
  const box = h("div", { "data-testid": "join-requests" });
  /** The rows drawn, by request id (`keyed`), so a role picked in a row stays picked. */
  const drawn = new Map();

  async function load() {
    mount(box, await orgListPart(org, "joinRequests", 20, "the requests", () => h("div", { class: "empty", "data-testid": "no-join-requests" }, h("strong", {}, "No requests yet"),
      org.allowJoinRequests ? "Requests to join appear here." : "Turn on “Allow requests to join” to let people ask."), list));
  }

  function list(requests) {
    const rows = requests.data.map((req) => keyed(drawn, req.id, JSON.stringify([req.status, req.role, roleKeys()]), () => row(req)));
    return [
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, "Person"), h("th", {}, "Message"), h("th", {}, "Status"), h("th", { class: "actions" }, ""))),
        h("tbody", {}, rows))),
      requests.hasNextPage
        ? h("div", { style: "margin-top:.6rem" }, h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "more-join-requests",
          onclick: (e) => busy(e.currentTarget, () => requests.fetchNext(), "Couldn't load more requests") }, "Show more"))
        : null,
    ];
  }

  function row(req) {
    const who = req.publicUserData;
    const pending = req.status === "pending";
    const role = h("select", { "data-testid": "join-request-role", "aria-label": `Role for ${who.identifier}` },
      roleOptions(req.role ?? defaultRole()));
    const accept = h("button", { class: "btn btn-sm", type: "button", "data-testid": "accept-join-request", onclick: (e) => busy(e.currentTarget, async () => {
      await req.accept({ role: role.value });
      // The list and the members card follow the SDK's store, which the acceptance updated.
      toast("success", "Request accepted", `${who.name} joined as ${roleLabel(role.value)}.`);
    }, "Couldn't accept the request") }, "Accept");
    const reject = h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "reject-join-request", onclick: (e) => busy(e.currentTarget, async () => {
      await req.reject();
      toast("success", "Request rejected", `${who.name} was told.`);
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
    box);
  return { section, load };
}
