// The webhooks card of an organization page (holders of org:webhooks:manage): the form that adds
// an endpoint (URL, event types as checkboxes, description), its signing secret shown once with
// Copy, and the endpoints, each with Send test, Rotate secret (the new secret shown once),
// Disable / Enable, Delete (after confirming) and its delivery attempts with Resend.
import {
  h, mount, toast, showError, confirmDialog, busy, fmtDateTime, field, formError, setFormError, submitting,
} from "../ui.js";
import { sdk } from "../context.js";

/** What each event type means, in words. */
const EVENT_LABELS = {
  "organization.created": "Organization created",
  "organization.updated": "Organization renamed",
  "organization.deleted": "Organization deleted",
  "organizationMembership.created": "Member joined",
  "organizationMembership.updated": "Member's role changed",
  "organizationMembership.deleted": "Member removed or left",
  "organizationInvitation.created": "Invitation sent",
  "organizationInvitation.accepted": "Invitation accepted",
  "organizationInvitation.revoked": "Invitation revoked",
  "organizationInvitation.delivery": "Invitation to deliver yourself",
  "webhook.test": "Test event",
};
const eventLabel = (type) => EVENT_LABELS[type] ?? type;

/** Why an endpoint receives nothing, in words. */
const DISABLED_REASONS = {
  manual: "turned off",
  gone: "it answered 410 Gone",
  organization_deleted: "the organization was deleted",
};

