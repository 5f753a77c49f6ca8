package io.bifrost.perf.placement;

import io.bifrost.control.placement.PlacementPlanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trace-driven evaluation of content placement (issue #7): a steady day and a flash crowd, each replayed under no
 * placement (LRU fill only, with and without content-affine steering), the seed's policy and the surge policy, with
 * the planner running every simulated minute on the telemetry the simulation produces. Prints Markdown tables on
 * stdout (progress on stderr). Deterministic for a seed. See perf/README.md.
 * <pre>
 * java -cp "perf/target/classes:perf/target/lib/*" io.bifrost.perf.placement.PlacementSimulation [--seed N]
 * </pre>
 */
public final class PlacementSimulation
{
    private static final double GB = 1e9;

    private PlacementSimulation()
    {
    }

    /**
     * @param args {@code --seed N} (default 7), {@code --only steady|flash}, {@code --viral-peak X} (the flash crowd's
     *             peak arrivals relative to a region's evening peak, default 3), {@code --edge-gib N} (default 48).
     */
    public static void main(final String[] args)
    {
        long seed = 7;
        String only = null;
        double viralPeak = -1;
        long edgeBytes = -1;
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (value == null ? "" : args[i])
            {
                case "--seed" -> seed = Long.parseLong(value);
                case "--only" -> only = value;
                case "--viral-peak" -> viralPeak = Double.parseDouble(value);
                case "--edge-gib" -> edgeBytes = Long.parseLong(value) << 30;
                default ->
                {
                    System.err.println("usage: PlacementSimulation [--seed N] [--only steady|flash] [--viral-peak X] " +
                        "[--edge-gib N]");
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
            final List<PlacementSimulator.Result> results = runAll(workload);
            System.err.printf(Locale.ROOT, "%s: %d sessions, %.1f s%n", scenario.name(), workload.sessionCount,
                (System.nanoTime() - started) / 1e9);
            System.out.println(describe(scenario, workload));
            System.out.println(table("whole measured period (" + scenario.measuredHours() + " h)", results, false));
            if (scenario.viral() != null)
            {
                System.out.println(table(String.format(Locale.ROOT, "flash-crowd window (%.1f h from the first surge)",
                    scenario.viral().windowHours()), results, true));
            }
        }
    }

    /**
     * @param workload the trace.
     * @return one result per strategy, in {@link PlacementSimulator.Strategy} order.
     */
    static List<PlacementSimulator.Result> runAll(final Workload workload)
    {
        final List<PlacementSimulator.Result> results = new ArrayList<>();
        for (final PlacementSimulator.Strategy strategy : PlacementSimulator.Strategy.values())
        {
            final long started = System.nanoTime();
            results.add(run(workload, strategy));
            System.err.printf(Locale.ROOT, "  %s: %.1f s%n", strategy.label, (System.nanoTime() - started) / 1e9);
        }
        return results;
    }

    /**
     * @param workload the trace.
     * @param strategy the strategy.
     * @return its result.
     */
    static PlacementSimulator.Result run(final Workload workload, final PlacementSimulator.Strategy strategy)
    {
        return new PlacementSimulator(workload, strategy, context(workload)).run();
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

    private static String describe(final Scenario s, final Workload w)
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
        return out.append('\n').toString();
    }

    private static String table(final String title, final List<PlacementSimulator.Result> results, final boolean flash)
    {
        final StringBuilder out = new StringBuilder();
        out.append(title).append(":\n\n");
        out.append("| strategy | object hit | byte hit | origin egress GB | egress vs fill-only | prefetched GB | " +
            "prefetch waste GB | commands |");
        if (flash)
        {
            out.append(" viral title hit | viral title egress GB | first viral command after |");
        }
        out.append('\n').append("|---|---:|---:|---:|---:|---:|---:|---:|").append(flash ? "---:|---:|---:|" : "")
            .append('\n');
        final double baseline = metrics(results.getFirst(), flash).originEgressBytes();
        for (final PlacementSimulator.Result result : results)
        {
            final PlacementMetrics m = metrics(result, flash);
            out.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f | %.2fx | %.1f | %.1f | %d |",
                result.strategy().label, 100 * m.objectHitRatio(), 100 * m.byteHitRatio(), m.originEgressBytes() / GB,
                m.originEgressBytes() / baseline, m.prefetchedBytes / GB, m.wastedBytes / GB, m.commands));
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
