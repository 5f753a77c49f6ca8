package io.bifrost.control.placement;

/**
 * How widely a content is placed in a region, from its {@link PopularityScore}: {@link #HOT} on every edge (or as
 * many as its load needs), {@link #WARM} on a rendezvous subset, {@link #COLD} nowhere ahead of demand (edges fill it
 * on a miss).
 */
public enum Temperature
{
    /** Score at or above the hot threshold (seed: 1000 views per hour). */
    HOT,
    /** Score at or above the warm threshold (seed: 100 views per hour). */
    WARM,
    /** Below the warm threshold: fill on demand only. */
    COLD
}
