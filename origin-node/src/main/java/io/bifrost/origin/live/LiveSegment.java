package io.bifrost.origin.live;

import java.util.ArrayList;
import java.util.List;

/**
 * One segment of the live window: its parts while it grows, and its bytes (the parts concatenated) once complete.
 * Guarded by its stream's lock.
 */
final class LiveSegment
{
    final long msn;
    final long startTicks;
    final long startUs;
    final long programDateTimeMs;
    final List<LivePart> parts = new ArrayList<>();
    long durationTicks;
    long durationUs;
    byte[] bytes;

    LiveSegment(final long msn, final long startTicks, final long startUs, final long programDateTimeMs)
    {
        this.msn = msn;
        this.startTicks = startTicks;
        this.startUs = startUs;
        this.programDateTimeMs = programDateTimeMs;
    }

    boolean complete()
    {
        return bytes != null;
    }

    boolean independent()
    {
        return !parts.isEmpty() && parts.get(0).independent;
    }

    void add(final LivePart part)
    {
        parts.add(part);
        durationTicks += part.durationTicks;
        durationUs = part.startUs + part.durationUs - startUs;
    }

    void complete(final int totalBytes)
    {
        final byte[] all = new byte[totalBytes];
        int offset = 0;
        for (final LivePart part : parts)
        {
            System.arraycopy(part.bytes, 0, all, offset, part.bytes.length);
            offset += part.bytes.length;
        }
        bytes = all;
    }

    int partBytes()
    {
        int total = 0;
        for (final LivePart part : parts)
        {
            total += part.bytes.length;
        }
        return total;
    }
}
