package io.bifrost.edge.live;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The held requests' delivery timer costs nothing per viewer: of each chunk a loop answers in a row, only the last
 * viewer written in a shared form gets a listener (every other write the void promise), and the chunk's one sample is
 * recorded when that write completes, not when it is queued.
 */
class LiveWakeDeliveryTest
{
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final LiveWindowStore store = new LiveWindowStore(8L << 20, UnpooledByteBufAllocator.DEFAULT, registry);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    /** A viewer that takes the shared response (or not, like a HEAD) and keeps the listener its write was given. */
    private final class Viewer extends RecordingLiveReply implements SharedLiveReply
    {
        final boolean shared;
        volatile ChannelFutureListener written;

        Viewer(final boolean shared)
        {
            super(loop);
            this.shared = shared;
        }

        @Override
        public boolean acceptsShared()
        {
            return shared;
        }

        @Override
        public void writeShared(final FullHttpResponse response, final ChannelFutureListener written)
        {
            this.written = written;
            final String body = response.content().toString(StandardCharsets.ISO_8859_1);
            response.release();
            result.complete("shared " + body);
        }

        @Override
        protected String describe(final CacheHit hit, final String body)
        {
            return "hit " + body;
        }
    }

    @AfterEach
    void tearDown() throws Exception
    {
        store.close();
        channel.finishAndReleaseAll();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void shouldListenOnlyToEachChunksLastWriteAndRecordWhenItCompletes() throws Exception
    {
        store.wakeChunk(2);
        final List<Viewer> viewers = hold(true, true, true, true, true);

        part(1, "y");
        final long publishedNs = System.nanoTime();
        answered(viewers, "shared y");
        drain();
        assertThat(listened(viewers)).as("the last viewer of each chunk of two").containsExactly(1, 3, 4);
        assertThat(registry.get("bifrost.edge.live.wake.chunks").counter().count()).isEqualTo(3);
        assertThat(deliveries().count()).as("nothing recorded before a write completed").isZero();

        final long completingNs = System.nanoTime();
        for (final int v : List.of(1, 3, 4))
        {
            viewers.get(v).written.operationComplete(channel.newSucceededFuture());
        }
        assertThat(deliveries().count()).as("one sample per chunk").isEqualTo(3);
        assertThat(deliveries().max(TimeUnit.NANOSECONDS)).as("from the arrival to the write's completion")
            .isGreaterThanOrEqualTo(completingNs - publishedNs);
    }

    @Test
    void shouldListenToTheLastSharedViewerWhenTheChunkEndsWithOneThatIsNot() throws Exception
    {
        final List<Viewer> viewers = hold(true, true, false);

        part(1, "y");
        assertThat(viewers.get(0).result.get(10, TimeUnit.SECONDS)).isEqualTo("shared y");
        assertThat(viewers.get(1).result.get(10, TimeUnit.SECONDS)).isEqualTo("shared y");
        assertThat(viewers.get(2).result.get(10, TimeUnit.SECONDS)).isEqualTo("hit y");
        drain();
        assertThat(listened(viewers)).containsExactly(1);
        assertThat(deliveries().count()).isZero();

        viewers.get(1).written.operationComplete(channel.newSucceededFuture());
        assertThat(deliveries().count()).isEqualTo(1);
    }

    @Test
    void shouldRecordNothingWhenTheTimedWriteFails() throws Exception
    {
        final List<Viewer> viewers = hold(true, true);

        part(1, "y");
        answered(viewers, "shared y");
        drain();
        viewers.get(1).written.operationComplete(channel.newFailedFuture(new ClosedChannelException()));
        assertThat(deliveries().count()).as("a failed write may complete before the others: no sample").isZero();
    }

    @Test
    void shouldRecordAfterTheLastHandOverWhenNoViewerOfTheChunkTakesASharedForm() throws Exception
    {
        final List<Viewer> viewers = hold(false, false, false);

        part(1, "y");
        answered(viewers, "hit y");
        // the sample is recorded after the chunk's last answer was handed over: let the chunk finish, then read
        drain();
        assertThat(listened(viewers)).isEmpty();
        assertThat(deliveries().count()).isEqualTo(1);
    }

    @Test
    void shouldRecordOneSamplePerTimerAChunkAnswersWhenItsLastWriteCompletes() throws Exception
    {
        final Counter unused = registry.counter("unused");
        final Counter chunks = registry.counter("chunks");
        final Timer parts = registry.timer("parts");
        final Timer playlists = registry.timer("playlists");
        final LiveWakeBatch batch = new LiveWakeBatch(unused, unused, chunks, UnpooledByteBufAllocator.DEFAULT);
        final ByteBuf part = Unpooled.copiedBuffer("part", StandardCharsets.ISO_8859_1);
        final ByteBuf full = Unpooled.copiedBuffer("full", StandardCharsets.ISO_8859_1);
        final ByteBuf delta = Unpooled.copiedBuffer("delta", StandardCharsets.ISO_8859_1);
        final List<Viewer> viewers = List.of(new Viewer(true), new Viewer(true), new Viewer(true), new Viewer(true));
        for (final Viewer viewer : viewers)
        {
            assertThat(viewer.claim()).isTrue();
        }
        batch.begin(System.nanoTime());
        batch.add(viewers.get(0), full, "a", "c", playlists);
        batch.add(viewers.get(1), part, "b", "c", parts);
        batch.add(viewers.get(2), delta, "a", "c", playlists);
        batch.add(viewers.get(3), part, "b", "c", parts);
        batch.dispatch(answers -> { }, Integer.MAX_VALUE);
        assertThat(viewers.get(0).result.get(10, TimeUnit.SECONDS)).isEqualTo("shared full");
        assertThat(viewers.get(2).result.get(10, TimeUnit.SECONDS)).isEqualTo("shared delta");
        answered(List.of(viewers.get(1), viewers.get(3)), "shared part");
        drain();
        assertThat(listened(viewers)).containsExactly(3);
        assertThat(parts.count() + playlists.count()).isZero();

        viewers.get(3).written.operationComplete(channel.newSucceededFuture());
        assertThat(parts.count()).isEqualTo(1);
        assertThat(playlists.count()).as("the full and the delta playlist share one sample").isEqualTo(1);
        assertThat(chunks.count()).isEqualTo(1);
        assertThat(List.of(part, full, delta)).as("the batch released its references")
            .allSatisfy(buffer -> assertThat(buffer.refCnt()).isEqualTo(1));
        part.release();
        full.release();
        delta.release();
    }

    private Timer deliveries()
    {
        return registry.get(LiveRequests.DELIVERY_TIMER).tag("kind", "part").timer();
    }

    private static void answered(final List<Viewer> viewers, final String expected) throws Exception
    {
        for (final Viewer viewer : viewers)
        {
            assertThat(viewer.result.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }

    private static List<Integer> listened(final List<Viewer> viewers)
    {
        final List<Integer> listened = new ArrayList<>();
        for (int v = 0; v < viewers.size(); v++)
        {
            if (viewers.get(v).written != null)
            {
                listened.add(v);
            }
        }
        return listened;
    }

    /**
     * Wait until the loop ran everything queued so far (a chunk's last steps run after its last answer).
     */
    private void drain() throws Exception
    {
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        loop.execute(() -> drained.complete(null));
        drained.get(10, TimeUnit.SECONDS);
    }

    private List<Viewer> hold(final boolean... shared) throws Exception
    {
        part(0, "x");
        final List<Viewer> viewers = new ArrayList<>();
        for (final boolean takesShared : shared)
        {
            final Viewer viewer = new Viewer(takesShared);
            final ContentKey key = (ContentKey)ContentKeyParser.parse("/live/s/r/1-0.1.m4s");
            assertThat(loop.submit(() -> store.answer(key, null, viewer)).get(10, TimeUnit.SECONDS)).isTrue();
            viewers.add(viewer);
        }
        assertThat(store.held("s", "r")).isEqualTo(shared.length);
        return viewers;
    }

    private void part(final int part, final String bytes)
    {
        final byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        store.onPart("s", "r", 1, 0, part, 0, 500_000, 0, new UnsafeBuffer(payload), 0, payload.length);
    }
}
