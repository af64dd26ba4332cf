// The Clerk conformance suite: the real `@clerk/backend` from npm (3.x, or 2.x through the
// `clerk-backend-2` alias) against a live orgkit server's Clerk-compatible API, with an instance
// secret key. Every call goes through the package's own request builder and JSON parsers, so
// the checks below see what an app written against Clerk sees. Run by the server's API test
// (crates/orgkit-server/tests/api/clerk_conformance.rs), on SQLite and PostgreSQL:
//   ORGKIT_CLERK_API_URL=http://127.0.0.1:PORT/clerk ORGKIT_CLERK_SECRET_KEY=sk_orgkit_... \
//   ORGKIT_CLERK_PACKAGE=@clerk/backend node --test tests/clerk/conformance.mjs
import { test } from "node:test";
import assert from "node:assert/strict";

const apiUrl = process.env.ORGKIT_CLERK_API_URL;
const secretKey = process.env.ORGKIT_CLERK_SECRET_KEY;
const packageName = process.env.ORGKIT_CLERK_PACKAGE ?? "@clerk/backend";
assert.ok(apiUrl && secretKey, "set ORGKIT_CLERK_API_URL and ORGKIT_CLERK_SECRET_KEY");

const { createClerkClient } = await import(packageName);
const version = (await import(`${packageName}/package.json`, { with: { type: "json" } })).default
  .version;
const major = Number(version.split(".")[0]);
const clerk = createClerkClient({ secretKey, apiUrl });
const run = Math.random().toString(36).slice(2, 8);
const email = (who) => `${who}.${run}@example.com`;

/** The class a parsed object was built by (the bundle names them `_Organization`, …). */
const className = (value) => value?.constructor?.name?.replace(/^_/, "");

