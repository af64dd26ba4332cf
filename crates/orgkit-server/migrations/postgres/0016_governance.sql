-- Governance (issue 15): the member limit, logos and billing profiles.

-- Clerk's maxAllowedMemberships: 0 is unlimited.
ALTER TABLE organizations ADD COLUMN max_allowed_memberships BIGINT NOT NULL DEFAULT 0;
-- Counting the organizations a person created (--max-organizations-per-user).
CREATE INDEX organizations_created_by ON organizations(created_by);

-- One logo per organization, its bytes in the database. `etag` is the SHA-256 of the bytes.
CREATE TABLE organization_logos (
    org_id       TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    etag         TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- One billing profile per organization, as checked JSON text (never card data).
CREATE TABLE billing_profiles (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    profile    TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
