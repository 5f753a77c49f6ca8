package io.bifrost.origin.live;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Low-latency DASH straight from the origin, with real components (the packager fed with ffmpeg CMAF, the origin's
 * Netty server on loopback ({@link LiveOriginServer}), the JDK HttpClient over HTTP/1.1 and h2c, a raw socket for pipelining): a GET for the
 * segment being written is answered at once and receives each part as the packager closes it. The test reads a part
 * and only then feeds the next fragment, so the order of arrival is the proof (no clock), and the bytes received are
 * the complete segment's. Segments of 1 s, three parts of 1/3 s each.
 */
class LiveChunkedSegmentTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PARTS_PER_SEGMENT = 3;

    @TempDir
    static Path media;

    @TempDir
    Path temp;

    /** The header, then one fragment (one part) per entry. */
    private static List<byte[]> units;

    private final Random random = new Random(3);
    private LiveOriginServer origin;
    private LivePackager packager;
    private HttpClient http1;
    private HttpClient http2;
    private LiveSession session;
    private int fed;

    @BeforeAll
    static void generate()
    {
        units = LiveTestMedia.units(LiveTestMedia.video(media, 4, 30));
    }

    @BeforeEach
    void start()
    {
        origin = LiveOriginServer.start(temp);
        packager = origin.packager();
        http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        session = origin.open();
    }

    @AfterEach
    void stop()
    {
        http1.close();
        http2.close();
        origin.close();
    }

    /** Feeds the header and fragments until {@code count} fragments are in. */
    private void feedUntil(final int count)
    {
        while (fed < count + 1)
        {
            LiveTestMedia.feed(session.track("360p"), units.get(fed++), random);
        }
    }

    private static byte[] part(final long msn, final int index)
    {
        return units.get(1 + (int)msn * PARTS_PER_SEGMENT + index);
    }

    private static byte[] whole(final long msn)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int p = 0; p < PARTS_PER_SEGMENT; p++)
        {
            bytes.writeBytes(part(msn, p));
        }
        return bytes.toByteArray();
    }

    private String segmentPath(final long msn)
    {
        return "/live/cam1/360p/" + session.epoch() + "-" + msn + ".m4s";
    }

    private HttpRequest.Builder request(final String path)
    {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.port() + path)).timeout(WAIT);
    }

    private CompletableFuture<HttpResponse<InputStream>> stream(final HttpClient client, final long msn)
    {
        return client.sendAsync(request(segmentPath(msn)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads exactly {@code length} bytes, within the test's bound (a server that held the segment would fail it). */
    private static byte[] read(final InputStream body, final int length) throws Exception
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return body.readNBytes(length);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private double chunked(final String result)
    {
        return origin.chunked(result);
    }

    @Test
    void shouldStreamTheSegmentBeingWrittenPartByPartBeforeItCompletesOverHttp1AndH2c() throws Exception
    {
        feedUntil(PARTS_PER_SEGMENT + 1);
        assertThat(http2.send(request("/live/cam1/360p/index.m3u8").build(), HttpResponse.BodyHandlers.ofString())
            .version()).as("the connection is HTTP/2 before the segment is asked for").isEqualTo(HttpClient.Version.HTTP_2);
        long msn = 1;
        for (final HttpClient client : List.of(http1, http2))
        {
            final HttpResponse<InputStream> response = stream(client, msn).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.version()).isEqualTo(client.version());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-length")).isEmpty();
            assertThat(response.headers().firstValue("content-type")).hasValue("video/iso.segment");
            assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (InputStream body = response.body())
            {
                for (int p = 0; p < PARTS_PER_SEGMENT; p++)
                {
                    // part p is read while part p + 1 does not exist yet: it was sent before the segment completed
                    final byte[] bytes = read(body, part(msn, p).length);
                    assertThat(bytes).as("part %d of segment %d", p, msn).isEqualTo(part(msn, p));
                    received.writeBytes(bytes);
                    feedUntil((int)msn * PARTS_PER_SEGMENT + p + 2);
                }
                received.writeBytes(body.readAllBytes());
            }
            final HttpResponse<byte[]> complete = client.send(request(segmentPath(msn)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertThat(complete.headers().firstValueAsLong("content-length")).hasValue(whole(msn).length);
            assertThat(received.toByteArray()).as("byte-identical to the complete segment")
                .isEqualTo(complete.body()).isEqualTo(whole(msn));
            msn++;
        }
        await().atMost(WAIT).until(() -> chunked("completed") == 2);
        assertThat(chunked("started")).isEqualTo(2);
        assertThat(chunked("aborted") + chunked("slow") + chunked("left")).isZero();
        await().atMost(WAIT).until(() -> packager.metrics().heldRequests() == 0);
    }

    @Test
    void shouldHoldTheNextSegmentUntilItsFirstPartThenStreamIt() throws Exception
    {
        feedUntil(PARTS_PER_SEGMENT);

        final CompletableFuture<HttpResponse<InputStream>> next = stream(http1, 1);
        await().atMost(WAIT).until(() -> packager.metrics().heldRequests() == 1);
        assertThat(next).isNotDone();
        feedUntil(PARTS_PER_SEGMENT + 1);

        try (InputStream body = next.get(WAIT.toSeconds(), TimeUnit.SECONDS).body())
        {
            assertThat(read(body, part(1, 0).length)).isEqualTo(part(1, 0));
            feedUntil(2 * PARTS_PER_SEGMENT);
            assertThat(body.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(whole(1), part(1, 0).length,
                whole(1).length));
        }
        assertThat(http1.send(request(segmentPath(4)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
            .as("further ahead than the next segment: not in the window").isEqualTo(404);
        await().atMost(WAIT).until(() -> chunked("completed") == 1);
    }

    @Test
    void shouldHoldHeadAndRangeRequestsForTheSegmentBeingWrittenUntilItCompletes() throws Exception
    {
        feedUntil(1);
        // connections up first (h2c upgrade included): each held request times out after 3 s, and on a loaded box
        // the upgrade for the second could take most of the first one's time
        for (final HttpClient client : List.of(http1, http2))
        {
            client.send(request("/live/cam1/360p/index.m3u8").build(), HttpResponse.BodyHandlers.discarding());
        }

        final CompletableFuture<HttpResponse<Void>> head = http1.sendAsync(request(segmentPath(0))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        final CompletableFuture<HttpResponse<byte[]>> range = http2.sendAsync(request(segmentPath(0))
            .header("Range", "bytes=10-19").build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(WAIT).until(() -> packager.metrics().heldRequests() == 2);
        feedUntil(2);
        assertThat(head).isNotDone();
        assertThat(range).isNotDone();
        feedUntil(PARTS_PER_SEGMENT);

        assertThat(head.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(head.get().headers().firstValueAsLong("content-length")).hasValue(whole(0).length);
        assertThat(range.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).as("the origin's live path has no ranges")
            .isEqualTo(200);
        assertThat(range.get().body()).isEqualTo(whole(0));
        assertThat(chunked("started")).isZero();
    }

    @Test
    void shouldAbortTheStreamWhenANewSessionReplacesItMidway() throws Exception
    {
        feedUntil(1);
        for (final HttpClient client : List.of(http1, http2))
        {
            // each session's first segment, with its first part (the first fragment of the file) in
            final HttpResponse<InputStream> response = stream(client, currentMsn()).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
            try (InputStream body = response.body())
            {
                assertThat(read(body, part(0, 0).length)).isEqualTo(part(0, 0));

                session = origin.open();
                fed = 0;
                feedUntil(1);

                final CompletableFuture<byte[]> rest = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        return body.readAllBytes();
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                });
                assertThatThrownBy(() -> rest.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("%s: a truncated segment is never ended as if complete", client.version())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UncheckedIOException.class);
            }
        }
        await().atMost(WAIT).until(() -> chunked("aborted") == 2);
        assertThat(chunked("completed")).isZero();
        await().atMost(WAIT).until(() -> packager.metrics().heldRequests() == 0);
    }

    /** The msn of the segment the current session is writing (its first, here). */
    private long currentMsn()
    {
        synchronized (packager.stream("cam1"))
        {
            return packager.stream("cam1").session.renditions.get("360p").nextMsn();
        }
    }

    @Test
    void shouldAnswerARequestPipelinedBehindAStreamedSegmentAfterIt() throws Exception
    {
        feedUntil(1);
        try (Socket socket = new Socket("127.0.0.1", origin.port()))
        {
            socket.setSoTimeout((int)WAIT.toMillis());
            final String streamed = "GET " + segmentPath(0) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            final String behind = "GET /live/cam1/360p/" + session.epoch() + "-0.0.m4s HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write((streamed + behind).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            final String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(readChunk(in));
            assertThat(body.toByteArray()).isEqualTo(part(0, 0));
            feedUntil(PARTS_PER_SEGMENT);
            byte[] chunk;
            while ((chunk = readChunk(in)).length > 0)
            {
                body.writeBytes(chunk);
            }
            assertThat(readLine(in)).as("the end of the chunked body").isEmpty();
            assertThat(body.toByteArray()).isEqualTo(whole(0));

            final String second = readHead(in);
            assertThat(second).startsWith("HTTP/1.1 200").contains("content-length: " + part(0, 0).length);
            assertThat(in.readNBytes(part(0, 0).length)).isEqualTo(part(0, 0));
        }
        await().atMost(WAIT).until(() -> chunked("completed") == 1);
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final StringBuilder head = new StringBuilder();
        String line;
        while (!(line = readLine(in)).isEmpty())
        {
            head.append(line.toLowerCase(Locale.ROOT).startsWith("http/") ? line : line.toLowerCase(Locale.ROOT))
                .append("\r\n");
        }
        return head.toString();
    }

    /** One chunk of a chunked body: its size line, its bytes and the CRLF after them; empty for the last chunk. */
    private static byte[] readChunk(final InputStream in) throws IOException
    {
        final int size = Integer.parseInt(readLine(in).trim(), 16);
        final byte[] bytes = in.readNBytes(size);
        if (size > 0)
        {
            assertThat(readLine(in)).isEmpty();
        }
        return bytes;
    }

    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n')
        {
            if (b < 0)
            {
                throw new IOException("connection closed after " + line);
            }
            if (b != '\r')
            {
                line.append((char)b);
            }
        }
        return line.toString();
    }
}
