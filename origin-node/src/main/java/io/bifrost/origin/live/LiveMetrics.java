package io.bifrost.origin.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live packager's and live HTTP path's meters. Thread-safe.
 * <ul>
 *   <li>{@code bifrost.live.parts}, {@code bifrost.live.segments}: completed parts and segments;</li>
 *   <li>{@code bifrost.live.input.rejected}: tracks failed because their bytes were not valid fragmented MP4;</li>
 *   <li>{@code bifrost.live.fragments.dropped}: video fragments before the first independent frame;</li>
 *   <li>{@code bifrost.live.segments.dependent}: video segments that did not start with an independent frame
 *       (the producer's keyframes are not aligned to the segment grid);</li>
 *   <li>{@code bifrost.live.capture-clock.corrections}: times a session's capture clock moved back after its first
 *       segment (frames arrived sooner relative to their timestamps than the first ones did: a publisher that started
 *       late and caught up); segments opened afterwards carry the earlier PROGRAM-DATE-TIME;</li>
 *   <li>{@code bifrost.live.listener.errors}: listener calls that threw;</li>
 *   <li>{@code bifrost.live.requests{outcome}}: live HTTP answers (served, held, timeout, bad_request, not_found,
 *       too_many_held);</li>
 *   <li>{@code bifrost.live.held.requests}: requests held right now (blocking reloads, preload hints, segments
 *       being streamed);</li>
 *   <li>{@code bifrost.live.chunked{result}}: segments being written answered chunk by chunk (low-latency DASH):
 *       started, completed, aborted (session replaced, stream ended without the segment, stalled), slow (the viewer
 *       did not read fast enough and was closed), left (the viewer closed its connection first).</li>
 * </ul>
 */
public final class LiveMetrics
{
    /** How a live HTTP request ended (or that it was held). */
    enum Outcome
    {
        SERVED, HELD, TIMEOUT, BAD_REQUEST, NOT_FOUND, TOO_MANY_HELD
    }

    /** How a streamed answer of the segment being written went ({@link ChunkedSegmentStream}). */
    enum Chunked
    {
        STARTED, COMPLETED, ABORTED, SLOW, LEFT
    }

    private final Counter parts;
    private final Counter segments;
    private final Counter rejectedInput;
    private final Counter droppedFragments;
    private final Counter dependentSegments;
    private final Counter listenerErrors;
    private final Counter captureClockCorrections;
    private final Counter[] outcomes = new Counter[Outcome.values().length];
    private final Counter[] chunked = new Counter[Chunked.values().length];
    private final AtomicInteger held = new AtomicInteger();

    /**
     * @param registry where the meters go.
     */
    public LiveMetrics(final MeterRegistry registry)
    {
        parts = Counter.builder("bifrost.live.parts").description("live parts completed").register(registry);
        segments = Counter.builder("bifrost.live.segments").description("live segments completed").register(registry);
        rejectedInput = Counter.builder("bifrost.live.input.rejected")
            .description("live tracks failed because their bytes were not valid fragmented MP4").register(registry);
        droppedFragments = Counter.builder("bifrost.live.fragments.dropped")
            .description("video fragments dropped before the first independent frame").register(registry);
        dependentSegments = Counter.builder("bifrost.live.segments.dependent")
            .description("video segments that do not start with an independent frame").register(registry);
        captureClockCorrections = Counter.builder("bifrost.live.capture-clock.corrections")
            .description("times a live session's capture clock moved back after its first segment").register(registry);
        listenerErrors = Counter.builder("bifrost.live.listener.errors")
            .description("live listener calls that threw").register(registry);
        for (final Outcome outcome : Outcome.values())
        {
            outcomes[outcome.ordinal()] = Counter.builder("bifrost.live.requests")
                .description("live HTTP requests by how they ended")
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        for (final Chunked result : Chunked.values())
        {
            chunked[result.ordinal()] = Counter.builder("bifrost.live.chunked")
                .description("segments being written answered chunk by chunk (low-latency DASH), by result")
                .tag("result", result.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        Gauge.builder("bifrost.live.held.requests", held, AtomicInteger::get)
            .description("live requests held right now (blocking reloads, preload hints)").register(registry);
    }

    void part()
    {
        parts.increment();
    }

    void segment()
    {
        segments.increment();
    }

    void rejectedInput()
    {
        rejectedInput.increment();
    }

    void droppedFragment()
    {
        droppedFragments.increment();
    }

    void dependentSegment()
    {
        dependentSegments.increment();
    }

    void captureClockCorrected()
    {
        captureClockCorrections.increment();
    }

    void listenerError()
    {
        listenerErrors.increment();
    }

    void count(final Outcome outcome)
    {
        outcomes[outcome.ordinal()].increment();
    }

    void chunked(final Chunked result)
    {
        chunked[result.ordinal()].increment();
    }

    /**
     * @param max the most requests that may be held at once.
     * @return true when one more may be held (then it counts until {@link #released()}).
     */
    boolean tryHold(final int max)
    {
        while (true)
        {
            final int now = held.get();
            if (now >= max)
            {
                return false;
            }
            if (held.compareAndSet(now, now + 1))
            {
                return true;
            }
        }
    }

    void released()
    {
        held.decrementAndGet();
    }

    /**
     * @return requests held right now.
     */
    public int heldRequests()
    {
        return held.get();
    }
}
