package io.bifrost.ingest.record;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recorder's process-wide memory bound (many streams, one slow disk) and its answer to allocation failure.
 */
class FlvRecordingBudgetTest
{
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
    private static final int STREAMS = 64;
    private static final int BODY = 2_000;
    private static final int ENCODED = FlvFormat.TAG_HEADER_SIZE + BODY + FlvFormat.BACK_POINTER_SIZE;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final long BUDGET = RecordingBudget.MIN_BYTES;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static String streamId(final int stream)
    {
        return String.format("st_%032x", stream + 1);
    }

    private static PublishRequest request(final String streamId)
    {
        return new PublishRequest("live", "sk_x", "", "", null, List.of(), IngestProtocol.RTMP, streamId, false);
    }

    private static byte[] body(final int stream, final long timestampMs)
    {
        final byte[] body = new byte[BODY];
        body[0] = 0x27;
        body[1] = 1;
        for (int i = 5; i < BODY; i++)
        {
            body[i] = (byte)(stream * 31 + timestampMs + i);
        }
        return body;
    }

    private static FlvTag video(final int stream, final long timestampMs)
    {
        return PARSER.video(timestampMs, Unpooled.wrappedBuffer(body(stream, timestampMs)));
    }

    private List<FlvStreamReader.Tag> readBack(final int stream) throws IOException
    {
        final Path file = dir.resolve("recordings").resolve(streamId(stream)).resolve(CLOCK.millis() + ".flv");
        final List<FlvStreamReader.Tag> tags = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file))
        {
            final FlvStreamReader reader = new FlvStreamReader(in, 1 << 20);
            FlvStreamReader.Tag tag;
            while (null != (tag = reader.next()))
            {
                tags.add(tag);
            }
        }
        return tags;
    }

    private static void runAll(final ArrayDeque<Runnable> writer)
    {
        Runnable task;
        while (null != (task = writer.poll()))
        {
            task.run();
        }
    }

    /**
     * {@link #STREAMS} recordings of one factory whose writer runs only when the test calls {@link #runAll}, as a
     * stalled disk would, each with its publisher's view: paused or not, and how many tags it sent.
     */
    private final class Publishers
    {
        final ArrayDeque<Runnable> writer = new ArrayDeque<>();
        final FlvRecordingSinkFactory factory = new FlvRecordingSinkFactory(dir, 1L << 30, BUDGET, CLOCK, meters,
            ByteBufAllocator.DEFAULT, writer::add);
        final MediaSink[] sinks = new MediaSink[STREAMS];
        final AtomicBoolean[] paused = new AtomicBoolean[STREAMS];
        final int[] sent = new int[STREAMS];
        /** Resumes of a publisher that was not paused. */
        final AtomicInteger strayResumes = new AtomicInteger();

        Publishers()
        {
            for (int s = 0; s < STREAMS; s++)
            {
                final AtomicBoolean flag = new AtomicBoolean();
                paused[s] = flag;
                sinks[s] = factory.open(request(streamId(s)), () ->
                {
                    if (!flag.getAndSet(false))
                    {
                        strayResumes.incrementAndGet();
                    }
                });
            }
        }

        /**
         * Every stream sends while it may, the writer stalled, until all are paused.
         *
         * @return the most bytes the factory held queued after any one tag.
         */
        long sendUntilAllPaused()
        {
            long maxQueued = 0;
            int pausedStreams = 0;
            while (pausedStreams < STREAMS)
            {
                pausedStreams = 0;
                for (int s = 0; s < STREAMS; s++)
                {
                    if (paused[s].get())
                    {
                        pausedStreams++;
                        continue;
                    }
                    paused[s].set(!sinks[s].onTag(video(s, sent[s] * 40L)));
                    sent[s]++;
                    maxQueued = Math.max(maxQueued, factory.queuedBytes());
                }
            }
            return maxQueued;
        }

        void endAll()
        {
            for (final MediaSink sink : sinks)
            {
                sink.onEnd(StreamEndReason.UNPUBLISHED);
            }
            runAll(writer);
        }
    }

    @Test
    void shouldPauseEveryStreamAtTheProcessBudgetAndResumeAllOnceTheWriterRuns() throws IOException
    {
        final Publishers publishers = new Publishers();

        for (int round = 0; round < 2; round++)
        {
            assertThat(publishers.sendUntilAllPaused()).isLessThanOrEqualTo(BUDGET + (long)STREAMS * ENCODED);
            assertThat(publishers.factory.queuedBytes()).isGreaterThan(BUDGET);
            assertThat(publishers.writer).isNotEmpty();

            runAll(publishers.writer);

            assertThat(publishers.paused).allSatisfy(flag -> assertThat(flag).isFalse());
            assertThat(publishers.factory.queuedBytes()).isZero();
        }
        publishers.endAll();

        assertThat(publishers.strayResumes).hasValue(0);
        for (int s = 0; s < STREAMS; s++)
        {
            final List<FlvStreamReader.Tag> tags = readBack(s);
            assertThat(tags).hasSize(publishers.sent[s]);
            for (int i = 0; i < publishers.sent[s]; i++)
            {
                assertThat(tags.get(i).timestamp32()).isEqualTo(i * 40L);
                assertThat(tags.get(i).body()).isEqualTo(body(s, i * 40L));
            }
        }
        assertThat(meters.get("bifrost.ingest.recording.paused").tag("reason", "process").counter().count())
            .isGreaterThanOrEqualTo(2 * STREAMS);
        assertThat(meters.get("bifrost.ingest.recording.pauses").counter().count()).isGreaterThanOrEqualTo(2 * STREAMS);
        assertThat(meters.get("bifrost.ingest.recording.queued.bytes").gauge().value()).isZero();
    }

    @Test
    void shouldHandEveryQueuedByteToTheWriterWhenPausedForTheBudget() throws IOException
    {
        final Publishers publishers = new Publishers();
        for (int s = 0; s < STREAMS; s++)
        {
            assertThat(publishers.sinks[s].onTag(video(s, 0))).isTrue();
            publishers.sent[s]++;
        }
        runAll(publishers.writer);

        // every stream queues less than a batch (64 KiB) before the total passes the budget, so only the batch timer
        // (100 ms, which a busy machine may pass) would hand those bytes to the writer; pausing must hand them over
        publishers.sendUntilAllPaused();
        runAll(publishers.writer);

        assertThat(publishers.paused).allSatisfy(flag -> assertThat(flag).isFalse());
        assertThat(publishers.factory.queuedBytes()).isZero();
        publishers.endAll();
        for (int s = 0; s < STREAMS; s++)
        {
            assertThat(readBack(s)).hasSize(publishers.sent[s]);
        }
    }

    @Test
    void shouldNeverLoseAResumeWhenPublishersRaceTheWriter() throws Exception
    {
        final int streams = 32;
        final int tagsPerStream = 150;
        final AtomicLong maxQueued = new AtomicLong();
        try (FlvRecordingSinkFactory factory = new FlvRecordingSinkFactory(dir, 1L << 30, BUDGET, CLOCK, meters))
        {
            final ExecutorService publishers = Executors.newFixedThreadPool(8);
            final List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < streams; s++)
            {
                final int stream = s;
                done.add(publishers.submit(() ->
                {
                    final Semaphore resumed = new Semaphore(0);
                    final MediaSink sink = factory.open(request(streamId(stream)), resumed::release);
                    for (int i = 0; i < tagsPerStream; i++)
                    {
                        final boolean accepted = sink.onTag(video(stream, i * 40L));
                        maxQueued.accumulateAndGet(factory.queuedBytes(), Math::max);
                        // as a session does: stop reading until resumed (a lost resume would hang here)
                        if (!accepted && !resumed.tryAcquire(10, TimeUnit.SECONDS))
                        {
                            throw new AssertionError("stream " + stream + " never resumed after tag " + i);
                        }
                        resumed.drainPermits();
                    }
                    sink.onEnd(StreamEndReason.UNPUBLISHED);
                    return null;
                }));
            }
            for (final Future<?> future : done)
            {
                future.get(30, TimeUnit.SECONDS);
            }
            publishers.shutdown();
            await().until(() -> 0 == factory.queuedBytes());
        }

        assertThat(maxQueued.get()).isLessThanOrEqualTo(BUDGET + (long)streams * ENCODED);
        for (int s = 0; s < streams; s++)
        {
            final List<FlvStreamReader.Tag> tags = readBack(s);
            assertThat(tags).hasSize(tagsPerStream);
            assertThat(tags.get(tagsPerStream - 1).body()).isEqualTo(body(s, (tagsPerStream - 1) * 40L));
        }
    }

    @Test
    void shouldStopOnlyTheRecordingWhenDirectMemoryRunsOut() throws IOException
    {
        final AtomicInteger allowed = new AtomicInteger(5);
        final ByteBufAllocator failing = new AbstractByteBufAllocator(true)
        {
            @Override
            protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
            {
                if (allowed.getAndDecrement() <= 0)
                {
                    throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory");
                }
                return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
            {
                return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled()
            {
                return false;
            }
        };
        try (FlvRecordingSinkFactory factory = new FlvRecordingSinkFactory(dir, 1L << 30, RecordingBudget.MIN_BYTES,
            CLOCK, meters, failing, null))
        {
            final MediaSink sink = factory.open(request(streamId(0)), () -> { });
            for (int i = 0; i < 20; i++)
            {
                assertThat(sink.onTag(video(0, i * 40L))).isTrue();
            }
            sink.onEnd(StreamEndReason.UNPUBLISHED);
        }

        final List<FlvStreamReader.Tag> tags = readBack(0);
        assertThat(tags).hasSize(5);
        assertThat(tags.get(4).body()).isEqualTo(body(0, 160));
        assertThat(meters.get("bifrost.ingest.recording.allocation.failed").counter().count()).isEqualTo(1);
        assertThat(meters.get("bifrost.ingest.recording.dropped.tags").counter().count()).isEqualTo(15);
        assertThat(meters.get("bifrost.ingest.recording.queued.bytes").gauge().value()).isZero();
    }

    @Test
    void shouldDefaultToAQuarterOfDirectMemoryWithinBounds()
    {
        assertThat(FlvRecordingSinkFactory.defaultBufferBytes())
            .isBetween(RecordingBudget.MIN_BYTES, RecordingBudget.DEFAULT_MAX_BYTES);
    }
}
