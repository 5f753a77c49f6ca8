package io.bifrost.edge.live;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.CacheHit;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A wake answers its viewers in chunks ({@code edge.live-wake-chunk}): between two chunks the event loop runs what
 * else it has queued (on a real transport: its I/O turn), and every viewer is still answered exactly once.
 */
class LiveWakeChunkTest
{
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final LiveWindowStore store = new LiveWindowStore(8L << 20, UnpooledByteBufAllocator.DEFAULT, registry);
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Notes its answer in the shared event list; the first one queues "other work" on the loop. */
    private final class Viewer extends RecordingLiveReply
    {
        final int id;

        Viewer(final int id)
        {
            super(loop);
            this.id = id;
        }

        @Override
        protected String describe(final CacheHit hit, final String body)
        {
            events.add("answer " + id);
            if (id == 0)
            {
                loop.execute(() -> events.add("other work"));
            }
            return body;
        }
    }

    @AfterEach
    void tearDown() throws Exception
    {
        store.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void shouldLetTheLoopRunOtherWorkBetweenChunksWhenAWakeIsLargerThanAChunk() throws Exception
    {
        store.wakeChunk(2);
        final List<Viewer> viewers = holdFive();

        part(1, "y");
        for (final Viewer viewer : viewers)
        {
            assertThat(viewer.result.get(10, TimeUnit.SECONDS)).isEqualTo("y");
        }
        // a chunk's delivery is recorded after its last answer: let the loop finish what it has queued, then read
        drain();
        assertThat(events).containsExactly("answer 0", "answer 1", "other work", "answer 2", "answer 3", "answer 4");
        assertThat(registry.get("bifrost.edge.live.wake.tasks").counter().count()).as("still one task per loop")
            .isEqualTo(1);
        assertThat(registry.get("bifrost.edge.live.wake.chunks").counter().count()).isEqualTo(3);
        assertThat(registry.get(LiveRequests.DELIVERY_TIMER).tag("kind", "part").timer().count())
            .as("one sample per chunk, not per viewer").isEqualTo(3);
    }

    @Test
    void shouldAnswerTheWholeWakeInOneTurnWhenItFitsAChunk() throws Exception
    {
        final List<Viewer> viewers = holdFive();

        part(1, "y");
        for (final Viewer viewer : viewers)
        {
            assertThat(viewer.result.get(10, TimeUnit.SECONDS)).isEqualTo("y");
        }
        drain();
        assertThat(events).containsExactly("answer 0", "answer 1", "answer 2", "answer 3", "answer 4", "other work");
    }

    @Test
    void shouldRefuseAWakeChunkBelowOneWhenConcluded()
    {
        assertThatThrownBy(() -> store.wakeChunk(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("edge.live-wake-chunk");
        final EdgeNode.Context context = new EdgeNode.Context().dataDir(Path.of("/tmp/unused-edge"))
            .origins(List.of(URI.create("http://127.0.0.1:9"))).liveWakeChunk(0);
        assertThat(context.liveWakeChunk()).isZero();
        assertThatThrownBy(context::conclude).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("edge.live-wake-chunk must be at least 1, got 0");
        assertThat(new EdgeNode.Context().liveWakeChunk()).isEqualTo(EdgeNode.Context.DEFAULT_LIVE_WAKE_CHUNK);
    }

    /**
     * Wait until the loop ran everything queued so far (a task queued after the wake's last chunk runs after it).
     */
    private void drain() throws Exception
    {
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        loop.execute(() -> drained.complete(null));
        drained.get(10, TimeUnit.SECONDS);
    }

    private List<Viewer> holdFive() throws Exception
    {
        part(0, "x");
        final List<Viewer> viewers = new ArrayList<>();
        for (int v = 0; v < 5; v++)
        {
            final Viewer viewer = new Viewer(v);
            final ContentKey key = (ContentKey)ContentKeyParser.parse("/live/s/r/1-0.1.m4s");
            assertThat(loop.submit(() -> store.answer(key, null, viewer)).get(10, TimeUnit.SECONDS)).isTrue();
            viewers.add(viewer);
        }
        assertThat(store.held("s", "r")).isEqualTo(5);
        return viewers;
    }

    private void part(final int part, final String bytes)
    {
        final byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        store.onPart("s", "r", 1, 0, part, 0, 500_000, 0, new UnsafeBuffer(payload), 0, payload.length);
    }
}