/** An organization has at most 20 endpoints (the rule book's limit): one page holds them all. */
const ENDPOINTS_PAGE = 20;
const ATTEMPTS_PAGE = 10;
/** How many bytes of an endpoint's answer an attempt line shows. */
const FIRST_BYTES = 160;

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The card (`section`) for `org`; `load` fills and refreshes the endpoint list. */
export function webhooksCard(org) {
  const list = h("div", { "data-testid": "webhook-endpoints" });
  const secretBox = h("div", { "data-testid": "webhook-secret-box", "aria-live": "polite", hidden: true });
  /** The attempts panels that are open, by endpoint id, so a reload keeps them open. */
  const open = new Set();

  /** Shows a signing secret once, with Copy; "Done" forgets it. */
  function showSecret(endpoint, title) {
    const input = h("input", {
      class: "link-input", readonly: true, value: endpoint.secret, "data-testid": "webhook-secret",
      "aria-label": `Signing secret for ${endpoint.url}`,
    });
    const copy = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "copy-webhook-secret", onclick: async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(endpoint.secret);
        toast("success", "Secret copied", "It is shown only this once.");
      } catch {
        toast("info", "Copy the selected secret", "Your browser did not allow copying.");
      }
    } }, "Copy");
    const done = h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "webhook-secret-done", onclick: () => {
      mount(secretBox);
      secretBox.hidden = true;
    } }, "Done");
    mount(secretBox, h("div", { class: "notice notice-warn secret-notice" }, h("div", { class: "grow" },
      h("p", {}, h("strong", {}, title), " for ", h("span", { class: "mono" }, endpoint.url)),
      h("p", {}, "Shown only this once: store it with your app, which verifies each message's signature with it (Standard Webhooks)."),
      h("span", { class: "link-share" }, input, copy, done))));
    secretBox.hidden = false;
    secretBox.scrollIntoView({ block: "nearest" });
  }

  async function load() {
    let page;
    try {
      page = await org.getWebhookEndpoints({ limit: ENDPOINTS_PAGE });
    } catch (err) {
      showError("Couldn't load the webhook endpoints", err);
      return;
    }
    if (!page.data.length) {
      open.clear();
      mount(list, h("div", { class: "empty", "data-testid": "no-webhooks" }, h("strong", {}, "No endpoints yet"),
        "Add one to receive this organization's changes as they happen."));
      return;
    }
    mount(list, h("ul", { class: "list webhook-list" }, page.data.map(endpointItem)));
  }

  function endpointItem(endpoint) {
    const attempts = h("div", { class: "attempts", "data-testid": "webhook-attempts", hidden: !open.has(endpoint.id) });
    let cursor = null;

    async function loadAttempts(after = null) {
      const page = await org.getWebhookAttempts(endpoint.id, { limit: ATTEMPTS_PAGE, after });
      cursor = page.nextCursor;
      const items = page.data.map(attemptItem);
      const more = cursor ? h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "webhook-attempts-more",
        onclick: (e) => {
          const button = e.currentTarget;
          return busy(button, async () => {
            const next = await loadAttempts(cursor);
            button.closest("li")?.remove();
            attemptList().append(...next);
          }, "Couldn't load more attempts");
        } }, "Load more") : null;
      if (more) items.push(h("li", { class: "more" }, more));
      return items;
    }
    const attemptList = () => attempts.querySelector("ol");

    const toggle = h("button", {
      class: "btn btn-secondary btn-sm", type: "button", "data-testid": "webhook-attempts-toggle",
      onclick: (e) => busy(e.currentTarget, async () => {
        if (attempts.hidden) return showAttempts();
        attempts.hidden = true;
        open.delete(endpoint.id);
        toggled();
      }, "Couldn't load the attempts"),
    });
    /** The toggle says whether the attempts show. */
    const toggled = () => {
      toggle.setAttribute("aria-expanded", String(!attempts.hidden));
      toggle.textContent = attempts.hidden ? "Attempts" : "Hide attempts";
      toggle.setAttribute("aria-label", `${toggle.textContent}: ${endpoint.url}`);
    };
    toggled();

    async function showAttempts() {
      const items = await loadAttempts();
      mount(attempts,
        h("div", { class: "row-split attempts-head" }, h("strong", {}, "Delivery attempts"),
          h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "webhook-attempts-refresh",
            onclick: (e) => busy(e.currentTarget, showAttempts, "Couldn't load the attempts") }, "Refresh")),
        items.length ? h("ol", { class: "attempt-list" }, items)
          : h("p", { class: "muted small", "data-testid": "no-webhook-attempts" }, "No attempts yet. Send a test event to see one."));
      attempts.hidden = false;
      open.add(endpoint.id);
      toggled();
    }

    /** Refreshes the attempts until the message `messageId` shows (the server sends it after answering). */
    async function awaitAttempt(messageId, count = 1) {
      for (let i = 0; i < 30; i += 1) {
        const page = await org.getWebhookAttempts(endpoint.id, { limit: ATTEMPTS_PAGE });
        if (page.data.filter((a) => a.messageId === messageId).length >= count) break;
        await wait(300);
      }
      await showAttempts();
    }

    function attemptItem(a) {
      const answered = a.statusCode !== null;
      const status = h("span", { class: `badge ${a.succeeded ? "badge-ok" : "badge-bad"}`, "data-testid": "webhook-attempt-status" },
        answered ? String(a.statusCode) : "No answer");
      const text = a.responseBody ?? a.error ?? "";
      const resend = a.eventType === "organizationInvitation.delivery" ? null : h("button", {
        class: "btn btn-secondary btn-sm", type: "button", "data-testid": "webhook-resend",
        "aria-label": `Resend message ${a.messageId}`,
        onclick: (e) => busy(e.currentTarget, async () => {
          const before = (await org.getWebhookAttempts(endpoint.id, { limit: 100 })).data.filter((x) => x.messageId === a.messageId).length;
          await org.resendWebhook(endpoint.id, a.messageId);
          toast("success", "Message resent", `${eventLabel(a.eventType)} goes to ${endpoint.url} once more.`);
          await awaitAttempt(a.messageId, before + 1);
        }, "Couldn't resend the message"),
      }, "Resend");
      return h("li", { "data-testid": "webhook-attempt", "data-status": answered ? String(a.statusCode) : "none", "data-message-id": a.messageId },
        h("div", { class: "row-split" },
          h("div", { class: "row" }, status,
            h("span", {}, eventLabel(a.eventType)),
            h("span", { class: "muted small" }, `${a.durationMs} ms · ${fmtDateTime(a.createdAt)}`)),
          resend),
        text ? h("code", { class: "attempt-body", "data-testid": "webhook-attempt-body", title: text },
          text.length > FIRST_BYTES ? `${text.slice(0, FIRST_BYTES)}…` : text) : null);
    }

    // A row button: runs `run`, says `done` (title, text) and reloads the list.
    const action = ({ label, testid, danger = false, run, done, failed }) => h("button", {
      class: `btn ${danger ? "btn-danger-outline" : "btn-secondary"} btn-sm`, type: "button", "data-testid": testid,
      "aria-label": `${label}: ${endpoint.url}`,
      onclick: (e) => busy(e.currentTarget, async () => {
        if (await run() === false) return;
        if (done) toast("success", ...done);
        await load();
      }, failed),
    }, label);

    const status = endpoint.enabled
      ? h("span", { class: "badge badge-ok", "data-testid": "webhook-status", "data-enabled": "true" }, "Enabled")
      : h("span", { class: "badge badge-bad", "data-testid": "webhook-status", "data-enabled": "false" },
        `Disabled: ${DISABLED_REASONS[endpoint.disabledReason] ?? endpoint.disabledReason}`);
    const item = h("li", { class: "webhook", "data-testid": "webhook-endpoint", "data-id": endpoint.id, "data-url": endpoint.url },
      h("div", { class: "grow" },
        h("div", { class: "row" }, h("strong", { class: "mono truncate", "data-testid": "webhook-url" }, endpoint.url), status),
        endpoint.description ? h("p", { class: "small" }, endpoint.description) : null,
        h("p", { class: "muted small" }, endpoint.eventTypes.map(eventLabel).join(" · ")),
        endpoint.previousSecretExpiresAt
          ? h("p", { class: "muted small" }, `The previous secret also signs until ${fmtDateTime(endpoint.previousSecretExpiresAt)}.`) : null,
        h("div", { class: "row webhook-actions" },
          action({
            label: "Send test", testid: "webhook-test",
            run: async () => {
              const queued = await org.sendTestWebhook(endpoint.id);
              toast("success", "Test event sent", `Its delivery attempt shows below ${endpoint.url}.`);
              await awaitAttempt(queued.messageId);
              return false;
            },
            failed: "Couldn't send the test event",
          }),
          toggle,
          action({
            label: "Rotate secret", testid: "webhook-rotate",
            run: async () => {
              const ok = await confirmDialog({
                title: "Rotate the signing secret?",
                message: `${endpoint.url} gets a new secret, shown once. The current one keeps signing beside it for 24 hours, so your app can switch without missing a message.`,
                confirmLabel: "Rotate secret", danger: false,
              });
              if (!ok) return false;
              showSecret(await org.rotateWebhookSecret(endpoint.id), "New signing secret");
              toast("success", "Secret rotated", "Copy the new secret: it is shown only once.");
              return true;
            },
            failed: "Couldn't rotate the secret",
          }),
          endpoint.enabled
            ? action({
              label: "Disable", testid: "webhook-disable",
              run: () => org.updateWebhookEndpoint(endpoint.id, { enabled: false }),
              done: ["Endpoint disabled", `${endpoint.url} receives nothing until you enable it.`],
              failed: "Couldn't disable the endpoint",
            })
            : action({
              label: "Enable", testid: "webhook-enable",
              run: () => org.updateWebhookEndpoint(endpoint.id, { enabled: true }),
              done: ["Endpoint enabled", `${endpoint.url} receives events again.`],
              failed: "Couldn't enable the endpoint",
            }),
          action({
            label: "Delete", testid: "webhook-delete", danger: true,
            run: async () => {
              const ok = await confirmDialog({
                title: "Delete this endpoint?",
                message: `${endpoint.url} will receive nothing more, and its delivery attempts are deleted with it.`,
                confirmLabel: "Delete endpoint",
              });
              if (!ok) return false;
              await org.deleteWebhookEndpoint(endpoint.id);
              open.delete(endpoint.id);
              toast("success", "Endpoint deleted", `${endpoint.url} receives nothing more.`);
              return true;
            },
            failed: "Couldn't delete the endpoint",
          })),
        attempts));
    if (open.has(endpoint.id)) showAttempts().catch((err) => showError("Couldn't load the attempts", err));
    return item;
  }

  function addForm() {
    const err = formError();
    const url = h("input", { id: "webhook-url", name: "url", type: "url", autocomplete: "off", spellcheck: "false", placeholder: "https://example.com/webhooks/orgkit" });
    const description = h("input", { id: "webhook-description", name: "description", autocomplete: "off", placeholder: "Optional: what receives them" });
    const boxes = sdk.webhookEventTypes().map((type) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "eventTypes", value: type, "data-testid": "webhook-event-type" }),
      h("span", {}, eventLabel(type), " ", h("code", { class: "muted" }, type))));
    const add = h("button", { class: "btn", type: "submit", "data-testid": "webhook-add" }, "Add endpoint");
    const form = h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      setFormError(err, null);
      const eventTypes = boxes.map((b) => b.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
      await submitting(err, add, async () => {
        const created = await org.createWebhookEndpoint({ url: url.value.trim(), eventTypes, description: description.value });
        showSecret(created, "Signing secret");
        toast("success", "Endpoint added", "Copy its signing secret: it is shown only once.");
        url.value = "";
        description.value = "";
        for (const b of boxes) b.querySelector("input").checked = false;
        await load();
      });
    } },
      h("div", { class: "inline-form webhook-form" },
        field("Endpoint URL", url, "https, or http to this machine on a --dev server"),
        field("Description", description)),
      h("fieldset", { class: "event-types" }, h("legend", {}, "Events to send"), h("div", { class: "checks" }, boxes)),
      h("div", { class: "row" }, add),
      h("div", { style: "margin-top:.75rem" }, err));
    return form;
  }

  const section = h("section", { class: "card", "data-testid": "webhooks-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Webhooks"),
      h("p", {}, "Send this organization's changes to your app as they happen, signed the Standard Webhooks way."))),
    addForm(),
    secretBox,
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Endpoints"),
    list);

  return { section, load };
}
