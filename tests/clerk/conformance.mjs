// The Clerk conformance suite: the real `@clerk/backend` from npm (3.x, or 2.x through the
// `clerk-backend-2` alias) against a live orgkit server's Clerk-compatible API, with an instance
// secret key. Every call goes through the package's own request builder and JSON parsers, so
// the checks below see what an app written against Clerk sees. Run by the server's API test
// (crates/orgkit-server/tests/api/clerk_conformance.rs), on SQLite and PostgreSQL:
//   ORGKIT_CLERK_API_URL=http://127.0.0.1:PORT/clerk ORGKIT_CLERK_SECRET_KEY=sk_orgkit_... \
//   ORGKIT_CLERK_PACKAGE=@clerk/backend node --test tests/clerk/conformance.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createLocalJWKSet, jwtVerify } from "jose";
import {
  apiUrl,
  clerk,
  className,
  createClerkClient,
  email,
  ids,
  major,
  packageName,
  refused,
  run,
  version,
} from "./helpers.mjs";
import { invitationsAreManaged, membershipsAreManaged } from "./memberships.mjs";

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

test(`${packageName} ${version}: memberships are added, listed, changed and removed`, membershipsAreManaged);

test(`${packageName} ${version}: invitations are created, listed, read and revoked`, invitationsAreManaged);

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

test(`${packageName} ${version}: a session token verifies with the key set jwks.getJwks() reads, and Clerk's claim parser reads it`, async () => {
  const token = process.env.ORGKIT_SESSION_TOKEN;
  const organizationId = process.env.ORGKIT_SESSION_ORG;
  assert.ok(token && organizationId, "the runner passes ORGKIT_SESSION_TOKEN and ORGKIT_SESSION_ORG");
  const set = await clerk.jwks.getJwks();
  assert.ok(set.keys.length >= 1, JSON.stringify(set));
  assert.ok(set.keys.every((key) => key.kty === "EC" && key.crv === "P-256" && key.kid));
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: set.keys }));
  assert.equal(protectedHeader.alg, "ES256");

  // The parser `auth()` uses for session claims, from the copy of @clerk/shared this version
  // of @clerk/backend depends on.
  const fromPackage = createRequire(createRequire(import.meta.url).resolve(packageName));
  const { __experimental_JWTPayloadToAuthObjectProperties: parse } = fromPackage(
    "@clerk/shared/jwtPayloadParser",
  );
  const auth = parse(payload);
  assert.equal(auth.sessionId, payload.sid);
  assert.equal(auth.orgId, organizationId);
  assert.equal(auth.orgSlug, payload.o.slg);
  assert.equal(auth.orgRole, "org:admin");
  for (const permission of ["org:memberships:manage", "org:invitations:manage", "org:profile:delete"]) {
    assert.ok(auth.orgPermissions.includes(permission), `${permission} in ${auth.orgPermissions}`);
  }
});
