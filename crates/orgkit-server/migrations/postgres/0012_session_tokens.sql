-- Session tokens (issue 10): the ES256 keys that sign them, and a membership version that
-- every role change bumps, so an app backend can tell a token issued before the change.

CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,
    -- 'ES256'.
    algorithm      TEXT NOT NULL,
    -- The public key as a JWK (JSON), served at /v1/.well-known/jwks.json.
    public_jwk     TEXT NOT NULL,
    -- The private scalar, sealed with --secret-key (AES-256-GCM, the kid as associated data).
    private_sealed TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    retired_at     BIGINT,
    -- 1 while the key signs, NULL once retired: the unique index allows one active key, so
    -- two instances creating the first key at once cannot both succeed.
    active         BIGINT
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(active);

ALTER TABLE memberships ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
