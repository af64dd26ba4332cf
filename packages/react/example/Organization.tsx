// The active organization: its members (with "load more"), role changes and removals for those who
// may manage members, and the invitations for those who may invite.
import { useState } from "react";
import type { FormEvent } from "react";
import type { Invitation, Organization, OrganizationMembership, Role } from "orgkit";
import { useHas, useOrganization, useUser } from "@orgkit/react";
import { useAction } from "./action.ts";

const ROLES: { key: Role; label: string }[] = [
  { key: "admin", label: "Admin" },
  { key: "basic_member", label: "Member" },
];

/** A role's label: the built-ins by name, a custom role by its key. */
export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.key === role)?.label ?? role;
}

// `?pageSize=N` pages the members list by N (default 10, Clerk's).
const PAGE_SIZE = Number(new URLSearchParams(location.search).get("pageSize") ?? "") || 10;

export function ActiveOrganization() {
  const { isLoaded, organization, membership, memberships, invitations } = useOrganization({
    memberships: { pageSize: PAGE_SIZE },
    invitations: { status: ["pending"] },
  });
  const canManage = useHas("org:memberships:manage");
  const canInvite = useHas("org:invitations:manage");
  if (!isLoaded) return null;
  if (organization === null) return <section data-testid="no-active"><p className="muted">Pick or create an organization.</p></section>;
  return (
    <>
      <section data-testid="org-page" data-org-id={organization.id}>
        <div className="row">
          <h2 style={{ flex: 1, margin: 0 }} data-testid="org-name">{organization.name}</h2>
          <span data-testid="my-role" data-role={membership?.role ?? ""}>{membership ? roleLabel(membership.role) : ""}</span>
          {canManage && <span data-testid="can-manage">You manage members</span>}
        </div>
        <h2 style={{ marginTop: "1rem" }}>Members <span className="muted" data-testid="members-count">{memberships?.count ?? ""}</span></h2>
        {memberships === undefined || memberships.isLoading
          ? <p className="muted">Loading…</p>
          : <table data-testid="members-table"><tbody>
              {memberships.data.map((m) => <MemberRow key={m.id} member={m} organization={organization} canManage={canManage} />)}
            </tbody></table>}
        {memberships?.hasNextPage === true &&
          <button type="button" data-testid="members-more" disabled={memberships.isFetching} onClick={() => void memberships.fetchNext()}>Load more</button>}
        {memberships?.error != null && <p className="error" role="alert">{memberships.error.message}</p>}
      </section>
      {canInvite && <Invitations organization={organization} pending={invitations?.data ?? []} />}
    </>
  );
}

function MemberRow({ member, organization, canManage }: { member: OrganizationMembership; organization: Organization; canManage: boolean }) {
  const user = useUser();
  const [run, busy, error] = useAction();
  const { userId, identifier, name } = member.publicUserData;
  const isMe = user.isSignedIn === true && user.user.id === userId;
  return (
    <tr data-testid="member-row" data-email={identifier} data-role={member.role}>
      <td>{name}{isMe && <span className="muted"> (you)</span>}</td>
      <td className="muted">{identifier}</td>
      <td>{canManage
        ? <select aria-label={`Change role of ${name}`} data-testid="role-select" value={member.role} disabled={busy}
            onChange={(e) => void run(() => member.update({ role: e.target.value as Role }))}>
            {ROLES.map((r) => <option key={r.key} value={r.key}>{r.label}</option>)}
          </select>
        : <span data-testid="member-role">{roleLabel(member.role)}</span>}</td>
      <td>{canManage && !isMe &&
        <button type="button" disabled={busy} onClick={() => void run(() => organization.removeMember(userId))}>Remove {name}</button>}
        {error !== null && <span className="error" role="alert" data-testid="error">{error}</span>}</td>
    </tr>
  );
}

function Invitations({ organization, pending }: { organization: Organization; pending: readonly Invitation[] }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("basic_member");
  const [run, busy, error] = useAction();
  const invite = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await organization.inviteMember({ emailAddress: email.trim(), role });
      setEmail("");
    });
  };
  return (
    <section data-testid="invitations">
      <h2>Invitations</h2>
      <form className="row" onSubmit={invite}>
        <label>Email address to invite<input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
        <label>Role<select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r.key} value={r.key}>{r.label}</option>)}
        </select></label>
        <button type="submit" data-testid="invite-submit" disabled={busy}>Invite</button>
      </form>
      {error !== null && <p className="error" role="alert" data-testid="error">{error}</p>}
      <ul>{pending.map((i) => (
        <li key={i.id} data-testid="invitation-row" data-email={i.emailAddress}>
          {i.emailAddress} <span className="muted">({roleLabel(i.role)})</span>{" "}
          <button type="button" disabled={busy} onClick={() => void run(() => i.revoke())}>Revoke invitation to {i.emailAddress}</button>
        </li>))}
      </ul>
    </section>
  );
}
