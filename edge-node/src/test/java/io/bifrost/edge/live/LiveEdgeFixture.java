package io.bifrost.edge.live;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The live edge tests' shared setup, as a JUnit extension: two embedded Aeron media drivers in a fresh temporary
 * directory per test (an "origin" and an "edge", as in two processes) over UDP loopback with dynamic
 * multi-destination-cast, a {@link TestLivePublisher} on the origin's side, a {@link LiveEdge} following it, a
 * {@link RamTier}, the edge's real Netty {@link EdgeHttpServer} on an ephemeral port in front of a
 * {@link LiveTestOrigin}, and JDK HttpClients over HTTP/1.1 and h2c as the player. Each test starts with the
 * publication connected; everything is closed in reverse order of creation after it.
 * <p>
 * Register it with {@code @RegisterExtension final LiveEdgeFixture edge = new LiveEdgeFixture();}, optionally with
 * {@link #edgeContext(UnaryOperator)} to add edge settings and {@link #awaitingEachPart()}. {@link #advance()} then
 * plays the origin's packager for one rendition ({@link #STREAM}/{@link #RENDITION} in epoch {@link #EPOCH}): the next
 * part, then the playlist that announces it. Not thread-safe: the test thread drives it.
 */
final class LiveEdgeFixture implements BeforeEachCallback, AfterEachCallback
{
    /** The stream every fixture test plays. */
    static final String STREAM = "cam1";
    /** The rendition {@link #advance()} publishes. */
    static final String RENDITION = "720p";
    /** The live session's epoch. */
    static final long EPOCH = 5;
    /** The bound on every wait and request of these tests. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** The path of {@link #RENDITION}'s media playlist. */
    static final String PLAYLIST = "/live/" + STREAM + "/" + RENDITION + "/index.m3u8";


    private UnaryOperator<EdgeNode.Context> edgeContext = UnaryOperator.identity();
    private boolean awaitEachPart;
    private Path dir;
    private SimpleMeterRegistry registry;
    private EmbeddedAeron originAeron;
    private EmbeddedAeron edgeAeron;
    private TestLivePublisher publisher;
    private LiveEdge live;
    private LiveTestOrigin origin;
    private RamTier ram;
    private EdgeHttpServer server;
    private HttpClient http1;
    private HttpClient http2;
    private long msn;
    private int part;

    /**
     * @param settings adds settings to the edge's context (its address, ports, origin and registry are set already).
     * @return this fixture.
     */
    LiveEdgeFixture edgeContext(final UnaryOperator<EdgeNode.Context> settings)
    {
        edgeContext = settings;
        return this;
    }

    /**
     * @return the origin's live publication channel ({@link AeronChannels#livePublicationChannel}) with its control
     *         endpoint on an ephemeral port ({@code control=localhost:0}); read the port back with
     *         {@link #controlPort}.
     */
    static String livePublicationChannelOnAnyPort()
    {
        final ChannelUri channel = ChannelUri.parse(AeronChannels.livePublicationChannel("localhost", 1));
        channel.put(CommonContext.MDC_CONTROL_PARAM_NAME, "localhost:0");
        return channel.toString();
    }

    /**
     * The UDP control port a publication on an ephemeral control endpoint ({@link #livePublicationChannelOnAnyPort})
     * bound, for the subscriptions that follow it: no test picks a free port first and races another process for it.
     *
     * @param publication a publication whose channel has a control endpoint on port 0.
     * @return the bound control port.
     */
    static int controlPort(final Publication publication)
    {
        await().atMost(WAIT).until(() -> !publication.localSocketAddresses().isEmpty());
        final String address = publication.localSocketAddresses().get(0);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /**
     * Makes {@link #advance()} wait until the edge's live window holds the part it published.
     *
     * @return this fixture.
     */
    LiveEdgeFixture awaitingEachPart()
    {
        awaitEachPart = true;
        return this;
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws IOException
    {
        msn = 0;
        part = 0;
        dir = Files.createTempDirectory("bifrost-live-edge");
        registry = new SimpleMeterRegistry();
        originAeron = EmbeddedAeron.acquire(dir.resolve("origin-aeron"), false);
        edgeAeron = EmbeddedAeron.acquire(dir.resolve("edge-aeron"), false);
        publisher = new TestLivePublisher(originAeron.aeron(), livePublicationChannelOnAnyPort());
        live = LiveEdge.start(edgeAeron.aeron(),
            AeronChannels.liveSubscriptionChannel("localhost", 0, "localhost", controlPort(publisher.publication())),
            64L << 20,
            PooledByteBufAllocator.DEFAULT, registry);
        origin = new LiveTestOrigin();
        ram = RamTier.open(dir.resolve("ram"), 16L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        server = EdgeHttpServer.start(edgeContext.apply(new EdgeNode.Context().bindAddress("127.0.0.1").port(0)
            .tlsPort(0).ioThreads(2).origins(List.of(origin.uri())).meterRegistry(registry)),
            ram, null, live.store(), Readiness::up);
        live.catchUpThrough(server.coalescer());
        http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        await().atMost(WAIT).until(() -> publisher.publication().isConnected());
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException
    {
        http1.close();
        http2.close();
        server.close();
        live.close();
        ram.close();
        origin.close();
        publisher.close();
        edgeAeron.close();
        originAeron.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Publish the next part of the stream, then the playlist that announces it (and wait, if awaiting each part). */
    void advance()
    {
        final long partMsn = msn;
        final int partIndex = part;
        final boolean segmentEnd = part == LiveParts.PARTS_PER_SEGMENT - 1;
        publisher.part(STREAM, RENDITION, EPOCH, msn, part, segmentEnd, LiveParts.bytes(EPOCH, msn, part));
        final LiveWindow window = new LiveWindow(EPOCH, Math.max(0, msn - 5), segmentEnd ? msn : msn - 1, 0,
            segmentEnd ? -1 : part, 2000, 500);
        publisher.window(STREAM, RENDITION, WindowKind.HLS_MEDIA_PLAYLIST, window, LiveParts.playlist(window));
        if (segmentEnd)
        {
            msn++;
            part = 0;
        }
        else
        {
            part++;
        }
        if (awaitEachPart)
        {
            await().atMost(WAIT).until(() -> live.store().hasPart(STREAM, RENDITION, EPOCH, partMsn, partIndex));
        }
    }

    /**
     * Publish parts until part {@code untilPart} of segment {@code untilMsn} is published.
     *
     * @param untilMsn  the media sequence number of the last part to publish.
     * @param untilPart the index of the last part to publish in its segment.
     */
    void advanceUntil(final long untilMsn, final int untilPart)
    {
        while (msn < untilMsn || (msn == untilMsn && part <= untilPart))
        {
            advance();
        }
    }

    /**
     * Make the next {@link #advance()} publish part {@code nextPart} of segment {@code nextMsn}, as when the stream
     * has been live for a while before the edge joined.
     *
     * @param nextMsn  the media sequence number of the next part.
     * @param nextPart the index of the next part in its segment.
     */
    void skipTo(final long nextMsn, final int nextPart)
    {
        msn = nextMsn;
        part = nextPart;
    }

    /** @return the media sequence number of the part the next {@link #advance()} publishes. */
    long msn()
    {
        return msn;
    }

    /** @return this test's meter registry, shared by the live edge, the RAM tier and the HTTP server. */
    SimpleMeterRegistry registry()
    {
        return registry;
    }

    /** @return the origin's side of the live stream. */
    TestLivePublisher publisher()
    {
        return publisher;
    }

    /** @return the edge's live window store. */
    LiveWindowStore store()
    {
        return live.store();
    }

    /** @return the HTTP origin the edge falls back to (and catches up from). */
    LiveTestOrigin origin()
    {
        return origin;
    }

    /** @return a client speaking HTTP/1.1. */
    HttpClient http1()
    {
        return http1;
    }

    /** @return a client speaking h2c. */
    HttpClient http2()
    {
        return http2;
    }

    /**
     * @param path a path with an optional query.
     * @return the edge's plain HTTP URI for it.
     */
    URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
