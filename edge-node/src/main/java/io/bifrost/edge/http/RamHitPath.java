package io.bifrost.edge.http;

import java.util.Locale;

/**
 * Where a RAM-tier lookup runs ({@code edge.ram-hit-path}): on the connection's event loop, or handed through the tier
 * ring and back. Both answer identically; the choice is measured (JMH {@code RamHitDispatchBenchmark} and the load
 * run, BENCHMARKS.md).
 */
public enum RamHitPath
{
    /** Look up and write the hit on the event loop (default: no thread hop). */
    INLINE,
    /** Look up on the tier ring's thread, then write on the event loop. */
    RING;

    /**
     * @param name inline or ring (case-insensitive).
     * @return the path.
     * @throws IllegalArgumentException naming the key for anything else.
     */
    public static RamHitPath named(final String name)
    {
        return switch (name.strip().toLowerCase(Locale.ROOT))
        {
            case "inline" -> INLINE;
            case "ring" -> RING;
            default -> throw new IllegalArgumentException("edge.ram-hit-path must be inline or ring; got '" + name + "'");
        };
    }
}
