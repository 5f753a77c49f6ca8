package io.bifrost.control.edges;

import io.bifrost.control.telemetry.ContentNames;
import io.bifrost.control.telemetry.ExperienceSample;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.protocol.aeron.MessageFrame;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.MessageAuthenticator;
import io.bifrost.protocol.auth.ReplayWindow;
import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;

import java.util.regex.Pattern;

/**
 * Decodes what edges send (EdgeHeartbeat and EdgeTelemetry, assembled messages) into the {@link EdgeRegistry} and
 * the {@link TelemetryAggregator}. The bytes come from the network, so nothing in them is trusted: the prologue
 * (bounds, schema, template, block length) is a {@link MessageFrame}, every read is bounded by the message's own
 * length (the frame's view over exactly those bytes), ids, regions, URLs and content ids are
 * checked against their grammar, and a message that fails is counted ({@code bifrost.control.edge.messages{result}})
 * and dropped, never thrown. With fleet keys, each message must first carry a valid {@link MessageAuthenticator}
 * trailer and be newer than the same edge's last heartbeat (or telemetry) by (send time, sequence): a forged, altered,
 * stale or replayed message is counted ({@code bifrost.control.edge.auth.rejected{reason}}) and never reaches the
 * registry or the telemetry. Confined to the agent thread that polls the subscriptions (it owns the authenticator's
 * MACs).
 */
