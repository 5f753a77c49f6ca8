package io.bifrost.edge.live;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live window's storage and answer rules, driven directly (the Aeron and HTTP paths are in {@link LiveEdgeTest}):
 * eviction by window and by capacity, delta playlists for skip requests, segments held until complete, held parts
 * that can no longer arrive, and viewers that leave while held.
 */
class LiveWindowStoreTest
{
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private LiveWindowStore store = new LiveWindowStore(64L << 20, UnpooledByteBufAllocator.DEFAULT, registry);

    @AfterEach
    void tearDown() throws Exception
    {
        store.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Collects the one answer a request gets. */
    private final class Answer extends RecordingLiveReply
    {
        Answer()
        {
            super(loop);
        }

        @Override
        protected String describe(final CacheHit hit, final String body)
        {
            return "200 " + hit.cacheControl() + " " + body;
        }

        String get() throws Exception
        {
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    private void part(final long epoch, final long msn, final int part, final boolean end, final String bytes)
    {
        final byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        store.onPart("s", "r", epoch, msn, part, 0, 500_000, end ? LiveMessageDecoder.SEGMENT_END : 0,
            new UnsafeBuffer(payload), 0, payload.length);
    }

    private void window(final WindowKind kind, final LiveWindow window, final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        store.onWindow("s", kind == WindowKind.HLS_MASTER_PLAYLIST ? "" : "r", kind, window, new UnsafeBuffer(bytes), 0,
            bytes.length);
    }

    private String ask(final String pathAndQuery) throws Exception
    {
        final Answer answer = new Answer();
        final int q = pathAndQuery.indexOf('?');
        final ContentKey key = (ContentKey)ContentKeyParser.parse(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        if (!store.answer(key, q < 0 ? null : pathAndQuery.substring(q + 1), answer))
        {
            return "not held";
        }
        return answer.get();
    }

    private Answer hold(final String pathAndQuery)
    {
        final Answer answer = new Answer();
        final int q = pathAndQuery.indexOf('?');
        final ContentKey key = (ContentKey)ContentKeyParser.parse(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        assertThat(store.answer(key, q < 0 ? null : pathAndQuery.substring(q + 1), answer)).isTrue();
        return answer;
    }

    @Test
    void shouldEvictPartsThatLeftTheWindowAndServeTheDeltaToSkipRequests() throws Exception
    {
        for (long msn = 0; msn < 4; msn++)
        {
            part(1, msn, 0, false, "a" + msn);
            part(1, msn, 1, true, "b" + msn);
        }
        window(WindowKind.HLS_MEDIA_PLAYLIST, new LiveWindow(1, 2, 3, 0, -1, 2000, 500), "full");
        window(WindowKind.HLS_MEDIA_PLAYLIST_DELTA, new LiveWindow(1, 2, 3, 0, -1, 2000, 500), "delta");

        assertThat(store.hasPart("s", "r", 1, 1, 1)).isFalse();
        assertThat(ask("/live/s/r/1-1.1.m4s")).isEqualTo("not held");
        assertThat(ask("/live/s/r/1-2.m4s")).isEqualTo("200 public, max-age=4, immutable a2b2");
        assertThat(ask("/live/s/r/index.m3u8")).isEqualTo("200 public, max-age=1 full");
        assertThat(ask("/live/s/r/index.m3u8?_HLS_skip=YES")).isEqualTo("200 public, max-age=1 delta");
        assertThat(ask("/live/s/r/index.m3u8?_HLS_msn=3&_HLS_skip=v2")).isEqualTo("200 public, max-age=12 delta");
        assertThat(store.usedBytes()).isEqualTo(2 * 4 + "full".length() + "delta".length());
    }

    @Test
    void shouldEvictTheOldestSegmentsWhenOverCapacityAndDropWhatStillDoesNotFit() throws Exception
    {
        store.close();
        store = new LiveWindowStore(10, UnpooledByteBufAllocator.DEFAULT, registry);

        part(1, 0, 0, true, "0000");
        part(1, 1, 0, true, "1111");
        part(1, 2, 0, true, "2222");
        part(1, 3, 0, false, "33333333333");

        assertThat(store.hasPart("s", "r", 1, 0, 0)).isFalse();
        assertThat(store.hasPart("s", "r", 1, 1, 0)).isTrue();
        assertThat(store.hasPart("s", "r", 1, 2, 0)).isTrue();
        assertThat(store.hasPart("s", "r", 1, 3, 0)).as("larger than the whole store").isFalse();
        assertThat(registry.get("bifrost.edge.live.dropped").tag("reason", "capacity").counter().count()).isEqualTo(1);
        assertThat(store.usedBytes()).isEqualTo(8);
    }

    @Test
    void shouldHoldTheSegmentBeingWrittenUntilItIsComplete() throws Exception
    {
        part(1, 0, 0, false, "x");
        window(WindowKind.HLS_MEDIA_PLAYLIST, new LiveWindow(1, 0, -1, 0, 0, 2000, 500), "p");
        final Answer segment = hold("/live/s/r/1-0.m4s");

        part(1, 0, 1, false, "y");
        assertThat(segment.result).isNotDone();
        part(1, 0, 2, true, "z");

        assertThat(segment.get()).isEqualTo("200 public, max-age=2, immutable xyz");
    }

    @Test
    void shouldFallBackWhenAHeldPartCanNoLongerArrive() throws Exception
    {
        part(1, 0, 0, false, "x");
        window(WindowKind.HLS_MEDIA_PLAYLIST, new LiveWindow(1, 0, -1, 0, 0, 2000, 500), "p");
        final Answer third = hold("/live/s/r/1-0.2.m4s");

        part(1, 0, 1, true, "y");

        assertThat(third.get()).as("segment 0 ended with two parts").isEqualTo("fallback");
        assertThat(ask("/live/s/r/1-0.50.m4s")).as("beyond the Advance Part Limit").isEqualTo("not held");
        assertThat(ask("/live/s/r/1-0.1.m4s")).isEqualTo("200 public, max-age=2, immutable y");
    }

    @Test
    void shouldDropTheAnswerOfAViewerThatLeft() throws Exception
    {
        part(1, 0, 0, false, "x");
        window(WindowKind.HLS_MEDIA_PLAYLIST, new LiveWindow(1, 0, -1, 0, 0, 2000, 500), "p");
        final Answer left = hold("/live/s/r/index.m3u8?_HLS_msn=0&_HLS_part=1");
        final Answer stays = hold("/live/s/r/index.m3u8?_HLS_msn=0&_HLS_part=1");
        loop.submit(left::cancel).sync();
        assertThat(store.held("s", "r")).isEqualTo(1);

        part(1, 0, 1, false, "y");
        window(WindowKind.HLS_MEDIA_PLAYLIST, new LiveWindow(1, 0, -1, 0, 1, 2000, 500), "p2");

        assertThat(stays.get()).isEqualTo("200 public, max-age=12 p2");
        loop.submit(() -> { }).sync();
        assertThat(left.result).isNotDone();
    }

    @Test
    void shouldServeTheMasterPlaylistAndForgetItWithTheSession() throws Exception
    {
        part(1, 0, 0, false, "x");
        window(WindowKind.HLS_MASTER_PLAYLIST, new LiveWindow(1, 0, -1, 0, 0, 2000, 500), "#EXTM3U master");

        assertThat(ask("/live/s/master.m3u8")).isEqualTo("200 public, max-age=1 #EXTM3U master");
        part(2, 0, 0, false, "x");
        assertThat(ask("/live/s/master.m3u8")).isEqualTo("not held");
    }
}
