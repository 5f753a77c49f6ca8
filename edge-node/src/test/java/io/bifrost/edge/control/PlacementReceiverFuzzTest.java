package io.bifrost.edge.control;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for placement commands as an edge receives them over Aeron: any bytes are decoded without an
 * exception, counted exactly once by outcome, and an accepted command names a valid content id, rendition and msn
 * range (so the executor never builds a path from unchecked text). The message sits inside a larger buffer of junk, as
 * in a term buffer. A normal build replays
 * src/test/resources/io/bifrost/edge/control/PlacementReceiverFuzzTestInputs/; JAZZER_FUZZ=1 fuzzes.
 */
class PlacementReceiverFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void anyCommandIsCountedOnceAndOnlyValidOnesAreAccepted(final byte[] input)
    {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final List<PlacementOrder> accepted = new ArrayList<>();
        final PlacementReceiver receiver = new PlacementReceiver("edge-1", () -> 1_000L, accepted::add, meters);

        final byte[] framed = new byte[input.length + 64];
        Arrays.fill(framed, (byte)0x5a);
        System.arraycopy(input, 0, framed, 8, input.length);
        receiver.onMessage(new UnsafeBuffer(framed), 8, input.length);

        assertThat(meters.find("bifrost.edge.placement.commands").counters().stream()
            .mapToDouble(c -> c.count()).sum()).isEqualTo(1.0);
        for (final PlacementOrder order : accepted)
        {
            assertThat(order.contentId()).matches("(live|vod)/[A-Za-z0-9_-]{1,64}");
            assertThat(order.rendition()).matches("[A-Za-z0-9_-]{0,32}");
            assertThat(order.fromMsn()).isGreaterThanOrEqualTo(-1);
            assertThat(order.toMsn()).isGreaterThanOrEqualTo(-1);
        }
    }
}
