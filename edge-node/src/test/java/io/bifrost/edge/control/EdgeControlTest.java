package io.bifrost.edge.control;

import com.sun.net.httpserver.HttpServer;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.CachePolicies;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge's control-plane link with real parts: an embedded Aeron media driver in a temp dir (the control plane's
 * side is played by this test's own IPC subscriptions and placement publication), a real edge HTTP server with its
 * RAM tier, and a JDK HTTP server as the origin that records what it is asked for.
 */
class EdgeControlTest
{
    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> originRequests = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> heartbeats = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> telemetryRequests = Collections.synchronizedMap(new HashMap<>());
    private final Map<String, Integer> telemetryViewers = Collections.synchronizedMap(new HashMap<>());
    private final java.util.concurrent.atomic.AtomicInteger telemetryMessages = new java.util.concurrent.atomic.AtomicInteger();
    private ContentTraffic traffic;
    private HttpServer origin;
    private EmbeddedAeron aeron;
    private RamTier ramTier;
    private EdgeHttpServer edge;
    private EdgeControl control;
    private Subscription heartbeatSubscription;
    private Subscription telemetrySubscription;
    private Publication placement;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            final String path = exchange.getRequestURI().getPath();
            originRequests.add(path);
            final byte[] body;
            if (path.endsWith("master.m3u8"))
            {
                body = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n480p/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\n720p/index.m3u8\n"
                    .getBytes(StandardCharsets.US_ASCII);
            }
            else if (path.endsWith("index.m3u8"))
            {
                body = ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.0,\n0.m4s\n#EXTINF:2.0,\n1.m4s\n" +
                    "#EXTINF:2.0,\n2.m4s\n#EXTINF:2.0,\nhttp://elsewhere.example/evil.m4s\n#EXTINF:2.0,\n../../../etc/passwd\n#EXT-X-ENDLIST\n")
                    .getBytes(StandardCharsets.US_ASCII);
            }
            else
            {
                body = ("media " + path).getBytes(StandardCharsets.US_ASCII);
            }
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();

        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        heartbeatSubscription = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL, AeronChannels.HEARTBEAT_STREAM_ID);
        telemetrySubscription = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL, AeronChannels.TELEMETRY_STREAM_ID);
        placement = aeron.aeron().addPublication(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL,
            AeronChannels.PLACEMENT_STREAM_ID);

        traffic = new ContentTraffic();
        final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(0).dataDir(dir)
            .ramBytes(16L << 20).meterRegistry(meters).accessObserver(traffic)
            .origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort()))).conclude();
        ramTier = RamTier.open(dir.resolve("ram"), context.ramBytes(), context.ramPageBytes(), context.maxRamObjectBytes(),
            CachePolicies.named(context.cachePolicy()), meters);
        edge = EdgeHttpServer.start(context, ramTier, Readiness::up);
        control = EdgeControl.start(aeron.aeron(), EdgeControl.Channels.of(EdgeControl.IPC, null),
            new EdgeControlAgent.Settings("edge-a", "eu-west", "http://127.0.0.1:" + edge.port(), 100, 200,
                FleetKeys.NONE),
            traffic, edge.placement(), edge.coalescer(), 1000, System::currentTimeMillis, meters, null);
        http = HttpClient.newHttpClient();
        await().until(placement::isConnected);
    }

    @AfterEach
    void stop()
    {
        http.close();
        CloseHelper.closeAll(control, edge, ramTier, heartbeatSubscription, telemetrySubscription, placement, aeron);
        origin.stop(0);
    }

    private void pollControlPlaneSide()
    {
        heartbeatSubscription.poll(heartbeatReader, 100);
        telemetrySubscription.poll(telemetryReader, 100);
    }

    private final FragmentAssembler heartbeatReader = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
            final EdgeHeartbeatDecoder decoder = new EdgeHeartbeatDecoder().wrap(buffer,
                offset + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
            final Map<String, Object> heartbeat = new HashMap<>();
            heartbeat.put("sequence", decoder.sequence());
            heartbeat.put("ramCapacity", decoder.ramCapacityBytes());
            heartbeat.put("health", decoder.health());
            heartbeat.put("edgeId", decoder.edgeId());
            heartbeat.put("region", decoder.region());
            heartbeat.put("baseUrl", decoder.baseUrl());
            heartbeats.add(heartbeat);
        });

    private final FragmentAssembler telemetryReader = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
            final EdgeTelemetryDecoder decoder = new EdgeTelemetryDecoder().wrap(buffer,
                offset + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
            assertThat(length).isLessThanOrEqualTo(AeronChannels.MAX_CONTROL_MESSAGE_BYTES);
            telemetryMessages.incrementAndGet();
            for (final EdgeTelemetryDecoder.ContentsDecoder content : decoder.contents())
            {
                final long requests = content.requests();
                final int viewers = content.activeViewers();
                final String id = content.contentId();
                telemetryRequests.merge(id, requests, Long::sum);
                telemetryViewers.merge(id, viewers, Math::max);
            }
            assertThat(decoder.edgeId()).isEqualTo("edge-a");
            assertThat(decoder.region()).isEqualTo("eu-west");
        });

    private void get(final String path) throws Exception
    {
        final HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private long command(final long commandId, final PlacementAction action, final String target, final String contentId,
        final String rendition, final long fromMsn, final long toMsn, final long expiresAtMs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final PlacementCommandEncoder encoder = new PlacementCommandEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .commandId(commandId).fromMsn(fromMsn).toMsn(toMsn).expiresAtMs(expiresAtMs).priority(0).action(action)
            .targetEdgeId(target).contentId(contentId).rendition(rendition);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        await().until(() -> placement.offer(buffer, 0, length) > 0);
        return commandId;
    }

    @Test
    void shouldHeartbeatWithItsIdentityAndTierCapacityEveryInterval()
    {
        await().until(() ->
        {
            pollControlPlaneSide();
            return heartbeats.size() >= 3;
        });
        final Map<String, Object> first = heartbeats.get(0);
        assertThat(first.get("edgeId")).isEqualTo("edge-a");
        assertThat(first.get("region")).isEqualTo("eu-west");
        assertThat(first.get("baseUrl")).isEqualTo("http://127.0.0.1:" + edge.port());
        assertThat(first.get("health")).isEqualTo(EdgeHealth.UP);
        assertThat((long)first.get("ramCapacity")).isEqualTo(16L << 20);
        assertThat(heartbeats.get(2).get("sequence")).isEqualTo(2L);
    }

    @Test
    void shouldReportPerContentRequestsAndViewersFromTheAccessRing() throws Exception
    {
        for (int i = 0; i < 4; i++)
        {
            get("/vod/movie/720p/" + i + ".m4s");
        }
        get("/vod/movie/master.m3u8");
        get("/vod/other/720p/0.m4s");

        await().until(() ->
        {
            pollControlPlaneSide();
            return telemetryRequests.getOrDefault("vod/movie", 0L) == 5 && telemetryRequests.getOrDefault("vod/other", 0L) == 1;
        });
        // 4 segments x 2 s of media over a 4 x 200 ms viewer span: the media of 10 viewers.
        assertThat(telemetryViewers.get("vod/movie")).isEqualTo(10);
    }

    @Test
    void shouldPrefetchARenditionRangeThroughThePlacementHooksOnce() throws Exception
    {
        command(7, PlacementAction.PREFETCH, "edge-a", "vod/title", "720p", 0, 2, 0);

        await().until(() -> originRequests.containsAll(List.of("/vod/title/720p/index.m3u8", "/vod/title/720p/init.mp4",
            "/vod/title/720p/0.m4s", "/vod/title/720p/1.m4s", "/vod/title/720p/2.m4s")));
        final int before = originRequests.size();
        command(7, PlacementAction.PREFETCH, "edge-a", "vod/again", "720p", 0, 0, 0);    // same id: ignored
        command(8, PlacementAction.PREFETCH, "edge-b", "vod/other-edge", "720p", 0, 0, 0);
        command(9, PlacementAction.PREFETCH, "", "vod/expired", "720p", 0, 0, System.currentTimeMillis() - 1);
        command(10, PlacementAction.PREFETCH, "", "vod/marker", "720p", 5, 5, 0);
        await().until(() -> originRequests.contains("/vod/marker/720p/5.m4s"));
        assertThat(originRequests.subList(before, originRequests.size()))
            .noneMatch(path -> path.contains("again") || path.contains("other-edge") || path.contains("expired"));

        final int misses = originRequests.size();
        get("/vod/title/720p/1.m4s"); // prefetched: a RAM hit, no origin request
        assertThat(originRequests).hasSize(misses);
    }

    @Test
    void shouldFollowTheMasterPlaylistWhenNoRenditionIsNamedAndPinThenRelease() throws Exception
    {
        command(20, PlacementAction.PIN, "", "vod/series", "", -1, -1, 0);

        await().until(() -> originRequests.containsAll(List.of("/vod/series/master.m3u8", "/vod/series/480p/index.m3u8",
            "/vod/series/720p/index.m3u8", "/vod/series/480p/init.mp4", "/vod/series/720p/2.m4s")));
        assertThat(originRequests).noneMatch(path -> path.contains("evil") || path.contains("passwd"));
        await().until(() -> meters.counter("bifrost.edge.placement.objects", "result", "pinned").count() >= 10);

        command(21, PlacementAction.RELEASE, "", "vod/series", "480p", -1, -1, 0);
        await().until(() -> meters.counter("bifrost.edge.placement.objects", "result", "released").count() >= 5);
        final int before = originRequests.size();
        get("/vod/series/480p/1.m4s"); // released: dropped from the cache, filled again
        get("/vod/series/720p/1.m4s"); // still pinned
        assertThat(originRequests.subList(before, originRequests.size())).containsExactly("/vod/series/480p/1.m4s");
    }

    @Test
    void shouldSplitAWindowWithManyContentsIntoMessagesThatFitTheControlStream()
    {
        for (int i = 0; i < 4_000; i++)
        {
            traffic.onAccess("/vod/title-with-a-long-enough-name-" + i + "/720p/0.m4s", 1_000, "hit",
                io.bifrost.edge.cache.CacheTierName.RAM);
        }
        // Wait for every request to be counted, not just for every content to appear: a content can first show up in
        // one window's message with 0 requests while its request is reported in the next (a CI run read it then).
        await().until(() ->
        {
            pollControlPlaneSide();
            synchronized (telemetryRequests)
            {
                return telemetryRequests.size() == 4_000 &&
                    telemetryRequests.values().stream().mapToLong(Long::longValue).sum() == 4_000;
            }
        });
        assertThat(telemetryMessages.get()).isGreaterThanOrEqualTo(3);
        assertThat(telemetryRequests.values()).containsOnly(1L);
    }
}
