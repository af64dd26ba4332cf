// The organization page's tab bar (#/org/<id>/<tab>) and the content of the tabs beside Overview:
// Workspaces (workspaces.js), Groups (groups.js), and Service accounts & API keys
// (service_accounts.js, api_keys.js). Each tab loads only its own cards.
import { h, messageCard } from "../ui.js";
import { workspacesTab } from "./workspaces.js";
import { groupsTab } from "./groups.js";
import { serviceAccountsTab } from "./service_accounts.js";

/** The tabs, in order: route segment, label, the view that builds its content. */
const TABS = [
  ["overview", "Overview", null],
  ["workspaces", "Workspaces", workspacesTab],
  ["groups", "Groups", groupsTab],
  ["service-accounts", "Service accounts & API keys", serviceAccountsTab],
];

/** The tab bar: links, so a reload or a shared address keeps the tab. */
export function tabBar(org, current) {
  const base = `/#/org/${encodeURIComponent(org.id)}`;
  return h("nav", { class: "org-tabs", "aria-label": "Organization sections", "data-testid": "org-tabs" },
    TABS.map(([key, label]) => h("a", {
      href: key === "overview" ? base : `${base}/${key}`,
      "aria-current": key === current ? "page" : null,
      "data-testid": `org-tab-${key}`,
    }, label)));
}

/** The content of tab `tab` (not Overview, which page.js builds). */
export async function tabView(org, tab) {
  const entry = TABS.find(([key]) => key === tab);
  if (!entry?.[2]) {
    return messageCard({ icon: "?", tone: "bad", title: "No such section", text: `This organization has no “${tab}” section.`, testid: "no-such-tab" });
  }
  return entry[2](org);
}
