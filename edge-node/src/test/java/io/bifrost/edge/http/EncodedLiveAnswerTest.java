package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.live.LiveWindow;
import io.bifrost.edge.live.LiveWindowStore;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Woken live answers written as pre-encoded HTTP/1.1 bytes below the codec ({@link EncodedResponseWriter}), on the
 * edge's real server over 127.0.0.1 with raw sockets, so the exact bytes on the wire are compared: byte for byte what
 * the normal path writes, the codec's per-request bookkeeping kept (HEAD and pipelined requests behind an encoded
 * answer), and the viewers that cannot take it (HEAD, closing connections, h2c) answered the normal way.
 */
class EncodedLiveAnswerTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PART = "/live/s/r/1-0.1.m4s";
    private static final String BLOCKING = "/live/s/r/index.m3u8?_HLS_msn=0&_HLS_part=1";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LiveWindowStore store = new LiveWindowStore(64L << 20, PooledByteBufAllocator.DEFAULT, registry);
    private RamTier ram;
    private EdgeHttpServer edge;
    private String partBody;

    @BeforeEach
    void setUp()
    {
        ram = RamTier.open(dir.resolve("ram"), 16L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        edge = start(true);
        part(0, 0, "x0");
        window(0, "#EXTM3U p0\n");
        final StringBuilder body = new StringBuilder();
        while (body.length() < 3000)
        {
            body.append("moof-mdat-").append(body.length()).append(';');
        }
        partBody = body.toString();
    }

    private EdgeHttpServer start(final boolean encodedAnswers)
    {
        return EdgeHttpServer.start(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0).ioThreads(2)
            .origins(List.of(URI.create("http://127.0.0.1:9"))).meterRegistry(registry)
            .liveEncodedAnswers(encodedAnswers), ram, null, store, Readiness::up);
    }

    @AfterEach
    void tearDown()
    {
        edge.close();
        store.close();
        ram.close();
    }

    @Test
    void shouldAnswerWokenGetsWithTheBytesTheNormalPathWrites() throws Exception
    {
        try (Viewer partViewer = new Viewer(); Viewer playlistViewer = new Viewer(); Viewer later = new Viewer())
        {
            partViewer.send(get(PART));
            playlistViewer.send(get(BLOCKING));
            await().atMost(WAIT).until(() -> store.held("s", "r") == 2);

            publishPartOne();
            final String encodedPart = partViewer.readResponse(false);
            final String encodedPlaylist = playlistViewer.readResponse(false);

            later.send(get(PART));
            final String normalPart = later.readResponse(false);
            later.send(get(BLOCKING));
            final String normalPlaylist = later.readResponse(false);

            assertThat(encodedPart).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n" + partBody)
                .isEqualTo(normalPart);
            assertThat(encodedPlaylist).endsWith("\r\n\r\n#EXTM3U p1\n").isEqualTo(normalPlaylist);
            assertThat(encoded()).isEqualTo(2);

            // the connections stay usable, and in step, after an encoded answer
            partViewer.send(get(PART));
            assertThat(partViewer.readResponse(false)).isEqualTo(normalPart);
            playlistViewer.send(get(BLOCKING));
            assertThat(playlistViewer.readResponse(false)).isEqualTo(normalPlaylist);
        }
    }

    @Test
    void shouldAnswerThroughTheCodecWithTheSameBytesWhenEncodedAnswersAreOff() throws Exception
    {
        edge.close();
        edge = start(false);
        try (Viewer held = new Viewer(); Viewer later = new Viewer())
        {
            held.send(get(PART));
            await().atMost(WAIT).until(() -> store.held("s", "r") == 1);

            publishPartOne();
            final String shared = held.readResponse(false);
            later.send(get(PART));
            assertThat(shared).isEqualTo(later.readResponse(false));
            assertThat(encoded()).isZero();
            assertThat(registry.get("bifrost.edge.live.wake.shared").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepHeadAndPipelinedRequestsInStepBehindAnEncodedAnswer() throws Exception
    {
        try (Viewer pipelining = new Viewer(); Viewer reference = new Viewer())
        {
            // one write: a held GET, then a HEAD and a GET queued behind it; were the codec's method queue off by one,
            // the last GET would be answered without its body
            pipelining.send(get(PART) + head(PART) + get(PART));
            await().atMost(WAIT).until(() -> store.held("s", "r") == 1);

            publishPartOne();
            final String first = pipelining.readResponse(false);
            final String second = pipelining.readResponse(true);
            final String third = pipelining.readResponse(false);

            reference.send(get(PART));
            final String normal = reference.readResponse(false);
            assertThat(first).isEqualTo(normal);
            assertThat(second).isEqualTo(normal.substring(0, normal.length() - partBody.length()));
            assertThat(third).isEqualTo(normal);
            assertThat(encoded()).isEqualTo(1);

            pipelining.send(get("/live/s/r/index.m3u8"));
            assertThat(pipelining.readResponse(false)).endsWith("\r\n\r\n#EXTM3U p1\n");
            assertThat(pipelining.quiet()).as("nothing after the last answer").isTrue();
        }
    }

    @Test
    void shouldAnswerHeldHeadAndClosingRequestsTheNormalWay() throws Exception
    {
        try (Viewer headViewer = new Viewer(); Viewer closing = new Viewer(); Viewer reference = new Viewer())
        {
            headViewer.send(head(PART));
            closing.send("GET " + PART + " HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n");
            await().atMost(WAIT).until(() -> store.held("s", "r") == 2);

            publishPartOne();
            final String headAnswer = headViewer.readResponse(true);
            final String closingAnswer = closing.readResponse(false);

            reference.send(get(PART));
            final String normal = reference.readResponse(false);
            assertThat(headAnswer).isEqualTo(normal.substring(0, normal.length() - partBody.length()));
            assertThat(closingAnswer).isEqualTo(normal);
            assertThat(closing.closedByServer()).isTrue();
            assertThat(encoded()).isZero();
            assertThat(headViewer.quiet()).as("no body after the HEAD answer").isTrue();
        }
    }

    @Test
    void shouldAnswerH2cViewersOfTheSameWakeWithTheSharedResponse() throws Exception
    {
        try (HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            Viewer http1 = new Viewer())
        {
            final CompletableFuture<HttpResponse<String>> overH2c = h2c.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + BLOCKING)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
            http1.send(get(BLOCKING));
            await().atMost(WAIT).until(() -> store.held("s", "r") == 2);

            publishPartOne();
            final HttpResponse<String> h2Answer = overH2c.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(h2Answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(h2Answer.statusCode()).isEqualTo(200);
            assertThat(h2Answer.body()).isEqualTo("#EXTM3U p1\n");
            assertThat(h2Answer.headers().firstValue("cache-status")).hasValue("bifrost; hit");
            assertThat(http1.readResponse(false)).endsWith("\r\n\r\n#EXTM3U p1\n");
            assertThat(encoded()).as("the HTTP/1.1 viewer only").isEqualTo(1);
            assertThat(registry.get("bifrost.edge.live.wake.shared").counter().count()).isEqualTo(2);
        }
    }

    private double encoded()
    {
        return registry.get("bifrost.edge.live.wake.encoded").counter().count();
    }

    private void publishPartOne()
    {
        part(0, 1, partBody);
        window(1, "#EXTM3U p1\n");
    }

    private void part(final long msn, final int part, final String bytes)
    {
        final byte[] payload = bytes.getBytes(StandardCharsets.ISO_8859_1);
        store.onPart("s", "r", 1, msn, part, 0, 500_000, 0, new UnsafeBuffer(payload), 0, payload.length);
    }

    private void window(final int lastPart, final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        store.onWindow("s", "r", WindowKind.HLS_MEDIA_PLAYLIST, new LiveWindow(1, 0, -1, 0, lastPart, 2000, 500),
            new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String get(final String path)
    {
        return "GET " + path + " HTTP/1.1\r\nHost: edge\r\n\r\n";
    }

    private static String head(final String path)
    {
        return "HEAD " + path + " HTTP/1.1\r\nHost: edge\r\n\r\n";
    }

    /** One keep-alive HTTP/1.1 connection that reads whole responses as the exact bytes sent. */
    private final class Viewer implements AutoCloseable
    {
        private final Socket socket;
        private final InputStream in;

        Viewer() throws IOException
        {
            socket = new Socket("127.0.0.1", edge.port());
            socket.setSoTimeout((int)WAIT.toMillis());
            in = socket.getInputStream();
        }

        void send(final String request) throws IOException
        {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /**
         * @param headOnly true for the answer to a HEAD: no body follows the head whatever Content-Length says.
         * @return the status line, headers and body, as sent.
         */
        String readResponse(final boolean headOnly) throws IOException
        {
            final ByteArrayOutputStream response = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4)
            {
                final int b = in.read();
                assertThat(b).as("the response head ends before the connection").isNotNegative();
                response.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            final String head = response.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (final String line : head.split("\r\n"))
            {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            if (!headOnly)
            {
                response.write(in.readNBytes(length));
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }

        /**
         * @return true when the server sends nothing more within half a second (a short, bounded look).
         */
        boolean quiet() throws IOException
        {
            socket.setSoTimeout(500);
            try
            {
                return in.read() < 0;
            }
            catch (final java.net.SocketTimeoutException nothing)
            {
                return true;
            }
            finally
            {
                socket.setSoTimeout((int)WAIT.toMillis());
            }
        }

        boolean closedByServer() throws IOException
        {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
