-- Content ages for the placement score's time decay, exp(-age_hours / 168) (issue #7). Portable SQL for H2 and
-- PostgreSQL; times are epoch milliseconds.
-- streams.live_since_ms: when the stream's current (or last) live session began: set when ingest reports it live after
-- any other status, kept while it stays live and after it goes offline. Streams live during the upgrade count from
-- their last change, the best time there is.
ALTER TABLE streams ADD COLUMN live_since_ms BIGINT;
UPDATE streams SET live_since_ms = updated_at_ms WHERE status = 'live';

-- content_ages: per content id (live/{id} or vod/{id}, at most 5 + 64 characters) the first time edge telemetry showed
-- it to the placement loop, and a VOD title's publication time once the origin's catalog answered it. Rows are only
-- added, so a restart never makes an old title young.
CREATE TABLE content_ages (
    content_id    VARCHAR(70) NOT NULL PRIMARY KEY,
    first_seen_ms BIGINT      NOT NULL,
    published_ms  BIGINT
);
