package io.bifrost.edge.control;

import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.MessageAuthenticator;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.SigningKeysDecoder;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.sbe.EdgeHeartbeatEncoder;
import io.bifrost.protocol.sbe.EdgeTelemetryEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The edge's side of the control plane link, one Agrona agent: an EdgeHeartbeat every heartbeat interval, the
 * window's EdgeTelemetry every telemetry interval (split into as many messages as
 * {@link AeronChannels#MAX_CONTROL_MESSAGE_BYTES} needs, all with the same window start), and the placement commands
 * that arrive, carried out by a {@link PlacementExecutor}. Sending never blocks: a message the publication does not
 * take (no control plane connected, back pressure) is counted and dropped; the next heartbeat says the same thing
 * again. With fleet keys ({@link Settings#fleetKeys()}) every message it sends carries a {@link MessageAuthenticator}
 * trailer and only authenticated placement commands are acted on. The control plane's {@code SigningKeys} messages
 * arrive on the placement stream too: they go to a {@link SigningKeysReceiver} (when the edge takes keys online), and
 * keys past their end are dropped once a second. Confined to its agent thread (which owns the authenticators' MACs);
 * owns and closes its publications and subscription.
 */
public final class EdgeControlAgent implements Agent
{
    /** Fragments read from the placement subscription per duty cycle. */
    static final int FRAGMENT_LIMIT = 16;
    /** Immediate retries of an offer refused for a transient reason. */
    static final int OFFER_RETRIES = 16;
    /** Largest SBE message, leaving room for the authentication trailer within the stream's largest message. */
    static final int MAX_MESSAGE_BYTES = AeronChannels.MAX_CONTROL_MESSAGE_BYTES - MessageAuthenticator.TRAILER_LENGTH;
    /** How often keys from the control plane are checked for their end. */
    static final long KEY_EXPIRY_CHECK_MS = 1_000;
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int SCHEMA_ID_OFFSET = MessageHeaderDecoder.schemaIdEncodingOffset();

    private final Settings settings;
    private final Publication heartbeats;
    private final Publication telemetry;
    private final Subscription placement;
    private final FragmentAssembler placementAssembler;
    private final ContentTraffic traffic;
    private final EdgeLoad load;
    private final PlacementExecutor executor;
    private final PlacementReceiver placementReceiver;
    private final OnlineSigningKeys onlineKeys;
    private final SigningKeysReceiver signingKeysReceiver;
    private final Counter signingKeysIgnored;
    private final LongSupplier clock;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(AeronChannels.MAX_CONTROL_MESSAGE_BYTES));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageAuthenticator authenticator;
    private final EdgeHeartbeatEncoder heartbeatEncoder = new EdgeHeartbeatEncoder();
    private final EdgeTelemetryEncoder telemetryEncoder = new EdgeTelemetryEncoder();
    private final Counter sent;
    private final Counter notSent;
    private final long startTimeMs;
    private long heartbeatSequence;
    private long telemetrySequence;
    private long nextHeartbeatMs;
    private long nextTelemetryMs;
    private long windowStartMs;
    private long lastEgressMs;
    private long nextKeyExpiryMs;
    private volatile EdgeHealth health = EdgeHealth.UP;

    /**
     * What the agent says about this edge.
     *
     * @param edgeId              its unique id.
     * @param region              its region.
     * @param baseUrl             where viewers reach it (no trailing slash).
     * @param heartbeatIntervalMs heartbeat period.
     * @param telemetryWindowMs   telemetry window.
     * @param fleetKeys           keys shared with the control plane ({@code edge.fleet-keys}): heartbeats and telemetry
     *                            are signed with the first, placement commands must be signed with one of them;
     *                            {@link FleetKeys#NONE}: not authenticated.
     */
    public record Settings(
        String edgeId, String region, String baseUrl, long heartbeatIntervalMs, long telemetryWindowMs, FleetKeys fleetKeys)
    {
        /**
         * Canonical constructor; a null {@code fleetKeys} is {@link FleetKeys#NONE}.
         */
        public Settings
        {
            fleetKeys = fleetKeys == null ? FleetKeys.NONE : fleetKeys;
        }
    }

    /**
     * @param settings   identity and intervals.
     * @param heartbeats publication of the heartbeat stream (owned from now on).
     * @param telemetry  publication of the telemetry stream (owned from now on).
     * @param placement  subscription of the placement stream (owned from now on).
     * @param traffic    per-content counters fed by the access ring.
     * @param executor   carries out placement commands.
     * @param clock      epoch milliseconds.
     * @param meters     where the agent's counters go (and the gauges the heartbeat reads).
     * @param onlineKeys the token keys the control plane's {@code SigningKeys} messages change, or null when this edge
     *                   does not take keys online (then those messages are skipped).
     */
    EdgeControlAgent(
        final Settings settings,
        final Publication heartbeats,
        final Publication telemetry,
        final Subscription placement,
        final ContentTraffic traffic,
        final PlacementExecutor executor,
        final LongSupplier clock,
        final MeterRegistry meters,
        final OnlineSigningKeys onlineKeys)
    {
        this.settings = settings;
        this.heartbeats = heartbeats;
        this.telemetry = telemetry;
        this.placement = placement;
        this.traffic = traffic;
        this.executor = executor;
        this.clock = clock;
        this.load = new EdgeLoad(meters);
        this.authenticator = new MessageAuthenticator(settings.fleetKeys());
        this.placementReceiver = new PlacementReceiver(settings.edgeId(), clock, executor::accept, meters,
            settings.fleetKeys());
        this.onlineKeys = onlineKeys;
        this.signingKeysReceiver = onlineKeys == null ? null :
            new SigningKeysReceiver(onlineKeys, settings.fleetKeys(), clock, meters);
        this.signingKeysIgnored = Counter.builder("bifrost.edge.signing-keys.refused").tag("reason", "ignored")
            .description("signing key messages from the control plane refused, by reason").register(meters);
        this.placementAssembler = new FragmentAssembler((buffer, offset, length, header) ->
            onPlacementStream(buffer, offset, length));
        this.startTimeMs = clock.getAsLong();
        this.windowStartMs = startTimeMs;
        this.lastEgressMs = startTimeMs;
        sent = Counter.builder("bifrost.edge.control.messages").tag("result", "sent")
            .description("heartbeat and telemetry messages to the control plane, by outcome").register(meters);
        notSent = Counter.builder("bifrost.edge.control.messages").tag("result", "not_sent")
            .description("heartbeat and telemetry messages to the control plane, by outcome").register(meters);
    }

    /**
     * Report a health change (e.g. DRAINING when the edge shuts down); the next heartbeat carries it.
     *
     * @param health the new health.
     */
    public void health(final EdgeHealth health)
    {
        this.health = health;
    }

    /**
     * Route one whole message of the placement stream by its template: signing keys to their receiver (or skipped when
     * this edge does not take keys online), everything else to the placement receiver, which checks it.
     */
    private void onPlacementStream(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH && offset >= 0 && offset <= buffer.capacity() - length &&
            (buffer.getShort(offset + SCHEMA_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == MessageHeaderDecoder.SCHEMA_ID &&
            (buffer.getShort(offset + TEMPLATE_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == SigningKeysDecoder.TEMPLATE_ID)
        {
            if (signingKeysReceiver != null)
            {
                signingKeysReceiver.onMessage(buffer, offset, length);
            }
            else
            {
                signingKeysIgnored.increment(); // no fleet keys: this edge takes no keys online
            }
            return;
        }
        placementReceiver.onMessage(buffer, offset, length);
    }

    @Override
    public int doWork()
    {
        int work = placement.poll(placementAssembler, FRAGMENT_LIMIT);
        work += executor.doWork();
        final long nowMs = clock.getAsLong();
        if (onlineKeys != null && nowMs >= nextKeyExpiryMs)
        {
            nextKeyExpiryMs = nowMs + KEY_EXPIRY_CHECK_MS;
            onlineKeys.expire(nowMs);
        }
        if (nowMs >= nextHeartbeatMs)
        {
            nextHeartbeatMs = nowMs + settings.heartbeatIntervalMs();
            sendHeartbeat(nowMs);
            work++;
        }
        if (nowMs >= nextTelemetryMs)
        {
            if (nextTelemetryMs != 0)
            {
                sendTelemetry(nowMs);
            }
            nextTelemetryMs = nowMs + settings.telemetryWindowMs();
            windowStartMs = nowMs;
            work++;
        }
        return work;
    }

    private void sendHeartbeat(final long nowMs)
    {
        final long elapsedMs = Math.max(1, nowMs - lastEgressMs);
        final long egressBps = traffic.takeEgressBytes() * 8_000 / elapsedMs;
        lastEgressMs = nowMs;
        heartbeatEncoder.wrapAndApplyHeader(buffer, 0, header)
            .timestampMs(nowMs)
            .sequence(heartbeatSequence++)
            .startTimeMs(startTimeMs)
            .ramCapacityBytes(load.ramCapacityBytes())
            .ramUsedBytes(load.ramUsedBytes())
            .ssdCapacityBytes(load.ssdCapacityBytes())
            .ssdUsedBytes(load.ssdUsedBytes())
            .egressBitsPerSecond(egressBps)
            .activeConnections(load.activeConnections())
            .cpuLoadPermille(load.cpuLoadPermille())
            .health(health)
            .edgeId(settings.edgeId())
            .region(settings.region())
            .baseUrl(settings.baseUrl());
        offer(heartbeats, MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength());
    }

    private void sendTelemetry(final long nowMs)
    {
        final long windowMs = Math.max(1, nowMs - windowStartMs);
        final List<ContentTraffic.Entry> entries = traffic.drain(settings.telemetryWindowMs());
        if (entries.isEmpty())
        {
            return;
        }
        final int trailer = EdgeTelemetryEncoder.edgeIdHeaderLength() + settings.edgeId().length() +
            EdgeTelemetryEncoder.regionHeaderLength() + settings.region().length();
        final int fixed = MessageHeaderEncoder.ENCODED_LENGTH + EdgeTelemetryEncoder.BLOCK_LENGTH +
            EdgeTelemetryEncoder.ContentsEncoder.sbeHeaderSize() + trailer;
        final int perEntryFixed = EdgeTelemetryEncoder.ContentsEncoder.sbeBlockLength() +
            EdgeTelemetryEncoder.ContentsEncoder.contentIdHeaderLength();
        int from = 0;
        do
        {
            int bytes = fixed;
            int to = from;
            while (to < entries.size() && to - from < 65_535 &&
                bytes + perEntryFixed + entries.get(to).contentId().length() <= MAX_MESSAGE_BYTES)
            {
                bytes += perEntryFixed + entries.get(to).contentId().length();
                to++;
            }
            encodeTelemetry(entries, from, to, windowMs);
            from = to;
        }
        while (from < entries.size());
    }

    private void encodeTelemetry(
        final List<ContentTraffic.Entry> entries, final int from, final int to, final long windowMs)
    {
        telemetryEncoder.wrapAndApplyHeader(buffer, 0, header)
            .windowStartMs(windowStartMs)
            .sequence(telemetrySequence++)
            .windowLengthMs((int)Math.min(Integer.MAX_VALUE, windowMs));
        final EdgeTelemetryEncoder.ContentsEncoder contents = telemetryEncoder.contentsCount(to - from);
        for (int i = from; i < to; i++)
        {
            final ContentTraffic.Entry entry = entries.get(i);
            final ContentTraffic.Counts counts = entry.counts();
            contents.next()
                .requests(counts.requests())
                .bytesSent(counts.bytesSent())
                .ramHits(counts.ramHits())
                .ssdHits(counts.ssdHits())
                .misses(counts.misses())
                .errors(counts.errors())
                .activeViewers(counts.viewers(settings.telemetryWindowMs()))
                .firstByteP50Micros(counts.firstByteP50Micros())
                .firstByteP99Micros(counts.firstByteP99Micros())
                .fillP50Micros(counts.fillP50Micros())
                .fillP99Micros(counts.fillP99Micros())
                .qoeBeacons(counts.qoeBeacons())
                .startupP50Millis(counts.startupP50Millis())
                .rebufferCount(counts.rebufferCount())
                .rebufferMillis(counts.rebufferMillis())
                .switchCount(counts.switchCount())
                .playedMillis(counts.playedMillis())
                .meanBitrateKbps(counts.meanBitrateKbps())
                .contentId(entry.contentId());
        }
        telemetryEncoder.edgeId(settings.edgeId()).region(settings.region());
        offer(telemetry, MessageHeaderEncoder.ENCODED_LENGTH + telemetryEncoder.encodedLength());
    }

    private void offer(final Publication publication, final int messageLength)
    {
        final int length = authenticator.sign(buffer, 0, messageLength, clock.getAsLong());
        long result = publication.offer(buffer, 0, length);
        // A term rotation (ADMIN_ACTION) or a momentarily full term (BACK_PRESSURED) passes at once: try again a few
        // times rather than lose a telemetry window's deltas; never wait longer than that.
        for (int retry = 0; retry < OFFER_RETRIES &&
            (result == Publication.ADMIN_ACTION || result == Publication.BACK_PRESSURED); retry++)
        {
            Thread.onSpinWait();
            result = publication.offer(buffer, 0, length);
        }
        (result > 0 ? sent : notSent).increment();
    }

    @Override
    public void onClose()
    {
        // Last word before the publications close: DRAINING, so steering stops at once rather than at the timeout.
        health = EdgeHealth.DRAINING;
        sendHeartbeat(clock.getAsLong());
        CloseHelper.closeAll(placement, heartbeats, telemetry);
    }

    @Override
    public String roleName()
    {
        return "edge-control";
    }
}
