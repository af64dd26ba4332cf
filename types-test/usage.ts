// Code written the way the Clerk organizations guide writes it must type-check against the
// generated pkg/orgkit.d.ts; wrong usages must not.
import init, {
  OrgKit,
  suggestSlug,
  webhookEventTypes,
  type AuditEvent,
  type AuditEventsPage,
  type BillingProfile,
  type OrganizationMetadata,
  type ErrorCode,
  type Invitation,
  type InvitationStatus,
  type InvitationData,
  type RosterEntry,
  type PaginatedList,
  type Snapshot,
  type Status,
  type RosterPage,
  type InviteResult,
  type InviteLink,
  type InviteLinkAcceptance,
  type InviteLinkPreview,
  type InviteLinkStatus,
  type InviteLinksPage,
  type MembershipsPage,
  type Organization,
  type OrganizationDomain,
  type OrganizationSuggestion,
  type EnrollmentMode,
  type SuggestionAccepted,
  type OrganizationMembership,
  OrgKitError,
  type OrgRole,
  type RoleCatalog,
  type Permission,
  type AppPermission,
  type Role,
  type SsoConnection,
  type SsoConnectionState,
  type SsoConnectionTest,
  type SsoConnectionsPage,
  type User,
  type SubscribableWebhookEventType,
  type WebhookAttempt,
  type WebhookAttemptsPage,
  type WebhookDisabledReason,
  type WebhookEndpoint,
  type WebhookEndpointsPage,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
  type WebhookMessageQueued,
  type Workspace,
  type WorkspaceGrant,
  type WorkspaceRole,
  type WorkspacesPage,
  type EffectiveAccess,
  type AccessVia,
  type Group,
  type GroupMember,
  type GroupMembersPage,
  type ServiceAccount,
  type ApiKey,
  type ApiKeyPolicy,
  type ApiKeysPage,
  type CreatedApiKey,
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
  const canInvoice: boolean = org.can("org:invoices:create");
  const permissions: (Permission | AppPermission)[] = org.permissions;

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

  const catalog: SubscribableWebhookEventType[] = webhookEventTypes();
  const endpoint: WebhookEndpointWithSecret = await org.createWebhookEndpoint({
    url: "https://example.com/webhooks/orgkit",
    eventTypes: ["organizationMembership.created", "organizationMembership.deleted"],
    description: "Sync members",
  });
  const signingSecret: string = endpoint.secret;
  const endpoints: WebhookEndpointsPage = await org.getWebhookEndpoints({ limit: 20 });
  const listed: WebhookEndpoint | undefined = endpoints.data[0];
  const why: WebhookDisabledReason | null | undefined = listed?.disabledReason;
  const overlapUntil: Date | null | undefined = listed?.previousSecretExpiresAt;
  const moreEndpoints: string | null = endpoints.nextCursor;
  await org.getWebhookEndpoints();
  const changed: WebhookEndpoint = await org.updateWebhookEndpoint(endpoint.id, { enabled: false });
  await org.updateWebhookEndpoint(endpoint.id, { url: "https://example.com/v2", eventTypes: catalog, description: "" });
  const rotated: WebhookEndpointWithSecret = await org.rotateWebhookSecret(endpoint.id);
  const queued: WebhookMessageQueued = await org.sendTestWebhook(endpoint.id);
  const sentType: WebhookEventType = queued.eventType;
  const attempts: WebhookAttemptsPage = await org.getWebhookAttempts(endpoint.id, { limit: 10, after: null });
  const attempt: WebhookAttempt | undefined = attempts.data[0];
  const status: number | null | undefined = attempt?.statusCode;
  const answered: string | null | undefined = attempt?.responseBody;
  const attemptedAt: Date | undefined = attempt?.createdAt;
  await org.resendWebhook(endpoint.id, queued.messageId);
  const removed: void = await org.deleteWebhookEndpoint(endpoint.id);

  const mine: OrganizationMembership[] = await kit.getOrganizationMemberships();
  const theirOrg: Organization = mine[0].organization;
  const invitations: Invitation[] = await kit.getUserInvitations();
  const joined: OrganizationMembership = await invitations[0].accept();
  await kit.acceptInvitation("token");
  await kit.verifyEmail("token");
  const asked: void = await kit.requestPasswordReset({ emailAddress: "ada@example.com" });
  const reset: User = await kit.resetPassword({ token: "token", password: "a new password" });
  // @ts-expect-error: resetPassword needs the new password
  await kit.resetPassword({ token: "token" });
  const preview = await kit.previewInvitation("token");
  const invitedAs: string = preview.emailAddress;
  await org.update({ name: "Acme Inc" });
  const owns: boolean = org.isOwner && !org.creatorProtection && member.isOwner && !member.suspended;
  const paused: OrganizationMembership = await member.suspend();
  const resumed: OrganizationMembership = await paused.reactivate();
  await org.update({ creatorProtection: true });
  const handedOver: Organization = await org.transferOwnership({ userId: resumed.publicUserData.userId, keepRole: "basic_member" });
  // @ts-expect-error transferOwnership needs the new owner's userId
  await org.transferOwnership({ keepRole: "admin" });
  await org.leave();
  await org.destroy({ confirm: org.slug });
  // @ts-expect-error destroy needs the slug repeated as confirm
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
  void [created, verified, again, role, canInvite, canInvoice, permissions, invitation, firstError, expires, next, identifier, theirOrg, joined, invitedAs];
  void [signingSecret, why, overlapUntil, moreEndpoints, changed, rotated, sentType, status, answered, attemptedAt, removed];
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
  // @ts-expect-error: an unknown permission (neither a system one nor org:<feature>:<action>)
  org.can("org:everything");
  // @ts-expect-error: createOrganization needs a name
  await kit.createOrganization({ slug: "acme" });
  // @ts-expect-error: the role is read-only data, not a function
  org.role();
  // @ts-expect-error: ErrorCode is a closed union
  const code: ErrorCode = "oops";
  // @ts-expect-error: InvitationStatus is a closed union
  const status: InvitationStatus = "rejected";
  // @ts-expect-error: retryAfter is a number of seconds, not a date
  const retryAt: Date | undefined = ({} as OrgKitError).retryAfter;
  // @ts-expect-error: signInWithSso needs an email address or an organization slug
  await kit.signInWithSso({ returnTo: "/" });
  // @ts-expect-error: the SSO detail's slug is a string
  const ssoSlug: number | undefined = ({} as OrgKitError).sso?.organizationSlug;
  void [code, status, retryAt, ssoSlug];
}

