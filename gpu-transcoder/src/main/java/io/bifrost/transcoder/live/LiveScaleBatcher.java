package io.bifrost.transcoder.live;

import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.agrona.concurrent.Agent;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scales the frames of many live streams together: frames that streams {@link LiveScaleStream#offer offer} within
 * one tick are copied into one batch per <em>geometry group</em> (streams whose source size, layouts and rungs are
 * equal share one {@link ScaleJobTable}, so one kernel launch scales all of their frames: {@code blockIdx.y} is the
 * frame), every group is submitted before any is awaited (different groups overlap on the device), and each stream
 * then gets every rung of each of its frames, in its own order, through its {@link LiveScaleStream.RungSink}.
 * <p>
 * A group launches in a duty cycle ({@link #doWork()}) when each of its streams has a frame waiting, or when its
 * oldest waiting frame is {@code maxWaitNs} old, so a slow or paused stream delays the others by at most that.
 * Bounded: each stream holds at most {@code maxPendingFrames} frames in preallocated buffers; a stream that offers
 * more than that before the next launch loses the frame ({@code offer} returns false; counted per stream and in
 * {@value #DROPPED}). Nothing grows with load. Metrics: {@value #FRAMES_PER_LAUNCH} (summary), {@value #LAUNCH}
 * (timer, submit to await, per group), {@value #DROPPED}.
 * <p>
 * Threads: {@code offer} from any thread (each stream its own lock, held only for a copy); {@link #register},
 * {@link LiveScaleStream#close()} and {@link #doWork()} serialise on this batcher; sinks are called on the
 * {@code doWork} thread and must not keep the buffer they get. No allocation per frame in steady state.
 */
public final class LiveScaleBatcher implements Agent
{
    /** Distribution of frames per launch. */
    public static final String FRAMES_PER_LAUNCH = "bifrost.live.scale.frames.per.launch";
    /** Timer of one group's launch, submit to await. */
    public static final String LAUNCH = "bifrost.live.scale.launch";
    /** Frames refused because their stream already had {@code maxPendingFrames} waiting. */
    public static final String DROPPED = "bifrost.live.scale.dropped";

    private final LiveScaleContext context;
    private final Map<GroupKey, Group> groups = new HashMap<>();
    private final List<Group> order = new ArrayList<>();
    private final DistributionSummary framesPerLaunch;
    private final Timer launchTimer;
    private final Counter dropped;
    private boolean closed;

    private record GroupKey(FrameSize source, PixelLayout sourceLayout, List<FrameSize> outputs,
        PixelLayout outputLayout)
    {
        static GroupKey of(final ScaleJobTable table)
        {
            return new GroupKey(table.source(), table.sourceLayout(), table.outputs(), table.outputLayout());
        }
    }

    /** Streams sharing one table, their scaler, and who owns each frame of the current batch. */
    private final class Group
    {
        final GroupKey key;
        final LadderScaler scaler;
        final List<LiveScaleStream> streams = new ArrayList<>();
        final LiveScaleStream[] owners;
        final long[] pts;
        int frames;
        long submittedNs;

        Group(final GroupKey key, final LadderScaler scaler)
        {
            this.key = key;
            this.scaler = scaler;
            this.owners = new LiveScaleStream[scaler.maxFrames()];
            this.pts = new long[scaler.maxFrames()];
        }
    }

    /**
     * @param context concluded here.
     */
    public LiveScaleBatcher(final LiveScaleContext context)
    {
        this.context = context.conclude();
        final MeterRegistry registry = this.context.registry();
        this.framesPerLaunch = DistributionSummary.builder(FRAMES_PER_LAUNCH)
            .description("Live frames scaled by one kernel launch (all streams of one geometry group)")
            .register(registry);
        this.launchTimer = Timer.builder(LAUNCH)
            .description("One live scaling launch, from submit to its output being ready")
            .register(registry);
        this.dropped = Counter.builder(DROPPED)
            .description("Live frames dropped because their stream had maxPendingFrames frames waiting")
            .register(registry);
    }

    /**
     * Add a stream; it joins the group of its table's geometry (creating the group's scaler when it is the first).
     *
     * @param streamId the caller's id for logs.
     * @param table    the stream's source geometry and rungs.
     * @param sink     receives every rung of each scaled frame, on the {@code doWork} thread.
     * @return the stream's handle for offering frames.
     * @throws IllegalStateException when the group already has {@code maxStreamsPerGroup} streams or the batcher is
     *                               closed.
     */
    public synchronized LiveScaleStream register(final long streamId, final ScaleJobTable table,
        final LiveScaleStream.RungSink sink)
    {
        if (closed)
        {
            throw new IllegalStateException("live scale batcher is closed");
        }
        final GroupKey key = GroupKey.of(table);
        Group group = groups.get(key);
        if (group == null)
        {
            group = new Group(key, context.scalers().apply(table,
                context.maxStreamsPerGroup() * context.maxPendingFrames()));
            groups.put(key, group);
            order.add(group);
        }
        if (group.streams.size() == context.maxStreamsPerGroup())
        {
            throw new IllegalStateException("geometry group " + table.source() + " -> " + table.outputs() +
                " already has " + context.maxStreamsPerGroup() + " streams");
        }
        final LiveScaleStream stream = new LiveScaleStream(this, streamId, table, context.maxPendingFrames(), sink,
            dropped, context.nanoClock());
        group.streams.add(stream);
        return stream;
    }

    synchronized void unregister(final LiveScaleStream stream)
    {
        final Group group = groups.get(GroupKey.of(stream.table()));
        if (group != null && group.streams.remove(stream) && group.streams.isEmpty())
        {
            groups.remove(group.key);
            order.remove(group);
            group.scaler.close();
        }
    }

    /**
     * One tick: collect, launch and hand out every group that is due.
     *
     * @return frames scaled.
     */
    @Override
    public synchronized int doWork()
    {
        final long now = context.nanoClock().nanoTime();
        int work = 0;
        for (int g = 0; g < order.size(); g++)
        {
            final Group group = order.get(g);
            group.frames = 0;
            if (isDue(group, now))
            {
                collect(group);
                if (group.frames > 0)
                {
                    group.submittedNs = context.nanoClock().nanoTime();
                    group.scaler.submit(0, group.frames);
                }
            }
        }
        for (int g = 0; g < order.size(); g++)
        {
            final Group group = order.get(g);
            if (group.frames > 0)
            {
                group.scaler.await(0);
                launchTimer.record(context.nanoClock().nanoTime() - group.submittedNs, TimeUnit.NANOSECONDS);
                framesPerLaunch.record(group.frames);
                handOut(group);
                work += group.frames;
            }
        }
        return work;
    }

    private boolean isDue(final Group group, final long now)
    {
        boolean everyStreamHasOne = true;
        boolean any = false;
        for (int s = 0; s < group.streams.size(); s++)
        {
            final LiveScaleStream stream = group.streams.get(s);
            final long oldest = stream.oldestPendingNs();
            if (oldest == LiveScaleStream.NONE)
            {
                everyStreamHasOne = false;
            }
            else
            {
                any = true;
                if (now - oldest >= context.maxWaitNs())
                {
                    return true;
                }
            }
        }
        return any && everyStreamHasOne;
    }

    private void collect(final Group group)
    {
        final ByteBuffer input = group.scaler.input(0);
        for (int s = 0; s < group.streams.size(); s++)
        {
            final LiveScaleStream stream = group.streams.get(s);
            group.frames = stream.drainInto(input, group.owners, group.pts, group.frames);
        }
    }

    private void handOut(final Group group)
    {
        final ByteBuffer output = group.scaler.output(0);
        final long frameBytes = group.scaler.table().outputFrameBytes();
        RuntimeException failure = null;
        for (int f = 0; f < group.frames; f++)
        {
            output.limit((int)((f + 1) * frameBytes)).position((int)(f * frameBytes));
            try
            {
                group.owners[f].deliver(group.pts[f], output);
            }
            catch (final RuntimeException ex)
            {
                // one failing sink must not starve the other streams of this launch
                if (failure == null)
                {
                    failure = ex;
                }
            }
            group.owners[f] = null;
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * @return geometry groups, i.e. scalers, open now.
     */
    public synchronized int groupCount()
    {
        return order.size();
    }

    @Override
    public String roleName()
    {
        return "live-scale-batcher";
    }

    /** Close every group's scaler; later offers are refused and registers fail. */
    @Override
    public synchronized void onClose()
    {
        closed = true;
        for (final Group group : order)
        {
            group.scaler.close();
        }
        order.clear();
        groups.clear();
    }
}
