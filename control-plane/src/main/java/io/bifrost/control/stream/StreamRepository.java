package io.bifrost.control.stream;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the stream registry keeps its streams. Implementations are thread-safe, make each method one atomic change,
 * and keep everything across restarts. The one implementation is {@link JdbcStreamRepository} (embedded H2 by
 * default, PostgreSQL in production), tested against both.
 *
 * <p>A repository holds no resources of its own: the database it works on is owned and closed by the role.
 *
 * <p>Changes that must not touch a revoked stream (a new key, a status report) are conditional updates, so an
 * operator's revoke racing an ingest node's report can never bring a revoked stream back.
 */
public interface StreamRepository
{
    /**
     * @param stream a new stream.
     * @throws IllegalStateException when the id or the key digest is already taken.
     */
    void insert(StreamRecord stream);

    /**
     * @param streamId a stream id.
     * @return the stream, or empty.
     */
    Optional<StreamRecord> find(String streamId);

    /**
     * @param keySha256 hex SHA-256 of a stream key.
     * @return the stream whose current key it is, or empty.
     */
    Optional<StreamRecord> findByKeySha256(String keySha256);

    /**
     * @param status only streams in this status, or null for all.
     * @param limit  at most this many (1 or more).
     * @param offset skip this many first.
     * @return newest first (then by id, so pages are stable).
     */
    List<StreamRecord> list(StreamStatus status, int limit, int offset);

    /**
     * Give a stream a new key, unless it is revoked.
     *
     * @param streamId  the stream.
     * @param keySha256 hex SHA-256 of the new key.
     * @param keyPrefix display prefix of the new key.
     * @param now       the change time.
     * @return true when changed; false when the stream is unknown or revoked.
     */
    boolean replaceKey(String streamId, String keySha256, String keyPrefix, Instant now);

    /**
     * Record an ingest node's report, unless the stream is revoked. A {@link StreamStatus#LIVE} report after any other
     * status starts a live session ({@link #liveSince}); one while the stream is live keeps the session's start.
     *
     * @param streamId the stream.
     * @param status   {@link StreamStatus#LIVE} or {@link StreamStatus#OFFLINE}.
     * @param protocol the publisher's protocol, or null to keep the last one.
     * @param now      the change time.
     * @return true when changed; false when the stream is unknown or revoked.
     */
    boolean updateStatus(String streamId, StreamStatus status, IngestProtocol protocol, Instant now);

    /**
     * When streams' current (or, once offline, last) live sessions began: what the placement score's age of a live
     * stream counts from.
     *
     * @param streamIds stream ids (any number; unknown ones are left out).
     * @return epoch milliseconds per stream id, for the streams that have ever been live.
     */
    Map<String, Long> liveSince(Collection<String> streamIds);

    /**
     * Revoke a stream: its key stops authorizing. The row stays, so its key is answered "revoked", not "unknown".
     *
     * @param streamId the stream.
     * @param now      the change time.
     * @return true when revoked now; false when unknown or already revoked.
     */
    boolean revoke(String streamId, Instant now);

    /**
     * @return null when the store answers, else why not (for readiness).
     */
    String unavailabilityReason();
}
