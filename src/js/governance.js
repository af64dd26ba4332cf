// An organization's governance: its metadata, its logo and its billing profile (a member's
// metadata is the membership's, in Rust). Each method asks the rule book first (the metadata's
// size, the logo's size and first bytes, the billing profile's fields and the card-number search,
// and the policy) and refuses locally with no request. See `common.js` for how a method asks
// the rule book and sends.

import { bad, orgPath, put, rule, send } from "./common.js";

const METADATA = "updateMetadata takes { publicMetadata?, privateMetadata? }.";
const BILLING = "updateBillingProfile takes a BillingProfile object.";

/** `JSON.stringify(value)`; a value JSON cannot hold (a cycle, a BigInt) is `usage`'s refusal. */
function json(value, usage) {
  try {
    return JSON.stringify(value);
  } catch {
    throw bad(usage);
  }
}

/** Each is `(org, ...args)`. */
const ORGANIZATION = {
  getMetadata(org) {
    return send(org, "GET", orgPath(org, "/metadata"));
  },
  updateMetadata(org, p) {
    if (typeof p !== "object" || p === null) throw bad(METADATA);
    for (const key of ["publicMetadata", "privateMetadata"]) {
      const value = p[key];
      if (value !== undefined && value !== null) rule("metadata", json(value, METADATA));
    }
    org.__rule("authorize", "profile");
    return send(org, "PATCH", orgPath(org, "/metadata"), p);
  },
  setLogo(org, file) {
    // The size and my permission at once; the image's first bytes once read.
    const head = rule("logoSize", file.size);
    org.__rule("authorize", "profile");
    return file
      .slice(0, head)
      .arrayBuffer()
      .catch(() => {
        throw bad("The logo could not be read.");
      })
      .then((bytes) => {
        rule("logoHead", new Uint8Array(bytes), file.size);
        return org.__send("PUT", orgPath(org, "/logo"), file);
      })
      .then((answer) => org.__rule("changedTo", answer));
  },
  deleteLogo(org) {
    org.__rule("authorize", "profile");
    org.__rule("logoDeleted");
    return send(org, "DELETE", orgPath(org, "/logo"));
  },
  getBillingProfile(org) {
    org.__rule("billing", "read");
    return send(org, "GET", orgPath(org, "/billing"));
  },
  updateBillingProfile(org, p) {
    if (typeof p !== "object" || p === null) throw bad(BILLING);
    org.__rule("billing", "manage");
    rule("noCardData", json(p, BILLING));
    rule("billingProfile", p);
    return send(org, "PUT", orgPath(org, "/billing"), p);
  },
};

/** Puts these methods on `Organization`. */
export function install(kit, org) {
  put(org, ORGANIZATION);
}
