package io.bifrost.perf.cachesim;

/**
 * The three seeded traces the simulation replays, each in a quick size (tests, seconds) and a full size (the report,
 * about a million requests or more). The same seed always yields the same trace.
 */
public final class Traces
{
    private static final long SEED = 20_231_023L;

    private Traces()
    {
    }

    /**
     * VOD: a churning Zipf(0.9) catalog watched by interleaved sequential sessions with abandonment.
     *
     * @param quick the small size for tests.
     * @return the trace.
     */
    public static Trace vod(final boolean quick)
    {
        final int requests = quick ? 60_000 : 1_500_000;
        final VodWorkload vod = quick ?
            new VodWorkload(SEED, 400, 0.9, 60, 0.97, 100) :
            new VodWorkload(SEED, 5_000, 0.9, 400, 0.97, 300);
        final TraceBuilder out = new TraceBuilder(requests);
        while (!out.isFull())
        {
            vod.step(out);
        }
        return out.build("vod");
    }

    /**
     * Live: LL-HLS streams with Zipf(1.0) audiences, viewers joining and leaving.
     *
     * @param quick the small size for tests.
     * @return the trace.
     */
    public static Trace live(final boolean quick)
    {
        final int requests = quick ? 60_000 : 1_000_000;
        final LiveWorkload live = quick ?
            new LiveWorkload(SEED + 1, 4, 1.0, 0.004) :
            new LiveWorkload(SEED + 1, 10, 3.0, 0.003);
        final TraceBuilder out = new TraceBuilder(requests);
        while (!out.isFull())
        {
            live.tick(out);
        }
        return out.build("live");
    }

    /**
     * Mixed: the VOD and live workloads interleaved (VOD 60% of requests), with a flash crowd sending 30% of new VOD
     * sessions to one brand-new title from 40% to 60% of the trace.
     *
     * @param quick the small size for tests.
     * @return the trace.
     */
    public static Trace mixed(final boolean quick)
    {
        final int requests = quick ? 80_000 : 1_500_000;
        final VodWorkload vod = quick ?
            new VodWorkload(SEED + 2, 400, 0.9, 60, 0.97, 100) :
            new VodWorkload(SEED + 2, 5_000, 0.9, 400, 0.97, 300);
        final LiveWorkload live = quick ?
            new LiveWorkload(SEED + 3, 4, 0.5, 0.004) :
            new LiveWorkload(SEED + 3, 10, 1.5, 0.003);
        final TraceBuilder out = new TraceBuilder(requests);
        int vodRequests = 0;
        boolean flashStarted = false;
        boolean flashEnded = false;
        while (!out.isFull())
        {
            final int before = out.count();
            live.tick(out);
            final int liveRequests = out.count() - before;
            final int vodTarget = vodRequests + liveRequests * 3 / 2;
            while (vodRequests < vodTarget && !out.isFull())
            {
                vod.step(out);
                vodRequests++;
            }
            if (!flashStarted && out.count() >= requests * 2 / 5)
            {
                vod.startFlashCrowd(0.3);
                flashStarted = true;
            }
            if (!flashEnded && out.count() >= requests * 3 / 5)
            {
                vod.endFlashCrowd();
                flashEnded = true;
            }
        }
        return out.build("mixed");
    }
}
