package io.bifrost.perf.cachesim;

import io.bifrost.edge.cache.policy.ContentClass;

import java.util.SplittableRandom;

/**
 * VOD viewing sessions over a churning catalog, one request per {@link #step}.
 * <p>
 * Popularity is Zipf over catalog ranks. Churn: every {@code churnEverySessions} new sessions a new title enters at a
 * random rank among the top ten, pushing every lower-ranked title one rank down and the last one out of the catalog,
 * so new titles start hot and fade as newer ones arrive. A session picks a title by rank and a rendition (25% / 45% /
 * 30% for 300 KiB / 900 KiB / 2 MiB average 4 s segments), asks for the master playlist, the media playlist and the
 * init segment, then walks the segments from the start (80%) or a random seek point (20%), continuing after each
 * segment with probability {@code continueProbability} (geometric watch length, abandonment) until the title ends.
 * {@code concurrentSessions} sessions run at once; each step advances one at random, which interleaves them. A flash
 * crowd, when configured, sends a share of new sessions to one brand-new title for a stretch of the trace.
 */
final class VodWorkload
{
    private static final int[] SEGMENT_BYTES = {300 * 1024, 900 * 1024, 2048 * 1024};
    private static final double[] RENDITION_CUMULATIVE = {0.25, 0.70, 1.0};
    private static final int MASTER_BYTES = 1024;
    private static final int PLAYLIST_BYTES = 4 * 1024;
    private static final int INIT_BYTES = 1024;

    private final SplittableRandom random;
    private final ZipfSampler zipf;
    private final int[] titleByRank;
    private final double continueProbability;
    private final int churnEverySessions;
    private final int[] sessionTitle;
    private final int[] sessionRendition;
    private final long[] sessionNext;
    private final int[] sessionStage;
    private int nextTitleId;
    private long sessionsStarted;
    private int flashTitle = -1;
    private double flashShare;

    VodWorkload(
        final long seed,
        final int catalogSize,
        final double alpha,
        final int concurrentSessions,
        final double continueProbability,
        final int churnEverySessions)
    {
        random = new SplittableRandom(seed);
        zipf = new ZipfSampler(catalogSize, alpha);
        titleByRank = new int[catalogSize];
        for (int i = 0; i < catalogSize; i++)
        {
            titleByRank[i] = i;
        }
        nextTitleId = catalogSize;
        this.continueProbability = continueProbability;
        this.churnEverySessions = churnEverySessions;
        sessionTitle = new int[concurrentSessions];
        sessionRendition = new int[concurrentSessions];
        sessionNext = new long[concurrentSessions];
        sessionStage = new int[concurrentSessions];
        for (int i = 0; i < concurrentSessions; i++)
        {
            startSession(i);
        }
    }

    /**
     * Starts a flash crowd: a new title that gets {@code share} of new sessions until {@link #endFlashCrowd()}.
     */
    void startFlashCrowd(final double share)
    {
        flashTitle = nextTitleId++;
        flashShare = share;
    }

    /**
     * Ends the flash crowd; the title stays in the catalog at the top rank and fades with churn like any other.
     */
    void endFlashCrowd()
    {
        if (flashTitle >= 0)
        {
            insertAtRank(flashTitle, 0);
            flashTitle = -1;
        }
    }

    static int titleSegments(final int title)
    {
        long h = (title + 1) * 0xD1B54A32D192ED03L;
        h ^= h >>> 29;
        return 30 + (int)((h >>> 1) % 420);
    }

    void step(final TraceBuilder out)
    {
        final int s = random.nextInt(sessionTitle.length);
        final int title = sessionTitle[s];
        final int rendition = sessionRendition[s];
        switch (sessionStage[s]++)
        {
            case 0 -> out.add(false, title, TraceBuilder.NO_RENDITION, TraceBuilder.KIND_MASTER, -1,
                MASTER_BYTES, ContentClass.PLAYLIST);
            case 1 -> out.add(false, title, rendition, TraceBuilder.KIND_MEDIA_PLAYLIST, -1,
                PLAYLIST_BYTES, ContentClass.PLAYLIST);
            case 2 -> out.add(false, title, rendition, TraceBuilder.KIND_INIT, -1, INIT_BYTES, ContentClass.INIT);
            default ->
            {
                final long msn = sessionNext[s]++;
                final long key = TraceBuilder.key(false, title, rendition, TraceBuilder.KIND_SEGMENT, msn);
                out.add(false, title, rendition, TraceBuilder.KIND_SEGMENT, msn,
                    TraceBuilder.jitter(SEGMENT_BYTES[rendition], key), ContentClass.VOD_SEGMENT);
                if (sessionNext[s] >= titleSegments(title) || random.nextDouble() >= continueProbability)
                {
                    startSession(s);
                }
            }
        }
    }

    private void startSession(final int s)
    {
        sessionsStarted++;
        if (churnEverySessions > 0 && 0 == sessionsStarted % churnEverySessions)
        {
            insertAtRank(nextTitleId++, random.nextInt(Math.min(10, titleByRank.length)));
        }
        final int title = flashTitle >= 0 && random.nextDouble() < flashShare ?
            flashTitle : titleByRank[zipf.next(random)];
        final double u = random.nextDouble();
        int rendition = 0;
        while (u >= RENDITION_CUMULATIVE[rendition])
        {
            rendition++;
        }
        sessionTitle[s] = title;
        sessionRendition[s] = rendition;
        sessionStage[s] = 0;
        final int segments = titleSegments(title);
        sessionNext[s] = random.nextDouble() < 0.8 ? 0 : random.nextInt(segments);
    }

    private void insertAtRank(final int title, final int rank)
    {
        System.arraycopy(titleByRank, rank, titleByRank, rank + 1, titleByRank.length - rank - 1);
        titleByRank[rank] = title;
    }
}
