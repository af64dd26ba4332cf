// Workspaces, groups, service accounts and API keys (issue 8), as thin JS classes and methods
// (issue 12's first family out of the .wasm; see `common.js`). An instance's owner is the
// `Organization` (or, for `kit.getMyWorkspaces`, the `OrgKit`) it came from.

import { OWNER, bad, guard, instant, make, opt, optional, orgPath, params, put, rule, send, seg, str } from "./common.js";

/** The kind and id of a principal named by the first of `keys` (`[key, kind]`) that `p` holds. */
function principal(p, keys, usage) {
  params(p, usage);
  const found = keys.find(([key]) => typeof p[key] === "string");
  if (!found) throw bad(usage);
  const id = p[found[0]];
  rule("id", found[1], id);
  return "/" + found[1] + "/" + seg(id);
}
export class Workspace {
  _path(rest) {
    return "/v1/organizations/" + seg(this.organizationId) + "/workspaces/" + seg(this.id) + rest;
  }
  /** Asks the rule book whether my role here allows `action`, then sends. */
  _send(action, method, rest, body, C) {
    rule("workspace", action, this.myRole, !!this.personal, !!this.archived);
    return send(this[OWNER], method, this._path(rest), body, C);
  }
  _grant(p, key, kind, usage) {
    const rest = "/principals" + principal(p, [[key, kind]], usage);
    const role = str(p, "role", usage);
    rule("workspaceRole", role);
    return this._send("grant", "PUT", rest, { role });
  }
  update(p) {
    const usage = "update takes { name?, slug? }.";
    params(p, usage);
    const name = opt(p, "name", usage);
    const slug = opt(p, "slug", usage);
    if (name !== undefined) rule("name", name);
    if (slug !== undefined) rule("slug", slug);
    return this._send("update", "PATCH", "", { name, slug }, Workspace);
  }
  archive() {
    return this._send("archive", "POST", "/archive", undefined, Workspace);
  }
  unarchive() {
    return this._send("archive", "POST", "/unarchive", undefined, Workspace);
  }
  addMember(p) {
    return this._grant(p, "userId", "user", "addMember needs { userId, role }.");
  }
  addGroup(p) {
    return this._grant(p, "groupId", "group", "addGroup needs { groupId, role }.");
  }
  addServiceAccount(p) {
    const usage = "addServiceAccount needs { serviceAccountId, role }.";
    return this._grant(p, "serviceAccountId", "service_account", usage);
  }
  removePrincipal(p) {
    const usage = "removePrincipal needs { type, id }.";
    params(p, usage);
    const kind = str(p, "type", usage);
    if (!rule("principal", kind)) throw bad(usage);
    const id = str(p, "id", usage);
    rule("id", kind, id);
    return this._send("revoke", "DELETE", "/principals/" + kind + "/" + seg(id));
  }
  getMembers(p) {
    const query = rule("page", p, "getMembers takes { limit?, after? }.", "workspace_grant");
    return this._send("list", "GET", "/principals" + query);
  }
  getAccess(userId) {
    rule("id", "user", userId);
    const rest = "/access/" + seg(userId);
    const me = this[OWNER].__me();
    // About myself (or with my id unknown) the server decides; about others, managers only.
    if (me === undefined || me === userId) return send(this[OWNER], "GET", this._path(rest));
    return this._send("list", "GET", rest);
  }
}

const MEMBER_KINDS = [
  ["userId", "user"],
  ["serviceAccountId", "service_account"],
];

/** The body of a group's or service account's creation or change: its name and description
 * checked and trimmed. */
function groupBody(p, usage, create) {
  params(p, usage);
  const name = create ? str(p, "name", usage) : opt(p, "name", usage);
  const description = opt(p, "description", usage);
  return {
    name: name === undefined ? name : rule("name", name),
    description: description === undefined ? description : rule("description", description),
  };
}

export class Group {
  _send(action, method, rest, body, C) {
    const org = this[OWNER];
    org.__rule("group", action, this.myRole);
    return send(org, method, orgPath(org, "/groups/" + seg(this.id) + rest), body, C);
  }
  update(p) {
    const body = groupBody(p, "update takes { name?, description? }.", false);
    return this._send("manage", "PATCH", "", body, Group);
  }
  destroy() {
    return this._send("manage", "DELETE", "");
  }
  addMember(p) {
    const usage = "addMember needs { userId or serviceAccountId, role }.";
    const rest = "/members" + principal(p, MEMBER_KINDS, usage);
    const role = str(p, "role", usage);
    rule("groupRole", role);
    return this._send("members", "PUT", rest, { role });
  }
  removeMember(p) {
    const usage = "removeMember needs { userId } or { serviceAccountId }.";
    return this._send("members", "DELETE", "/members" + principal(p, MEMBER_KINDS, usage));
  }
  getMembers(p) {
    const query = rule("page", p, "getMembers takes { limit?, after? }.", "group_member");
    const org = this[OWNER];
    return send(org, "GET", orgPath(org, "/groups/" + seg(this.id) + "/members" + query));
  }
}

const KEY_USAGE = "createApiKey needs { name, description?, expiresAt?: Date | number, permissions? }.";

/** The request of `createApiKey` for me or for a service account (`account`), after the rule
 * book's checks: the text, the expiry, the scope's keys, the policy, my permissions and the
 * scope within its owner's. */
function createKey(org, p, account) {
  params(p, KEY_USAGE);
  const name = rule("name", str(p, "name", KEY_USAGE));
  const description = opt(p, "description", KEY_USAGE);
  if (description !== undefined) rule("description", description);
  const expiresAt = rule("expiry", instant(p, "expiresAt", KEY_USAGE));
  const permissions = rule("strings", p, "permissions", KEY_USAGE);
  org.__rule("key", permissions, account?.role);
  const body = { name, description, expiresAt, permissions, serviceAccountId: account?.id };
  return org.__send("POST", orgPath(org, "/api-keys"), body).then((a) => {
    a.apiKey = make(ApiKey, org, a.apiKey);
    return a;
  });
}

