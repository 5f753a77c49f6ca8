package io.bifrost.control.stream;

import java.time.Instant;
import java.util.Objects;

/**
 * One live stream as the registry stores it. The key itself is never stored: only its SHA-256 (hex) to look it up
 * and a short prefix to show operators which key is current. Immutable.
 *
 * @param streamId       {@code st_} + 32 hex digits.
 * @param title          1-200 characters.
 * @param description    at most 5000 characters, or null.
 * @param categoryId     the seed's category, or null.
 * @param scheduledStart when the owner plans to go live, or null.
 * @param privacy        who may find it.
 * @param status         its life-cycle state.
 * @param keySha256      lower-case hex SHA-256 of the current stream key's UTF-8 bytes.
 * @param keyPrefix      the first characters of the current key, for display.
 * @param passthrough    whether ingest should package the stream as published instead of transcoding it.
 * @param liveProtocol   the protocol of the last reported publisher, or null when never live.
 * @param createdAt      when it was created.
 * @param updatedAt      when anything about it last changed.
 */
public record StreamRecord(
    String streamId,
    String title,
    String description,
    Integer categoryId,
    Instant scheduledStart,
    Privacy privacy,
    StreamStatus status,
    String keySha256,
    String keyPrefix,
    boolean passthrough,
    IngestProtocol liveProtocol,
    Instant createdAt,
    Instant updatedAt)
{
    public StreamRecord
    {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(privacy, "privacy");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(keySha256, "keySha256");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
