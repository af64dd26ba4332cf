// An organization's invite links (holders of `org:links:manage`): create one, list them, and
// through each `InviteLink` reset or revoke it. Its fields are own properties; `token` and
// `url` are set only on the link `createInviteLink` or `reset` answered: they are shown once.
// (Previewing and accepting a link with its token are the kit's, in Rust: `links.rs`.) See
// `common.js` for how a method asks the rule book and sends.

import { OWNER, bad, guard, instant, orgPath, params, put, rule, send, seg, str } from "./common.js";

const CREATE = "createInviteLink needs { role, expiresAt?: Date | number, maxUses?, requiresApproval? }.";

/** A whole number parameter (at most 2^32 − 1), or `undefined` when absent. */
function count(p, key, usage) {
  const n = p[key];
  if (n === undefined || n === null) return undefined;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw bad(usage);
  return Math.min(n, 4294967295);
}

export class InviteLink {
  /** Revoking or resetting (`verb`): my permission (for a reset, a role I could grant) and a
   * link not revoked. */
  _admin(verb) {
    const org = this[OWNER];
    org.__rule("link", verb === "/reset" ? this.role : undefined);
    rule("linkLive", this.status);
    return send(org, "POST", orgPath(org, "/invite-links/" + seg(this.id) + verb), undefined, InviteLink);
  }
  revoke() {
    return this._admin("/revoke");
  }
  reset() {
    return this._admin("/reset");
  }
}

guard(InviteLink);

/** Each is `(org, ...args)`. */
const ORGANIZATION = {
  createInviteLink(org, p) {
    params(p, CREATE);
    const role = str(p, "role", CREATE);
    const at = instant(p, "expiresAt", CREATE);
    const maxUses = count(p, "maxUses", CREATE);
    const approval = p.requiresApproval;
    if (!(approval === undefined || typeof approval === "boolean")) throw bad(CREATE);
    org.__rule("link", role);
    const requiresApproval = approval === true;
    const expiresAt = rule("linkOptions", at, maxUses, requiresApproval);
    const body = { role, expiresAt, maxUses, requiresApproval };
    return send(org, "POST", orgPath(org, "/invite-links"), body, InviteLink);
  },
  getInviteLinks(org, p) {
    org.__rule("link");
    const query = rule("page", p, "getInviteLinks takes { limit?, after? }.", "invite_link");
    return send(org, "GET", orgPath(org, "/invite-links" + query), undefined, InviteLink);
  },
};

/** Puts these methods on `Organization`. */
export function install(kit, org) {
  put(org, ORGANIZATION);
}