export async function ssoUsage(kit: OrgKit): Promise<void> {
  const url: string = await kit.signInWithSso({ emailAddress: "ada@acme.test", navigate: false });
  await kit.signInWithSso({ organizationSlug: "acme", returnTo: "/organization/" });
  try {
    await kit.signIn({ emailAddress: "ada@acme.test", password: "correct horse" });
  } catch (e) {
    const error = e as OrgKitError;
    if (error.code === "sso_required" && error.sso) {
      await kit.signInWithSso({ organizationSlug: error.sso.organizationSlug });
    }
  }
  void url;
}

export async function wrongWebhookUsages(org: Organization): Promise<void> {
  // @ts-expect-error: webhook.test is sent on request, never subscribed to
  await org.createWebhookEndpoint({ url: "https://example.com/hooks", eventTypes: ["webhook.test"] });
  // @ts-expect-error: an event type outside the catalog
  await org.createWebhookEndpoint({ url: "https://example.com/hooks", eventTypes: ["user.created"] });
  // @ts-expect-error: the event types are required
  await org.createWebhookEndpoint({ url: "https://example.com/hooks" });
  // @ts-expect-error: the event types are a list
  await org.createWebhookEndpoint({ url: "https://example.com/hooks", eventTypes: "organization.updated" });
  // @ts-expect-error: enabled is a boolean
  await org.updateWebhookEndpoint("whe_1", { enabled: "no" });
  // @ts-expect-error: creation takes no enabled flag
  await org.createWebhookEndpoint({ url: "https://example.com/hooks", eventTypes: ["organization.updated"], enabled: true });
  // @ts-expect-error: a resend needs the message id
  await org.resendWebhook("whe_1");
  const listed = await org.getWebhookEndpoints();
  // @ts-expect-error: only creation and rotation answer the secret
  const secret: string = listed.data[0].secret;
  // @ts-expect-error: WebhookDisabledReason is a closed union
  const reason: WebhookDisabledReason = "broken";
  const attempts = await org.getWebhookAttempts("whe_1");
  // @ts-expect-error: statusCode is null when the endpoint did not answer
  const status: number = attempts.data[0].statusCode;
  void [secret, reason, status];
}

