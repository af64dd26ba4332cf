-- The delivery queue: outbound work (mail, webhooks), written in the transaction of the change
-- that causes it and delivered by the worker (`src/queue.rs`). It replaces `outbox`, which kept
-- every live token in plain text for ever.
DROP TABLE outbox;

CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    -- 'mail' or 'webhook'.
    kind            TEXT NOT NULL,
    -- The organization the work is about, if any (sign-up mail has none).
    org_id          TEXT,
    -- Mail: the recipient address. Webhook: the endpoint id.
    target          TEXT NOT NULL,
    -- Mail: the subject. Webhook: the event type.
    topic           TEXT NOT NULL,
    -- Webhook: the message id sent as `webhook-id`, shared by every endpoint and stable across
    -- retries. Mail: the delivery id.
    message_id      TEXT NOT NULL,
    -- Mail: the body. Webhook: the JSON body. NULL once erased.
    payload         TEXT,
    -- Mail: the link the message is about, for the dev mailbox. NULL once erased.
    link            TEXT,
    -- 1 when the payload holds a live secret (a token): erased on delivery outside --dev.
    secret          BIGINT NOT NULL DEFAULT 0,
    -- 'pending', 'delivered' or 'dead'.
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- A worker that claimed the item owns it until then; a killed worker's items come back.
    leased_until    BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
CREATE INDEX deliveries_target ON deliveries(kind, target, id);
CREATE INDEX deliveries_message ON deliveries(message_id);
CREATE INDEX deliveries_created ON deliveries(created_at);
