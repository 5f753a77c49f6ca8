package io.bifrost.transcoder.live;

import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Settings of a {@link LiveScaleBatcher}: fluent setters, {@link #conclude()} validates them and fills defaults.
 */
public final class LiveScaleContext
{
    /** Default streams per geometry group (frames per launch: this x maxPendingFrames at most). */
    public static final int DEFAULT_MAX_STREAMS_PER_GROUP = 16;
    /** Default frames a stream may have waiting before it drops. */
    public static final int DEFAULT_MAX_PENDING_FRAMES = 2;
    /** Default longest wait of a frame for the other streams of its group: about half a frame at 25 fps. */
    public static final long DEFAULT_MAX_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private int maxStreamsPerGroup = DEFAULT_MAX_STREAMS_PER_GROUP;
    private int maxPendingFrames = DEFAULT_MAX_PENDING_FRAMES;
    private long maxWaitNs = DEFAULT_MAX_WAIT_NS;
    private BiFunction<ScaleJobTable, Integer, LadderScaler> scalers;
    private MeterRegistry registry;
    private NanoClock nanoClock;

    /**
     * @param streams streams one geometry group (one scaler) takes, 1..4096.
     * @return this.
     */
    public LiveScaleContext maxStreamsPerGroup(final int streams)
    {
        this.maxStreamsPerGroup = streams;
        return this;
    }

    /**
     * @return streams per geometry group.
     */
    public int maxStreamsPerGroup()
    {
        return maxStreamsPerGroup;
    }

    /**
     * @param frames frames a stream may have waiting, 1..16; one more is dropped.
     * @return this.
     */
    public LiveScaleContext maxPendingFrames(final int frames)
    {
        this.maxPendingFrames = frames;
        return this;
    }

    /**
     * @return frames a stream may have waiting.
     */
    public int maxPendingFrames()
    {
        return maxPendingFrames;
    }

    /**
     * @param nanos how long a waiting frame waits for its group's other streams before its group launches anyway.
     * @return this.
     */
    public LiveScaleContext maxWaitNs(final long nanos)
    {
        this.maxWaitNs = nanos;
        return this;
    }

    /**
     * @return the longest wait for the other streams.
     */
    public long maxWaitNs()
    {
        return maxWaitNs;
    }

    /**
     * @param scalers opens a group's scaler for its table and frames per launch (the CUDA scaler with one slot, or
     *                {@link io.bifrost.transcoder.scale.AreaLadderScaler} on the CPU); closed with the group.
     * @return this.
     */
    public LiveScaleContext scalers(final BiFunction<ScaleJobTable, Integer, LadderScaler> scalers)
    {
        this.scalers = scalers;
        return this;
    }

    /**
     * @return the scaler factory.
     */
    public BiFunction<ScaleJobTable, Integer, LadderScaler> scalers()
    {
        return scalers;
    }

    /**
     * @param registry where the metrics go.
     * @return this.
     */
    public LiveScaleContext registry(final MeterRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    /**
     * @return the registry.
     */
    public MeterRegistry registry()
    {
        return registry;
    }

    /**
     * @param clock the clock for waits and launch times (default the system's).
     * @return this.
     */
    public LiveScaleContext nanoClock(final NanoClock clock)
    {
        this.nanoClock = clock;
        return this;
    }

    /**
     * @return the clock.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * Validate and fill defaults.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public LiveScaleContext conclude()
    {
        if (scalers == null || registry == null)
        {
            throw new IllegalArgumentException("live scaling needs a scaler factory and a meter registry");
        }
        if (maxStreamsPerGroup < 1 || maxStreamsPerGroup > 4096 || maxPendingFrames < 1 || maxPendingFrames > 16 ||
            maxWaitNs < 0)
        {
            throw new IllegalArgumentException("live scaling needs 1..4096 streams per group, 1..16 pending frames " +
                "and a wait >= 0, got " + maxStreamsPerGroup + ", " + maxPendingFrames + ", " + maxWaitNs);
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        return this;
    }
}
