package io.bifrost.ingest.srt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * The SRT bridge's counters. Thread-safe.
 *
 * <ul>
 *   <li>{@code bifrost.ingest.srt.rejected{reason}}: callers refused or streams closed: {@code stream-id-invalid},
 *   {@code publish-denied}, {@code publish-duplicate}, {@code flv-malformed}.</li>
 *   <li>{@code bifrost.ingest.srt.publishes}: SRT publishes that reached their sinks.</li>
 *   <li>{@code bifrost.ingest.srt.sink.pauses}: times a sink paused the bridge.</li>
 *   <li>{@code bifrost.ingest.srt.listener.failures}: ffmpeg listeners that ended without a caller.</li>
 * </ul>
 */
public final class SrtMetrics
{
    static final String STREAM_ID_INVALID = "stream-id-invalid";
    static final String PUBLISH_DENIED = "publish-denied";
    static final String PUBLISH_DUPLICATE = "publish-duplicate";
    static final String FLV_MALFORMED = "flv-malformed";
    static final String SINK_ABORTED = "sink-aborted";

    private final Map<String, Counter> rejected;
    private final Counter publishes;
    private final Counter sinkPauses;
    private final Counter listenerFailures;

    SrtMetrics(final MeterRegistry registry)
    {
        rejected = Map.of(
            STREAM_ID_INVALID, rejectedCounter(registry, STREAM_ID_INVALID),
            PUBLISH_DENIED, rejectedCounter(registry, PUBLISH_DENIED),
            PUBLISH_DUPLICATE, rejectedCounter(registry, PUBLISH_DUPLICATE),
            FLV_MALFORMED, rejectedCounter(registry, FLV_MALFORMED),
            SINK_ABORTED, rejectedCounter(registry, SINK_ABORTED));
        publishes = Counter.builder("bifrost.ingest.srt.publishes").register(registry);
        sinkPauses = Counter.builder("bifrost.ingest.srt.sink.pauses").register(registry);
        listenerFailures = Counter.builder("bifrost.ingest.srt.listener.failures").register(registry);
    }

    private static Counter rejectedCounter(final MeterRegistry registry, final String reason)
    {
        return Counter.builder("bifrost.ingest.srt.rejected")
            .description("SRT callers refused and streams closed, by reason")
            .tag("reason", reason)
            .register(registry);
    }

    void onRejected(final String reason)
    {
        rejected.get(reason).increment();
    }

    /**
     * @param reason {@code stream-id-invalid}, {@code publish-denied}, {@code publish-duplicate},
     *               {@code flv-malformed} or {@code sink-aborted} (a sink ended the publish: the relay gave up).
     * @return how often it was counted.
     */
    public long rejected(final String reason)
    {
        return (long)rejected.get(reason).count();
    }

    void onPublishStarted()
    {
        publishes.increment();
    }

    /**
     * @return SRT publishes started so far.
     */
    public long publishesStarted()
    {
        return (long)publishes.count();
    }

    void onSinkPaused()
    {
        sinkPauses.increment();
    }

    void onRestartAfterFailure()
    {
        listenerFailures.increment();
    }
}
