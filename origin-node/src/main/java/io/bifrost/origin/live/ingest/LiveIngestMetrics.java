package io.bifrost.origin.live.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live ingest's counters. Thread-safe.
 *
 * <ul>
 *   <li>{@code bifrost.live.ingest.streams{mode}}: publishes opened, by mode (transcode, passthrough).</li>
 *   <li>{@code bifrost.live.ingest.active}: publishes running now (gauge).</li>
 *   <li>{@code bifrost.live.ingest.bytes}: FLV tag bytes taken from publishers.</li>
 *   <li>{@code bifrost.live.ingest.pauses}: times a stream's queue passed its high-water mark and the publisher was
 *       paused.</li>
 *   <li>{@code bifrost.live.ingest.failures{reason}}: streams that failed: {@code source} (unusable input),
 *       {@code ffmpeg} (the transcoder exited, could not start or was killed), {@code packager} (it refused the
 *       output), {@code internal}.</li>
 *   <li>{@code bifrost.live.ingest.dropped.tags}: tags discarded because their stream had failed.</li>
 *   <li>{@code bifrost.live.ingest.restarts}: new sessions started mid-publish because the decoder configuration
 *       changed (passthrough).</li>
 * </ul>
 */
public final class LiveIngestMetrics
{
    private final Counter transcodeStreams;
    private final Counter passthroughStreams;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter bytes;
    private final Counter pauses;
    private final Counter sourceFailures;
    private final Counter ffmpegFailures;
    private final Counter packagerFailures;
    private final Counter internalFailures;
    private final Counter droppedTags;
    private final Counter restarts;

    /**
     * @param registry where the meters go.
     */
    public LiveIngestMetrics(final MeterRegistry registry)
    {
        transcodeStreams = Counter.builder("bifrost.live.ingest.streams").tag("mode", "transcode").register(registry);
        passthroughStreams = Counter.builder("bifrost.live.ingest.streams").tag("mode", "passthrough")
            .register(registry);
        Gauge.builder("bifrost.live.ingest.active", active, AtomicInteger::get).register(registry);
        bytes = Counter.builder("bifrost.live.ingest.bytes").baseUnit("bytes").register(registry);
        pauses = Counter.builder("bifrost.live.ingest.pauses").register(registry);
        sourceFailures = failures(registry, "source");
        ffmpegFailures = failures(registry, "ffmpeg");
        packagerFailures = failures(registry, "packager");
        internalFailures = failures(registry, "internal");
        droppedTags = Counter.builder("bifrost.live.ingest.dropped.tags").register(registry);
        restarts = Counter.builder("bifrost.live.ingest.restarts").register(registry);
    }

    private static Counter failures(final MeterRegistry registry, final String reason)
    {
        return Counter.builder("bifrost.live.ingest.failures").tag("reason", reason).register(registry);
    }

    void onStreamOpened(final LiveMode mode)
    {
        (LiveMode.PASSTHROUGH == mode ? passthroughStreams : transcodeStreams).increment();
        active.incrementAndGet();
    }

    void onStreamClosed()
    {
        active.decrementAndGet();
    }

    void onBytes(final long count)
    {
        bytes.increment(count);
    }

    void onPaused()
    {
        pauses.increment();
    }

    void onDropped()
    {
        droppedTags.increment();
    }

    void onFailure(final LiveStreamException.Reason reason)
    {
        switch (null == reason ? LiveStreamException.Reason.SOURCE : reason)
        {
            case SOURCE -> sourceFailures.increment();
            case FFMPEG -> ffmpegFailures.increment();
            case PACKAGER -> packagerFailures.increment();
        }
    }

    void onRestart()
    {
        restarts.increment();
    }

    void onInternalFailure()
    {
        internalFailures.increment();
    }

    /**
     * @return streams running now.
     */
    public int active()
    {
        return active.get();
    }

    /**
     * @return ffmpeg failures so far.
     */
    public long ffmpegFailures()
    {
        return (long)ffmpegFailures.count();
    }

    /**
     * @return source failures so far.
     */
    public long sourceFailures()
    {
        return (long)sourceFailures.count();
    }

    /**
     * @return sessions restarted mid-publish so far.
     */
    public long restarts()
    {
        return (long)restarts.count();
    }

    /**
     * @return times publishers were paused so far.
     */
    public long pauses()
    {
        return (long)pauses.count();
    }
}
