package io.bifrost.edge.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.bifrost.edge.live.LiveEdgeFixture.EPOCH;
import static io.bifrost.edge.live.LiveEdgeFixture.RENDITION;
import static io.bifrost.edge.live.LiveEdgeFixture.STREAM;
import static io.bifrost.edge.live.LiveEdgeFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Low-latency DASH at the edge with real components ({@link LiveEdgeFixture}: two embedded Aeron media drivers over
 * UDP loopback, the edge's Netty server, the JDK HttpClient over HTTP/1.1 and h2c): a request for the segment being produced is answered at
 * once and receives each part as it arrives over Aeron, before the segment completes (the test reads a part's bytes
 * and only then publishes the next part, so the order of arrival is the proof, not a clock), and ends byte-identical
 * to the complete segment.
 */
class LiveChunkedSegmentTest
{
    @RegisterExtension
    final LiveEdgeFixture edge = new LiveEdgeFixture().awaitingEachPart();

    private static String segmentPath(final long msn)
    {
        return "/live/" + STREAM + "/" + RENDITION + "/" + EPOCH + "-" + msn + ".m4s";
    }

    private CompletableFuture<HttpResponse<InputStream>> stream(final HttpClient client, final long segment)
    {
        return client.sendAsync(HttpRequest.newBuilder(edge.uri(segmentPath(segment))).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<byte[]> get(final HttpClient client, final HttpRequest.Builder request) throws Exception
    {
        return client.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(final String path)
    {
        return HttpRequest.newBuilder(edge.uri(path));
    }

    private static byte[] whole(final long msn) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int p = 0; p < LiveParts.PARTS_PER_SEGMENT; p++)
        {
            bytes.write(LiveParts.bytes(EPOCH, msn, p));
        }
        return bytes.toByteArray();
    }

    private static byte[] readPart(final InputStream body, final long msn, final int part) throws IOException
    {
        return body.readNBytes(LiveParts.bytes(EPOCH, msn, part).length);
    }

    private double chunked(final String result)
    {
        return edge.registry().get("bifrost.edge.live.chunked").tag("result", result).counter().count();
    }

    @Test
    void shouldSendTheSegmentBeingProducedPartByPartBeforeItCompletesOverHttp1AndH2c() throws Exception
    {
        edge.advanceUntil(1, 0);

        for (final HttpClient client : List.of(edge.http1(), edge.http2()))
        {
            final long segment = edge.msn();
            final HttpResponse<InputStream> response = stream(client, segment).get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Length")).isEmpty();
            assertThat(response.headers().firstValue("Cache-Status")).hasValue("bifrost; hit");
            try (InputStream body = response.body())
            {
                final ByteArrayOutputStream received = new ByteArrayOutputStream();
                for (int p = 0; p < LiveParts.PARTS_PER_SEGMENT; p++)
                {
                    // part p is read while part p + 1 does not exist yet: it was sent before the segment completed
                    final byte[] bytes = readPart(body, segment, p);
                    assertThat(bytes).as("part %d of segment %d", p, segment).isEqualTo(LiveParts.bytes(EPOCH, segment, p));
                    received.write(bytes);
                    edge.advance();
                }
                received.write(body.readAllBytes());
                assertThat(received.toByteArray()).isEqualTo(whole(segment));
            }
            final HttpResponse<byte[]> complete = get(client, request(segmentPath(segment)));
            assertThat(complete.headers().firstValue("Content-Length")).hasValue(Integer.toString(whole(segment).length));
            assertThat(complete.body()).isEqualTo(whole(segment));
            assertThat(response.version()).isEqualTo(client.version());
        }
        assertThat(chunked("started")).isEqualTo(2);
        assertThat(chunked("completed")).isEqualTo(2);
        assertThat(edge.origin().requests(segmentPath(1))).isZero();
    }

    @Test
    void shouldHoldTheNextSegmentUntilItsFirstPartThenStreamIt() throws Exception
    {
        edge.advanceUntil(0, LiveParts.PARTS_PER_SEGMENT - 1);

        final CompletableFuture<HttpResponse<InputStream>> next = stream(edge.http1(), 1);
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, RENDITION) == 1);
        assertThat(next).isNotDone();
        edge.advance();

        try (InputStream body = next.get().body())
        {
            assertThat(readPart(body, 1, 0)).isEqualTo(LiveParts.bytes(EPOCH, 1, 0));
            edge.advanceUntil(1, LiveParts.PARTS_PER_SEGMENT - 1);
            assertThat(body.readAllBytes()).hasSize(whole(1).length - LiveParts.bytes(EPOCH, 1, 0).length);
        }
        assertThat(get(edge.http1(), request(segmentPath(3))).statusCode()).as("too far ahead: the normal path")
            .isEqualTo(404);
    }

    @Test
    void shouldStreamOneSegmentToFiftyViewersSharingItsParts() throws Exception
    {
        edge.advanceUntil(2, 0);
        final List<CompletableFuture<HttpResponse<InputStream>>> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            requests.add(stream(i % 2 == 0 ? edge.http1() : edge.http2(), 2));
        }
        final List<InputStream> bodies = new ArrayList<>();
        for (final CompletableFuture<HttpResponse<InputStream>> request : requests)
        {
            bodies.add(request.get().body());
        }
        for (final InputStream body : bodies)
        {
            assertThat(readPart(body, 2, 0)).isEqualTo(LiveParts.bytes(EPOCH, 2, 0));
        }
        edge.advance();
        for (final InputStream body : bodies)
        {
            assertThat(readPart(body, 2, 1)).isEqualTo(LiveParts.bytes(EPOCH, 2, 1));
        }
        edge.advanceUntil(2, LiveParts.PARTS_PER_SEGMENT - 1);
        final byte[] rest = java.util.Arrays.copyOfRange(whole(2),
            LiveParts.bytes(EPOCH, 2, 0).length + LiveParts.bytes(EPOCH, 2, 1).length, whole(2).length);
        for (final InputStream body : bodies)
        {
            try (body)
            {
                assertThat(body.readAllBytes()).isEqualTo(rest);
            }
        }
        assertThat(chunked("started")).isEqualTo(50);
        assertThat(chunked("completed")).isEqualTo(50);
    }

    @Test
    void shouldHoldHeadAndRangeRequestsForTheSegmentBeingProducedUntilItCompletes() throws Exception
    {
        edge.advanceUntil(0, 1);

        final CompletableFuture<HttpResponse<byte[]>> head = edge.http1().sendAsync(request(segmentPath(0))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        final CompletableFuture<HttpResponse<byte[]>> range = edge.http1().sendAsync(request(segmentPath(0))
            .header("Range", "bytes=10-19").timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, RENDITION) == 2);
        assertThat(head).isNotDone();
        assertThat(range).isNotDone();
        edge.advanceUntil(0, LiveParts.PARTS_PER_SEGMENT - 1);

        assertThat(head.get().statusCode()).isEqualTo(200);
        assertThat(head.get().headers().firstValue("Content-Length")).hasValue(Integer.toString(whole(0).length));
        assertThat(range.get().statusCode()).isEqualTo(206);
        assertThat(range.get().body()).isEqualTo(java.util.Arrays.copyOfRange(whole(0), 10, 20));
        assertThat(chunked("started")).isZero();
    }

    @Test
    void shouldAbortTheResponseWhenANewSessionReplacesTheSegmentMidway() throws Exception
    {
        edge.advanceUntil(0, 0);
        final HttpResponse<InputStream> response = stream(edge.http1(), 0).get();
        try (InputStream body = response.body())
        {
            assertThat(readPart(body, 0, 0)).isEqualTo(LiveParts.bytes(EPOCH, 0, 0));

            edge.publisher().part(STREAM, RENDITION, EPOCH + 1, 0, 0, false, LiveParts.bytes(EPOCH + 1, 0, 0));

            assertThatThrownBy(body::readAllBytes).as("a truncated segment is never ended as if complete")
                .isInstanceOf(IOException.class);
        }
        await().atMost(WAIT).until(() -> chunked("aborted") == 1);
        assertThat(chunked("completed")).isZero();
    }
}
