package io.bifrost.edge.live;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many viewers held on one part, on two event loops: one task per loop answers them all from one shared buffer, and
 * hold limits are kept per loop without a timer per request.
 */
class LiveWakeBatchTest
{
    /** Remembers every buffer the store allocates, to check that sharing leaks no reference. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator
    {
        final List<ByteBuf> allocated = new CopyOnWriteArrayList<>();

        @Override
        protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
        {
            return track(Unpooled.buffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
        {
            return track(Unpooled.directBuffer(initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled()
        {
            return false;
        }

        private ByteBuf track(final ByteBuf buffer)
        {
            allocated.add(buffer);
            return buffer;
        }
    }

    /** Collects the one answer a request gets, and on which thread. */
    private static final class Answer extends LiveReply
    {
        final CompletableFuture<String> result = new CompletableFuture<>();
        final EventExecutor loop;
        volatile boolean onItsLoop;

        Answer(final EventExecutor loop)
        {
            super(loop);
            this.loop = loop;
        }

        @Override
        protected void onHit(final CacheHit hit)
        {
            onItsLoop = loop.inEventLoop();
            final ByteBuf content = hit.content();
            final String body = content.toString(StandardCharsets.ISO_8859_1);
            // release before completing: the test checks every buffer's count as soon as the last answer is in
            content.release();
            hit.release();
            result.complete("200 " + body);
        }

        @Override
        protected void onRefuse(final int status, final String code, final String message)
        {
            onItsLoop = loop.inEventLoop();
            result.complete(status + " " + code);
        }

        @Override
        protected void onFallBack()
        {
            onItsLoop = loop.inEventLoop();
            result.complete("fallback");
        }

        String get() throws Exception
        {
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DefaultEventLoop first = new DefaultEventLoop();
    private final DefaultEventLoop second = new DefaultEventLoop();
    private final TrackingAllocator allocator = new TrackingAllocator();
    private final LiveWindowStore store = new LiveWindowStore(64L << 20, allocator, registry);

    @AfterEach
    void tearDown() throws Exception
    {
        store.close();
        first.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        second.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void shouldAnswerEveryHeldViewerWithOneTaskPerEventLoopWhenThePartArrives() throws Exception
    {
        part(0, 0, "x");
        window(new LiveWindow(1, 0, -1, 0, 0, 2000, 500), "p0");
        final List<Answer> parts = new ArrayList<>();
        final List<Answer> playlists = new ArrayList<>();
        for (int v = 0; v < 200; v++)
        {
            parts.add(hold("/live/s/r/1-0.1.m4s", v % 2 == 0 ? first : second));
            playlists.add(hold("/live/s/r/index.m3u8?_HLS_msn=0&_HLS_part=1", v % 2 == 0 ? first : second));
        }
        assertThat(store.held("s", "r")).isEqualTo(400);

        part(0, 1, "y");
        for (final Answer answer : parts)
        {
            assertThat(answer.get()).isEqualTo("200 y");
            assertThat(answer.onItsLoop).isTrue();
        }
        assertThat(tasks()).as("one task per loop for the part's 200 viewers").isEqualTo(2);
        window(new LiveWindow(1, 0, -1, 0, 1, 2000, 500), "p1");
        for (final Answer answer : playlists)
        {
            assertThat(answer.get()).isEqualTo("200 p1");
        }

        assertThat(tasks()).as("and one per loop for the playlist's").isEqualTo(4);
        assertThat(registry.get("bifrost.edge.live.requests").tag("outcome", "woken").counter().count()).isEqualTo(400);
        assertThat(store.held("s", "r")).isZero();
        assertThat(registry.get("bifrost.edge.live.wake.shared").counter().count()).as("these replies do not opt in")
            .isZero();
        store.close();
        assertThat(allocator.allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void shouldAnswer503OrFallBackAtTheHoldLimitAndNothingMoreAfterAnAnswer() throws Exception
    {
        part(0, 0, "x");
        window(new LiveWindow(1, 0, -1, 0, 0, 100, 50), "p0");
        final Answer playlist = hold("/live/s/r/index.m3u8?_HLS_msn=1", first);
        final Answer preloadHint = hold("/live/s/r/1-0.2.m4s", second);
        final Answer answered = hold("/live/s/r/1-0.1.m4s", first);

        part(0, 1, "y");
        assertThat(answered.get()).isEqualTo("200 y");

        assertThat(playlist.get()).as("three target durations: 300 ms").isEqualTo("503 hls.blocking-timeout");
        assertThat(playlist.onItsLoop).isTrue();
        assertThat(preloadHint.get()).isEqualTo("fallback");
        assertThat(registry.get("bifrost.edge.live.requests").tag("outcome", "timeout").counter().count()).isEqualTo(1);
        assertThat(registry.get("bifrost.edge.live.requests").tag("outcome", "fallback_after_hold").counter().count())
            .isEqualTo(1);
        assertThat(answered.result).isCompletedWithValue("200 y");
    }

    private double tasks()
    {
        return registry.get("bifrost.edge.live.wake.tasks").counter().count();
    }

    private void part(final long msn, final int part, final String bytes)
    {
        final byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        store.onPart("s", "r", 1, msn, part, 0, 500_000, 0, new UnsafeBuffer(payload), 0, payload.length);
    }

    private void window(final LiveWindow window, final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        store.onWindow("s", "r", WindowKind.HLS_MEDIA_PLAYLIST, window, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private Answer hold(final String pathAndQuery, final EventExecutor loop) throws Exception
    {
        final Answer answer = new Answer(loop);
        final int q = pathAndQuery.indexOf('?');
        final ContentKey key = (ContentKey)ContentKeyParser.parse(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        // on the viewer's loop, as the HTTP handler does
        final boolean held = loop.submit(() -> store.answer(key, q < 0 ? null : pathAndQuery.substring(q + 1), answer))
            .get(10, TimeUnit.SECONDS);
        assertThat(held).isTrue();
        return answer;
    }
}
