package io.bifrost.control.edges;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for what edges send the control plane over Aeron (EdgeHeartbeat, EdgeTelemetry): any bytes are
 * decoded without an exception, every message is counted exactly once by outcome, and nothing invalid reaches the
 * registry (ids and URLs match their grammar). The input is one whole message; it is placed at an offset inside a
 * larger buffer of junk, as a term buffer would hold it, so reads past the message's end would be caught. In a normal
 * build it replays src/test/resources/io/bifrost/control/edges/EdgeFeedFuzzTestInputs/; JAZZER_FUZZ=1 fuzzes.
 */
class EdgeFeedFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void anyMessageIsCountedOnceAndNeverThrows(final byte[] input)
    {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final EdgeRegistry registry = new EdgeRegistry(3_000, meters);
        final TelemetryAggregator telemetry = new TelemetryAggregator(8, meters);
        // Telemetry is only taken from registered edges: register the one the seeds name.
        registry.onHeartbeat(new Heartbeat("edge-1", "eu-west", "http://edge-1:8080", 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            EdgeHealth.UP), 1_000);
        final EdgeFeed feed = new EdgeFeed(registry, telemetry, () -> 2_000, meters);

        final byte[] framed = new byte[input.length + 64];
        java.util.Arrays.fill(framed, (byte)0x7f);
        System.arraycopy(input, 0, framed, 16, input.length);
        feed.onMessage(new UnsafeBuffer(framed), 16, input.length);

        final double counted = meters.find("bifrost.control.edge.messages").counters().stream()
            .filter(c -> !"refused".equals(c.getId().getTag("result")))
            .mapToDouble(c -> c.count()).sum();
        assertThat(counted).isLessThanOrEqualTo(1.0);
        for (final EdgeSnapshot edge : registry.edges())
        {
            assertThat(edge.edgeId()).matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
            assertThat(edge.baseUrl()).startsWith("http");
        }
        telemetry.top(TelemetryWindow.MINUTE, 10, 2_000)
            .forEach(stats -> assertThat(stats.key()).matches("(live|vod)/[A-Za-z0-9_-]{1,64}"));
    }
}