export async function joinRequests(kit: OrgKit, org: Organization): Promise<void> {
  const asked: import("../pkg/orgkit.js").JoinRequest = await kit.requestToJoin({ organization: "acme-corp", message: "Hi!" });
  const status: import("../pkg/orgkit.js").JoinRequestStatus = asked.status;
  const mine = await kit.getMyJoinRequests();
  await mine[0].withdraw();
  const page: import("../pkg/orgkit.js").JoinRequestsPage = await org.getJoinRequests({ status: "pending", limit: 10 });
  const next: string | null = page.nextCursor;
  const member: OrganizationMembership = await page.data[0].accept({ role: "basic_member" });
  await page.data[0].accept({});
  await page.data[0].reject();
  const on: boolean = (await org.update({ allowJoinRequests: true })).allowJoinRequests;
  const who: string = page.data[0].publicUserData.identifier;
  // @ts-expect-error: the organization is required
  await kit.requestToJoin({ message: "Hi!" });
  // @ts-expect-error: JoinRequestStatus is a closed union
  await org.getJoinRequests({ status: "maybe" });
  // @ts-expect-error: a role outside the catalog
  await page.data[0].accept({ role: "owner" });
  // @ts-expect-error: the setting is a boolean
  await org.update({ allowJoinRequests: "yes" });
  void [status, next, member, on, who];
}

export async function inviteLinkUsage(kit: OrgKit, org: Organization): Promise<void> {
  const link: InviteLink = await org.createInviteLink({
    role: "basic_member",
    expiresAt: new Date(Date.now() + 86_400_000),
    maxUses: 10,
    requiresApproval: false,
  });
  const url: string | undefined = link.url;
  const status: InviteLinkStatus = link.status;
  const left: number | null = link.maxUses === null ? null : link.maxUses - link.uses;
  const expires: Date | null = link.expiresAt;
  const page: InviteLinksPage = await org.getInviteLinks({ limit: 20 });
  const fresh: InviteLink = await page.data[0].reset();
  await fresh.revoke();
  const preview: InviteLinkPreview = await kit.previewInviteLink(link.token ?? "");
  const done: InviteLinkAcceptance = await kit.acceptInviteLink(link.token ?? "");
  if (done.membership) {
    const role: Role = done.membership.role;
    void role;
  } else {
    const pending: "pending" = done.joinRequest.status;
    void pending;
  }
  void [url, status, left, expires, preview.organizationSlug];
  // @ts-expect-error: an unknown role
  await org.createInviteLink({ role: "owner" });
  // @ts-expect-error: maxUses is a number
  await org.createInviteLink({ role: "admin", maxUses: "10" });
  // @ts-expect-error: InviteLinkStatus is a closed union
  const bad: InviteLinkStatus = "paused";
  void bad;
}

