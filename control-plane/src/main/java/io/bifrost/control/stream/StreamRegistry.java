package io.bifrost.control.stream;

import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.JsonBody;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The live stream registry: creates streams with fresh keys, rotates and revokes keys, authorizes publishers for
 * ingest nodes and records what ingest reports. Every decision is counted ({@code bifrost.control.streams.created},
 * {@code .revoked}, {@code .keys.rotated}, {@code bifrost.control.stream.authorizations{outcome,reason}},
 * {@code bifrost.control.stream.status.reports{status}}). Thread-safe: state lives in the {@link StreamRepository}.
 *
 * <p>Refusals are {@link ApiException}s with the codes of the ingest contract ({@code stream.unknown},
 * {@code stream_key.unknown}, {@code stream_key.revoked}) or {@code stream.revoked} (409) for changes to a revoked
 * stream.
 */
public final class StreamRegistry
{
    private static final Logger LOG = LoggerFactory.getLogger(StreamRegistry.class);

    private final StreamRepository repository;
    private final StreamKeys keys;
    private final Clock clock;
    private final Counter created;
    private final Counter revoked;
    private final Counter rotated;
    private final Counter allowed;
    private final Counter deniedUnknown;
    private final Counter deniedRevoked;
    private final Counter reportedLive;
    private final Counter reportedOffline;

    /**
     * A key just issued, with its stream.
     *
     * @param stream the stream as stored.
     * @param key    the full key, to be shown once.
     */
    public record IssuedKey(StreamRecord stream, String key)
    {
    }

    /**
     * @param repository where streams live.
     * @param keys       id and key generator.
     * @param clock      time source for created/updated stamps.
     * @param registry   where counters are registered.
     */
    public StreamRegistry(final StreamRepository repository, final StreamKeys keys, final Clock clock, final MeterRegistry registry)
    {
        this.repository = repository;
        this.keys = keys;
        this.clock = clock;
        this.created = Counter.builder("bifrost.control.streams.created").description("live streams created")
            .register(registry);
        this.revoked = Counter.builder("bifrost.control.streams.revoked").description("live streams revoked (deleted)")
            .register(registry);
        this.rotated = Counter.builder("bifrost.control.streams.keys.rotated").description("stream keys replaced")
            .register(registry);
        this.allowed = authorizations(registry, "allowed", "ok");
        this.deniedUnknown = authorizations(registry, "denied", "unknown");
        this.deniedRevoked = authorizations(registry, "denied", "revoked");
        this.reportedLive = reports(registry, StreamStatus.LIVE);
        this.reportedOffline = reports(registry, StreamStatus.OFFLINE);
    }

    private static Counter authorizations(final MeterRegistry registry, final String outcome, final String reason)
    {
        return Counter.builder("bifrost.control.stream.authorizations")
            .description("publish authorizations asked by ingest nodes, by outcome and reason")
            .tag("outcome", outcome).tag("reason", reason).register(registry);
    }

    private static Counter reports(final MeterRegistry registry, final StreamStatus status)
    {
        return Counter.builder("bifrost.control.stream.status.reports")
            .description("stream status reports from ingest nodes").tag("status", status.label()).register(registry);
    }

    /**
     * @param request a validated create request.
     * @return the stored stream and its key.
     */
    public IssuedKey create(final NewStream request)
    {
        final Instant now = now();
        final String key = keys.newStreamKey();
        final StreamRecord stream = new StreamRecord(keys.newStreamId(), request.title(), request.description(),
            request.categoryId(), request.scheduledStart(), request.privacy(), StreamStatus.CREATED,
            StreamKeys.sha256Hex(key), StreamKeys.displayPrefix(key), request.passthrough(), null, now, now);
        repository.insert(stream);
        created.increment();
        LOG.info("stream {} created (key {}...)", stream.streamId(), stream.keyPrefix());
        return new IssuedKey(stream, key);
    }

    /**
     * @param streamId a stream id (any text; ids of the wrong shape are simply unknown).
     * @return the stream.
     * @throws ApiException 404 {@code stream.unknown}.
     */
    public StreamRecord get(final String streamId)
    {
        if (!StreamKeys.isStreamId(streamId))
        {
            throw unknownStream(streamId);
        }
        return repository.find(streamId).orElseThrow(() -> unknownStream(streamId));
    }

    /**
     * @param status only this status, or null.
     * @param limit  page size.
     * @param offset page start.
     * @return newest first.
     */
    public List<StreamRecord> list(final StreamStatus status, final int limit, final int offset)
    {
        return repository.list(status, limit, offset);
    }

