package io.bifrost.perf.placement;

import io.bifrost.control.placement.PlacementPlanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trace-driven evaluation of content placement (issue #7): a steady day and a flash crowd, each replayed under no
 * placement (LRU fill only, with and without content-affine steering), the seed's policy and the surge policy, with
 * the planner running every simulated minute on the telemetry the simulation produces; then fill only and the surge
 * policy again with a regional tier (a shield per region, or peer fill from the region's rendezvous owner). Prints
 * Markdown tables on stdout (progress on stderr). Deterministic for a seed. See perf/README.md.
 * <pre>
 * java -cp "perf/target/classes:perf/target/lib/*" io.bifrost.perf.placement.PlacementSimulation [--seed N]
 * </pre>
 */
public final class PlacementSimulation
{
    private static final double GB = 1e9;

    /**
     * One row of the report: a strategy and the regional tier its edges fill through.
     *
     * @param strategy the strategy.
     * @param tier     the tier.
     */
    record Variant(PlacementSimulator.Strategy strategy, RegionalTier.Kind tier)
    {
    }

    /**
     * The rows, in report order; the first is the baseline of "egress vs fill-only".
     */
    static final List<Variant> VARIANTS = List.of(
        new Variant(PlacementSimulator.Strategy.FILL_RANDOM, RegionalTier.Kind.NONE),
        new Variant(PlacementSimulator.Strategy.FILL_RENDEZVOUS, RegionalTier.Kind.NONE),
        new Variant(PlacementSimulator.Strategy.SEED, RegionalTier.Kind.NONE),
        new Variant(PlacementSimulator.Strategy.SURGE, RegionalTier.Kind.NONE),
        new Variant(PlacementSimulator.Strategy.UNBOUNDED, RegionalTier.Kind.NONE),
        new Variant(PlacementSimulator.Strategy.FILL_RANDOM, RegionalTier.Kind.PEER),
        new Variant(PlacementSimulator.Strategy.SURGE, RegionalTier.Kind.PEER),
        new Variant(PlacementSimulator.Strategy.FILL_RANDOM, RegionalTier.Kind.SHIELD),
        new Variant(PlacementSimulator.Strategy.FILL_RENDEZVOUS, RegionalTier.Kind.SHIELD),
        new Variant(PlacementSimulator.Strategy.SURGE, RegionalTier.Kind.SHIELD));

    private PlacementSimulation()
    {
    }

    /**
     * @param args {@code --seed N} (default 7), {@code --only steady|flash}, {@code --viral-peak X} (the flash crowd's
     *             peak arrivals relative to a region's evening peak, default 3), {@code --edge-gib N} (default 48),
     *             {@code --shield-gib N} (each region's shield, default 4 x an edge: as much as the region's edges
     *             together), {@code --threads N} (variants run side by side on N threads, default 1; the numbers
     *             do not change, every variant has its own simulator), {@code --rows 0,7,9} (only these
     *             {@link #VARIANTS}, by index; row 0, the baseline, is always run).
     */
    public static void main(final String[] args)
    {
        long seed = 7;
        String only = null;
        double viralPeak = -1;
        long edgeBytes = -1;
        long shieldBytes = -1;
        int threads = 1;
        List<Variant> variants = VARIANTS;
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (value == null ? "" : args[i])
            {
                case "--seed" -> seed = Long.parseLong(value);
                case "--only" -> only = value;
                case "--viral-peak" -> viralPeak = Double.parseDouble(value);
                case "--edge-gib" -> edgeBytes = Long.parseLong(value) << 30;
                case "--shield-gib" -> shieldBytes = Long.parseLong(value) << 30;
                case "--threads" -> threads = Integer.parseInt(value);
                case "--rows" -> variants = rows(value);
                default ->
                {
                    System.err.println("usage: PlacementSimulation [--seed N] [--only steady|flash] [--viral-peak X] " +
                        "[--edge-gib N] [--shield-gib N] [--threads N] [--rows I,J,...]");
                    System.exit(2);
                }
            }
            i++;
        }
        final List<Scenario> scenarios = new ArrayList<>();
        for (final Scenario base : List.of(Scenario.steadyDay(seed), Scenario.flashCrowd(seed)))
        {
            if (only != null && !base.name().startsWith(only))
            {
                continue;
            }
            scenarios.add(base.with(edgeBytes, viralPeak));
        }
        for (final Scenario scenario : scenarios)
        {
            final long started = System.nanoTime();
            final Workload workload = new Workload(scenario);
            final long shield = shieldBytes < 0 ? 4 * scenario.edgeCapacityBytes() : shieldBytes;
            final List<PlacementSimulator.Result> results = runAll(workload, shield, threads, variants);
            System.err.printf(Locale.ROOT, "%s: %d sessions, %.1f s%n", scenario.name(), workload.sessionCount,
                (System.nanoTime() - started) / 1e9);
            System.out.println(describe(scenario, workload, shield));
            System.out.println(table("whole measured period (" + scenario.measuredHours() + " h)", results, false));
            if (scenario.viral() != null)
            {
                System.out.println(table(String.format(Locale.ROOT, "flash-crowd window (%.1f h from the first surge)",
                    scenario.viral().windowHours()), results, true));
            }
        }
    }

    /**
     * @param workload    the trace.
     * @param shieldBytes each region's shield capacity.
     * @return one result per {@link #VARIANTS} entry, in that order.
     */
    static List<PlacementSimulator.Result> runAll(final Workload workload, final long shieldBytes)
    {
        return runAll(workload, shieldBytes, 1, VARIANTS);
    }

    private static List<Variant> rows(final String list)
    {
        final List<Variant> rows = new ArrayList<>();
        rows.add(VARIANTS.getFirst());
        for (final String index : list.split(","))
        {
            final Variant row = VARIANTS.get(Integer.parseInt(index.strip()));
            if (!rows.contains(row))
            {
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * @param workload    the trace (only read, so shared by the threads).
     * @param shieldBytes each region's shield capacity.
     * @param threads     variants simulated at once.
     * @param variants    what to run; the first is the baseline of the report's ratios.
     * @return one result per variant, in that order.
     */
    static List<PlacementSimulator.Result> runAll(
        final Workload workload, final long shieldBytes, final int threads, final List<Variant> variants)
    {
        final ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, threads));
        try
        {
            final List<Future<PlacementSimulator.Result>> futures = new ArrayList<>();
            for (final Variant variant : variants)
            {
                futures.add(executor.submit(() ->
                {
                    final long started = System.nanoTime();
                    final PlacementSimulator.Result result =
                        run(workload, variant.strategy(), variant.tier(), shieldBytes);
                    System.err.printf(Locale.ROOT, "  %s: %.1f s%n", result.label(), (System.nanoTime() - started) / 1e9);
                    return result;
                }));
            }
            final List<PlacementSimulator.Result> results = new ArrayList<>();
            for (final Future<PlacementSimulator.Result> future : futures)
            {
                results.add(future.get());
            }
            return results;
        }
        catch (final InterruptedException | ExecutionException ex)
        {
            throw new IllegalStateException("simulation failed", ex);
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    /**
     * @param workload the trace.
     * @param strategy the strategy.
     * @return its result, edges filling from the origin.
     */
    static PlacementSimulator.Result run(final Workload workload, final PlacementSimulator.Strategy strategy)
    {
        return run(workload, strategy, RegionalTier.Kind.NONE, 0);
    }

    /**
     * @param workload    the trace.
     * @param strategy    the strategy.
     * @param tier        the regional tier.
     * @param shieldBytes each shield's capacity (used with {@link RegionalTier.Kind#SHIELD}).
     * @return its result.
     */
    static PlacementSimulator.Result run(
        final Workload workload,
        final PlacementSimulator.Strategy strategy,
        final RegionalTier.Kind tier,
        final long shieldBytes)
    {
        return new PlacementSimulator(workload, strategy, tier, shieldBytes, context(workload)).run();
    }

    /**
     * The planner settings of the simulation: the product brief's thresholds (hot 1000, warm 100 views per hour),
     * prefetches assumed held for 10 minutes, and for the surge policy half an edge's session limit as one content's
     * share per edge.
     */
    static PlacementPlanner.Context context(final Workload workload)
    {
        return new PlacementPlanner.Context()
            .commandTtlMs(10 * 60_000L)
            .pinHeadMinViews(Double.parseDouble(System.getProperty("placement.pinHeadMinViews", "0")))
            .viewersPerEdge(Math.max(1, PlacementSimulator.sessionLimit(workload) / 2));
    }

    private static String describe(final Scenario s, final Workload w, final long shieldBytes)
    {
        long catalogBytes = 0;
        for (int t = 0; t < w.titleCount; t++)
        {
            catalogBytes += w.segments[t] * w.segmentBytes[t];
        }
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
            "### %s (seed %d)%n%n%d titles (%.0f GB), Zipf s=%.2f, %d regions x %d edges of %.0f GB LRU, %d s segments, " +
            "%d sessions (%d h warm-up + %d h measured), edge session limit %d",
            s.name(), s.seed(), s.titles(), catalogBytes / GB, s.zipfS(), s.regions().size(), s.edgesPerRegion(),
            s.edgeCapacityBytes() / GB, s.segmentSeconds(), w.sessionCount, s.warmupHours(), s.measuredHours(),
            PlacementSimulator.sessionLimit(w)));
        if (s.viral() != null)
        {
            out.append(String.format(Locale.ROOT,
                "; viral title (%d segments) from hour %.0f, doubling every %.0f min to %.1fx the regions' peak " +
                "arrivals, half-life %.1f h, next region %.0f min later",
                s.viral().segments(), s.viral().startHour(), s.viral().doublingMinutes(), s.viral().peakShare(),
                s.viral().halfLifeHours(), s.viral().regionLagMinutes()));
        }
        out.append(String.format(Locale.ROOT, "; \"+ shield\" rows: one %.0f GB LRU shield per region (%.1fx an edge)",
            shieldBytes / GB, (double)shieldBytes / s.edgeCapacityBytes()));
        return out.append('\n').toString();
    }

    private static String table(final String title, final List<PlacementSimulator.Result> results, final boolean flash)
    {
        final StringBuilder out = new StringBuilder();
        out.append(title).append(":\n\n");
        out.append("| strategy | object hit | byte hit | origin egress GB | egress vs fill-only | " +
            "shield/peer -> edge GB | prefetched GB | prefetch waste GB | commands |");
        if (flash)
        {
            out.append(" viral title hit | viral title egress GB | first viral command after |");
        }
        out.append('\n').append("|---|---:|---:|---:|---:|---:|---:|---:|---:|").append(flash ? "---:|---:|---:|" : "")
            .append('\n');
        final double baseline = metrics(results.getFirst(), flash).originEgressBytes();
        for (final PlacementSimulator.Result result : results)
        {
            final PlacementMetrics m = metrics(result, flash);
            out.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f | %.2fx | %s | %.1f | %.1f | %d |",
                result.label(), 100 * m.objectHitRatio(), 100 * m.byteHitRatio(), m.originEgressBytes() / GB,
                m.originEgressBytes() / baseline, result.tier() == RegionalTier.Kind.NONE ? "-" :
                String.format(Locale.ROOT, "%.1f", m.tierBytes / GB), m.prefetchedBytes / GB, m.wastedBytes / GB,
                m.commands));
            if (flash)
            {
                out.append(String.format(Locale.ROOT, " %.1f %% | %.2f | %s |", 100 * m.viralHitRatio(),
                    m.viralOriginEgressBytes() / GB, result.viralReactionMinutes() < 0 ? "-" :
                    String.format(Locale.ROOT, "%.0f min", result.viralReactionMinutes())));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static PlacementMetrics metrics(final PlacementSimulator.Result result, final boolean flash)
    {
        return flash ? result.flash() : result.measured();
    }
}
