package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.ContentClass;
import io.bifrost.edge.cache.policy.ContentHints;

import java.util.SplittableRandom;

/**
 * Concurrent LL-HLS live streams and their viewers, one 0.5 s tick per {@link #tick}.
 * <p>
 * Every stream publishes, per rendition (100 / 250 / 500 KiB average parts), one part per tick and a segment of four
 * parts every 2 s, and a new media playlist version per part (2 KiB; the version is part of its id, as if the edge
 * replaced it). Viewers join at {@code joinsPerTick} on average, picking a stream by Zipf(1.0) popularity and a
 * rendition, and leave with probability {@code leavePerTick} per tick. 70% are low-latency viewers: every tick they
 * reload the playlist and fetch the newest part. The others play 3 segments behind the newest complete one: every
 * segment boundary they reload the playlist and fetch that segment. A joining viewer first fetches the master
 * playlist and the init segment (and, at normal latency, the two segments before its first).
 */
final class LiveWorkload
{
    static final int PARTS_PER_SEGMENT = 4;
    static final int FIRST_TITLE = 1_000_000;
    private static final int[] PART_BYTES = {100 * 1024, 250 * 1024, 500 * 1024};
    private static final int PLAYLIST_BYTES = 2 * 1024;
    private static final int MASTER_BYTES = 1024;
    private static final int INIT_BYTES = 1024;
    private static final int LATENCY_SEGMENTS = 3;

    private final SplittableRandom random;
    private final ZipfSampler streamPopularity;
    private final double joinsPerTick;
    private final double leavePerTick;
    private int[] viewerStream = new int[1024];
    private int[] viewerRendition = new int[1024];
    private boolean[] viewerLowLatency = new boolean[1024];
    private boolean[] viewerJoining = new boolean[1024];
    private int viewers;
    private long tick = 10L * PARTS_PER_SEGMENT;

    LiveWorkload(final long seed, final int streams, final double joinsPerTick, final double leavePerTick)
    {
        random = new SplittableRandom(seed);
        streamPopularity = new ZipfSampler(streams, 1.0);
        this.joinsPerTick = joinsPerTick;
        this.leavePerTick = leavePerTick;
        final int steadyState = (int)(joinsPerTick / leavePerTick);
        for (int i = 0; i < steadyState; i++)
        {
            join(false);
        }
    }

    void tick(final TraceBuilder out)
    {
        tick++;
        for (int v = viewers - 1; v >= 0; v--)
        {
            if (random.nextDouble() < leavePerTick)
            {
                leave(v);
            }
        }
        final int joins = (int)joinsPerTick + (random.nextDouble() < joinsPerTick - (int)joinsPerTick ? 1 : 0);
        for (int i = 0; i < joins; i++)
        {
            join(true);
        }
        final long msn = tick / PARTS_PER_SEGMENT;
        final int part = (int)(tick % PARTS_PER_SEGMENT);
        for (int v = 0; v < viewers && !out.isFull(); v++)
        {
            final int title = FIRST_TITLE + viewerStream[v];
            final int rendition = viewerRendition[v];
            final long newestPart = msn * ContentHints.PARTS_PER_SEGMENT + part;
            final long complete = msn - 1;
            final long playing = complete - LATENCY_SEGMENTS;
            if (viewerJoining[v])
            {
                viewerJoining[v] = false;
                out.add(true, title, TraceBuilder.NO_RENDITION, TraceBuilder.KIND_MASTER, -1, MASTER_BYTES,
                    ContentClass.PLAYLIST);
                out.add(true, title, rendition, TraceBuilder.KIND_INIT, -1, INIT_BYTES, ContentClass.INIT);
                if (!viewerLowLatency[v])
                {
                    out.add(true, title, rendition, TraceBuilder.KIND_MEDIA_PLAYLIST, tick, PLAYLIST_BYTES,
                        ContentClass.PLAYLIST);
                    segment(out, title, rendition, playing - 2);
                    segment(out, title, rendition, playing - 1);
                }
            }
            if (viewerLowLatency[v])
            {
                out.add(true, title, rendition, TraceBuilder.KIND_MEDIA_PLAYLIST, tick, PLAYLIST_BYTES,
                    ContentClass.PLAYLIST);
                final long key = TraceBuilder.key(true, title, rendition, TraceBuilder.KIND_PART, newestPart);
                out.add(true, title, rendition, TraceBuilder.KIND_PART, newestPart,
                    TraceBuilder.jitter(PART_BYTES[rendition], key), ContentClass.LIVE_PART);
            }
            else if (0 == part)
            {
                out.add(true, title, rendition, TraceBuilder.KIND_MEDIA_PLAYLIST, tick, PLAYLIST_BYTES,
                    ContentClass.PLAYLIST);
                segment(out, title, rendition, playing);
            }
        }
    }

    private static void segment(final TraceBuilder out, final int title, final int rendition, final long msn)
    {
        final long key = TraceBuilder.key(true, title, rendition, TraceBuilder.KIND_SEGMENT, msn);
        out.add(true, title, rendition, TraceBuilder.KIND_SEGMENT, msn,
            TraceBuilder.jitter(PART_BYTES[rendition] * PARTS_PER_SEGMENT, key), ContentClass.LIVE_SEGMENT);
    }

    private void join(final boolean requestsStartup)
    {
        if (viewers == viewerStream.length)
        {
            final int length = viewers * 2;
            viewerStream = java.util.Arrays.copyOf(viewerStream, length);
            viewerRendition = java.util.Arrays.copyOf(viewerRendition, length);
            viewerLowLatency = java.util.Arrays.copyOf(viewerLowLatency, length);
            viewerJoining = java.util.Arrays.copyOf(viewerJoining, length);
        }
        viewerStream[viewers] = streamPopularity.next(random);
        viewerRendition[viewers] = random.nextInt(PART_BYTES.length);
        viewerLowLatency[viewers] = random.nextDouble() < 0.7;
        viewerJoining[viewers] = requestsStartup;
        viewers++;
    }

    private void leave(final int v)
    {
        viewers--;
        viewerStream[v] = viewerStream[viewers];
        viewerRendition[v] = viewerRendition[viewers];
        viewerLowLatency[v] = viewerLowLatency[viewers];
        viewerJoining[v] = viewerJoining[viewers];
    }
}
