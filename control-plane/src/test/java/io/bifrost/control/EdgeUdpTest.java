package io.bifrost.control;

import io.bifrost.edge.EdgeNode;
import io.bifrost.protocol.node.RunningRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The control plane and an edge as separate hosts would run them: each with its own embedded media driver, talking
 * UDP on loopback (heartbeats and telemetry to {@code control.edge-endpoint}; placement over dynamic
 * multi-destination-cast from {@code control.placement-endpoint}, the next port).
 */
class EdgeUdpTest
{
    @TempDir
    Path dir;

    private static int twoFreeUdpPorts()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(41_000, 60_000);
            try (DatagramSocket first = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                 DatagramSocket second = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress()))
            {
                return port;
            }
            catch (final SocketException busy)
            {
                // try another
            }
        }
        throw new IllegalStateException("no two consecutive free UDP ports");
    }

    @Test
    void shouldRegisterAndSteerToAnEdgeOnAnotherMediaDriverOverUdp() throws Exception
    {
        final int port = twoFreeUdpPorts();
        final int httpPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            httpPort = probe.getLocalPort();
        }
        ControlPlane.Running control = null;
        RunningRole edge = null;
        ApiClient clients = null;
        try
        {
            control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
                .dataDir(dir.resolve("control")).meterRegistry(new SimpleMeterRegistry()).aeronEnabled(true)
                .aeronDirectory(dir.resolve("aeron-control")).edgeEndpoint("127.0.0.1:" + port)
                .placementEndpoint("127.0.0.1:" + (port + 1)).heartbeatTimeout(Duration.ofSeconds(1)));
            final SimpleMeterRegistry edgeMeters = new SimpleMeterRegistry();
            edge = EdgeNode.launch(new EdgeNode.Context().bindAddress("127.0.0.1").port(httpPort).tlsPort(0)
                .dataDir(dir.resolve("edge")).ramBytes(4L << 20).meterRegistry(edgeMeters).region("eu-west")
                .edgeId("remote-1").publicUrl("http://127.0.0.1:" + httpPort)
                .aeronDirectory(dir.resolve("aeron-edge")).controlEndpoint("127.0.0.1:" + port)
                .placementEndpoint("127.0.0.1:0").heartbeatInterval(Duration.ofMillis(100)));
            final ApiClient client = new ApiClient("127.0.0.1", control.port());
            clients = client;
            await().until(() -> client.get("/api/v1/edges").data().path("up").asInt() == 1);
            assertThat(client.get("/v1/steer?content=vod/a&region=eu-west").data().path("url").asText())
                .isEqualTo("http://127.0.0.1:" + httpPort + "/vod/a/master.m3u8");
            // The placement publication sees the edge's subscription join (dynamic MDC over UDP).
            final ControlPlane.Running running = control;
            await().until(running::placementConnected);

            edge.close();
            edge = null;
            await().until(() -> "down".equals(client.get("/api/v1/edges/remote-1").data().path("status").asText()) ||
                "draining".equals(client.get("/api/v1/edges/remote-1").data().path("status").asText()));
        }
        finally
        {
            CloseHelper.closeAll(clients, edge, control);
        }
    }

    @Test
    void shouldRefuseAPlacementPortThatEdgesWouldNotFind()
    {
        assertThatThrownBy(() -> new ControlPlane.Context().edgeEndpoint("0.0.0.0:5000").placementEndpoint("0.0.0.0:6000")
            .conclude()).hasMessageContaining("control.placement-endpoint");
    }
}
