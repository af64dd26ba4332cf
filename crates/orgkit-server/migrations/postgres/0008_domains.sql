-- Verified email domains (issue 7). An organization claims a domain; an admin proves
-- affiliation with a code mailed to an address at it, or ownership with a DNS TXT record.
-- A verified domain lets people with a verified address there join: automatic invitations
-- or suggestions, by its enrollment mode.

CREATE TABLE org_domains (
    id                      TEXT PRIMARY KEY,
    org_id                  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    -- The ASCII (IDNA) form, lowercased.
    name                    TEXT NOT NULL,
    -- 'manual_invitation', 'automatic_invitation' or 'automatic_suggestion'.
    enrollment_mode         TEXT NOT NULL,
    -- 1 once affiliation or ownership is proven.
    verified                BIGINT NOT NULL DEFAULT 0,
    affiliation_verified_at BIGINT,
    -- The address that proved affiliation, or the last one a code was sent to.
    affiliation_email       TEXT,
    -- The random part of the TXT record's value; public, it is published in DNS.
    ownership_value         TEXT NOT NULL,
    ownership_verified_at   BIGINT,
    created_by              TEXT NOT NULL,
    created_at              BIGINT NOT NULL
);
-- A domain once per organization.
CREATE UNIQUE INDEX org_domains_org_name ON org_domains(org_id, name);
-- A domain is verified for one organization at a time.
CREATE UNIQUE INDEX org_domains_verified_name ON org_domains(name) WHERE verified = 1;

-- The one live affiliation code of a domain (a new one replaces it), hashed.
CREATE TABLE domain_affiliation_codes (
    domain_id  TEXT PRIMARY KEY REFERENCES org_domains(id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0
);

-- The domain whose automatic invitation created an invitation, so that it can be found again
-- (its count, and revoking them when the mode changes).
ALTER TABLE invitations ADD COLUMN domain_id TEXT;
CREATE INDEX invitations_domain ON invitations(domain_id, status) WHERE domain_id IS NOT NULL;
