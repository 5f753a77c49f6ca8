package io.bifrost.control.stream;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stream as the API shows it ({@code data} of the stream endpoints; snake_case on the wire). {@code stream_key} is
 * present only in the answers that issue a key (create, rotate-key): it is shown once and never stored.
 *
 * @param streamId        the id.
 * @param streamKey       the full key, only when just issued.
 * @param streamKeyPrefix the first characters of the current key, to tell keys apart.
 * @param title           the title.
 * @param description     the description, or null.
 * @param categoryId      the category, or null.
 * @param scheduledStart  ISO-8601 instant, or null.
 * @param privacy         public, unlisted or private.
 * @param status          created, live, offline or revoked.
 * @param passthrough     whether ingest packages the stream without transcoding.
 * @param liveProtocol    the last publisher's protocol, or null.
 * @param rtmpUrl         where publishers push ({@code rtmp://host:1935/live}; the key is the stream name).
 * @param hlsUrl          where viewers play.
 * @param viewerCount     viewers now, from the edges' latest telemetry (0 when none reports the stream).
 * @param createdAt       ISO-8601 instant.
 * @param updatedAt       ISO-8601 instant.
 */
public record StreamView(
    String streamId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String streamKey,
    String streamKeyPrefix,
    String title,
    String description,
    Integer categoryId,
    String scheduledStart,
    String privacy,
    String status,
    boolean passthrough,
    String liveProtocol,
    String rtmpUrl,
    String hlsUrl,
    long viewerCount,
    String createdAt,
    String updatedAt)
{
}
