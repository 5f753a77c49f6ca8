package io.bifrost.control.edges;

import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.MessageAuthenticator;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatEncoder;
import io.bifrost.protocol.sbe.EdgeTelemetryEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane with fleet keys set: only heartbeats and telemetry signed with a fleet key, unaltered, recent and
 * newer than the edge's last reach the registry and the telemetry; every other one is counted by reason.
 */
class EdgeFeedAuthenticationTest
{
    static final String FLEET_KEYS = "fleet1:" + Base64.getUrlEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    static final String OTHER_KEYS = "fleet1:" + Base64.getUrlEncoder().encodeToString(new byte[32]);
    private static final long NOW = 1_764_000_000_000L;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EdgeRegistry registry = new EdgeRegistry(3_000, meters);
    private final TelemetryAggregator telemetry = new TelemetryAggregator(16, meters);
    private final CachedEpochClock clock = new CachedEpochClock();
    private final EdgeFeed feed = new EdgeFeed(registry, telemetry, clock, meters, FleetKeys.parse(FLEET_KEYS, "test"));
    private final MessageAuthenticator edge = new MessageAuthenticator(FleetKeys.parse(FLEET_KEYS, "test"));
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private long sequence;

    {
        clock.update(NOW);
    }

    private int heartbeat(final String edgeId)
    {
        final EdgeHeartbeatEncoder encoder = new EdgeHeartbeatEncoder().wrapAndApplyHeader(buffer, 0,
                new MessageHeaderEncoder())
            .timestampMs(clock.time()).sequence(sequence++).startTimeMs(NOW - 1_000).ramCapacityBytes(1 << 30)
            .ramUsedBytes(0).ssdCapacityBytes(0).ssdUsedBytes(0).egressBitsPerSecond(0).activeConnections(0)
            .cpuLoadPermille(10).health(EdgeHealth.UP).edgeId(edgeId).region("eu-west").baseUrl("http://" + edgeId + ":8080");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int telemetry(final String edgeId, final long requests)
    {
        final EdgeTelemetryEncoder encoder = new EdgeTelemetryEncoder().wrapAndApplyHeader(buffer, 0,
                new MessageHeaderEncoder())
            .windowStartMs(clock.time()).sequence(sequence++).windowLengthMs(1_000);
        encoder.contentsCount(1).next().requests(requests).bytesSent(1).ramHits(0).ssdHits(0).misses(0).errors(0)
            .activeViewers(1).firstByteP50Micros(0).firstByteP99Micros(0).fillP50Micros(0).fillP99Micros(0)
            .contentId("vod/hot");
        encoder.edgeId(edgeId).region("eu-west");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private double rejected(final String reason)
    {
        final Counter counter = meters.find("bifrost.control.edge.auth.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private long requests()
    {
        return telemetry.top(TelemetryWindow.MINUTE, 10, clock.time()).stream().mapToLong(s -> s.requests()).sum();
    }

    @Test
    void shouldRegisterAnEdgeWhoseHeartbeatIsSignedWithAFleetKey()
    {
        feed.onMessage(buffer, 0, edge.sign(buffer, 0, heartbeat("e1"), clock.time()));

        assertThat(registry.edge("e1")).isNotNull();
        assertThat(registry.edge("e1").baseUrl()).isEqualTo("http://e1:8080");
    }

    @Test
    void shouldRefuseAHeartbeatWithoutATrailer()
    {
        feed.onMessage(buffer, 0, heartbeat("forged"));

        assertThat(registry.edge("forged")).isNull();
        assertThat(rejected("missing")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAHeartbeatSignedWithAnotherKey()
    {
        final MessageAuthenticator attacker = new MessageAuthenticator(FleetKeys.parse(OTHER_KEYS, "test"));
        feed.onMessage(buffer, 0, attacker.sign(buffer, 0, heartbeat("forged"), clock.time()));
        final MessageAuthenticator unknown = new MessageAuthenticator(FleetKeys.parse("old:" + OTHER_KEYS.substring(7), "t"));
        feed.onMessage(buffer, 0, unknown.sign(buffer, 0, heartbeat("forged"), clock.time()));

        assertThat(registry.edge("forged")).isNull();
        assertThat(rejected("bad_mac")).isEqualTo(1);
        assertThat(rejected("unknown_key")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAHeartbeatWithATamperedByte()
    {
        final int length = edge.sign(buffer, 0, heartbeat("e1"), clock.time());
        // The base URL is the last field before the trailer: point viewers somewhere else.
        final int urlByte = length - MessageAuthenticator.TRAILER_LENGTH - 6;
        buffer.putByte(urlByte, (byte)(buffer.getByte(urlByte) ^ 0x20));

        feed.onMessage(buffer, 0, length);

        assertThat(registry.edge("e1")).isNull();
        assertThat(rejected("bad_mac")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAReplayedHeartbeatAndAStaleOne()
    {
        final int length = edge.sign(buffer, 0, heartbeat("e1"), clock.time());
        feed.onMessage(buffer, 0, length);
        final double registered = meters.find("bifrost.control.edge.messages").tag("result", "heartbeat").counter().count();

        feed.onMessage(buffer, 0, length);
        assertThat(rejected("replay")).isEqualTo(1);

        clock.update(NOW + MessageAuthenticator.DEFAULT_MAX_AGE_MS + 1);
        feed.onMessage(buffer, 0, length);
        assertThat(rejected("stale")).isEqualTo(1);
        assertThat(meters.find("bifrost.control.edge.messages").tag("result", "heartbeat").counter().count())
            .isEqualTo(registered);

        feed.onMessage(buffer, 0, edge.sign(buffer, 0, heartbeat("e1"), clock.time()));
        assertThat(meters.find("bifrost.control.edge.messages").tag("result", "heartbeat").counter().count())
            .isEqualTo(registered + 1);
    }

    @Test
    void shouldTakeSignedTelemetryOnceAndRefuseForgedOrReplayedTelemetry()
    {
        feed.onMessage(buffer, 0, edge.sign(buffer, 0, heartbeat("e1"), clock.time()));
        final int length = edge.sign(buffer, 0, telemetry("e1", 7), clock.time());

        feed.onMessage(buffer, 0, length);
        feed.onMessage(buffer, 0, length);
        feed.onMessage(buffer, 0, telemetry("e1", 1_000_000));

        assertThat(requests()).isEqualTo(7);
        assertThat(rejected("replay")).isEqualTo(1);
        assertThat(rejected("missing")).isEqualTo(1);
    }

    @Test
    void shouldAcceptUnsignedMessagesWhenKeysAreOff()
    {
        final EdgeFeed open = new EdgeFeed(registry, telemetry, clock, meters);

        open.onMessage(buffer, 0, heartbeat("e1"));
        open.onMessage(buffer, 0, edge.sign(buffer, 0, heartbeat("e2"), clock.time()));

        assertThat(registry.edge("e1")).isNotNull();
        assertThat(registry.edge("e2")).as("a signed message is readable by a control plane without keys").isNotNull();
    }
}
