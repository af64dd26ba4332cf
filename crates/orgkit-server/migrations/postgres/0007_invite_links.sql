-- Reusable invite links (issue 7): anyone holding the link's token may join the organization
-- with the link's role, or ask to (requires_approval). The token is stored only as its
-- SHA-256 hash, like every other secret.

CREATE TABLE invite_links (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role              TEXT NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,
    -- 1: accepting files a join request instead of joining.
    requires_approval BIGINT NOT NULL DEFAULT 0,
    -- NULL: unlimited.
    max_uses          BIGINT,
    -- Joins and filed join requests so far.
    uses              BIGINT NOT NULL DEFAULT 0,
    -- NULL: never.
    expires_at        BIGINT,
    revoked_at        BIGINT,
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);
-- The admins' list, keyset-paged.
CREATE INDEX invite_links_org ON invite_links(org_id, id);
