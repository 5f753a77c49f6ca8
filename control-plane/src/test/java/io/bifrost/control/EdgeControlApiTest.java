package io.bifrost.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.bifrost.control.edges.TestEdgeSender;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane's edge side end to end: a real control plane (Netty on 127.0.0.1, H2 in a temp dir, its own
 * embedded Aeron media driver in a temp dir) and SBE heartbeats and telemetry published over Aeron IPC, as edges in
 * the same process ({@code bifrost all}) send them. The clock is driven by hand, so heartbeat timeouts are exact.
 */
class EdgeControlApiTest
{
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private ControlPlane.Running control;
    private EmbeddedAeron aeron;
    private TestEdgeSender edges;
    private ApiClient api;

    @BeforeEach
    void start()
    {
        final Path aeronDir = dataDir.resolve("aeron");
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dataDir.resolve("db")).meterRegistry(new SimpleMeterRegistry()).clock(clock)
            .aeronEnabled(true).aeronDirectory(aeronDir).edgeEndpoint("").placementEndpoint("")
            .heartbeatTimeout(Duration.ofSeconds(3)).placement(new PlacementPlanner.Context().intervalMs(200)));
        aeron = EmbeddedAeron.acquire(aeronDir, false);
        edges = new TestEdgeSender(aeron.aeron(), AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL);
        api = new ApiClient("127.0.0.1", control.port());
    }

    @AfterEach
    void stop()
    {
        api.close();
        edges.close();
        control.close();
        aeron.close();
    }

    private void heartbeat(final String edgeId, final String region)
    {
        edges.heartbeat(edgeId, region, "http://" + edgeId + ".example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
    }

    private JsonNode edgeList() throws Exception
    {
        final ApiClient.Answer answer = api.get("/api/v1/edges");
        assertThat(answer.status()).isEqualTo(200);
        return answer.data();
    }

    private String status(final String edgeId) throws Exception
    {
        for (final JsonNode edge : edgeList().path("edges"))
        {
            if (edge.path("edge_id").asText().equals(edgeId))
            {
                return edge.path("status").asText();
            }
        }
        return null;
    }

    private void registerThreeEdges()
    {
        heartbeat("e1", "eu-west");
        heartbeat("e2", "eu-west");
        heartbeat("e3", "us-east");
        await().until(() -> edgeList().path("up").asInt() == 3);
    }

    @Test
    void shouldRegisterEdgesOnTheirFirstHeartbeatWithTheirLoadAndTierUse() throws Exception
    {
        registerThreeEdges();

        final JsonNode list = edgeList();
        assertThat(list.path("edges")).hasSize(3);
        final JsonNode e1 = list.path("edges").get(0);
        assertThat(e1.path("edge_id").asText()).isEqualTo("e1");
        assertThat(e1.path("region").asText()).isEqualTo("eu-west");
        assertThat(e1.path("base_url").asText()).isEqualTo("http://e1.example.net:8080");
        assertThat(e1.path("status").asText()).isEqualTo("up");
        assertThat(e1.path("cpu_load_permille").asInt()).isEqualTo(100);
        assertThat(e1.path("ram").path("capacity_bytes").asLong()).isEqualTo(1 << 30);
        assertThat(e1.path("ram").path("use").asDouble()).isEqualTo(0.25);
        assertThat(api.get("/api/v1/edges/e3").data().path("region").asText()).isEqualTo("us-east");
        assertThat(api.get("/api/v1/edges/nope").errorCode()).isEqualTo("edge.not_found");
    }

    @Test
    void shouldMarkAnEdgeDownWhenItsHeartbeatsStopAndBackUpOnTheNextOne() throws Exception
    {
        registerThreeEdges();

        clock.advance(2_000);
        heartbeat("e2", "eu-west");
        heartbeat("e3", "us-east");
        clock.advance(1_500); // e1 silent for 3.5 s > 3 s timeout; e2, e3 for 1.5 s
        await().until(() -> "down".equals(status("e1")));
        assertThat(status("e2")).isEqualTo("up");
        assertThat(status("e3")).isEqualTo("up");

        for (int i = 0; i < 30; i++)
        {
            final JsonNode steer = api.get("/v1/steer?content=vod/title" + i + "&region=eu-west").data();
            assertThat(steer.path("edge_id").asText()).isEqualTo("e2");
        }

        heartbeat("e1", "eu-west");
        await().until(() -> "up".equals(status("e1")));
    }

    @Test
    void shouldSteerToAHealthyEdgeOfTheRegionConsistentlyAndRedirectPlayers() throws Exception
    {
        registerThreeEdges();

        final Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 40; i++)
        {
            final ApiClient.Answer first = api.get("/v1/steer?content=vod/title" + i + "&region=eu-west");
            final ApiClient.Answer again = api.get("/v1/steer?content=vod/title" + i + "&region=eu-west");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.data().path("edge_id").asText()).isEqualTo(again.data().path("edge_id").asText());
            assertThat(first.data().path("edge_region").asText()).isEqualTo("eu-west");
            assertThat(first.data().path("url").asText())
                .isEqualTo("http://" + first.data().path("edge_id").asText() + ".example.net:8080/vod/title" + i +
                    "/master.m3u8");
            chosen.add(first.data().path("edge_id").asText());
        }
        assertThat(chosen).containsExactlyInAnyOrder("e1", "e2"); // rendezvous spreads contents over the region

        final ApiClient.Answer redirect = api.get("/v1/steer/redirect?content=/vod/title7/720p/index.m3u8&region=us-east");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.response().headers().firstValue("location"))
            .hasValue("http://e3.example.net:8080/vod/title7/720p/index.m3u8");
        assertThat(api.get("/v1/steer?content=vod/title7&region=us-east&redirect=1").status()).isEqualTo(302);

        final JsonNode fallback = api.get("/v1/steer?content=vod/title7&region=ap-south").data();
        assertThat(fallback.path("fallback").asBoolean()).isTrue();
        assertThat(fallback.path("edge_id").asText()).isIn("e1", "e2", "e3");

        assertThat(api.get("/v1/steer?content=../etc/passwd").errorCode()).isEqualTo("content.invalid");
        assertThat(api.get("/v1/steer?content=vod/x&region=a%20b").errorCode()).isEqualTo("region.invalid");
    }

    @Test
    void shouldNeverSteerToADrainingEdgeAndAnswer503WhenNoEdgeServes() throws Exception
    {
        assertThat(api.get("/v1/steer?content=vod/a").status()).isEqualTo(503);
        assertThat(api.get("/v1/steer?content=vod/a").errorCode()).isEqualTo("steer.no_edge");

        registerThreeEdges();
        edges.heartbeat("e1", "eu-west", "http://e1.example.net:8080", T0 - 60_000, 100, EdgeHealth.DRAINING);
        await().until(() -> "draining".equals(status("e1")));
        for (int i = 0; i < 30; i++)
        {
            assertThat(api.get("/v1/steer?content=vod/t" + i + "&region=eu-west").data().path("edge_id").asText())
                .isEqualTo("e2");
        }
    }

    @Test
    void shouldAggregateTelemetryFromThreeEdgesIntoTopContentAndRegions() throws Exception
    {
        registerThreeEdges();

        final Map<String, long[]> e1 = new LinkedHashMap<>();
        e1.put("vod/hot", new long[] {100, 1_000_000, 90, 10, 4});
        e1.put("vod/warm", new long[] {10, 50_000, 5, 5, 1});
        final Map<String, long[]> e2 = new LinkedHashMap<>();
        e2.put("vod/hot", new long[] {50, 500_000, 50, 0, 2});
        final Map<String, long[]> e3 = new LinkedHashMap<>();
        e3.put("vod/hot", new long[] {30, 300_000, 0, 30, 1});
        e3.put("vod/warm", new long[] {40, 400_000, 40, 0, 2});
        edges.telemetry("e1", "eu-west", e1);
        edges.telemetry("e2", "eu-west", e2);
        edges.telemetry("e3", "us-east", e3);

        await().until(() -> api.get("/api/v1/content/top?window=minute").data().path("contents").path(0)
            .path("requests").asLong() == 180);
        final JsonNode top = api.get("/api/v1/content/top?window=minute").data();
        assertThat(top.path("window").asText()).isEqualTo("minute");
        assertThat(top.path("contents")).hasSize(2);
        final JsonNode hot = top.path("contents").get(0);
        assertThat(hot.path("key").asText()).isEqualTo("vod/hot");
        assertThat(hot.path("bytes_sent").asLong()).isEqualTo(1_800_000);
        assertThat(hot.path("ram_hits").asLong()).isEqualTo(140);
        assertThat(hot.path("misses").asLong()).isEqualTo(40);
        assertThat(hot.path("viewers_now").asLong()).isEqualTo(7);
        assertThat(top.path("contents").get(1).path("requests").asLong()).isEqualTo(50);

        clock.advance(90_000); // past the minute, within the hour and the day
        assertThat(api.get("/api/v1/content/top?window=minute").data().path("contents")).isEmpty();
        assertThat(api.get("/api/v1/content/top?window=hour").data().path("contents").get(0).path("requests").asLong())
            .isEqualTo(180);
        assertThat(api.get("/api/v1/content/top?window=day&limit=1").data().path("contents")).hasSize(1);
        final JsonNode regions = api.get("/api/v1/regions?window=hour").data().path("regions");
        assertThat(regions.path("eu-west").path("requests").asLong()).isEqualTo(160);
        assertThat(regions.path("us-east").path("requests").asLong()).isEqualTo(70);
        assertThat(api.get("/api/v1/content/top?window=week").errorCode()).isEqualTo("window.invalid");
        assertThat(api.get("/api/v1/content/top?window=hour&limit=0").errorCode()).isEqualTo("limit.invalid");
        assertThat(api.get("/api/v1/content/top?window=hour&limit=501").errorCode()).isEqualTo("limit.invalid");
        assertThat(api.get("/api/v1/content/top?window=hour&limit=500").data().path("contents")).hasSize(2);
    }

    @Test
    void shouldShowLiveViewerCountsFromTelemetryInTheStreamApi() throws Exception
    {
        registerThreeEdges();
        final ApiClient.Answer created = api.post("/api/v1/streams/create", "{\"title\":\"Launch\"}");
        final String streamId = created.data().path("stream_id").asText();

        edges.telemetry("e1", "eu-west", Map.of("live/" + streamId, new long[] {40, 4_000_000, 40, 0, 5}));
        edges.telemetry("e3", "us-east", Map.of("live/" + streamId, new long[] {60, 6_000_000, 60, 0, 7}));

        await().until(() -> api.get("/api/v1/streams/" + streamId).data().path("viewer_count").asLong() == 12);
        assertThat(api.get("/api/v1/streams").data().path("streams").get(0).path("viewer_count").asLong()).isEqualTo(12);
        clock.advance(10_000); // the edges' reports are stale: nobody is watching any more
        assertThat(api.get("/api/v1/streams/" + streamId).data().path("viewer_count").asLong()).isZero();
    }

    @Test
    void shouldSendPlacementCommandsForContentThatIsHotInARegionToThatRegionsEdges() throws Exception
    {
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        try (Subscription placement = aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL,
            AeronChannels.PLACEMENT_STREAM_ID))
        {
            final FragmentAssembler reader = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, offset);
                final PlacementCommandDecoder command = new PlacementCommandDecoder().wrap(buffer,
                    offset + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
                final String action = command.action().name();
                final String target = command.targetEdgeId();
                final String content = command.contentId();
                commands.add(action + " " + target + " " + content);
            });
            registerThreeEdges();
            // A surge in eu-west: a million concurrent viewers' worth of media in one window is far past the hot score.
            edges.telemetry("e1", "eu-west", Map.of("vod/viral", new long[] {5_000, 5_000_000_000L, 4_000, 1_000, 1_000_000}));
            edges.telemetry("e3", "us-east", Map.of("vod/quiet", new long[] {1, 1_000, 1, 0, 1}));
            await().until(() -> api.get("/api/v1/content/top?window=minute").data().path("contents").size() == 2);
            clock.advance(300); // the next placement round is due (control.placement.interval 200 ms)

            await().until(() ->
            {
                placement.poll(reader, 100);
                return commands.stream().anyMatch(c -> c.endsWith(" e1 vod/viral")) &&
                    commands.stream().anyMatch(c -> c.endsWith(" e2 vod/viral"));
            });
            assertThat(commands).noneMatch(c -> c.endsWith("vod/quiet"));
        }
    }
}
