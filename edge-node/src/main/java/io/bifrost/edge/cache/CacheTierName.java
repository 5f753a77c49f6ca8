package io.bifrost.edge.cache;

import java.util.Locale;

/**
 * Where a response came from, as metrics tags ({@code tier}) and the {@code Cache-Status} detail name it.
 */
public enum CacheTierName
{
    /** The memory-mapped RAM tier. */
    RAM,
    /** The RocksDB SSD tier. */
    SSD,
    /** An origin fill (a miss in every tier). */
    ORIGIN,
    /** Not content: an ops endpoint, an error or a refused request. */
    NONE;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /**
     * @return the lower-case name used as a metrics tag value.
     */
    public String tag()
    {
        return tag;
    }
}
