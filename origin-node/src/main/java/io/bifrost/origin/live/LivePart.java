package io.bifrost.origin.live;

/**
 * One completed part held in the live window. Immutable; {@code bytes} is never modified once built.
 */
final class LivePart
{
    final long msn;
    final int index;
    final long startTicks;
    final long durationTicks;
    final long startUs;
    final int durationUs;
    final long programDateTimeMs;
    final boolean independent;
    final boolean segmentEnd;
    final byte[] bytes;

    LivePart(final long msn, final int index, final long startTicks, final long durationTicks, final long startUs,
        final int durationUs, final long programDateTimeMs, final boolean independent, final boolean segmentEnd,
        final byte[] bytes)
    {
        this.msn = msn;
        this.index = index;
        this.startTicks = startTicks;
        this.durationTicks = durationTicks;
        this.startUs = startUs;
        this.durationUs = durationUs;
        this.programDateTimeMs = programDateTimeMs;
        this.independent = independent;
        this.segmentEnd = segmentEnd;
        this.bytes = bytes;
    }
}
