package io.bifrost.edge.live;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.RunningEdge;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-JVM case ({@code bifrost all}): the edge role launched through {@link EdgeNode#launch} with
 * {@code liveChannel=aeron:ipc} shares the process's media driver with the "origin" (the same Aeron directory), and
 * answers a blocking reload when the part arrives over IPC.
 */
class LiveEdgeNodeIpcTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFollowTheLiveStreamOverIpcWhenLaunchedAsARole() throws Exception
    {
        final Path aeronDir = dir.resolve("aeron");
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final EdgeNode.Context context = new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0)
            .dataDir(dir.resolve("edge")).ioThreads(2).origins(List.of(URI.create("http://127.0.0.1:9")))
            .meterRegistry(registry).liveChannel(AeronChannels.IPC_CHANNEL).aeronDirectory(aeronDir).liveBytes(8L << 20);
        try (EmbeddedAeron origin = EmbeddedAeron.acquire(aeronDir, false);
            TestLivePublisher publisher = new TestLivePublisher(origin.aeron(), AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL);
            RunningEdge edge = EdgeNode.launch(context);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            assertThat(edge.roleName()).isEqualTo(EdgeNode.ROLE);
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.publication().isConnected());
            final LiveWindow first = new LiveWindow(9, 0, -1, 0, 0, 2000, 500);
            publisher.part("ipc", "480p", 9, 0, 0, false, LiveParts.bytes(9, 0, 0));
            publisher.window("ipc", "480p", WindowKind.HLS_MEDIA_PLAYLIST, first, LiveParts.playlist(first));
            final URI playlist = URI.create("http://127.0.0.1:" + edge.port() +
                "/live/ipc/480p/index.m3u8");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                http.send(HttpRequest.newBuilder(playlist).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            final CompletableFuture<HttpResponse<String>> held = http.sendAsync(
                HttpRequest.newBuilder(URI.create(playlist + "?_HLS_msn=0&_HLS_part=1")).build(),
                HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                registry.get("bifrost.edge.live.requests").tag("outcome", "held").counter().count() == 1);
            final LiveWindow second = new LiveWindow(9, 0, -1, 0, 1, 2000, 500);
            publisher.part("ipc", "480p", 9, 0, 1, false, LiveParts.bytes(9, 0, 1));
            publisher.window("ipc", "480p", WindowKind.HLS_MEDIA_PLAYLIST, second, LiveParts.playlist(second));

            assertThat(held.get().statusCode()).isEqualTo(200);
            assertThat(held.get().body()).isEqualTo(LiveParts.playlist(second));
        }
    }
}
