package io.bifrost.transcoder.cuda;

import io.bifrost.transcoder.live.LiveScaleBatcher;
import io.bifrost.transcoder.live.LiveScaleContext;
import io.bifrost.transcoder.live.LiveScaleStream;
import io.bifrost.transcoder.scale.BatchFrames;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The origin's live batching on the GPU, as {@code origin.live-scaling} runs it (one {@link CudaLadderScaler} slot per
 * geometry group): every stream gets, for every frame, exactly the bytes the Java reference gives, and the run prints
 * what a launch costs (frames per second of the whole ladder, launch time). Needs a CUDA device: elsewhere every test
 * is skipped with the probe's reason. The same batching on the CPU reference is {@code LiveScaleBatcherTest}.
 */
class CudaLiveScaleBatcherTest
{
    private static final List<FrameSize> LADDER_1080 = List.of(new FrameSize(1920, 1080), new FrameSize(1280, 720),
        new FrameSize(854, 480), new FrameSize(640, 360), new FrameSize(426, 240));
    private static final ScaleJobTable P1080 = new ScaleJobTable(new FrameSize(1920, 1080), PixelLayout.I420,
        LADDER_1080, PixelLayout.I420);
    private static final ScaleJobTable P720 = new ScaleJobTable(new FrameSize(1280, 720), PixelLayout.I420,
        LADDER_1080.subList(1, 5), PixelLayout.I420);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Per test, so that each one is reported as skipped with the reason. */
    @BeforeEach
    void requireDevice()
    {
        final CudaDevice device = CudaDeviceProbe.device();
        assumeTrue(device.present(), device.reason());
    }

    private LiveScaleBatcher batcher(final int streamsPerGroup)
    {
        return new LiveScaleBatcher(new LiveScaleContext().maxStreamsPerGroup(streamsPerGroup).maxPendingFrames(2)
            .registry(registry).scalers((table, frames) -> new CudaLadderScaler(table, frames, 1)));
    }

    @Test
    void shouldGiveEveryStreamOfTwoGeometriesTheReferenceBytesOfEachFrame()
    {
        final LiveScaleBatcher batcher = batcher(4);
        final List<ScaleJobTable> tables = List.of(P1080, P720, P1080, P720, P1080);
        final List<List<byte[]>> received = new ArrayList<>();
        final List<LiveScaleStream> streams = new ArrayList<>();
        for (int s = 0; s < tables.size(); s++)
        {
            final List<byte[]> mine = new ArrayList<>();
            received.add(mine);
            streams.add(batcher.register(s, tables.get(s), (pts, rungs) -> mine.add(BatchFrames.copy(rungs))));
        }
        final int frames = 6;
        for (int m = 0; m < frames; m += 2)
        {
            for (int s = 0; s < streams.size(); s++)
            {
                assertThat(streams.get(s).offer(BatchFrames.noise(tables.get(s), s, m), 0, m)).isTrue();
                assertThat(streams.get(s).offer(BatchFrames.noise(tables.get(s), s, m + 1), 0, m + 1)).isTrue();
            }
            assertThat(batcher.doWork()).isEqualTo(2 * streams.size());
        }
        batcher.onClose();

        for (int s = 0; s < streams.size(); s++)
        {
            assertThat(received.get(s)).as("stream %d", s).hasSize(frames);
            for (int m = 0; m < frames; m++)
            {
                assertThat(received.get(s).get(m)).as("stream %d frame %d", s, m)
                    .isEqualTo(BatchFrames.scaledAlone(tables.get(s), BatchFrames.noise(tables.get(s), s, m)));
            }
        }
        assertThat(registry.get(LiveScaleBatcher.FRAMES_PER_LAUNCH).summary().max()).isEqualTo(6.0);
    }

    @Test
    void shouldPrintTheLadderThroughputOfSixteenStreamsPerLaunch()
    {
        final int streamCount = 16;
        final LiveScaleBatcher batcher = batcher(streamCount);
        final long[] delivered = new long[1];
        final List<LiveScaleStream> streams = new ArrayList<>();
        for (int s = 0; s < streamCount; s++)
        {
            streams.add(batcher.register(s, P1080, (pts, rungs) -> delivered[0]++));
        }
        final byte[] frame = BatchFrames.noise(P1080, 0, 0);
        final long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < warmUntil)
        {
            tick(streams, batcher, frame);
        }
        final Timer launch = registry.get(LiveScaleBatcher.LAUNCH).timer();
        final long launchesBefore = launch.count();
        final double launchNanosBefore = launch.totalTime(TimeUnit.NANOSECONDS);
        delivered[0] = 0;
        final long start = System.nanoTime();
        final long end = start + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end)
        {
            tick(streams, batcher, frame);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long launches = launch.count() - launchesBefore;
        final double launchMs = (launch.totalTime(TimeUnit.NANOSECONDS) - launchNanosBefore) / launches / 1e6;
        batcher.onClose();

        System.out.printf(Locale.ROOT, "live batcher on %s: %d streams x 1920x1080 I420 -> 5 rungs, 2 frames each " +
            "per launch: %.0f source frames/s (%.1f streams at 30 fps), %d launches, mean %.2f ms submit to ready " +
            "(pinned copies both ways included)%n", CudaDeviceProbe.device().name(), streamCount,
            delivered[0] / seconds, delivered[0] / seconds / 30.0, launches, launchMs);
        assertThat(delivered[0]).isPositive();
    }

    private static void tick(final List<LiveScaleStream> streams, final LiveScaleBatcher batcher, final byte[] frame)
    {
        for (int s = 0; s < streams.size(); s++)
        {
            streams.get(s).offer(frame, 0, 0);
            streams.get(s).offer(frame, 0, 1);
        }
        batcher.doWork();
    }
}
