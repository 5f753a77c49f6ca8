package io.bifrost.control.edges;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatEncoder;
import io.bifrost.protocol.sbe.EdgeTelemetryEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Sends what an edge sends (SBE heartbeats and telemetry) on real Aeron publications, for control-plane tests.
 */
public final class TestEdgeSender implements AutoCloseable
{
    private final Publication heartbeats;
    private final Publication telemetry;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private long sequence;

    public TestEdgeSender(final Aeron aeron, final String channel)
    {
        heartbeats = aeron.addPublication(channel, AeronChannels.HEARTBEAT_STREAM_ID);
        telemetry = aeron.addPublication(channel, AeronChannels.TELEMETRY_STREAM_ID);
        await().until(() -> heartbeats.isConnected() && telemetry.isConnected());
    }

    public void heartbeat(
        final String edgeId, final String region, final String baseUrl, final long startTimeMs, final int cpuPermille,
        final EdgeHealth health)
    {
        final EdgeHeartbeatEncoder encoder = new EdgeHeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header)
            .timestampMs(System.currentTimeMillis()).sequence(sequence++).startTimeMs(startTimeMs)
            .ramCapacityBytes(1 << 30).ramUsedBytes(1 << 28).ssdCapacityBytes(0).ssdUsedBytes(0)
            .egressBitsPerSecond(1_000_000).activeConnections(3).cpuLoadPermille(cpuPermille).health(health)
            .edgeId(edgeId).region(region).baseUrl(baseUrl);
        offer(heartbeats, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * @param counts content id -> {requests, bytes, ramHits, misses, viewers}
     */
    public void telemetry(final String edgeId, final String region, final Map<String, long[]> counts)
    {
        final EdgeTelemetryEncoder encoder = new EdgeTelemetryEncoder().wrapAndApplyHeader(buffer, 0, header)
            .windowStartMs(System.currentTimeMillis()).sequence(sequence++).windowLengthMs(1000);
        final EdgeTelemetryEncoder.ContentsEncoder contents = encoder.contentsCount(counts.size());
        counts.forEach((id, c) -> contents.next().requests(c[0]).bytesSent(c[1]).ramHits(c[2]).ssdHits(0).misses(c[3])
            .errors(0).activeViewers((int)c[4]).firstByteP50Micros(0).firstByteP99Micros(0).fillP50Micros(0)
            .fillP99Micros(0).contentId(id));
        encoder.edgeId(edgeId).region(region);
        offer(telemetry, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * One content's window with the reference player's QoE sums (schema v3 fields), as an edge sends it after beacons.
     *
     * @param qoe {beacons, startupP50Millis, rebufferCount, rebufferMillis, switches, playedMillis, meanBitrateKbps,
     *            firstByteP50Micros, firstByteP99Micros}
     */
    public void telemetryWithQoe(
        final String edgeId, final String region, final String contentId, final long requests, final int[] qoe)
    {
        final EdgeTelemetryEncoder encoder = new EdgeTelemetryEncoder().wrapAndApplyHeader(buffer, 0, header)
            .windowStartMs(System.currentTimeMillis()).sequence(sequence++).windowLengthMs(1000);
        encoder.contentsCount(1).next().requests(requests).bytesSent(requests * 1000).ramHits(requests).ssdHits(0)
            .misses(0).errors(0).activeViewers(1).firstByteP50Micros(qoe[7]).firstByteP99Micros(qoe[8])
            .fillP50Micros(0).fillP99Micros(0).qoeBeacons(qoe[0]).startupP50Millis(qoe[1]).rebufferCount(qoe[2])
            .rebufferMillis(qoe[3]).switchCount(qoe[4]).playedMillis(qoe[5]).meanBitrateKbps(qoe[6]).contentId(contentId);
        encoder.edgeId(edgeId).region(region);
        offer(telemetry, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private void offer(final Publication publication, final int length)
    {
        await().until(() -> publication.offer(buffer, 0, length) > 0);
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(heartbeats, telemetry);
    }
}
