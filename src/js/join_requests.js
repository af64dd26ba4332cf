// Requests to join an organization: `JoinRequest`, as its requester sees it (from
// `kit.getMyJoinRequests()`) or as an admin does (from `org.getJoinRequests()`), and
// `kit.requestToJoin`. Its fields (`id`, `status`, `source`, `message`, `role`, the
// organization's `organizationId`/`Name`/`Slug`, `publicUserData`, `createdAt`, `decidedAt`)
// are own properties. See `common.js` for how a method asks the rule book and sends.

import { OWNER, bad, guard, make, opt, optional, orgPath, params, put, rule, send, seg, str } from "./common.js";

/** Who read the request: the organization, or the requester's kit. */
const ORG = Symbol("organization");

/** A `JoinRequest` of an answer; `org` when an admin read it through the organization. */
function request(owner, org, d) {
  const r = make(JoinRequest, owner, d);
  if (org) r[ORG] = org;
  return r;
}

export class JoinRequest {
  _path(verb) {
    const id = seg(this.id);
    const org = this[ORG];
    return (org ? orgPath(org, "/join-requests/") : "/v1/me/join-requests/") + id + "/" + verb;
  }
  /** The organization, read through it (an admin's); otherwise `not_found`, as the server. */
  _org() {
    if (!this[ORG]) rule("requestNotFound");
    return this[ORG];
  }
  withdraw() {
    // Read through an organization, the request is someone else's.
    rule("withdraw", this.status, !!this[ORG]);
    const owner = this[OWNER];
    return owner.__send("POST", this._path("withdraw")).then((d) => request(owner, undefined, d));
  }
  accept(p) {
    const usage = "accept takes { role? }.";
    const role = opt(optional(p, usage), "role", usage);
    const org = this._org();
    org.__rule("acceptRequest", [this.status, this.role], role);
    return org.__send("POST", this._path("accept"), { role }).then((d) => org.__rule("membership", d));
  }
  reject() {
    const org = this._org();
    org.__rule("rejectRequest", this.status);
    return org.__send("POST", this._path("reject")).then((d) => request(this[OWNER], org, d));
  }
}

guard(JoinRequest);

const LIST = "getJoinRequests takes { status?, limit?, after? }.";

/** Each is `(org, ...args)`. */
const ORGANIZATION = {
  getJoinRequests(org, p) {
    const q = p ?? {};
    if (p !== undefined && p !== null) params(p, LIST);
    const limit = q.limit;
    if (limit !== undefined && !(typeof limit === "number" && Number.isInteger(limit) && limit >= 0)) throw bad(LIST);
    const after = opt(q, "after", LIST) || undefined;
    const status = opt(q, "status", LIST);
    org.__rule("listRequests");
    const query = rule("requestsQuery", status, limit, after, LIST);
    return org.__send("GET", orgPath(org, "/join-requests?" + query)).then((a) => {
      a.data = a.data.map((d) => request(org, org, d));
      return a;
    });
  },
};

/** The kit's, `(kit, ...args)`. */
const KIT = {
  requestToJoin(kit, p) {
    const usage = "requestToJoin needs { organization, message? } (a slug or an id).";
    params(p, usage);
    const organization = str(p, "organization", usage);
    const raw = opt(p, "message", usage);
    const message = rule("joinRequest", organization, raw);
    return send(kit, "POST", "/v1/join-requests", { organization, message }, JoinRequest);
  },
  getMyJoinRequests(kit) {
    return kit.__send("GET", "/v1/me/join-requests").then((a) => a.data.map((d) => request(kit, undefined, d)));
  },
};

/** Puts these methods on `OrgKit` and `Organization`. */
export function install(kit, org) {
  put(kit, KIT);
  put(org, ORGANIZATION);
}
