package io.bifrost.transcoder.live;

import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.scale.BatchFrames;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.ForwardingLadderScaler;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cross-stream live batching on the kernel's CPU reference ({@link AreaLadderScaler}, bit-exact with the CUDA
 * kernel): whatever the batching, each stream gets exactly the bytes its frames give when scaled alone, in order.
 */
class LiveScaleBatcherTest
{
    private static final ScaleJobTable SMALL = new ScaleJobTable(new FrameSize(64, 48), PixelLayout.I420,
        List.of(new FrameSize(32, 24), new FrameSize(16, 12)), PixelLayout.I420);
    private static final ScaleJobTable OTHER = new ScaleJobTable(new FrameSize(80, 60), PixelLayout.I420,
        List.of(new FrameSize(40, 30)), PixelLayout.NV12);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CachedNanoClock clock = new CachedNanoClock();
    private final AtomicInteger scalersOpen = new AtomicInteger();

    private LiveScaleBatcher batcher(final int streamsPerGroup, final int pending)
    {
        return new LiveScaleBatcher(new LiveScaleContext().maxStreamsPerGroup(streamsPerGroup)
            .maxPendingFrames(pending).maxWaitNs(TimeUnit.MILLISECONDS.toNanos(20)).registry(registry)
            .nanoClock(clock).scalers((table, frames) -> counted(new AreaLadderScaler(table, frames, 1))));
    }

    @Test
    void shouldGiveEachStreamTheReferenceBytesOfItsFramesWhenStreamsOfTwoGeometriesShareTicks()
    {
        final LiveScaleBatcher batcher = batcher(4, 2);
        final int frames = 4;
        final List<ScaleJobTable> tables = List.of(SMALL, OTHER, SMALL);
        final List<List<byte[]>> received = new ArrayList<>();
        final List<List<Long>> timestamps = new ArrayList<>();
        final List<LiveScaleStream> streams = new ArrayList<>();
        for (int s = 0; s < tables.size(); s++)
        {
            final List<byte[]> mine = new ArrayList<>();
            final List<Long> times = new ArrayList<>();
            received.add(mine);
            timestamps.add(times);
            streams.add(batcher.register(s, tables.get(s), (pts, rungs) ->
            {
                times.add(pts);
                mine.add(BatchFrames.copy(rungs));
            }));
        }

        for (int m = 0; m < frames; m++)
        {
            for (int s = 0; s < streams.size(); s++)
            {
                assertThat(streams.get(s).offer(BatchFrames.noise(tables.get(s), s, m), 0, 1000L * m + s)).isTrue();
            }
            assertThat(batcher.doWork()).isEqualTo(streams.size());
        }

        for (int s = 0; s < streams.size(); s++)
        {
            assertThat(timestamps.get(s)).containsExactly(s + 0L, 1000L + s, 2000L + s, 3000L + s);
            for (int m = 0; m < frames; m++)
            {
                assertThat(received.get(s).get(m)).as("stream %d frame %d", s, m)
                    .isEqualTo(BatchFrames.scaledAlone(tables.get(s), BatchFrames.noise(tables.get(s), s, m)));
            }
        }
        assertThat(batcher.groupCount()).isEqualTo(2);
        // per tick one launch of 2 frames (the two SMALL streams) and one of 1 (OTHER)
        assertThat(registry.get(LiveScaleBatcher.FRAMES_PER_LAUNCH).summary().count()).isEqualTo(8);
        assertThat(registry.get(LiveScaleBatcher.FRAMES_PER_LAUNCH).summary().totalAmount()).isEqualTo(12.0);
        assertThat(registry.get(LiveScaleBatcher.LAUNCH).timer().count()).isEqualTo(8);
    }

