-- Live streams (issue #5). Portable SQL for H2 and PostgreSQL: times are epoch milliseconds, enums are lower-case text.
-- Text columns are sized in characters for both databases (H2 counts UTF-16 units, so twice the code-point limits).
CREATE TABLE streams (
    stream_id          VARCHAR(35)    NOT NULL PRIMARY KEY,
    title              VARCHAR(400)   NOT NULL,
    description        VARCHAR(10000),
    category_id        INTEGER,
    scheduled_start_ms BIGINT,
    privacy            VARCHAR(16)    NOT NULL,
    status             VARCHAR(16)    NOT NULL,
    key_sha256         CHAR(64)       NOT NULL,
    key_prefix         VARCHAR(16)    NOT NULL,
    passthrough        BOOLEAN        NOT NULL,
    live_protocol      VARCHAR(8),
    created_at_ms      BIGINT         NOT NULL,
    updated_at_ms      BIGINT         NOT NULL,
    CONSTRAINT streams_key_sha256_unique UNIQUE (key_sha256)
);

CREATE INDEX streams_created_at ON streams (created_at_ms DESC, stream_id);
CREATE INDEX streams_status ON streams (status);
