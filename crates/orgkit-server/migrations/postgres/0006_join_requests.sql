-- Requests to join an organization (issue 7). Every way of asking in ends here: a user's own
-- request (when the organization allows requests), an invite link that requires approval, and
-- acting on a domain suggestion. The organization's setting that lets users ask is
-- organizations.allow_join_requests, off by default.

ALTER TABLE organizations ADD COLUMN allow_join_requests BIGINT NOT NULL DEFAULT 0;

CREATE TABLE join_requests (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The requester's optional message.
    message     TEXT,
    -- How the request came: 'request', 'link' or 'suggestion'.
    source      TEXT NOT NULL,
    -- The invite link that made it (source 'link'), else NULL.
    link_id     TEXT,
    -- The role proposed (a link's role), or NULL for the organization's default role; when
    -- accepted, the role granted.
    role        TEXT,
    -- 'pending', 'accepted', 'rejected' or 'withdrawn'.
    status      TEXT NOT NULL,
    -- 1 while pending, else 0: lists show pending requests first by walking
    -- (org_id, pending DESC, id).
    pending     BIGINT NOT NULL DEFAULT 1,
    decided_by  TEXT,
    decided_at  BIGINT,
    created_at  BIGINT NOT NULL
);
-- One pending request per user and organization.
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests(org_id, user_id) WHERE status = 'pending';
-- Admins' list: pending first, then by id (time-ordered), keyset-paged.
CREATE INDEX join_requests_org ON join_requests(org_id, pending, id);
-- A user's own requests.
CREATE INDEX join_requests_user ON join_requests(user_id, id);
