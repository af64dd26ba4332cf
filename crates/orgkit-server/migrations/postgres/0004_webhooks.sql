-- Webhooks (Standard Webhooks): an organization's endpoints, and every attempt to deliver a
-- message to one of them. The messages themselves are rows of `deliveries` (kind 'webhook').

CREATE TABLE webhook_endpoints (
    id                         TEXT PRIMARY KEY,
    -- No foreign key: when the organization is deleted its endpoints stay, disabled with the
    -- reason 'organization_deleted', until the messages queued before that are delivered.
    org_id                     TEXT NOT NULL,
    url                        TEXT NOT NULL,
    -- The subscribed event types, space-separated, in catalog order.
    event_types                TEXT NOT NULL,
    description                TEXT NOT NULL DEFAULT '',
    enabled                    BIGINT NOT NULL DEFAULT 1,
    -- 'manual', 'gone' (the endpoint answered 410) or 'organization_deleted'; NULL if enabled.
    disabled_reason            TEXT,
    -- The signing secret (whsec_...), sealed with the server's --secret-key (AES-256-GCM,
    -- the endpoint id as associated data). Not hashed: the server signs with it.
    secret                     TEXT NOT NULL,
    -- The secret replaced by the last rotation, sealed the same way; it keeps signing, beside
    -- the new one, until previous_secret_expires_at.
    previous_secret            TEXT,
    previous_secret_expires_at BIGINT,
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
-- Keyset pagination, and the fan-out of an event to the organization's endpoints.
CREATE UNIQUE INDEX webhook_endpoints_org ON webhook_endpoints(org_id, id);

CREATE TABLE webhook_attempts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    -- The endpoint's HTTP status; NULL when it did not answer.
    status_code BIGINT,
    duration_ms BIGINT NOT NULL,
    -- The first KiB of the answer.
    response    TEXT,
    error       TEXT,
    created_at  BIGINT NOT NULL
);
-- An endpoint's attempts, newest first.
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts(endpoint_id, id);
