// An organization's verified email domains (holders of `org:domains:manage`):
// `OrganizationDomain`, with affiliation (a mailed code) and ownership (a DNS TXT record)
// verification and the enrollment mode; and `OrganizationSuggestion`, an organization my
// verified address's domain suggests. Names are converted to ASCII by the browser's own URL
// parser (IDNA) in the rule book's `domainName`, so the SDK carries no Unicode tables. See
// `common.js` for how a method asks the rule book and sends.

import { OWNER, bad, guard, make, orgPath, params, put, rule, send, seg, str } from "./common.js";

/** An enrollment mode parameter (`undefined` when absent); anything else is `usage`'s refusal. */
function mode(p, usage) {
  const m = p.enrollmentMode;
  if (m === undefined) return undefined;
  if (typeof m !== "string" || !rule("enrollmentMode", m)) throw bad(usage);
  return m;
}

/** `/domains{rest}`, once I may manage domains here. */
function domainsPath(org, rest) {
  org.__rule("authorize", "domains");
  return orgPath(org, "/domains" + rest);
}

export class OrganizationDomain {
  _path(rest) {
    return domainsPath(this[OWNER], "/" + seg(this.id) + rest);
  }
  _send(method, path, body) {
    return send(this[OWNER], method, path, body, OrganizationDomain);
  }
  prepareAffiliationVerification(p) {
    const usage = "prepareAffiliationVerification needs { emailAddress }.";
    params(p, usage);
    const email = str(p, "emailAddress", usage);
    const path = this._path("/prepare-affiliation");
    const emailAddress = rule("emailAtDomain", email, this.name);
    return this._send("POST", path, { emailAddress });
  }
  attemptAffiliationVerification(p) {
    const usage = "attemptAffiliationVerification needs { code }.";
    params(p, usage);
    const code = str(p, "code", usage);
    const path = this._path("/attempt-affiliation");
    rule("domainCode", code);
    return this._send("POST", path, { code });
  }
  verifyOwnership() {
    return this._send("POST", this._path("/verify-ownership"));
  }
  updateEnrollmentMode(p) {
    const usage = "updateEnrollmentMode needs { enrollmentMode, deletePending? }.";
    params(p, usage);
    const enrollmentMode = mode(p, usage);
    const deletePending = p.deletePending;
    if (enrollmentMode === undefined || !(deletePending === undefined || typeof deletePending === "boolean")) {
      throw bad(usage);
    }
    this[OWNER].__rule("enrollment", enrollmentMode, this.verified === true);
    return this._send("PATCH", this._path(""), { enrollmentMode, deletePending });
  }
  delete() {
    const path = this._path("");
    this[OWNER].__rule("domains", undefined, -1);
    return send(this[OWNER], "DELETE", path);
  }
}

export class OrganizationSuggestion {
  accept() {
    return send(this[OWNER], "POST", "/v1/me/suggestions/" + seg(this.domainId) + "/accept");
  }
}

guard(OrganizationDomain);
guard(OrganizationSuggestion);

/** Each is `(org, ...args)`. */
const ORGANIZATION = {
  getDomains(org) {
    return org.__send("GET", domainsPath(org, "")).then((a) => {
      org.__rule("domains", a.data.length);
      return a.data.map((d) => make(OrganizationDomain, org, d));
    });
  },
  addDomain(org, p) {
    const usage = "addDomain needs { name, enrollmentMode? }.";
    params(p, usage);
    const raw = str(p, "name", usage);
    const enrollmentMode = mode(p, usage);
    org.__rule("authorize", "domains");
    const name = rule("domainName", raw);
    org.__rule("domainRoom");
    if (enrollmentMode !== undefined) org.__rule("enrollment", enrollmentMode, false);
    org.__rule("domains", undefined, 1);
    return send(org, "POST", domainsPath(org, ""), { name, enrollmentMode }, OrganizationDomain);
  },
};

/** The kit's, `(kit)`. */
const KIT = {
  getUserSuggestions(kit) {
    return kit.__send("GET", "/v1/me/suggestions").then((a) => a.data.map((d) => make(OrganizationSuggestion, kit, d)));
  },
};

/** Puts these methods on `OrgKit` and `Organization`. */
export function install(kit, org) {
  put(kit, KIT);
  put(org, ORGANIZATION);
}