public final class EdgeFeed implements FragmentHandler
{
    /** Longest edge id or region accepted. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Longest base URL accepted. */
    public static final int MAX_URL_LENGTH = 512;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_NAME_LENGTH - 1) + "}");
    private static final Pattern BASE_URL = Pattern.compile("https?://[A-Za-z0-9.\\[\\]:-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?");

    private final EdgeRegistry registry;
    private final TelemetryAggregator telemetry;
    private final EpochClock clock;
    private final MessageFrame frame = new MessageFrame(EdgeHeartbeatDecoder.TEMPLATE_ID, EdgeTelemetryDecoder.TEMPLATE_ID);
    private final EdgeHeartbeatDecoder heartbeat = new EdgeHeartbeatDecoder();
    private final EdgeTelemetryDecoder telemetryDecoder = new EdgeTelemetryDecoder();
    private final ExperienceSample experience = new ExperienceSample();
    private final Counter heartbeats;
    private final Counter telemetries;
    private final Counter malformed;
    private final Counter foreign;
    private final Counter refused;
    private final MessageAuthenticator authenticator;
    private final ReplayWindow heartbeatReplay = new ReplayWindow(ReplayWindow.DEFAULT_MAX_SENDERS);
    private final ReplayWindow telemetryReplay = new ReplayWindow(ReplayWindow.DEFAULT_MAX_SENDERS);
    private final Counter[] unauthenticated = new Counter[MessageAuthenticator.Verdict.values().length];
    private final Counter replayed;

    /**
     * A feed that does not authenticate (fleet keys off).
     *
     * @param registry  where heartbeats go.
     * @param telemetry where telemetry goes.
     * @param clock     the control plane's clock (arrival time is what counts).
     * @param meters    where the message counters go.
     */
    public EdgeFeed(
        final EdgeRegistry registry, final TelemetryAggregator telemetry, final EpochClock clock, final MeterRegistry meters)
    {
        this(registry, telemetry, clock, meters, FleetKeys.NONE);
    }

    /**
     * @param registry  where heartbeats go.
     * @param telemetry where telemetry goes.
     * @param clock     the control plane's clock (arrival time is what counts; also the authentication window's).
     * @param meters    where the message counters go.
     * @param fleetKeys the keys edges sign with; when enabled, a message without a valid trailer, or not newer than
     *                  the edge's last one, is refused ({@code bifrost.control.edge.auth.rejected{reason}}) before it
     *                  touches the registry or the telemetry.
     */
    public EdgeFeed(
        final EdgeRegistry registry,
        final TelemetryAggregator telemetry,
        final EpochClock clock,
        final MeterRegistry meters,
        final FleetKeys fleetKeys)
    {
        this.authenticator = new MessageAuthenticator(fleetKeys);
        for (final MessageAuthenticator.Verdict verdict : MessageAuthenticator.Verdict.values())
        {
            if (verdict != MessageAuthenticator.Verdict.ACCEPTED)
            {
                unauthenticated[verdict.ordinal()] = rejectedCounter(meters, verdict.tag());
            }
        }
        replayed = rejectedCounter(meters, "replay");
        this.registry = registry;
        this.telemetry = telemetry;
        this.clock = clock;
        heartbeats = counter(meters, "heartbeat");
        telemetries = counter(meters, "telemetry");
        malformed = counter(meters, "malformed");
        foreign = counter(meters, "unknown");
        refused = counter(meters, "refused");
    }

    private static Counter rejectedCounter(final MeterRegistry meters, final String reason)
    {
        return Counter.builder("bifrost.control.edge.auth.rejected").tag("reason", reason)
            .description("messages from edges refused by authentication, by reason").register(meters);
    }

    private static Counter counter(final MeterRegistry meters, final String result)
    {
        return Counter.builder("bifrost.control.edge.messages").tag("result", result)
            .description("messages from edges by outcome").register(meters);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        onMessage(buffer, offset, length);
    }

    /**
     * Decode one whole message (what a FragmentAssembler hands over).
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageAuthenticator.Verdict authentication = authenticator.verify(buffer, offset, length, clock.time());
        if (authentication != MessageAuthenticator.Verdict.ACCEPTED)
        {
            unauthenticated[authentication.ordinal()].increment();
            return;
        }
        final MessageFrame.Verdict verdict = frame.wrap(buffer, offset, authenticator.messageLength());
        if (verdict != MessageFrame.Verdict.VALID)
        {
            (verdict.malformed() ? malformed : foreign).increment();
            return;
        }
        try
        {
            if (frame.templateId() == EdgeHeartbeatDecoder.TEMPLATE_ID)
            {
                onHeartbeat();
            }
            else
            {
                onTelemetry();
            }
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            malformed.increment();
        }
    }

    private void onHeartbeat()
    {
        heartbeat.wrap(frame.view(), frame.bodyOffset(), frame.blockLength(), frame.version());
        final long timestampMs = heartbeat.timestampMs();
        final long sequence = heartbeat.sequence();
        final long startTimeMs = heartbeat.startTimeMs();
        final long ramCapacity = heartbeat.ramCapacityBytes();
        final long ramUsed = heartbeat.ramUsedBytes();
        final long ssdCapacity = heartbeat.ssdCapacityBytes();
        final long ssdUsed = heartbeat.ssdUsedBytes();
        final long egress = heartbeat.egressBitsPerSecond();
        final int connections = heartbeat.activeConnections();
        final int cpu = heartbeat.cpuLoadPermille();
        final var health = heartbeat.health();
        final String edgeId = heartbeat.edgeId();
        final String region = heartbeat.region();
        final String baseUrl = heartbeat.baseUrl();
        if (!valid(NAME, edgeId, MAX_NAME_LENGTH) || !valid(NAME, region, MAX_NAME_LENGTH) ||
            !valid(BASE_URL, baseUrl, MAX_URL_LENGTH))
        {
            refused.increment();
            return;
        }
        if (authenticator.enabled() && !heartbeatReplay.advance(edgeId, authenticator.sentAtMs(), sequence))
        {
            replayed.increment();
            return;
        }
        final EdgeSnapshot snapshot = registry.onHeartbeat(new Heartbeat(edgeId, region, baseUrl, timestampMs, sequence,
            startTimeMs, ramCapacity, ramUsed, ssdCapacity, ssdUsed, egress, connections, cpu, health), clock.time());
        if (snapshot == null)
        {
            refused.increment();
        }
        else
        {
            heartbeats.increment();
        }
    }

    private void onTelemetry()
    {
        telemetryDecoder.wrap(frame.view(), frame.bodyOffset(), frame.blockLength(), frame.version());
        final long sequence = telemetryDecoder.sequence();
        final long windowLengthMs = Math.max(0, telemetryDecoder.windowLengthMs());
        // SBE puts var data after groups: walk the group once to reach edgeId and region, then rewind.
        final EdgeTelemetryDecoder.ContentsDecoder skim = telemetryDecoder.contents();
        while (skim.hasNext())
        {
            skim.next().sbeSkip();
        }
        final String edgeId = telemetryDecoder.edgeId();
        final String region = telemetryDecoder.region();
        if (!valid(NAME, edgeId, MAX_NAME_LENGTH) || !valid(NAME, region, MAX_NAME_LENGTH) ||
            registry.edge(edgeId) == null)
        {
            // Telemetry from an edge that never sent a heartbeat is not trusted to name itself.
            refused.increment();
            return;
        }
        if (authenticator.enabled() && !telemetryReplay.advance(edgeId, authenticator.sentAtMs(), sequence))
        {
            replayed.increment();
            return;
        }
        final long nowMs = clock.time();
        telemetryDecoder.sbeRewind();
        final EdgeTelemetryDecoder.ContentsDecoder contents = telemetryDecoder.contents();
        while (contents.hasNext())
        {
            contents.next();
            final long requests = contents.requests();
            final long bytes = contents.bytesSent();
            final long ramHits = contents.ramHits();
            final long ssdHits = contents.ssdHits();
            final long misses = contents.misses();
            final long errors = contents.errors();
            final int viewers = contents.activeViewers();
            final String contentId = contents.contentId();
            if (!valid(ContentNames.CONTENT_ID, contentId, 70))
            {
                refused.increment();
                continue;
            }
            telemetry.onContent(nowMs, edgeId, region, windowLengthMs, contentId, requests, bytes, ramHits, ssdHits, misses,
                errors, viewers);
            // Schema v3 fields; an older edge's entries read as SBE null values, which the sample takes as 0.
            telemetry.onExperience(nowMs, edgeId, region, contentId, experience.set(requests, misses,
                contents.firstByteP50Micros(), contents.firstByteP99Micros(), contents.fillP50Micros(),
                contents.fillP99Micros(), contents.qoeBeacons(), contents.startupP50Millis(), contents.rebufferCount(),
                contents.rebufferMillis(), contents.switchCount(), contents.playedMillis(), contents.meanBitrateKbps()));
        }
        telemetries.increment();
    }

    private static boolean valid(final Pattern grammar, final String value, final int maxLength)
    {
        return value != null && !value.isEmpty() && value.length() <= maxLength && grammar.matcher(value).matches();
    }
}
