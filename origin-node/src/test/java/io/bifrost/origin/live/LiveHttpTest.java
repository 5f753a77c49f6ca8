package io.bifrost.origin.live;

import io.bifrost.origin.TestClips;
import io.bifrost.origin.http.ApiRouter;
import io.bifrost.origin.http.OriginHttpServer;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The origin's {@code /live/} over real Netty on loopback with the JDK HttpClient: content and headers, LL-HLS
 * blocking reloads and preload-hinted parts answered when the part arrives, 503 when it does not, the spec's 400s,
 * the bound on held requests. Segments of 1 s (so the blocking timeout is 3 s) over ffmpeg media with a keyframe every
 * second.
 */
class LiveHttpTest
{
    @TempDir
    static Path media;

    @TempDir
    Path temp;

    private static byte[] video;
    private static byte[] audio;
    private static List<byte[]> videoUnits;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(7);
    private OriginStore store;
    private OriginHttpServer server;
    private LivePackager packager;

    @BeforeAll
    static void generate()
    {
        video = LiveTestMedia.video(media, 10, 30);
        audio = LiveTestMedia.audio(media, 10);
        videoUnits = LiveTestMedia.units(video);
    }

    private void start(final int maxHeld)
    {
        packager = new LivePackager(new LivePackager.Context().segmentTargetMs(1000).maxHeldRequests(maxHeld)
            .meterRegistry(registry));
        store = OriginStore.open(temp.resolve("db"));
        server = OriginHttpServer.start(new OriginHttpServer.Settings("127.0.0.1", 0, NettyTransport.select("auto"),
            1, 2, 1024, 30, null, new LiveResponder(packager)), store, new ApiRouter(), Readiness::up,
            () -> "", registry);
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
            store.close();
        }
    }

    @Test
    void shouldServeLiveContentFromTheWindowWithCacheControlAndCors() throws Exception
    {
        start(100);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30),
            new LiveTrack("audio", TrackKind.AUDIO, 96_000, 0, 0, 0)));
        LiveTestMedia.feedInterleaved(session, Map.of("360p", video, "audio", audio), random);
        final long epoch = session.epoch();

        final HttpResponse<String> master = get("/live/cam1/master.m3u8");
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(master.body()).contains("360p/index.m3u8", "URI=\"audio/index.m3u8\"");
        assertThat(master.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(master.headers().firstValue("cache-control")).hasValue("public, max-age=1");
        assertThat(master.headers().firstValue("access-control-allow-origin")).hasValue("*");

        final HttpResponse<String> playlist = get("/live/cam1/360p/index.m3u8");
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.body()).contains("#EXT-X-TARGETDURATION:1\n", epoch + "-9.m4s\n",
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + epoch + "-10.0.m4s\"");
        final HttpResponse<String> delta = get("/live/cam1/360p/index.m3u8?_HLS_skip=YES");
        assertThat(delta.body()).contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=").doesNotContain(epoch + "-0.m4s");

        final HttpResponse<byte[]> init = getBytes("/live/cam1/360p/init.mp4");
        assertThat(init.body()).isEqualTo(videoUnits.get(0));
        assertThat(init.headers().firstValue("content-type")).hasValue("video/mp4");

        final HttpResponse<byte[]> part = getBytes("/live/cam1/360p/" + epoch + "-9.1.m4s");
        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(part.body()).isEqualTo(videoUnits.get(1 + 9 * 3 + 1));
        assertThat(part.headers().firstValue("cache-control")).hasValue("public, max-age=10, immutable");
        assertThat(part.headers().firstValue("content-type")).hasValue("video/iso.segment");

        final HttpResponse<byte[]> segment = getBytes("/live/cam1/360p/" + epoch + "-2.m4s");
        assertThat(segment.body().length).isEqualTo(videoUnits.get(7).length + videoUnits.get(8).length +
            videoUnits.get(9).length);

        final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri("/live/cam1/360p/" + epoch + "-9.1.m4s"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(part.body().length);

        final HttpResponse<String> mpd = get("/live/cam1/manifest.mpd");
        assertThat(mpd.statusCode()).isEqualTo(200);
        assertThat(mpd.headers().firstValue("content-type")).hasValue("application/dash+xml");
        assertThat(mpd.body()).contains("type=\"dynamic\"", epoch + "-$Number$.m4s");

        assertThat(get("/live/cam2/master.m3u8").statusCode()).isEqualTo(404);
        assertThat(get("/live/cam1/360p/" + (epoch - 1) + "-9.1.m4s").statusCode()).isEqualTo(404);
        assertThat(get("/live/cam1/1080p/index.m3u8").statusCode()).isEqualTo(404);
        assertThat(get("/live/cam1/360p/" + epoch + "-3.7.m4s").statusCode()).isEqualTo(404);
        final HttpResponse<String> missing = get("/live/cam1/360p/" + epoch + "-50.0.m4s");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("cache-control")).hasValue("no-store");

        session.end();
        final HttpResponse<String> ended = get("/live/cam1/360p/index.m3u8?_HLS_msn=40&_HLS_part=0");
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(ended.body()).endsWith("#EXT-X-ENDLIST\n");

        // a real client reads the whole window through the master playlist and decodes every frame of both tracks
        final String frames = TestClips.run(List.of(TestClips.FFPROBE.toString(), "-v", "error", "-count_frames",
            "-show_entries", "stream=codec_type,nb_read_frames", "-of", "csv=p=0",
            uri("/live/cam1/master.m3u8").toString()));
        assertThat(frames).contains("video,300");
        assertThat(frames).containsPattern("audio,4\\d\\d"); // the window: ten complete audio segments of ~1.02-1.37 s
    }

    @Test
    void shouldAnswerABlockingReloadWhenThePartArrives() throws Exception
    {
        start(100);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        final CmafTrackSink sink = session.track("360p");
        for (int i = 0; i < 3; i++)
        {
            LiveTestMedia.feed(sink, videoUnits.get(i), random);
        }
        final long epoch = session.epoch();
        final String nextPart = epoch + "-0.2.m4s";
        assertThat(get("/live/cam1/360p/index.m3u8").body()).contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" +
            nextPart + "\"").doesNotContain("URI=\"" + nextPart + "\",");

        final CompletableFuture<HttpResponse<String>> blocked = getAsync(
            "/live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=2");
        final CompletableFuture<HttpResponse<byte[]>> hinted = http.sendAsync(
            HttpRequest.newBuilder(uri("/live/cam1/360p/" + nextPart)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 2);
        assertThat(blocked).isNotDone();
        assertThat(hinted).isNotDone();

        LiveTestMedia.feed(sink, videoUnits.get(3), random);
        final HttpResponse<String> answer = blocked.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("#EXT-X-PART:DURATION=0.33333,URI=\"" + nextPart + "\"");
        assertThat(answer.headers().firstValue("cache-control")).hasValue("public, max-age=6");
        final HttpResponse<byte[]> part = hinted.get(10, TimeUnit.SECONDS);
        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(part.body()).isEqualTo(videoUnits.get(3));
        assertThat(packager.metrics().heldRequests()).isZero();
        assertThat(registry.get("bifrost.live.requests").tag("outcome", "held").counter().count()).isEqualTo(2);

        final CompletableFuture<HttpResponse<String>> nextSegment = getAsync(
            "/live/cam1/360p/index.m3u8?_HLS_msn=1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 1);
        LiveTestMedia.feed(sink, videoUnits.get(4), random);
        assertThat(nextSegment).isNotDone();
        for (int i = 5; i <= 7; i++)
        {
            LiveTestMedia.feed(sink, videoUnits.get(i), random);
        }
        assertThat(nextSegment.get(10, TimeUnit.SECONDS).body()).contains("#EXTINF:1.00000,\n" + epoch + "-1.m4s\n");
    }

    @Test
    void shouldAnswer503WhenTheAwaitedPartDoesNotArriveInThreeTargetDurations() throws Exception
    {
        start(100);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(0), random);
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(1), random);
        final long startNs = System.nanoTime();
        final HttpResponse<String> late = get("/live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=1");
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)).isGreaterThanOrEqualTo(2900);
        assertThat(late.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(registry.get("bifrost.live.requests").tag("outcome", "timeout").counter().count()).isEqualTo(1);
        assertThat(packager.metrics().heldRequests()).isZero();
    }

    @Test
    void shouldRefuseMalformedAndFarFutureBlockingRequestsWith400() throws Exception
    {
        start(100);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(0), random);
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(1), random);
        for (final String query : List.of("_HLS_part=1", "_HLS_msn=abc", "_HLS_msn=-1", "_HLS_msn=0&_HLS_part=x",
            "_HLS_msn=3", "_HLS_msn=0&_HLS_part=40", "_HLS_msn=2&_HLS_part=5"))
        {
            final HttpResponse<String> refused = get("/live/cam1/360p/index.m3u8?" + query);
            assertThat(refused.statusCode()).as(query).isEqualTo(400);
        }
        assertThat(registry.get("bifrost.live.requests").tag("outcome", "bad_request").counter().count())
            .isEqualTo(7);
        assertThat(packager.metrics().heldRequests()).isZero();
    }

    @Test
    void shouldAnswer503PastTheBoundOnHeldRequests() throws Exception
    {
        start(1);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(0), random);
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(1), random);
        final CompletableFuture<HttpResponse<String>> first = getAsync(
            "/live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 1);
        final HttpResponse<String> second = get("/live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=1");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("too many held requests");
        LiveTestMedia.feed(session.track("360p"), videoUnits.get(2), random);
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldKeepPipelinedAnswersInOrderBehindAHeldRequestAndDropItWhenTheClientLeaves() throws Exception
    {
        start(100);
        final LiveSession session = packager.open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        final CmafTrackSink sink = session.track("360p");
        LiveTestMedia.feed(sink, videoUnits.get(0), random);
        LiveTestMedia.feed(sink, videoUnits.get(1), random);
        final long epoch = session.epoch();
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            final String held = "GET /live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=1 HTTP/1.1\r\nHost: x\r\n\r\n";
            final String behind = "GET /live/cam1/360p/" + epoch + "-0.0.m4s HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write((held + behind).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 1);
            LiveTestMedia.feed(sink, videoUnits.get(2), random);
            final InputStream in = socket.getInputStream();
            final String first = readResponse(in);
            final String second = readResponse(in);
            assertThat(first).startsWith("HTTP/1.1 200").contains("URI=\"" + epoch + "-0.1.m4s\"");
            assertThat(second).startsWith("HTTP/1.1 200").contains("content-type: video/iso.segment");
        }
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.getOutputStream().write(("GET /live/cam1/360p/index.m3u8?_HLS_msn=0&_HLS_part=2 HTTP/1.1\r\n" +
                "Host: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 1);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> packager.metrics().heldRequests() == 0);
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns head and body as ISO-8859-1 text. */
    private static String readResponse(final InputStream in) throws Exception
    {
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IllegalStateException("connection closed after " + head);
            }
            head.append((char)b);
        }
        int length = 0;
        for (final String line : head.toString().split("\r\n"))
        {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
            {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        final byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(final String path)
    {
        return http.sendAsync(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