/** Verified email domains and suggestions (issue 7). */
export async function domains(kit: OrgKit, org: Organization): Promise<void> {
  const domain: OrganizationDomain = await org.addDomain({ name: "acme.com" });
  const mode: EnrollmentMode = domain.enrollmentMode;
  const verifiedAt: Date | null = domain.affiliationVerifiedAt;
  const provenBy: string | null = domain.affiliationEmailAddress;
  await domain.prepareAffiliationVerification({ emailAddress: "it@acme.com" });
  const after: OrganizationDomain = await domain.attemptAffiliationVerification({ code: "123456" });
  await after.verifyOwnership();
  await after.updateEnrollmentMode({ enrollmentMode: "automatic_invitation", deletePending: true });
  const all: OrganizationDomain[] = await org.getDomains();
  await all[0].delete();
  const suggestions: OrganizationSuggestion[] = await kit.getUserSuggestions();
  const accepted: SuggestionAccepted = await suggestions[0].accept();
  // @ts-expect-error: EnrollmentMode is a closed union
  await domain.updateEnrollmentMode({ enrollmentMode: "automatic" });
  // @ts-expect-error: a domain needs a name
  await org.addDomain({});
  void [mode, verifiedAt, provenBy, accepted];
}

export async function rosterUsages(kit: OrgKit, org: Organization): Promise<void> {
  const page: RosterPage = await org.getRoster({ status: ["joined", "invited"], query: "ad", limit: 50 });
  const first: RosterEntry | undefined = page.data[0];
  const since: Date | undefined = first?.createdAt;
  const ids = page.data.filter((p) => p.status === "joined").map((p) => p.userId ?? "");
  const { data } = await org.removeMembers(ids);
  const failed: ErrorCode[] = data.filter((r) => !r.removed).map((r) => r.error?.code ?? "internal");
  const [invitation] = await kit.getUserInvitations();
  const declined: InvitationData = await invitation.decline();
  const status: InvitationStatus = declined.status;
  await invitation.dismiss();
  await kit.declineInvitation("token");
  // @ts-expect-error: RosterStatus is a closed union
  await org.getRoster({ status: ["left"] });
  // @ts-expect-error: removeMembers takes a list of ids
  await org.removeMembers("user_1");
  void [since, failed, status];
}

export async function ssoConnectionUsage(org: Organization): Promise<void> {
  const connection: SsoConnection = await org.createSsoConnection({
    name: "Okta",
    issuer: "https://acme.okta.com",
    clientId: "client",
    clientSecret: "secret",
    scopes: "openid email profile",
    claimMapping: { name: "preferred_username" },
    jitRole: "basic_member",
    domainIds: ["dom_1"],
  });
  const report: SsoConnectionTest = await connection.test();
  const algs: string[] = report.ok ? report.signingAlgs : [];
  const active: SsoConnection = await connection.update({ state: "active", jitEnabled: false });
  const state: SsoConnectionState = active.state;
  const page: SsoConnectionsPage = await org.getSsoConnections({ limit: 10 });
  const names: string[] = page.data.flatMap((c) => c.domains.map((d) => d.name));
  const joinUrl: string = org.ssoJoinUrl;
  const required: boolean = (await org.update({ requireSso: true })).requireSso;
  await page.data[0].delete();
  // @ts-expect-error: SsoConnectionState is a closed union
  await connection.update({ state: "paused" });
  // @ts-expect-error: the client secret is never shown
  void connection.clientSecret;
  void [algs, state, names, joinUrl, required];
}

export async function storeUsage(kit: OrgKit): Promise<void> {
  const unsubscribe: () => void = kit.subscribe(() => {
    const snap: Snapshot = kit.getSnapshot();
    const status: Status = snap.status;
    const name: string | undefined = snap.organization?.name;
    const members: readonly OrganizationMembership[] = snap.memberships?.data ?? [];
    const more: boolean = snap.memberships?.hasNextPage ?? false;
    const failed: ErrorCode | undefined = snap.memberships?.error?.code;
    const invitations: PaginatedList<Invitation> | undefined = snap.invitations;
    void [status, name, members, more, failed, invitations, snap.user?.emailAddress, snap.permissions];
  });
  const release: () => void = kit.keep({ memberships: { pageSize: 20 }, invitations: true, userMemberships: true });
  await kit.load();
  await kit.getSnapshot().memberships?.fetchNext();
  await kit.setActive({ organization: "org_1" });
  await kit.revalidate();
  kit.setRevalidation({ onFocus: false, intervalMs: 30_000 });
  const manages: boolean = kit.has("org:memberships:manage");
  // @ts-expect-error: only the listed lists can be kept
  kit.keep({ webhooks: true });
  // @ts-expect-error: a snapshot is read-only
  kit.getSnapshot().status = "ready";
  release();
  unsubscribe();
  void manages;
}

