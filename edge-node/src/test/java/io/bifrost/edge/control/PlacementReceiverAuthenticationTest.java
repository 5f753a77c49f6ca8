package io.bifrost.edge.control;

import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.MessageAuthenticator;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge with fleet keys acts only on placement commands signed with a fleet key, unaltered and recent; a replay is
 * a duplicate; every refusal is counted by reason and never reaches the executor.
 */
class PlacementReceiverAuthenticationTest
{
    private static final String KEYS = "fleet1:" + Base64.getUrlEncoder().encodeToString(
        "a fleet secret of at least 32 bytes!".getBytes());
    private static final long NOW = 1_764_000_000_000L;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<PlacementOrder> orders = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(NOW);
    private final PlacementReceiver receiver = new PlacementReceiver("edge-1", clock::get, orders::add, meters,
        FleetKeys.parse(KEYS, "edge.fleet-keys"));
    private final MessageAuthenticator controlPlane = new MessageAuthenticator(FleetKeys.parse(KEYS, "test"));
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    private int command(final long commandId, final String contentId)
    {
        final PlacementCommandEncoder encoder = new PlacementCommandEncoder()
            .wrapAndApplyHeader(buffer, 16, new MessageHeaderEncoder())
            .commandId(commandId).fromMsn(-1).toMsn(-1).expiresAtMs(0).priority(0).action(PlacementAction.PREFETCH)
            .targetEdgeId("").contentId(contentId).rendition("");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private double count(final String name, final String tag, final String value)
    {
        final Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private double rejected(final String reason)
    {
        return count("bifrost.edge.placement.auth.rejected", "reason", reason);
    }

    @Test
    void shouldActOnASignedCommand()
    {
        receiver.onMessage(buffer, 16, controlPlane.sign(buffer, 16, command(1, "vod/hot"), clock.get()));

        assertThat(orders).extracting(PlacementOrder::contentId).containsExactly("vod/hot");
    }

    @Test
    void shouldRefuseAnUnsignedCommand()
    {
        receiver.onMessage(buffer, 16, command(1, "vod/evil"));

        assertThat(orders).isEmpty();
        assertThat(rejected("missing")).isEqualTo(1);
        assertThat(count("bifrost.edge.placement.commands", "result", "malformed")).isZero();
    }

    @Test
    void shouldRefuseACommandSignedWithAWrongKeyOrAnUnknownOne()
    {
        final MessageAuthenticator wrongSecret = new MessageAuthenticator(FleetKeys.parse("fleet1:" +
            Base64.getUrlEncoder().encodeToString(new byte[32]), "test"));
        receiver.onMessage(buffer, 16, wrongSecret.sign(buffer, 16, command(1, "vod/evil"), clock.get()));
        final MessageAuthenticator wrongId = new MessageAuthenticator(FleetKeys.parse("fleet2" + KEYS.substring(6), "t"));
        receiver.onMessage(buffer, 16, wrongId.sign(buffer, 16, command(2, "vod/evil"), clock.get()));

        assertThat(orders).isEmpty();
        assertThat(rejected("bad_mac")).isEqualTo(1);
        assertThat(rejected("unknown_key")).isEqualTo(1);
    }

    @Test
    void shouldRefuseATamperedCommand()
    {
        final int length = controlPlane.sign(buffer, 16, command(1, "vod/hot"), clock.get());
        // "vod/hot" -> "vod/hou": same length, valid grammar, so only the MAC can tell.
        final int last = 16 + length - MessageAuthenticator.TRAILER_LENGTH - 3;
        buffer.putByte(last, (byte)'u');

        receiver.onMessage(buffer, 16, length);

        assertThat(orders).isEmpty();
        assertThat(rejected("bad_mac")).isEqualTo(1);
    }

    @Test
    void shouldTreatAReplayInsideTheWindowAsADuplicateAndAnOlderOneAsStale()
    {
        final int length = controlPlane.sign(buffer, 16, command(7, "vod/hot"), clock.get());
        receiver.onMessage(buffer, 16, length);

        receiver.onMessage(buffer, 16, length);
        clock.set(NOW + MessageAuthenticator.DEFAULT_MAX_AGE_MS + 1);
        receiver.onMessage(buffer, 16, length);

        assertThat(orders).hasSize(1);
        assertThat(count("bifrost.edge.placement.commands", "result", "duplicate")).isEqualTo(1);
        assertThat(rejected("stale")).isEqualTo(1);
    }
}
