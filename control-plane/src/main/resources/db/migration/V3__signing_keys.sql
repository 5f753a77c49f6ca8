-- Playback URL signing keys created through the operator API (issue #7: online key rotation). Portable SQL for H2 and
-- PostgreSQL; times are epoch milliseconds, states are lower-case text. Keys from control.signing-keys are never
-- stored here.
-- key_id: 1..16 characters of [A-Za-z0-9_-] (public: written into every token the key signs).
-- secret: the HMAC-SHA256 key, base64url without padding (32 bytes: 43 characters); never leaves the control plane
--         except sealed under the fleet keys to edges.
-- state:  current (signs; at most one row), accepted (edges verify it), retired (edges verify it until
--         retired_at_ms + control.playback-url-max-ttl-seconds, then drop it).
CREATE TABLE signing_keys (
    key_id        VARCHAR(16) NOT NULL PRIMARY KEY,
    secret        VARCHAR(88) NOT NULL,
    created_at_ms BIGINT      NOT NULL,
    state         VARCHAR(16) NOT NULL,
    retired_at_ms BIGINT
);

CREATE INDEX signing_keys_state ON signing_keys (state);