export async function sessionTokenUsage(kit: OrgKit): Promise<void> {
  kit.setActive({ organization: "org_1" });
  const active: string | undefined = kit.activeOrganizationId;
  const forActive: string = await kit.getToken();
  const forOther: string = await kit.getToken({ organizationId: "org_2" });
  const personal: string = await kit.getToken({ organizationId: null });
  kit.setActive({ organization: null });
  // @ts-expect-error: setActive needs the organization key
  kit.setActive({});
  // @ts-expect-error: the organization id is a string
  await kit.getToken({ organizationId: 42 });
  void [active, forActive, forOther, personal];
}

export async function governanceUsage(org: Organization, file: File): Promise<void> {
  const meta: OrganizationMetadata = await org.updateMetadata({ publicMetadata: { plan: "pro", trial: null } });
  const plan = meta.publicMetadata.plan;
  const read: OrganizationMetadata = await org.getMetadata();
  const [member] = await org.getMemberships();
  await member.updateMetadata({ privateMetadata: { note: "vip" } });
  const withLogo: Organization = await org.setLogo(file);
  const logo: string | undefined = withLogo.hasImage ? withLogo.imageUrl : undefined;
  const keyPolicy: ApiKeyPolicy | null = org.apiKeyPolicy;
  await org.deleteLogo();
  const profile: BillingProfile = await org.updateBillingProfile({
    legalName: "Acme SAS",
    taxIds: [{ type: "eu_vat", value: "FR12345678901", country: "FR" }],
    paymentMethod: { provider: "stripe", reference: "pm_1", brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 },
  });
  const saved: Date | undefined = (await org.getBillingProfile()).updatedAt;
  const limit: number = (await org.update({ maxAllowedMemberships: 25 })).maxAllowedMemberships;
  // @ts-expect-error: a card brand is a closed union
  await org.updateBillingProfile({ paymentMethod: { provider: "stripe", reference: "pm_1", brand: "bitcoin", last4: "4242", expMonth: 1, expYear: 2030 } });
  void [plan, read, logo, profile, saved, limit];
}

export async function rolesUsage(org: Organization): Promise<void> {
  const catalog: RoleCatalog = await org.getRoles();
  const builtIn: boolean = catalog.data[0].builtIn;
  const everything: string[] = catalog.permissions;
  const role: OrgRole = await org.createRole({
    key: "org:billing",
    name: "Billing manager",
    permissions: ["org:billing:read", "org:billing:manage", "org:invoices:create"],
  });
  const edited: OrgRole = await role.update({ description: "Bills.", permissions: ["org:billing:read"] });
  await edited.destroy();
  const settings: RoleCatalog = await org.updateRoleSettings({ creatorRole: "admin", defaultRole: "org:billing" });
  const member: OrganizationMembership = await org.updateMember({ userId: "user_1", roles: ["basic_member", "org:billing"] });
  const mine: Role[] = [...org.roles, ...member.roles];
  await member.update({ roles: ["org:billing"] });
  const billing: boolean = org.can("org:billing:manage");
  // @ts-expect-error: a custom role key is org:<slug>
  await org.createRole({ key: "billing", name: "Billing", permissions: [] });
  // @ts-expect-error: updateMember needs the member
  await org.updateMember({ roles: ["admin"] });
  void [builtIn, everything, settings, mine, billing];
}

