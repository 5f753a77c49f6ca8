package io.bifrost.edge.control;

import com.sun.net.httpserver.HttpServer;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.RunningEdge;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

/**
 * A real edge ({@link EdgeNode#launch}, Netty on 127.0.0.1, telemetry over an embedded Aeron driver's IPC) with a JDK
 * HTTP server as a slow origin: a miss, a hit and a QoE beacon from the reference player show up in the edge's
 * EdgeTelemetry as first-byte and fill percentiles and QoE sums for that content; a beacon for content the edge is not
 * serving does not.
 */
class EdgeTelemetryExperienceTest
{
    /** The origin answers after this long, so a fill takes at least this. */
    private static final long ORIGIN_DELAY_MS = 40;
    private static final String BEACON = "{\"v\":1,\"id\":\"%s\",\"kind\":\"vod\",\"session\":\"0123456789abcdef\"," +
        "\"seq\":0,\"startupMs\":420,\"rebuffers\":2,\"rebufferMs\":1500,\"switchesUp\":3,\"switchesDown\":1," +
        "\"playedMs\":9000,\"bitrateBps\":2500000}";

    @TempDir
    Path dir;

    private final Map<String, List<Sample>> telemetry = new ConcurrentHashMap<>();

    record Sample(int firstByteP50Micros, int fillP50Micros, int fillP99Micros, int qoeBeacons, int startupP50Millis,
        int rebufferCount, int rebufferMillis, int switchCount, int playedMillis, int meanBitrateKbps)
    {
    }

    @Test
    void shouldSendFirstByteFillAndQoeOfAContentInItsTelemetry() throws Exception
    {
        final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            LockSupport.parkNanos(Duration.ofMillis(ORIGIN_DELAY_MS).toNanos());
            final byte[] body = ("media " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EmbeddedAeron aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
             Subscription subscription = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL,
                 AeronChannels.TELEMETRY_STREAM_ID);
             RunningEdge edge = EdgeNode.launch(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0)
                 .dataDir(dir.resolve("edge")).ramBytes(4L << 20).meterRegistry(meters).edgeId("edge-q")
                 .origins(List.of(URI.create("http://127.0.0.1:" + origin.getAddress().getPort())))
                 .controlEndpoint("ipc").aeronDirectory(dir.resolve("aeron"))
                 // a content idle for 4 windows is forgotten and a beacon for it dropped: windows long enough that a
                 // loaded machine never takes that long between the requests and the beacon (100 ms failed in CI)
                 .telemetryInterval(Duration.ofSeconds(1)));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            final String base = "http://127.0.0.1:" + edge.port();
            assertThat(get(http, base + "/vod/abc/720p/1.m4s").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/vod/abc/720p/1.m4s").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
            // The access ring is one consumer thread: once it has counted the third request, the first two are in.
            await().until(() -> meters.find("bifrost.edge.access.requests").counters().stream()
                .mapToDouble(counter -> counter.count()).sum() >= 3);

            assertThat(post(http, base + "/player/qoe", BEACON.formatted("abc")).statusCode()).isEqualTo(204);
            assertThat(post(http, base + "/player/qoe", BEACON.formatted("never-served")).statusCode()).isEqualTo(204);

            final FragmentAssembler reader = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
                final EdgeTelemetryDecoder decoder = new EdgeTelemetryDecoder().wrap(buffer,
                    offset + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
                for (final EdgeTelemetryDecoder.ContentsDecoder entry : decoder.contents())
                {
                    final Sample sample = new Sample(entry.firstByteP50Micros(), entry.fillP50Micros(),
                        entry.fillP99Micros(), entry.qoeBeacons(), entry.startupP50Millis(), entry.rebufferCount(),
                        entry.rebufferMillis(), entry.switchCount(), entry.playedMillis(), entry.meanBitrateKbps());
                    telemetry.computeIfAbsent(entry.contentId(), id -> new CopyOnWriteArrayList<>()).add(sample);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() ->
            {
                subscription.poll(reader, 16);
                return telemetry.getOrDefault("vod/abc", List.of()).stream().anyMatch(sample -> sample.qoeBeacons() > 0);
            });

            final List<Sample> abc = telemetry.get("vod/abc");
            // The fill ends (fill thread) and its requests are counted (access ring) independently: maybe not in one window.
            assertThat(abc).anySatisfy(sample ->
            {
                assertThat(sample.fillP50Micros()).isGreaterThanOrEqualTo((int)(ORIGIN_DELAY_MS * 1000 * 15 / 16));
                assertThat(sample.fillP99Micros()).isGreaterThanOrEqualTo(sample.fillP50Micros());
            });
            assertThat(abc).anySatisfy(sample -> assertThat(sample.firstByteP50Micros()).isPositive());
            final Sample qoe = abc.stream().filter(sample -> sample.qoeBeacons() > 0).findFirst().orElseThrow();
            assertThat(qoe.qoeBeacons()).isEqualTo(1);
            assertThat((double)qoe.startupP50Millis()).isCloseTo(420, withinPercentage(7));
            assertThat(qoe.rebufferCount()).isEqualTo(2);
            assertThat(qoe.rebufferMillis()).isEqualTo(1_500);
            assertThat(qoe.switchCount()).isEqualTo(4);
            assertThat(qoe.playedMillis()).isEqualTo(9_000);
            assertThat(qoe.meanBitrateKbps()).isEqualTo(2_500);
            assertThat(telemetry).doesNotContainKey("vod/never-served");
            assertThat(meters.get("bifrost.edge.telemetry.beacons.unknown").functionCounter().count()).isEqualTo(1.0);
        }
        finally
        {
            origin.stop(0);
        }
    }

    private static HttpResponse<String> get(final HttpClient http, final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(final HttpClient http, final String url, final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
