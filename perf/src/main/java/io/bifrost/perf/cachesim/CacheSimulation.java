package io.bifrost.perf.cachesim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints object and byte hit ratios of every {@link SimulatedPolicy} on the VOD, live and mixed traces at several
 * cache sizes (percent of each trace's unique bytes). Single-threaded and deterministic.
 * <p>
 * Usage: {@code CacheSimulation [--quick] [--traces=vod,live,mixed] [--sizes=1,5,10,20]}.
 */
public final class CacheSimulation
{
    private CacheSimulation()
    {
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        boolean quick = false;
        String[] traces = {"vod", "live", "mixed"};
        double[] sizes = {1, 5, 10, 20};
        for (final String arg : args)
        {
            if ("--quick".equals(arg))
            {
                quick = true;
            }
            else if (arg.startsWith("--traces="))
            {
                traces = arg.substring("--traces=".length()).split(",");
            }
            else if (arg.startsWith("--sizes="))
            {
                final String[] parts = arg.substring("--sizes=".length()).split(",");
                sizes = new double[parts.length];
                for (int i = 0; i < parts.length; i++)
                {
                    sizes[i] = Double.parseDouble(parts[i]);
                }
            }
            else
            {
                throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        for (final String name : traces)
        {
            final long start = System.nanoTime();
            final Trace trace = trace(name, quick);
            report(trace, sizes, System.out);
            System.out.printf(Locale.ROOT, "(%.1f s)%n%n", (System.nanoTime() - start) / 1e9);
        }
    }

    static Trace trace(final String name, final boolean quick)
    {
        return switch (name)
        {
            case "vod" -> Traces.vod(quick);
            case "live" -> Traces.live(quick);
            case "mixed" -> Traces.mixed(quick);
            default -> throw new IllegalArgumentException("unknown trace: " + name);
        };
    }

    static void report(final Trace trace, final double[] sizesPercent, final PrintStream out)
    {
        out.printf(Locale.ROOT, "trace %s: %,d requests, %,d objects, %.2f GiB unique, %.2f GiB requested%n",
            trace.name(), trace.length(), trace.uniqueKeys(), trace.uniqueBytes() / 1073741824.0,
            trace.requestedBytes() / 1073741824.0);
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-22s |", "policy"));
        final StringBuilder rule = new StringBuilder("|------------------------|");
        for (final double size : sizesPercent)
        {
            header.append(String.format(Locale.ROOT, " %5s%% obj / byte |", format(size)));
            rule.append("-------------------|");
        }
        out.println(header);
        out.println(rule);
        for (final SimulatedPolicy policy : SimulatedPolicy.values())
        {
            final List<String> cells = new ArrayList<>();
            for (final double size : sizesPercent)
            {
                final HitRatio ratio = CacheSimulator.replay(trace, policy, size / 100.0);
                cells.add(String.format(Locale.ROOT, " %6.2f / %6.2f   |", 100 * ratio.objectRatio(),
                    100 * ratio.byteRatio()));
            }
            out.printf(Locale.ROOT, "| %-22s |%s%n", policy.label(), String.join("", cells));
        }
    }

    private static String format(final double size)
    {
        return size == Math.rint(size) ? Long.toString((long)size) : Double.toString(size);
    }
}
