package io.bifrost.edge.live;

import io.bifrost.protocol.sbe.WindowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.bifrost.edge.live.LiveEdgeFixture.EPOCH;
import static io.bifrost.edge.live.LiveEdgeFixture.PLAYLIST;
import static io.bifrost.edge.live.LiveEdgeFixture.RENDITION;
import static io.bifrost.edge.live.LiveEdgeFixture.STREAM;
import static io.bifrost.edge.live.LiveEdgeFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live at the edge with real components ({@link LiveEdgeFixture}): two embedded Aeron media drivers in temp dirs (an
 * "origin" and an "edge", as in two processes) over UDP loopback with dynamic multi-destination-cast, the edge's real
 * Netty HTTP server on an ephemeral port, and the JDK HttpClient (HTTP/1.1 and h2c) as the player.
 */
class LiveEdgeTest
{
    @RegisterExtension
    final LiveEdgeFixture edge = new LiveEdgeFixture();

    private HttpResponse<byte[]> get(final HttpClient client, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(edge.uri(path)).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(final HttpClient client, final String path)
    {
        return client.sendAsync(HttpRequest.newBuilder(edge.uri(path)).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static String partPath(final long msn, final int part)
    {
        return "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-" + msn + "." + part + ".m4s";
    }

    @Test
    void shouldServePartsSegmentsAndPlaylistsReplicatedOverAeron() throws Exception
    {
        edge.advanceUntil(1, 1);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 1, 1));

        final HttpResponse<byte[]> part = get(edge.http1(), partPath(0, 2));
        final HttpResponse<byte[]> segment =
            get(edge.http1(), "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-0.m4s");
        final HttpResponse<byte[]> playlist = get(edge.http2(), PLAYLIST);

        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(part.body()).isEqualTo(LiveParts.bytes(EPOCH, 0, 2));
        assertThat(part.headers().firstValue("Cache-Status")).hasValue("bifrost; hit");
        assertThat(part.headers().firstValue("Cache-Control")).hasValue("public, max-age=4, immutable");
        assertThat(segment.statusCode()).isEqualTo(200);
        final java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        for (int p = 0; p < LiveParts.PARTS_PER_SEGMENT; p++)
        {
            whole.write(LiveParts.bytes(EPOCH, 0, p));
        }
        assertThat(segment.body()).isEqualTo(whole.toByteArray());
        assertThat(playlist.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(new String(playlist.body())).isEqualTo(LiveParts.playlist(new LiveWindow(EPOCH, 0, 0, 0, 1, 2000, 500)));
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(edge.origin().requests(PLAYLIST)).isZero();
    }

    @Test
    void shouldAnswerABlockingReloadTheMomentThePartArrivesOverHttp1AndH2c() throws Exception
    {
        edge.advanceUntil(0, 1);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 0, 1));

        final CompletableFuture<HttpResponse<String>> overHttp1 =
            getAsync(edge.http1(), PLAYLIST + "?_HLS_msn=0&_HLS_part=2");
        final CompletableFuture<HttpResponse<String>> overH2c =
            getAsync(edge.http2(), PLAYLIST + "?_HLS_msn=0&_HLS_part=2");
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, RENDITION) == 2);
        assertThat(overHttp1).isNotDone();
        edge.advance();

        final String expected = LiveParts.playlist(new LiveWindow(EPOCH, 0, -1, 0, 2, 2000, 500));
        assertThat(overHttp1.get().statusCode()).isEqualTo(200);
        assertThat(overHttp1.get().body()).isEqualTo(expected).contains("0.2.m4s");
        assertThat(overHttp1.get().headers().firstValue("Cache-Control")).hasValue("public, max-age=12");
        assertThat(overH2c.get().version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(overH2c.get().body()).isEqualTo(expected);
    }

    @Test
    void shouldHoldAPreloadHintedPartUntilItArrives() throws Exception
    {
        edge.advanceUntil(0, 0);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 0, 0));

        final CompletableFuture<HttpResponse<byte[]>> hinted = edge.http1().sendAsync(
            HttpRequest.newBuilder(edge.uri(partPath(0, 1))).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, RENDITION) == 1);
        edge.advance();

        assertThat(hinted.get().statusCode()).isEqualTo(200);
        assertThat(hinted.get().body()).isEqualTo(LiveParts.bytes(EPOCH, 0, 1));
        assertThat(edge.origin().requests(partPath(0, 1))).isZero();
    }

    @Test
    void shouldWakeFiftyHeldViewersTogetherWhenOnePartArrives() throws Exception
    {
        edge.advanceUntil(2, 0);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 2, 0));
        final List<CompletableFuture<HttpResponse<String>>> viewers = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            viewers.add(getAsync(i % 2 == 0 ? edge.http1() : edge.http2(), PLAYLIST + "?_HLS_msn=2&_HLS_part=1"));
        }
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, RENDITION) == 50);

        edge.advance();

        CompletableFuture.allOf(viewers.toArray(CompletableFuture[]::new)).get();
        final String expected = LiveParts.playlist(new LiveWindow(EPOCH, 0, 1, 0, 1, 2000, 500));
        for (final CompletableFuture<HttpResponse<String>> viewer : viewers)
        {
            assertThat(viewer.get().statusCode()).isEqualTo(200);
            assertThat(viewer.get().body()).isEqualTo(expected);
        }
        assertThat(edge.registry().get("bifrost.edge.live.requests").tag("outcome", "woken").counter().count())
            .isEqualTo(50);
    }

    @Test
    void shouldRefuseBadDirectivesAndAnswer503AfterThreeTargetDurations() throws Exception
    {
        edge.publisher().part(STREAM, RENDITION, EPOCH, 0, 0, false, LiveParts.bytes(EPOCH, 0, 0));
        final LiveWindow window = new LiveWindow(EPOCH, 0, -1, 0, 0, 100, 50);
        edge.publisher().window(STREAM, RENDITION, WindowKind.HLS_MEDIA_PLAYLIST, window, LiveParts.playlist(window));
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 0, 0));
        await().atMost(WAIT).until(() -> get(edge.http1(), PLAYLIST).statusCode() == 200);

        final HttpResponse<byte[]> partWithoutMsn = get(edge.http1(), PLAYLIST + "?_HLS_part=1");
        final HttpResponse<byte[]> notANumber = get(edge.http1(), PLAYLIST + "?_HLS_msn=x");
        final HttpResponse<byte[]> tooFar = get(edge.http1(), PLAYLIST + "?_HLS_msn=9");
        final HttpResponse<byte[]> neverReached = get(edge.http2(), PLAYLIST + "?_HLS_msn=1&_HLS_part=0");

        assertThat(partWithoutMsn.statusCode()).isEqualTo(400);
        assertThat(new String(partWithoutMsn.body())).contains("_HLS_part needs _HLS_msn");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(tooFar.statusCode()).isEqualTo(400);
        assertThat(neverReached.statusCode()).as("held 3 x 100 ms target duration, then 503").isEqualTo(503);
        assertThat(edge.registry().get("bifrost.edge.live.requests").tag("outcome", "timeout").counter().count())
            .isEqualTo(1);
    }

    @Test
    void shouldCatchUpOverHttpWhenJoiningLateThenFollowAeron() throws Exception
    {
        // The origin has been live for a while: its playlist lists segments 0-1 and two parts of segment 2.
        final LiveWindow before = new LiveWindow(EPOCH, 0, 1, 0, 1, 2000, 500);
        edge.origin().put(PLAYLIST, LiveParts.utf8(LiveParts.playlist(before)));
        for (long m = 0; m <= 2; m++)
        {
            for (int p = 0; p < (m == 2 ? 2 : LiveParts.PARTS_PER_SEGMENT); p++)
            {
                edge.origin().put(partPath(m, p), LiveParts.bytes(EPOCH, m, p));
            }
        }
        edge.skipTo(2, 2);

        edge.advance();

        await().atMost(WAIT).until(() ->
        {
            for (long m = 0; m <= 2; m++)
            {
                for (int p = 0; p < (m == 2 ? 2 : LiveParts.PARTS_PER_SEGMENT); p++)
                {
                    if (!edge.store().hasPart(STREAM, RENDITION, EPOCH, m, p))
                    {
                        return false;
                    }
                }
            }
            return true;
        });
        assertThat(edge.origin().requests(PLAYLIST)).isGreaterThanOrEqualTo(1);
        final HttpResponse<byte[]> segment =
            get(edge.http1(), "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-1.m4s");
        assertThat(segment.statusCode()).isEqualTo(200);
        assertThat(segment.headers().firstValue("Cache-Status")).hasValue("bifrost; hit");
        final int originPartRequests = edge.origin().requests(partPath(2, 2));

        edge.advanceUntil(3, 0);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 3, 0));
        assertThat(get(edge.http1(), partPath(3, 0)).body()).isEqualTo(LiveParts.bytes(EPOCH, 3, 0));
        assertThat(edge.origin().requests(partPath(2, 2))).isEqualTo(originPartRequests);
        assertThat(edge.registry().get("bifrost.edge.live.catchups").tag("result", "parts").counter().count())
            .isGreaterThan(0);
    }

    @Test
    void shouldFallBackToTheOriginForWhatTheLiveWindowDoesNotHold() throws Exception
    {
        edge.origin().put("/live/other/720p/index.m3u8", LiveParts.utf8("#EXTM3U\n#from-origin\n"));
        edge.origin().put("/live/" + STREAM + "/" + RENDITION + "/init.mp4", new byte[] {1, 2, 3});
        edge.advanceUntil(0, 0);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 0, 0));

        assertThat(new String(get(edge.http1(), "/live/other/720p/index.m3u8").body())).contains("#from-origin");
        assertThat(get(edge.http1(), "/live/" + STREAM + "/" + RENDITION + "/init.mp4").body())
            .containsExactly(1, 2, 3);
        assertThat(get(edge.http1(), "/live/" + STREAM + "/" + RENDITION + "/" + (EPOCH - 1) + "-0.0.m4s").statusCode())
            .as("an older session's part goes to the origin").isEqualTo(404);
    }

    @Test
    void shouldReplaceTheSessionOnANewEpochAndKeepTheFinalPlaylistAtTheEnd() throws Exception
    {
        edge.advanceUntil(0, 1);
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, RENDITION, EPOCH, 0, 1));
        final CompletableFuture<HttpResponse<String>> held =
            getAsync(edge.http1(), PLAYLIST + "?_HLS_msn=1&_HLS_part=0");
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, RENDITION) == 1);

        final String finalPlaylist = LiveParts.playlist(new LiveWindow(EPOCH, 0, 0, 0, -1, 2000, 500)) + "#EXT-X-ENDLIST\n";
        edge.publisher().window(STREAM, RENDITION, WindowKind.END_OF_STREAM,
            new LiveWindow(EPOCH, 0, 0, 0, -1, 2000, 500), finalPlaylist);

        assertThat(held.get().body()).as("the end answers held reloads with the final playlist").isEqualTo(finalPlaylist);
        assertThat(new String(get(edge.http1(), PLAYLIST + "?_HLS_msn=7").body())).isEqualTo(finalPlaylist);

        edge.publisher().part(STREAM, RENDITION, EPOCH + 1, 0, 0, false, LiveParts.bytes(EPOCH + 1, 0, 0));
        await().atMost(WAIT).until(() -> edge.store().epoch(STREAM) == EPOCH + 1);
        assertThat(edge.store().hasPart(STREAM, RENDITION, EPOCH, 0, 1)).isFalse();
        edge.publisher().part(STREAM, RENDITION, EPOCH, 0, 2, false, LiveParts.bytes(EPOCH, 0, 2));
        await().atMost(WAIT).until(() ->
            edge.registry().get("bifrost.edge.live.dropped").tag("reason", "stale_epoch").counter().count() == 1);
    }
}
