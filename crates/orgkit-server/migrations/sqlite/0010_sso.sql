-- Single sign-on (issue 11): an organization's OIDC connections, the sign-ins under way, and
-- the identities (issuer, subject) that SSO has tied to users.

CREATE TABLE sso_connections (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    -- The issuer (or discovery URL) as the admin gave it, normalised by the rule book.
    issuer               TEXT NOT NULL,
    client_id            TEXT NOT NULL,
    -- Sealed with --secret-key (AES-256-GCM, the connection id as associated data).
    client_secret_sealed TEXT NOT NULL,
    -- Space-separated; always holds 'openid'.
    scopes               TEXT NOT NULL,
    pkce                 INTEGER NOT NULL DEFAULT 1,
    claim_email          TEXT NOT NULL DEFAULT 'email',
    claim_name           TEXT NOT NULL DEFAULT 'name',
    claim_email_verified TEXT NOT NULL DEFAULT 'email_verified',
    -- 'draft', 'active' or 'inactive'.
    state                TEXT NOT NULL DEFAULT 'draft',
    jit_enabled          INTEGER NOT NULL DEFAULT 1,
    -- NULL: the organization's default role.
    jit_role             TEXT,
    created_by           TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX sso_connections_org ON sso_connections(org_id, id);

-- The organization's verified domains a connection serves; a domain serves one connection.
CREATE TABLE sso_connection_domains (
    connection_id TEXT NOT NULL REFERENCES sso_connections(id) ON DELETE CASCADE,
    domain_id     TEXT NOT NULL REFERENCES org_domains(id) ON DELETE CASCADE,
    PRIMARY KEY (connection_id, domain_id)
);
CREATE UNIQUE INDEX sso_connection_domains_domain ON sso_connection_domains(domain_id);

-- A sign-in under way: single-use, 10 minutes. Only the state's hash is kept; the nonce and
-- the PKCE verifier are derived from the state itself, so nothing secret is stored.
CREATE TABLE sso_states (
    state_hash    TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES sso_connections(id) ON DELETE CASCADE,
    return_to     TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sso_states_expiry ON sso_states(expires_at);

-- Who a provider's (issuer, subject) is here. A user is never found by email alone.
CREATE TABLE user_identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    connection_id TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities(user_id);

-- "Require SSO": members whose address is at one of the organization's SSO domains sign in
-- through SSO only.
ALTER TABLE organizations ADD COLUMN require_sso INTEGER NOT NULL DEFAULT 0;
-- How a membership began; 'sso' marks just-in-time members, added again at their next SSO
-- sign-in after a removal.
ALTER TABLE memberships ADD COLUMN source TEXT;
