-- Custom roles and members holding several roles (issue 15).
-- A member's roles: memberships.role is the primary one (what the single-role API reads and
-- writes); membership_roles holds each further role as one row, never a joined string.

-- An organization's own roles, org:<slug>. The permissions are kept by key, as a JSON array,
-- so the app may reorder its --app-permission flags; a key it drops grants nothing.
CREATE TABLE organization_roles (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, key)
);

CREATE TABLE membership_roles (
    org_id   TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    role     TEXT NOT NULL,
    -- The order the member's roles were given in, after the primary one.
    position BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id, role),
    FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE
);
-- How many membership_roles rows the member has, written with them (service::memberships::
-- set_roles): reading a member's roles, and a member page, look for rows only when it is not 0.
ALTER TABLE memberships ADD COLUMN extra_roles BIGINT NOT NULL DEFAULT 0;
-- Who holds a role: its usage before deletion, and counting admins.
CREATE INDEX membership_roles_org_role ON membership_roles(org_id, role);

-- Bumped by every change to the organization's custom roles, in the same transaction: a
-- server caches an organization's catalog and reads this number with the member's roles.
ALTER TABLE organizations ADD COLUMN roles_version BIGINT NOT NULL DEFAULT 0;
-- NULL: admin and basic_member.
ALTER TABLE organizations ADD COLUMN creator_role TEXT;
ALTER TABLE organizations ADD COLUMN default_role TEXT;