/** Runs `call`, which must fail with a ClerkAPIResponseError of `code` and `status`. */
async function refused(call, code, status) {
  let error;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${code}, the call succeeded`);
  assert.equal(className(error), "ClerkAPIResponseError", String(error));
  assert.equal(error.errors[0].code, code, JSON.stringify(error.errors));
  assert.equal(error.status, status);
  assert.equal(typeof error.errors[0].message, "string");
  assert.equal(typeof error.errors[0].longMessage, "string");
  assert.ok(error.clerkTraceId, "clerk_trace_id");
  return error;
}

const ids = {};

test(`${packageName} ${version}: users are created, read, listed and counted`, async () => {
  for (const who of ["alice", "bob", "carol", "dave"]) {
    const user = await clerk.users.createUser({
      emailAddress: [email(who)],
      firstName: who[0].toUpperCase() + who.slice(1),
      lastName: "Tester",
      externalId: `ext-${who}-${run}`,
      publicMetadata: { team: who },
    });
    assert.equal(className(user), "User");
    assert.match(user.id, /^user_/);
    assert.equal(user.firstName, who[0].toUpperCase() + who.slice(1));
    assert.equal(user.lastName, "Tester");
    assert.equal(user.externalId, `ext-${who}-${run}`);
    assert.equal(user.passwordEnabled, false);
    assert.deepEqual(user.publicMetadata, { team: who });
    assert.equal(typeof user.createdAt, "number");
    assert.equal(user.emailAddresses.length, 1);
    const address = user.emailAddresses[0];
    assert.equal(className(address), "EmailAddress");
    assert.equal(address.emailAddress, email(who));
    assert.deepEqual(address.linkedTo, []);
    assert.equal(address.verification.status, "verified");
    assert.equal(user.primaryEmailAddressId, address.id);
    assert.equal(user.primaryEmailAddress?.emailAddress, email(who));
    ids[who] = user.id;
  }
  const alice = await clerk.users.getUser(ids.alice);
  assert.equal(className(alice), "User");
  assert.equal(alice.emailAddresses[0].emailAddress, email("alice"));

  const listed = await clerk.users.getUserList({ emailAddress: [email("alice"), email("bob")] });
  assert.equal(listed.totalCount, 2);
  assert.deepEqual(listed.data.map((u) => u.id).sort(), [ids.alice, ids.bob].sort());
  assert.ok(listed.data.every((u) => className(u) === "User"));
  const byExternal = await clerk.users.getUserList({ externalId: [`ext-carol-${run}`] });
  assert.deepEqual(
    byExternal.data.map((u) => u.id),
    [ids.carol],
  );
  const oldestFirst = await clerk.users.getUserList({ query: run, orderBy: "+created_at", limit: 2 });
  assert.equal(oldestFirst.totalCount, 4);
  assert.deepEqual(
    oldestFirst.data.map((u) => u.id),
    [ids.alice, ids.bob],
  );
  assert.equal(await clerk.users.getCount({ query: run }), 4);

  await refused(
    () => clerk.users.createUser({ emailAddress: [email("alice")] }),
    "form_identifier_exists",
    422,
  );
  await refused(() => clerk.users.createUser({ firstName: "Nobody" }), "form_param_missing", 400);
  await refused(() => clerk.users.getUser("user_nobody"), "resource_not_found", 404);
});

test(`${packageName} ${version}: organizations are created, read, listed and updated`, async () => {
  const slug = `acme-${run}`;
  const org = await clerk.organizations.createOrganization({
    name: "Acme",
    slug,
    createdBy: ids.alice,
    publicMetadata: { plan: "pro", limits: { seats: 5 } },
    privateMetadata: { billing: "card" },
  });
  assert.equal(className(org), "Organization");
  assert.match(org.id, /^org_/);
  assert.equal(org.slug, slug);
  assert.equal(org.createdBy, ids.alice);
  assert.equal(typeof org.createdAt, "number");
  assert.equal(typeof org.updatedAt, "number");
  assert.deepEqual(org.publicMetadata, { plan: "pro", limits: { seats: 5 } });
  assert.deepEqual(org.privateMetadata, { billing: "card" });
  assert.equal(org.membersCount, 1);
  assert.equal(org.raw.deleted, undefined, "a live object never carries `deleted`");
  ids.org = org.id;

  const byId = await clerk.organizations.getOrganization({ organizationId: org.id });
  assert.equal(className(byId), "Organization");
  assert.equal(byId.name, "Acme");
  const bySlug = await clerk.organizations.getOrganization({ slug, includeMembersCount: true });
  assert.equal(bySlug.id, org.id);

  const other = await clerk.organizations.createOrganization({
    name: `Beta ${run}`,
    createdBy: ids.bob,
  });
  assert.equal(other.slug, `beta-${run}`);
  ids.other = other.id;
  const page = await clerk.organizations.getOrganizationList({ query: run, orderBy: "name", limit: 1 });
  assert.equal(page.totalCount, 2);
  assert.equal(page.data.length, 1);
  assert.equal(className(page.data[0]), "Organization");
  assert.equal(page.data[0].id, org.id, "Acme sorts before Beta");
  const second = await clerk.organizations.getOrganizationList({
    query: run,
    orderBy: "name",
    limit: 1,
    offset: 1,
  });
  assert.equal(second.data[0].id, other.id);
  const picked = await clerk.organizations.getOrganizationList({ organizationId: [other.id] });
  assert.deepEqual(
    picked.data.map((o) => o.id),
    [other.id],
  );

  const renamed = await clerk.organizations.updateOrganization(org.id, { name: "Acme Inc" });
  assert.equal(className(renamed), "Organization");
  assert.equal(renamed.name, "Acme Inc");

  const merged = await clerk.organizations.updateOrganizationMetadata(org.id, {
    publicMetadata: { limits: { projects: 3 }, plan: null },
  });
  assert.deepEqual(merged.publicMetadata, { limits: { seats: 5, projects: 3 } });
  assert.deepEqual(merged.privateMetadata, { billing: "card" });

  // 3.x replaces metadata with PUT /metadata; 2.x sends it in the PATCH of the organization.
  const replaced =
    major >= 3
      ? await clerk.organizations.replaceOrganizationMetadata(org.id, {
          publicMetadata: { plan: "team" },
        })
      : await clerk.organizations.updateOrganization(org.id, { publicMetadata: { plan: "team" } });
  assert.deepEqual(replaced.publicMetadata, { plan: "team" });
  assert.deepEqual(replaced.privateMetadata, { billing: "card" });
  assert.equal(replaced.name, "Acme Inc");

  await refused(
    () => clerk.organizations.createOrganization({ name: "Orphan" }),
    "form_param_missing",
    400,
  );
  await refused(
    () => clerk.organizations.createOrganization({ name: "Copy", slug, createdBy: ids.bob }),
    "form_identifier_exists",
    422,
  );
  await refused(
    () => clerk.organizations.getOrganization({ organizationId: "org_nothing" }),
    "resource_not_found",
    404,
  );
  await refused(
    () => clerk.organizations.getOrganizationList({ orderBy: "-colour" }),
    "form_param_format_invalid",
    422,
  );
});

test(`${packageName} ${version}: memberships are added, listed, changed and removed`, async () => {
  const added = await clerk.organizations.createOrganizationMembership({
    organizationId: ids.org,
    userId: ids.bob,
    role: "org:member",
  });
  assert.equal(className(added), "OrganizationMembership");
  assert.equal(added.role, "org:member");
  assert.ok(Array.isArray(added.permissions));
  assert.equal(className(added.organization), "Organization");
  assert.equal(added.organization.id, ids.org);
  assert.equal(added.publicUserData.userId, ids.bob);
  assert.equal(added.publicUserData.identifier, email("bob"));
  assert.equal(added.publicUserData.firstName, "Bob");
  assert.equal(typeof added.createdAt, "number");

  await clerk.organizations.createOrganizationMembership({
    organizationId: ids.org,
    userId: ids.dave,
    role: "org:member",
  });
  await refused(
    () =>
      clerk.organizations.createOrganizationMembership({
        organizationId: ids.org,
        userId: ids.bob,
        role: "org:member",
      }),
    "already_a_member_in_organization",
    400,
  );
  await refused(
    () =>
      clerk.organizations.createOrganizationMembership({
        organizationId: ids.org,
        userId: ids.carol,
        role: "owner",
      }),
    "form_param_format_invalid",
    422,
  );

  const all = await clerk.organizations.getOrganizationMembershipList({ organizationId: ids.org });
  assert.equal(all.totalCount, 3);
  assert.ok(all.data.every((m) => className(m) === "OrganizationMembership"));
  const two = await clerk.organizations.getOrganizationMembershipList({
    organizationId: ids.org,
    userId: [ids.alice, ids.bob],
  });
  assert.equal(two.totalCount, 2);
  assert.deepEqual(two.data.map((m) => m.publicUserData.userId).sort(), [ids.alice, ids.bob].sort());
  const admins = await clerk.organizations.getOrganizationMembershipList({
    organizationId: ids.org,
    role: ["org:admin"],
  });
  assert.deepEqual(
    admins.data.map((m) => m.publicUserData.userId),
    [ids.alice],
  );
  const paged = await clerk.organizations.getOrganizationMembershipList({
    organizationId: ids.org,
    orderBy: "+created_at",
    limit: 1,
    offset: 2,
  });
  assert.equal(paged.totalCount, 3);
  assert.deepEqual(
    paged.data.map((m) => m.publicUserData.userId),
    [ids.dave],
  );

  const promoted = await clerk.organizations.updateOrganizationMembership({
    organizationId: ids.org,
    userId: ids.bob,
    role: "org:admin",
  });
  assert.equal(className(promoted), "OrganizationMembership");
  assert.equal(promoted.role, "org:admin");
  assert.equal(promoted.raw.role_name, "Admin");

  const tagged = await clerk.organizations.updateOrganizationMembershipMetadata({
    organizationId: ids.org,
    userId: ids.bob,
    publicMetadata: { desk: 12 },
  });
  assert.deepEqual(tagged.publicMetadata, { desk: 12 });

  const mine = await clerk.users.getOrganizationMembershipList({ userId: ids.bob });
  assert.equal(mine.totalCount, 2, "Bob's own Beta and Acme");
  assert.ok(mine.data.every((m) => className(m.organization) === "Organization"));

  // Beta has one admin, Bob: orgkit keeps its meaning with a Clerk-style code.
  await refused(
    () =>
      clerk.organizations.updateOrganizationMembership({
        organizationId: ids.other,
        userId: ids.bob,
        role: "org:member",
      }),
    "organization_minimum_admins_required",
    409,
  );

  const removed = await clerk.organizations.deleteOrganizationMembership({
    organizationId: ids.org,
    userId: ids.dave,
  });
  assert.equal(className(removed), "OrganizationMembership");
  assert.equal(removed.publicUserData.userId, ids.dave);
  await refused(
    () =>
      clerk.organizations.deleteOrganizationMembership({
        organizationId: ids.org,
        userId: ids.dave,
      }),
    "resource_not_found",
    404,
  );
});

test(`${packageName} ${version}: invitations are created, listed, read and revoked`, async () => {
  const invitation = await clerk.organizations.createOrganizationInvitation({
    organizationId: ids.org,
    emailAddress: email("carol"),
    role: "org:member",
    inviterUserId: ids.alice,
    publicMetadata: { source: "import" },
  });
  assert.equal(className(invitation), "OrganizationInvitation");
  assert.equal(invitation.emailAddress, email("carol"));
  assert.equal(invitation.role, "org:member");
  assert.equal(invitation.status, "pending");
  assert.equal(invitation.organizationId, ids.org);
  assert.deepEqual(invitation.publicMetadata, { source: "import" });
  assert.equal(typeof invitation.expiresAt, "number");

  await refused(
    () =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: ids.org,
        emailAddress: email("carol"),
        role: "org:member",
      }),
    "form_identifier_exists",
    422,
  );
  await refused(
    () =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: ids.org,
        emailAddress: email("bob"),
        role: "org:member",
      }),
    "already_a_member_in_organization",
    400,
  );
  await refused(
    () =>
      clerk.organizations.createOrganizationInvitation({
        organizationId: ids.org,
        emailAddress: "not an address",
        role: "org:member",
      }),
    "form_param_format_invalid",
    422,
  );

  const bulk = await clerk.organizations.createOrganizationInvitationBulk(ids.org, [
    { emailAddress: email("erin"), role: "org:member" },
    { emailAddress: email("frank"), role: "org:admin" },
  ]);
  assert.equal(bulk.totalCount, 2);
  assert.ok(bulk.data.every((i) => className(i) === "OrganizationInvitation"));
  assert.deepEqual(
    bulk.data.map((i) => i.role),
    ["org:member", "org:admin"],
  );
  const eleven = Array.from({ length: 11 }, (_, i) => ({
    emailAddress: email(`many${i}`),
    role: "org:member",
  }));
  await refused(
    () => clerk.organizations.createOrganizationInvitationBulk(ids.org, eleven),
    "form_param_format_invalid",
    422,
  );

  const read = await clerk.organizations.getOrganizationInvitation({
    organizationId: ids.org,
    invitationId: invitation.id,
  });
  assert.equal(className(read), "OrganizationInvitation");
  assert.equal(read.id, invitation.id);

  const revoked = await clerk.organizations.revokeOrganizationInvitation({
    organizationId: ids.org,
    invitationId: bulk.data[0].id,
    requestingUserId: ids.alice,
  });
  assert.equal(className(revoked), "OrganizationInvitation");
  assert.equal(revoked.status, "revoked");

  const pending = await clerk.organizations.getOrganizationInvitationList({
    organizationId: ids.org,
    status: ["pending"],
  });
  assert.equal(pending.totalCount, 2);
  assert.deepEqual(
    pending.data.map((i) => i.emailAddress).sort(),
    [email("carol"), email("frank")].sort(),
  );
  const all = await clerk.organizations.getOrganizationInvitationList({ organizationId: ids.org });
  assert.equal(all.totalCount, 3);

  const carols = await clerk.users.getOrganizationInvitationList({ userId: ids.carol });
  assert.equal(carols.totalCount, 1);
  assert.equal(className(carols.data[0]), "OrganizationInvitation");
  assert.equal(carols.data[0].id, invitation.id);

  await refused(
    () =>
      clerk.organizations.getOrganizationInvitation({
        organizationId: ids.org,
        invitationId: "orginv_nothing",
      }),
    "resource_not_found",
    404,
  );
});

test(`${packageName} ${version}: users and organizations are deleted`, async () => {
  // Alice is Acme's admin with Bob, so she can go; Bob is then Acme's and Beta's last admin.
  const gone = await clerk.users.deleteUser(ids.alice);
  assert.equal(className(gone), "DeletedObject");
  assert.equal(gone.object, "user");
  assert.equal(gone.id, ids.alice);
  assert.equal(gone.deleted, true);
  await refused(() => clerk.users.getUser(ids.alice), "resource_not_found", 404);
  await refused(() => clerk.users.deleteUser(ids.bob), "organization_minimum_admins_required", 409);

  const deleted = await clerk.organizations.deleteOrganization(ids.other);
  assert.equal(className(deleted), "DeletedObject");
  assert.equal(deleted.object, "organization");
  assert.equal(deleted.id, ids.other);
  assert.equal(deleted.slug, `beta-${run}`);
  assert.equal(deleted.deleted, true);
  await refused(
    () => clerk.organizations.getOrganization({ organizationId: ids.other }),
    "resource_not_found",
    404,
  );
  await clerk.organizations.deleteOrganization(ids.org);
  const bob = await clerk.users.deleteUser(ids.bob);
  assert.equal(bob.deleted, true);
});

test(`${packageName} ${version}: a wrong key is refused`, async () => {
  const wrong = createClerkClient({ secretKey: "sk_orgkit_wrong", apiUrl });
  await refused(() => wrong.users.getCount(), "clerk_key_invalid", 401);
  await refused(() => wrong.organizations.getOrganizationList(), "clerk_key_invalid", 401);
});
