// Code written the way the Clerk organizations guide writes it must type-check against the
// generated pkg/orgkit.d.ts; wrong usages must not.
import init, {
  OrgKit,
  suggestSlug,
  type AuditEvent,
  type AuditEventsPage,
  type ErrorCode,
  type Invitation,
  type InvitationStatus,
  type InviteResult,
  type MembershipsPage,
  type Organization,
  type OrganizationMembership,
  type OrgKitError,
  type Permission,
  type Role,
  type User,
} from "../pkg/orgkit.js";

export async function guide(baseUrl: string): Promise<void> {
  await init();
  const kit = new OrgKit({ baseUrl });
  const user: User = await kit.signUp({ emailAddress: "ada@example.com", password: "correct horse", name: "Ada" });
  const created: Date = user.createdAt;
  const verified: boolean = user.emailVerified;
  const again: User | null = await kit.getUser();

  const org: Organization = await kit.createOrganization({ name: "Acme Corp" });
  const slug: string = suggestSlug("Acme Corp");
  await kit.createOrganization({ name: "Acme Corp", slug });
  const role: Role = org.role;
  const canInvite: boolean = org.can("org:invitations:manage");
  const permissions: Permission[] = org.permissions;

  const invitation: Invitation = await org.inviteMember({ emailAddress: "grace@example.com", role: "basic_member" });
  const results: InviteResult[] = await org.inviteMembers({ emailAddresses: "a@x.io, b@y.io", role: "basic_member" });
  const firstError: ErrorCode | undefined = results[0]?.error?.code;
  await org.inviteMembers({ emailAddresses: ["a@x.io"], role: "admin" });
  const quiet: Invitation = await org.inviteMember({ emailAddress: "q@x.io", role: "basic_member", delivery: "none" });
  const shareable: string | undefined = quiet.acceptUrl;
  const secret: string | undefined = quiet.token;
  const pending: Invitation[] = await org.getPendingInvitations();
  const revoked: Invitation = await pending[0].revoke();
  const expires: Date = revoked.expiresAt;

  const memberships: OrganizationMembership[] = await org.getMemberships();
  const page: MembershipsPage = await org.getMembershipsPage({ limit: 50, after: page0Cursor(memberships) });
  const next: string | null = page.nextCursor;
  const member: OrganizationMembership = memberships[1];
  const identifier: string = member.publicUserData.identifier;
  await member.update({ role: "admin" });
  await org.updateRole({ userId: member.publicUserData.userId, role: "basic_member" });
  await org.removeMember(member.publicUserData.userId);
  await member.destroy();

  const log: AuditEventsPage = await org.getAuditEvents({ action: "membership.removed", from: new Date(0), to: Date.now(), limit: 10 });
  const firstEvent: AuditEvent | undefined = log.data[0];
  const eventAt: Date | undefined = firstEvent?.createdAt;
  const eventBy: "user" | undefined = firstEvent?.actor.type;
  await org.getAuditEvents({});
  // @ts-expect-error from is a Date or milliseconds, not a string
  await org.getAuditEvents({ from: "yesterday" });

  const mine: OrganizationMembership[] = await kit.getOrganizationMemberships();
  const theirOrg: Organization = mine[0].organization;
  const invitations: Invitation[] = await kit.getUserInvitations();
  const joined: OrganizationMembership = await invitations[0].accept();
  await kit.acceptInvitation("token");
  await kit.verifyEmail("token");
  const preview = await kit.previewInvitation("token");
  const invitedAs: string = preview.emailAddress;
  await org.update({ name: "Acme Inc" });
  await org.leave();
  await org.destroy();
  await kit.signOut();

  try {
    await org.leave();
  } catch (e) {
    const err = e as OrgKitError;
    const code: ErrorCode = err.code;
    const status: number = err.status;
    const retryAfter: number | undefined = err.retryAfter;
    const isError: boolean = err instanceof Error;
    void [code, status, retryAfter, isError];
  }
  void [created, verified, again, role, canInvite, permissions, invitation, firstError, expires, next, identifier, theirOrg, joined, invitedAs];
}

function page0Cursor(_: OrganizationMembership[]): string | undefined {
  return undefined;
}

export async function wrongUsages(kit: OrgKit, org: Organization): Promise<void> {
  // @ts-expect-error: an unknown role
  await org.inviteMember({ emailAddress: "x@y.io", role: "owner" });
  // @ts-expect-error: the address is required
  await org.inviteMember({ role: "admin" });
  // @ts-expect-error: an unknown delivery
  await org.inviteMember({ emailAddress: "x@y.io", role: "admin", delivery: "pigeon" });
  // @ts-expect-error: an unknown permission
  org.can("org:everything");
  // @ts-expect-error: createOrganization needs a name
  await kit.createOrganization({ slug: "acme" });
  // @ts-expect-error: the role is read-only data, not a function
  org.role();
  // @ts-expect-error: ErrorCode is a closed union
  const code: ErrorCode = "oops";
  // @ts-expect-error: InvitationStatus is a closed union
  const status: InvitationStatus = "declined";
  // @ts-expect-error: retryAfter is a number of seconds, not a date
  const retryAt: Date | undefined = ({} as OrgKitError).retryAfter;
  void [code, status, retryAt];
}
