// An organization's SSO (OIDC) connections (holders of `org:sso:manage`): create one, list
// them, and through each `SsoConnection` change, test or delete it. Its data (`issuer`,
// `state`, `domains`, …) are own properties; its client secret is never shown. See `common.js`
// for how a method asks the rule book and sends.

import { OWNER, bad, guard, orgPath, params, put, rule, send, seg } from "./common.js";

const CREATE =
  "createSsoConnection needs { name, issuer, clientId, clientSecret, scopes?, pkce?, claimMapping?, jitEnabled?, jitRole?, domainIds? }.";
const UPDATE =
  "update takes { name?, issuer?, clientId?, clientSecret?, scopes?, pkce?, claimMapping?, jitEnabled?, jitRole?, domainIds?, state? }.";
/** The text fields, each held to its rule (`scopes` is never required). */
const TEXT = ["name", "issuer", "clientId", "clientSecret", "scopes"];

/** The connection fields of `p` checked by the rule book, copied into a request body
 * (`required` for a creation); answers the body and how many domain ids were given. */
function connectionBody(org, p, required, usage) {
  params(p, usage);
  org.__rule("authorize", "sso");
  const out = {};
  for (const key of TEXT) {
    const v = p[key];
    if (v === undefined || v === null) {
      if (required && key !== "scopes") throw bad(usage);
      continue;
    }
    if (typeof v !== "string") throw bad(usage);
    rule("ssoField", key, v);
    out[key] = v;
  }
  const role = p.jitRole;
  if (role !== undefined && role !== null) {
    if (typeof role !== "string") throw bad(usage);
    org.__rule("jitRole", role);
    out.jitRole = role;
  }
  for (const key of ["pkce", "jitEnabled"]) {
    const v = p[key];
    if (typeof v === "boolean") out[key] = v;
    else if (v !== undefined && v !== null) throw bad(usage);
  }
  const mapping = p.claimMapping;
  if (typeof mapping === "object" && mapping !== null) {
    for (const key of ["email", "name", "emailVerified"]) {
      if (typeof mapping[key] === "string") rule("ssoField", "claim", mapping[key]);
    }
    out.claimMapping = mapping;
  } else if (mapping !== undefined && mapping !== null) {
    throw bad(usage);
  }
  const ids = rule("strings", p, "domainIds", usage);
  if (ids === undefined) return [out, undefined];
  for (const id of ids) rule("id", "domain", id);
  out.domainIds = p.domainIds;
  return [out, ids.length];
}

export class SsoConnection {
  _path(rest) {
    return orgPath(this[OWNER], "/sso-connections/" + seg(this.id) + rest);
  }
  update(p) {
    const org = this[OWNER];
    const [out, count] = connectionBody(org, p, false, UPDATE);
    let to = this.state;
    if (typeof p.state === "string") {
      if (!rule("connectionState", p.state)) throw bad(UPDATE);
      to = p.state;
    }
    const differs = (key) => typeof out[key] === "string" && out[key] !== (this[key] ?? "");
    // The other active connections are the server's to count.
    out.state = org.__rule("ssoChange", [this.state, to], [differs("issuer") || differs("clientId"), count ?? (this.domains?.length ?? 0)]);
    return send(org, "PATCH", this._path(""), out, SsoConnection);
  }
  test() {
    this[OWNER].__rule("authorize", "sso");
    return send(this[OWNER], "POST", this._path("/test"));
  }
  delete() {
    this[OWNER].__rule("authorize", "sso");
    rule("ssoDelete", this.state);
    return send(this[OWNER], "DELETE", this._path(""));
  }
}

guard(SsoConnection);

/** Each is `(org, ...args)`. */
const ORGANIZATION = {
  getSsoConnections(org, p) {
    org.__rule("authorize", "sso");
    const query = rule("page", p, "getSsoConnections takes { limit?, after? }.", "sso_connection");
    return send(org, "GET", orgPath(org, "/sso-connections" + query), undefined, SsoConnection);
  },
  createSsoConnection(org, p) {
    const [out, count] = connectionBody(org, p, true, CREATE);
    rule("ssoDomains", count ?? 0);
    return send(org, "POST", orgPath(org, "/sso-connections"), out, SsoConnection);
  },
};

/** Puts these methods on `Organization`. */
export function install(kit, org) {
  put(org, ORGANIZATION);
}
