-- The Clerk-compatible Backend API (issue 10): instance secret keys, and the metadata Clerk's
-- objects carry. Metadata is JSON text, '{}' when empty.

-- Server-to-server keys of the whole instance. Only the SHA-256 of a key is stored; `last4`
-- lets a person tell keys apart. A revoked key stays listed, with `revoked_at`.
CREATE TABLE clerk_secret_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    last4      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

ALTER TABLE organizations ADD COLUMN public_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organizations ADD COLUMN private_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE memberships ADD COLUMN public_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE memberships ADD COLUMN private_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE invitations ADD COLUMN public_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE invitations ADD COLUMN private_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN public_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN private_metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN unsafe_metadata TEXT NOT NULL DEFAULT '{}';
-- The id of the person in the migrating app's own records (Clerk's `external_id`).
ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE INDEX users_external_id ON users(external_id);