    /**
     * Replace a stream's key; the old key stops authorizing at once (it becomes unknown).
     *
     * @param streamId the stream.
     * @return the stream and its new key.
     * @throws ApiException 404 {@code stream.unknown}, 409 {@code stream.revoked}.
     */
    public IssuedKey rotateKey(final String streamId)
    {
        get(streamId);
        final String key = keys.newStreamKey();
        if (!repository.replaceKey(streamId, StreamKeys.sha256Hex(key), StreamKeys.displayPrefix(key), now()))
        {
            throw get(streamId).status() == StreamStatus.REVOKED ? revokedStream(streamId) : unknownStream(streamId);
        }
        rotated.increment();
        LOG.info("stream {} has a new key ({}...); the previous key no longer authorizes", streamId,
            StreamKeys.displayPrefix(key));
        return new IssuedKey(get(streamId), key);
    }

    /**
     * Revoke a stream (the API's DELETE): its key stops authorizing at once. Revoking a revoked stream changes nothing.
     *
     * @param streamId the stream.
     * @return the stream, now revoked.
     * @throws ApiException 404 {@code stream.unknown}.
     */
    public StreamRecord revoke(final String streamId)
    {
        get(streamId);
        if (repository.revoke(streamId, now()))
        {
            revoked.increment();
            LOG.info("stream {} revoked; its key no longer authorizes", streamId);
        }
        return get(streamId);
    }

    /**
     * Decide whether a publisher may publish with a key.
     *
     * @param request the ingest node's question.
     * @return the stream the key belongs to (live, offline or created).
     * @throws ApiException 403 {@code stream_key.unknown} or {@code stream_key.revoked}.
     */
    public StreamRecord authorize(final AuthorizeRequest request)
    {
        final StreamRecord stream = StreamKeys.isStreamKey(request.streamKey()) ?
            repository.findByKeySha256(StreamKeys.sha256Hex(request.streamKey())).orElse(null) : null;
        if (stream == null)
        {
            deniedUnknown.increment();
            LOG.info("publish refused: unknown stream key over {} from {}", request.protocol().label(),
                request.remoteAddress());
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "stream_key.unknown", "no stream has this key");
        }
        if (stream.status() == StreamStatus.REVOKED)
        {
            deniedRevoked.increment();
            LOG.info("publish refused: stream {} is revoked ({} from {})", stream.streamId(), request.protocol().label(),
                request.remoteAddress());
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "stream_key.revoked",
                "this stream was revoked; create a new stream");
        }
        allowed.increment();
        return stream;
    }

    /**
     * Record an ingest node's report. An {@code offline} report for a revoked stream is accepted and changes nothing
     * (a revoked stream's publisher going away is expected); a {@code live} one is refused.
     *
     * @param streamId the stream.
     * @param report   live or offline.
     * @return the stream after the report.
     * @throws ApiException 404 {@code stream.unknown}, 409 {@code stream.revoked} for live on a revoked stream.
     */
    public StreamRecord reportStatus(final String streamId, final StatusReport report)
    {
        get(streamId);
        if (!repository.updateStatus(streamId, report.status(), report.protocol(), now()))
        {
            final StreamRecord current = get(streamId);
            if (report.status() == StreamStatus.LIVE)
            {
                throw revokedStream(streamId);
            }
            return current;
        }
        (report.status() == StreamStatus.LIVE ? reportedLive : reportedOffline).increment();
        return get(streamId);
    }

    /**
     * @param streamIds stream ids.
     * @return when each stream's current (or last) live session began, epoch milliseconds, for those ever live.
     * @see StreamRepository#liveSince(Collection)
     */
    public Map<String, Long> liveSince(final Collection<String> streamIds)
    {
        return repository.liveSince(streamIds);
    }

    /**
     * @return null when the registry's store answers, else why not.
     */
    public String unavailabilityReason()
    {
        return repository.unavailabilityReason();
    }

    /** Stored times have millisecond precision, so answers given before and after a reload agree. */
    private Instant now()
    {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ApiException unknownStream(final String streamId)
    {
        return ApiException.notFound("stream.unknown", "no stream with id " + JsonBody.abbreviate(streamId));
    }

    private static ApiException revokedStream(final String streamId)
    {
        return new ApiException(HttpResponseStatus.CONFLICT, "stream.revoked", "stream " + streamId + " is revoked");
    }
}
