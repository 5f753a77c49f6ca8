package io.bifrost.perf.placement;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The catalog and the viewing sessions of a {@link Scenario}, drawn once from its seed so that every strategy replays
 * exactly the same viewers.
 * <ul>
 *   <li>Catalog: 60 % clips (10-100 segments), 30 % episodes (200-450), 10 % films (800-1200); one rendition each at
 *   1.5-6 Mb/s; age at the start exponential with a 10-day mean. Popularity is Zipf over title ids (title 0 most
 *   popular) times a per-region log-normal taste factor (sigma 0.6), so regions agree on the head only roughly.</li>
 *   <li>Sessions: Poisson arrivals per region and tick with a daily cycle (35 % of the peak at 09:00 local, the peak
 *   at 21:00); a session watches from the first segment, one segment per tick; 20 % give up within three segments,
 *   the rest stop at a fraction {@code u^0.6} of the title.</li>
 *   <li>Flash crowd: a new title (id {@code titles}) whose sessions are drawn from a second random stream, so the
 *   steady sessions are identical with and without it.</li>
 * </ul>
 */
final class Workload
{
    final Scenario scenario;
    final int titleCount;
    final int[] segments;
    final long[] segmentBytes;
    final double[] ageHoursAtStart;
    final int viralTitle;

    int sessionCount;
    int[] startTick = new int[1 << 16];
    int[] region = new int[1 << 16];
    int[] title = new int[1 << 16];
    int[] watch = new int[1 << 16];
    long[] hash = new long[1 << 16];

    Workload(final Scenario scenario)
    {
        this.scenario = scenario;
        final int titles = scenario.titles();
        final boolean hasViral = scenario.viral() != null;
        titleCount = titles + (hasViral ? 1 : 0);
        viralTitle = hasViral ? titles : -1;
        segments = new int[titleCount];
        segmentBytes = new long[titleCount];
        ageHoursAtStart = new double[titleCount];

        final SplittableRandom catalogRandom = new SplittableRandom(scenario.seed());
        for (int t = 0; t < titles; t++)
        {
            final double kind = catalogRandom.nextDouble();
            if (kind < 0.6)
            {
                segments[t] = catalogRandom.nextInt(10, 101);
            }
            else if (kind < 0.9)
            {
                segments[t] = catalogRandom.nextInt(200, 451);
            }
            else
            {
                segments[t] = catalogRandom.nextInt(800, 1201);
            }
            final double megabitsPerSecond = 1.5 + 4.5 * catalogRandom.nextDouble();
            segmentBytes[t] = (long)(megabitsPerSecond * 1_000_000 / 8 * scenario.segmentSeconds());
            ageHoursAtStart[t] = -Math.log(1 - catalogRandom.nextDouble()) * 240;
        }
        final int regions = scenario.regions().size();
        final double[][] cumulative = new double[regions][titles];
        for (int r = 0; r < regions; r++)
        {
            double sum = 0;
            for (int t = 0; t < titles; t++)
            {
                final double taste = Math.exp(0.6 * gaussian(catalogRandom));
                sum += taste / Math.pow(t + 1, scenario.zipfS());
                cumulative[r][t] = sum;
            }
            for (int t = 0; t < titles; t++)
            {
                cumulative[r][t] /= sum;
            }
        }
        if (hasViral)
        {
            segments[viralTitle] = scenario.viral().segments();
            segmentBytes[viralTitle] = scenario.viral().segmentBytes();
            ageHoursAtStart[viralTitle] = -(scenario.warmupHours() + scenario.viral().startHour());
        }

        final SplittableRandom steady = new SplittableRandom(scenario.seed() * 31 + 1);
        final SplittableRandom viral = new SplittableRandom(scenario.seed() * 31 + 2);
        final double peakPerTick = scenario.peakArrivalsPerMinute() / scenario.ticksPerMinute();
        for (int tick = 0; tick < scenario.totalTicks(); tick++)
        {
            for (int r = 0; r < regions; r++)
            {
                final int arrivals = poisson(steady, peakPerTick * daily(tick, r));
                for (int i = 0; i < arrivals; i++)
                {
                    final int t = sample(cumulative[r], steady.nextDouble());
                    add(tick, r, t, watchLength(steady, segments[t]), steady.nextLong());
                }
                if (hasViral)
                {
                    final int arrivalsV = poisson(viral, peakPerTick * viralRate(tick, r));
                    for (int i = 0; i < arrivalsV; i++)
                    {
                        add(tick, r, viralTitle, watchLength(viral, segments[viralTitle]), viral.nextLong());
                    }
                }
            }
        }
    }

    /**
     * @return the daily-cycle factor of a region at a tick: 0.35 at 09:00 local, 1 at 21:00.
     */
    double daily(final int tick, final int r)
    {
        final double hour = (double)tick / scenario.ticksPerHour() + scenario.utcOffsetHours().get(r);
        return 0.35 + 0.65 * (0.5 + 0.5 * Math.cos(2 * Math.PI * (hour - 21) / 24));
    }

    /**
     * @return the viral title's arrival rate in a region at a tick, relative to the region's peak arrival rate.
     */
    double viralRate(final int tick, final int r)
    {
        final Scenario.Viral v = scenario.viral();
        final double startMinute = (scenario.warmupHours() + v.startHour()) * 60 + r * v.regionLagMinutes();
        final double minute = (double)tick / scenario.ticksPerMinute() - startMinute;
        if (minute < 0)
        {
            return 0;
        }
        final double initial = 0.01;
        final double rampMinutes = v.doublingMinutes() * Math.log(v.peakShare() / initial) / Math.log(2);
        if (minute < rampMinutes)
        {
            return initial * Math.pow(2, minute / v.doublingMinutes());
        }
        return v.peakShare() * Math.pow(0.5, (minute - rampMinutes) / 60 / v.halfLifeHours());
    }

    long key(final int t, final int position)
    {
        return ((long)t << 24) | position;
    }

    String contentId(final int t)
    {
        return "vod/t" + t;
    }

    private void add(final int tick, final int r, final int t, final int length, final long sessionHash)
    {
        if (sessionCount == startTick.length)
        {
            final int size = sessionCount * 2;
            startTick = Arrays.copyOf(startTick, size);
            region = Arrays.copyOf(region, size);
            title = Arrays.copyOf(title, size);
            watch = Arrays.copyOf(watch, size);
            hash = Arrays.copyOf(hash, size);
        }
        startTick[sessionCount] = tick;
        region[sessionCount] = r;
        title[sessionCount] = t;
        watch[sessionCount] = length;
        hash[sessionCount] = sessionHash;
        sessionCount++;
    }

    private static int watchLength(final SplittableRandom random, final int titleSegments)
    {
        if (random.nextDouble() < 0.2)
        {
            return 1 + random.nextInt(Math.min(3, titleSegments));
        }
        final double fraction = Math.pow(random.nextDouble(), 0.6);
        return Math.clamp((long)Math.ceil(fraction * titleSegments), 1, titleSegments);
    }

    private static int sample(final double[] cumulative, final double u)
    {
        final int i = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }

    private static int poisson(final SplittableRandom random, final double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }
        if (mean > 30)
        {
            return Math.max(0, (int)Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        final double limit = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > limit)
        {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    private static double gaussian(final SplittableRandom random)
    {
        final double u1 = 1 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
