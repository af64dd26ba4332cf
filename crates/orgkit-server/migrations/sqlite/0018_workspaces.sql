-- Workspaces, groups, service accounts and API keys (issue 8).
-- Principals (a user, a group, a service account) are named by kind and id; removing a member
-- or a service account deletes its rows here in the same transaction (service::workspaces::cascade).

-- A workspace: shared (granted to principals) or personal (personal_owner's, made on first use).
CREATE TABLE workspaces (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    slug           TEXT NOT NULL,
    personal_owner TEXT,
    archived_at    INTEGER,
    created_at     INTEGER NOT NULL,
    UNIQUE (org_id, slug)
);
CREATE UNIQUE INDEX workspaces_personal ON workspaces(org_id, personal_owner);
-- Lists walk an organization's workspaces in id order and stop at the page's end.
CREATE INDEX workspaces_org_id ON workspaces(org_id, id);

CREATE TABLE groups (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

-- kind: 'user' or 'service_account'; role: 'member' or 'manager'.
CREATE TABLE group_members (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL,
    group_id       TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    principal_kind TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    role           TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (group_id, principal_kind, principal_id)
);
CREATE INDEX group_members_principal ON group_members(org_id, principal_kind, principal_id);

-- level: 1 ws:member, 2 ws:manager (WorkspaceRole::level), so MAX picks the higher.
CREATE TABLE workspace_grants (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL,
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    principal_kind TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    level          INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (workspace_id, principal_kind, principal_id)
);
CREATE INDEX workspace_grants_principal ON workspace_grants(org_id, principal_kind, principal_id);

CREATE TABLE service_accounts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    role        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX service_accounts_org ON service_accounts(org_id, id);

-- owner_kind: 'user' or 'service_account'. secret_hash: SHA-256 of the secret, hex; the secret
-- itself is never stored. permissions: NULL (all of the owner's) or a JSON array of keys.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    owner_kind    TEXT NOT NULL,
    owner_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    secret_hash   TEXT NOT NULL UNIQUE,
    last4         TEXT NOT NULL,
    permissions   TEXT,
    expires_at    INTEGER,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER,
    revoke_reason TEXT
);
CREATE INDEX api_keys_owner ON api_keys(org_id, owner_kind, owner_id);
CREATE INDEX api_keys_org ON api_keys(org_id, id);

-- Who may create API keys: 'nobody', 'admins' or 'members'.
ALTER TABLE organizations ADD COLUMN api_key_policy TEXT NOT NULL DEFAULT 'admins';
-- The key a write was made with, if any.
ALTER TABLE audit_events ADD COLUMN api_key_id TEXT;
