package io.bifrost.control;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand (thread-safe), so heartbeat timeouts and telemetry windows are driven, not waited for.
 */
public final class MutableClock extends Clock
{
    private final AtomicLong millis;

    public MutableClock(final long startMillis)
    {
        this.millis = new AtomicLong(startMillis);
    }

    public void advance(final long deltaMillis)
    {
        millis.addAndGet(deltaMillis);
    }

    @Override
    public long millis()
    {
        return millis.get();
    }

    @Override
    public Instant instant()
    {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone)
    {
        return this;
    }
}