/** One page of API keys: mine or everyone's, or one service account's (`account`). */
function listKeys(org, p, account) {
  const usage = "getApiKeys takes { limit?, after?, serviceAccountId? }.";
  let query = rule("page", p, usage, "api_key");
  if (account === undefined && typeof p === "object" && p !== null) account = opt(p, "serviceAccountId", usage);
  if (account !== undefined) {
    rule("id", "service_account", account);
    org.__rule("keysOf");
    query += "&serviceAccountId=" + seg(account);
  }
  return send(org, "GET", orgPath(org, "/api-keys" + query), undefined, ApiKey);
}

export class ServiceAccount {
  _path() {
    return orgPath(this[OWNER], "/service-accounts/" + seg(this.id));
  }
  update(p) {
    const usage = "update takes { name?, description?, role? }.";
    const body = groupBody(p, usage, false);
    const role = opt(p, "role", usage);
    this[OWNER].__rule("serviceAccount", role);
    body.role = role;
    return send(this[OWNER], "PATCH", this._path(), body, ServiceAccount);
  }
  destroy() {
    this[OWNER].__rule("serviceAccount");
    return send(this[OWNER], "DELETE", this._path());
  }
  createApiKey(p) {
    return createKey(this[OWNER], p, this);
  }
  getApiKeys(p) {
    return listKeys(this[OWNER], p, this.id);
  }
}

export class ApiKey {
  revoke(p) {
    const usage = "revoke takes { reason? }.";
    let reason = opt(optional(p, usage), "reason", usage);
    if (reason !== undefined) reason = rule("reason", reason);
    const org = this[OWNER];
    const owner = this.owner;
    const forAccount = owner.type === "service_account";
    const me = org.__me();
    // With my id unknown, the key may be mine: the server decides.
    const mine = me === undefined || (!forAccount && owner.id === me);
    org.__rule("revoke", mine, forAccount);
    const path = orgPath(org, "/api-keys/" + seg(this.id) + "/revoke");
    return send(org, "POST", path, { reason }, ApiKey);
  }
}

for (const C of [Workspace, Group, ServiceAccount, ApiKey]) guard(C);

/** The organization's methods of this family (`this` is the `Organization`). */
/** Each is `(org, params)`. */
const ORGANIZATION = {
  createWorkspace(org, p) {
    const usage = "createWorkspace needs { name, slug? }.";
    params(p, usage);
    const name = str(p, "name", usage);
    const slug = opt(p, "slug", usage) || undefined;
    rule("name", name);
    if (slug !== undefined) rule("slug", slug);
    org.__rule("createWorkspace");
    return send(org, "POST", orgPath(org, "/workspaces"), { name, slug }, Workspace);
  },
  getWorkspaces(org, p) {
    const query = rule("page", p, "A page takes { limit?, after? }.", "workspace");
    return send(org, "GET", orgPath(org, "/workspaces" + query), undefined, Workspace);
  },
  getWorkspace(org, id) {
    rule("id", "workspace", id);
    return send(org, "GET", orgPath(org, "/workspaces/" + seg(id)), undefined, Workspace);
  },
  getPersonalWorkspace(org) {
    return send(org, "POST", orgPath(org, "/workspaces/personal"), undefined, Workspace);
  },
  createGroup(org, p) {
    const body = groupBody(p, "createGroup needs { name, description? }.", true);
    org.__rule("group", "manage");
    return send(org, "POST", orgPath(org, "/groups"), body, Group);
  },
  getGroups(org, p) {
    const query = rule("page", p, "getGroups takes { limit?, after? }.", "group");
    return send(org, "GET", orgPath(org, "/groups" + query), undefined, Group);
  },
  createServiceAccount(org, p) {
    const usage = "createServiceAccount needs { name, description?, role }.";
    const body = groupBody(p, usage, true);
    body.role = str(p, "role", usage);
    org.__rule("serviceAccount", body.role);
    return send(org, "POST", orgPath(org, "/service-accounts"), body, ServiceAccount);
  },
  getServiceAccounts(org, p) {
    const query = rule("page", p, "getServiceAccounts takes { limit?, after? }.", "service_account");
    return send(org, "GET", orgPath(org, "/service-accounts" + query), undefined, ServiceAccount);
  },
  createApiKey(org, p) {
    return createKey(org, p, undefined);
  },
  getApiKeys(org, p) {
    return listKeys(org, p, undefined);
  },
  getApiKeyPolicy(org) {
    return org.__send("GET", orgPath(org, "/api-key-policy")).then((a) => org.__rule("notePolicy", a.policy));
  },
  setApiKeyPolicy(org, policy) {
    org.__rule("setPolicy", policy);
    const path = orgPath(org, "/api-key-policy");
    return org.__send("PUT", path, { policy }).then((a) => org.__rule("notePolicy", a.policy));
  },
};

/** The kit's methods of this family, `(kit, params)`. */
const KIT = {
  getMyWorkspaces(kit, p) {
    const usage = "getMyWorkspaces needs { organizationId, limit?, after? }.";
    params(p, usage);
    const org = str(p, "organizationId", usage);
    rule("id", "organization", org);
    const query = rule("page", p, usage, "workspace");
    return send(kit, "GET", "/v1/organizations/" + seg(org) + "/workspaces" + query, undefined, Workspace);
  },
};

/** Puts this family's methods on `OrgKit` and `Organization` (given one of each). */
export function install(kit, org) {
  put(kit, KIT);
  put(org, ORGANIZATION);
}
