// Memberships and invitations of the Clerk conformance suite, run in order by conformance.mjs.
import assert from "node:assert/strict";
import { clerk, className, email, ids, refused } from "./helpers.mjs";

/** Memberships: added, listed, filtered, changed (the last admin kept), removed. */
export async function membershipsAreManaged() {
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
}

/** Invitations: created (one and bulk), refused, read, listed, revoked. */
export async function invitationsAreManaged() {
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
}