export async function workspacesUsage(kit: OrgKit, org: Organization): Promise<void> {
  const ws: Workspace = await org.createWorkspace({ name: "Payments" });
  const group: Group = await org.createGroup({ name: "Payments team", description: "Pays." });
  const member: GroupMember = await group.addMember({ userId: "user_1", role: "member" });
  await group.addMember({ serviceAccountId: "sa_1", role: "manager" });
  const grant: WorkspaceGrant = await ws.addGroup({ groupId: group.id, role: "ws:member" });
  await ws.addMember({ userId: "user_1", role: "ws:manager" });
  await ws.addServiceAccount({ serviceAccountId: "sa_1", role: "ws:member" });
  await ws.removePrincipal(grant.principal);
  const mine: WorkspacesPage = await kit.getMyWorkspaces({ organizationId: org.id, limit: 20 });
  const role: WorkspaceRole | null = mine.data[0].myRole;
  const via: AccessVia | null = mine.data[0].myAccessVia;
  const access: EffectiveAccess = await ws.getAccess("user_1");
  const grants: WorkspaceGrant[] = (await ws.getMembers({ limit: 10 })).data;
  const archived: boolean = (await ws.archive()).archived;
  const restored: Workspace = await (await org.getWorkspace(ws.id)).unarchive();
  const personal: boolean = (await org.getPersonalWorkspace()).personal;
  const renamed: Workspace = await restored.update({ name: "Billing", slug: "billing" });
  const all: Workspace[] = (await org.getWorkspaces()).data;
  const members: GroupMembersPage = await group.getMembers();
  const count: number = (await group.update({ name: "Billing team" })).memberCount;
  await group.removeMember({ userId: "user_1" });
  await group.destroy();
  const groups: Group[] = (await org.getGroups({ after: null })).data;
  // @ts-expect-error: a workspace role is ws:member or ws:manager
  await ws.addMember({ userId: "user_1", role: "admin" });
  // @ts-expect-error: a group holds people and service accounts, not groups
  await group.addMember({ groupId: "grp_1", role: "member" });
  // @ts-expect-error: getMyWorkspaces needs the organization
  await kit.getMyWorkspaces({});
  void [member, role, via, access, grants, archived, personal, renamed, all, members, count, groups];
}

export async function apiKeysUsage(org: Organization): Promise<void> {
  const ci: ServiceAccount = await org.createServiceAccount({ name: "CI", role: "basic_member" });
  const { apiKey, secret }: CreatedApiKey = await ci.createApiKey({ name: "deploys", expiresAt: new Date(Date.now() + 86_400_000) });
  const last4: string = apiKey.last4;
  const scope: string[] | null = apiKey.permissions;
  const revoked: Date | null = (await apiKey.revoke({ reason: "rotated" })).revokedAt;
  const mine: CreatedApiKey = await org.createApiKey({ name: "reporting", permissions: ["org:memberships:read"] });
  await mine.apiKey.revoke();
  const keys: ApiKey[] = (await ci.getApiKeys()).data;
  const page: ApiKeysPage = await org.getApiKeys({ serviceAccountId: ci.id, limit: 5 });
  const accounts: ServiceAccount[] = (await org.getServiceAccounts()).data;
  const updated: ServiceAccount = await ci.update({ role: "admin" });
  await updated.destroy();
  const policy: ApiKeyPolicy = await org.getApiKeyPolicy();
  await org.setApiKeyPolicy("members");
  // @ts-expect-error: a policy is nobody, admins or members
  await org.setApiKeyPolicy("everyone");
  // @ts-expect-error: a key needs a name
  await org.createApiKey({ permissions: [] });
  // @ts-expect-error: the secret is shown only on creation
  void apiKey.secret;
  void [secret, last4, scope, revoked, keys, page, accounts, policy];
}

export async function narrowing(kit: OrgKit): Promise<void> {
  try {
    await kit.verifyEmail("");
  } catch (e: unknown) {
    // @ts-expect-error: an unknown rejection has no code until it is narrowed
    void e.code;
    if (e instanceof OrgKitError) {
      const code: ErrorCode = e.code;
      const status: number = e.status;
      const retryAfter: number | undefined = e.retryAfter;
      const name: "OrgKitError" = e.name;
      const message: string = e.message;
      void [code, status, retryAfter, name, message];
    }
  }
  const made: OrgKitError = new OrgKitError("not_found", 404, "Nothing here.");
  // @ts-expect-error: the code is one of the ErrorCode union
  void new OrgKitError("oops", 404, "Nothing here.");
  void made;
}
