package io.bifrost.edge.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;

import java.util.Locale;

/**
 * Low-latency DASH at the edge: the segment being produced is answered at once and sent part by part, each CMAF chunk
 * (an LL-HLS part: moof + mdat) the moment it arrives over Aeron, the response ending when the segment completes
 * (DASH-IF IOP low-latency mode: the MPD's {@code availabilityTimeOffset} lets a player ask for a segment one part
 * after it starts, {@code availabilityTimeComplete="false"} tells it the answer arrives chunk by chunk).
 *
 * <p>A viewer ({@link ChunkedSegmentViewer}) waits in its rendition's waiter list like any held request until the
 * segment's first part is here, then streams: every wake of the rendition (a part stored, from Aeron or catch-up)
 * calls {@link #advance}, which queues the parts it has not sent yet into the waking thread's {@link LiveChunkBatch},
 * one task per event loop per wake. No thread per viewer, no copy per viewer. A segment that can no longer complete
 * (the end of the stream without its last part, a part announced lost, the window two segments further, the session
 * replaced, the hold limit passed) aborts the response, so no client or cache keeps a truncated segment.
 *
 * <p>Called under the stream's monitor, except {@link #expire} (on the viewer's event loop).
 */
final class ChunkedSegments
{
    /** Results of {@code bifrost.edge.live.chunked}. */
    private enum Result
    {
        STARTED, COMPLETED, ABORTED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private final Counter[] results = new Counter[Result.values().length];
    private final Counter fallBacks;
    private final ThreadLocal<LiveChunkBatch> batches = ThreadLocal.withInitial(LiveChunkBatch::new);

    /**
     * @param registry  where the meters go.
     * @param fallBacks counts requests that fell back to the normal path after being held.
     */
    ChunkedSegments(final MeterRegistry registry, final Counter fallBacks)
    {
        for (final Result result : Result.values())
        {
            results[result.ordinal()] = Counter.builder("bifrost.edge.live.chunked")
                .description("segments being produced answered part by part (low-latency DASH), by result")
                .tag("result", result.tag).register(registry);
        }
        this.fallBacks = fallBacks;
    }

    /**
     * @return a new viewer of that segment, for {@link #advance}.
     */
    ChunkedSegmentViewer viewer(final LiveReply reply, final long msn)
    {
        return new ChunkedSegmentViewer(reply, msn, results[Result.ABORTED.ordinal()]);
    }

    /**
     * Move a viewer on with what its rendition holds now: start its response once the segment's first part is here,
     * send every part it has not sent yet, end it when the segment is complete or can no longer be.
     *
     * @param contentType Content-Type of the answer.
     * @return true when the viewer leaves the waiter list (its response ended, it fell back, or it left).
     */
    boolean advance(final LiveRendition r, final ChunkedSegmentViewer viewer, final String contentType)
    {
        if (viewer.reply.cancelled())
        {
            viewer.finish();
            return true;
        }
        final LiveSegment segment = r.segmentParts(viewer.msn);
        final LiveChunkBatch batch = batches.get();
        if (!viewer.streaming)
        {
            if (segment == null || segment.part(0) == null)
            {
                if (r.ended() || viewer.msn < r.newestMsn() - 1 || segment != null && segment.gap(0))
                {
                    if (viewer.reply.claim())
                    {
                        fallBacks.increment();
                        viewer.reply.fallBack();
                    }
                    viewer.finish();
                    return true;
                }
                return false;
            }
            viewer.streaming = true;
            if (!viewer.reply.claim())
            {
                viewer.streaming = false;
                return true;
            }
            results[Result.STARTED.ordinal()].increment();
            batch.start(viewer, LiveResponseHeaders.chunked(contentType, r.mediaCacheControl()));
        }
        if (segment != null)
        {
            ByteBuf part;
            while ((part = segment.part(viewer.part)) != null)
            {
                batch.chunk(viewer, part);
                viewer.part++;
            }
            if (segment.endPart() >= 0 && viewer.part > segment.endPart())
            {
                if (viewer.finish())
                {
                    results[Result.COMPLETED.ordinal()].increment();
                    batch.end(viewer, true);
                }
                return true;
            }
        }
        if (segment == null || r.ended() || segment.gap(viewer.part) || viewer.msn < r.newestMsn() - 1)
        {
            if (viewer.finish())
            {
                results[Result.ABORTED.ordinal()].increment();
                batch.end(viewer, false);
            }
            return true;
        }
        return false;
    }

    /**
     * The viewer's hold limit passed while its segment was still being sent (the origin stalled): abort. On the
     * viewer's event loop, after its reply could not be claimed (it streams, or it left).
     */
    void expire(final ChunkedSegmentViewer viewer)
    {
        if (viewer.finish() && viewer.streaming)
        {
            results[Result.ABORTED.ordinal()].increment();
            if (!viewer.reply.cancelled())
            {
                viewer.chunked.endChunked(false);
            }
        }
    }

    /**
     * Queue the chunks taken on this thread since the last call: one task per event loop.
     */
    void dispatch()
    {
        final LiveChunkBatch batch = batches.get();
        if (!batch.isEmpty())
        {
            batch.dispatch();
        }
    }
}