    @Test
    void shouldWaitForTheOtherStreamsOfAGroupAtMostMaxWait()
    {
        final LiveScaleBatcher batcher = batcher(4, 2);
        final List<Long> got = new ArrayList<>();
        final LiveScaleStream fast = batcher.register(1, SMALL, (pts, rungs) -> got.add(pts));
        batcher.register(2, SMALL, (pts, rungs) -> got.add(-pts));
        clock.update(1_000_000);

        fast.offer(BatchFrames.noise(SMALL, 1, 0), 0, 7);

        assertThat(batcher.doWork()).as("the other stream may still come").isZero();
        clock.update(1_000_000 + TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(batcher.doWork()).isEqualTo(1);
        assertThat(got).containsExactly(7L);
    }

    @Test
    void shouldDropAndCountFramesOfAStreamThatIsMaxPendingAheadWithoutDelayingOthers()
    {
        final LiveScaleBatcher batcher = batcher(4, 2);
        final List<Long> got = new ArrayList<>();
        final LiveScaleStream stream = batcher.register(1, SMALL, (pts, rungs) -> got.add(pts));

        assertThat(stream.offer(BatchFrames.noise(SMALL, 1, 0), 0, 0)).isTrue();
        assertThat(stream.offer(BatchFrames.noise(SMALL, 1, 1), 0, 1)).isTrue();
        assertThat(stream.offer(BatchFrames.noise(SMALL, 1, 2), 0, 2)).isFalse();
        assertThat(batcher.doWork()).isEqualTo(2);
        assertThat(stream.offer(BatchFrames.noise(SMALL, 1, 3), 0, 3)).isTrue();
        assertThat(batcher.doWork()).isEqualTo(1);

        assertThat(got).containsExactly(0L, 1L, 3L);
        assertThat(stream.droppedFrames()).isEqualTo(1);
        assertThat(stream.deliveredFrames()).isEqualTo(3);
        assertThat(registry.get(LiveScaleBatcher.DROPPED).counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldCloseAGroupsScalerWithItsLastStreamAndRefuseAFullGroup()
    {
        final LiveScaleBatcher batcher = batcher(2, 1);
        final LiveScaleStream a = batcher.register(1, SMALL, (pts, rungs) -> { });
        final LiveScaleStream b = batcher.register(2, SMALL, (pts, rungs) -> { });
        assertThatThrownBy(() -> batcher.register(3, SMALL, (pts, rungs) -> { }))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has 2 streams");
        assertThatThrownBy(() -> a.offer(new byte[10], 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is 4608 bytes");
        assertThat(scalersOpen.get()).isEqualTo(1);

        a.close();
        assertThat(a.offer(BatchFrames.noise(SMALL, 1, 0), 0, 0)).isFalse();
        b.close();

        assertThat(batcher.groupCount()).isZero();
        assertThat(scalersOpen.get()).isZero();
    }

    @Test
    void shouldDeliverEveryFrameOfConcurrentProducersThatRetryWhenFull() throws Exception
    {
        final LiveScaleBatcher batcher = batcher(4, 2);
        final int streams = 4;
        final int frames = 40;
        final Map<Long, byte[]> got = new ConcurrentHashMap<>();
        final List<LiveScaleStream> handles = new ArrayList<>();
        for (int s = 0; s < streams; s++)
        {
            final long id = s;
            handles.add(batcher.register(s, s % 2 == 0 ? SMALL : OTHER,
                (pts, rungs) -> got.put(id * 1000 + pts, BatchFrames.copy(rungs))));
        }
        final List<Thread> producers = new ArrayList<>();
        for (int s = 0; s < streams; s++)
        {
            final int stream = s;
            final Thread producer = new Thread(() ->
            {
                for (int m = 0; m < frames; m++)
                {
                    final byte[] frame = BatchFrames.noise(handles.get(stream).table(), stream, m);
                    while (!handles.get(stream).offer(frame, 0, m))
                    {
                        Thread.onSpinWait(); // back-pressure: retry until the batcher drained this stream
                    }
                }
            }, "producer-" + s);
            producers.add(producer);
            producer.start();
        }

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.size() < streams * frames && System.nanoTime() < deadline)
        {
            clock.update(System.nanoTime());
            batcher.doWork();
        }
        for (final Thread producer : producers)
        {
            producer.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(got).hasSize(streams * frames);
        for (int s = 0; s < streams; s++)
        {
            final ScaleJobTable table = handles.get(s).table();
            for (int m = 0; m < frames; m++)
            {
                assertThat(got.get(s * 1000L + m)).as("stream %d frame %d", s, m)
                    .isEqualTo(BatchFrames.scaledAlone(table, BatchFrames.noise(table, s, m)));
            }
        }
        assertThat(registry.get(LiveScaleBatcher.FRAMES_PER_LAUNCH).summary().max()).isLessThanOrEqualTo(4.0);
    }

    @Test
    void shouldLetAProducerWaitForRoomInsteadOfDroppingAndWakeItOnDrainOrClose() throws Exception
    {
        final LiveScaleBatcher batcher = batcher(1, 2);
        final List<Long> delivered = new ArrayList<>();
        final LiveScaleStream stream = batcher.register(1, SMALL, (pts, rungs) -> delivered.add(pts));
        final byte[] frame = BatchFrames.noise(SMALL, 1, 0);
        assertThat(stream.awaitRoom(0)).isTrue();
        assertThat(stream.offer(frame, 0, 0)).isTrue();
        assertThat(stream.offer(frame, 0, 1)).isTrue();
        assertThat(stream.awaitRoom(TimeUnit.MILLISECONDS.toNanos(30))).as("full, nobody drains").isFalse();

        final Thread drainer = new Thread(() ->
        {
            sleep(50);
            batcher.doWork();
        });
        drainer.start();
        assertThat(stream.awaitRoom(TimeUnit.SECONDS.toNanos(10))).as("woken by the drain").isTrue();
        drainer.join();
        assertThat(delivered).containsExactly(0L, 1L);
        assertThat(stream.offer(frame, 0, 2)).isTrue();
        assertThat(stream.offer(frame, 0, 3)).isTrue();

        final Thread closer = new Thread(() ->
        {
            sleep(50);
            stream.close();
        });
        closer.start();
        assertThat(stream.awaitRoom(TimeUnit.SECONDS.toNanos(10))).as("closed while waiting").isFalse();
        closer.join();
        assertThat(registry.get(LiveScaleBatcher.DROPPED).counter().count()).isZero();
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private LadderScaler counted(final AreaLadderScaler scaler)
    {
        scalersOpen.incrementAndGet();
        return new ClosingCounter(scaler, scalersOpen);
    }

    /** The reference scaler, counting open scalers so the test sees a group's scaler closed. */
    private static final class ClosingCounter extends ForwardingLadderScaler
    {
        private final AtomicInteger open;

        ClosingCounter(final LadderScaler delegate, final AtomicInteger open)
        {
            super(delegate);
            this.open = open;
        }

        @Override
        public void close()
        {
            super.close();
            open.decrementAndGet();
        }
    }
}
