package io.bifrost.control.edges;

import io.aeron.Publication;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.MessageAuthenticator;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Sends PlacementCommand messages to edges on every placement publication (IPC for edges in this process, UDP
 * multi-destination-cast for the others). Command ids start at the clock's milliseconds x 1000 and increase, so a
 * restarted control plane never reuses an id an edge remembers. With fleet keys every command is signed
 * ({@link MessageAuthenticator} trailer). One encoding buffer and one MAC, reused: confined to one thread (the placement
 * loop's agent). Owns and closes the publications.
 */
public final class PlacementPublisher implements AutoCloseable
{
    /** Longest target edge id, content id or rendition accepted. */
    static final int MAX_TEXT_LENGTH = 128;

    private final List<Publication> publications;
    private final UnsafeBuffer buffer = new UnsafeBuffer(
        ByteBuffer.allocateDirect(1024 + MessageAuthenticator.TRAILER_LENGTH));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlacementCommandEncoder encoder = new PlacementCommandEncoder();
    private final Counter sent;
    private final Counter notSent;
    private final MessageAuthenticator authenticator;
    private final EpochClock clock;
    private long nextCommandId;

    /**
     * A publisher that does not sign (fleet keys off).
     *
     * @param publications  placement publications (owned from now on).
     * @param startMs       the clock now, epoch millis (seeds the command ids).
     * @param meters        where the send counters go.
     */
    public PlacementPublisher(final List<Publication> publications, final long startMs, final MeterRegistry meters)
    {
        this(publications, startMs, meters, FleetKeys.NONE, System::currentTimeMillis);
    }

    /**
     * @param publications  placement publications (owned from now on).
     * @param startMs       the clock now, epoch millis (seeds the command ids).
     * @param meters        where the send counters go.
     * @param fleetKeys     when enabled, every command carries a {@link MessageAuthenticator} trailer signed with the
     *                      first key, so edges with the same keys accept it.
     * @param clock         the send time written into the trailer.
     */
    public PlacementPublisher(
        final List<Publication> publications,
        final long startMs,
        final MeterRegistry meters,
        final FleetKeys fleetKeys,
        final EpochClock clock)
    {
        this.authenticator = new MessageAuthenticator(fleetKeys);
        this.clock = clock;
        this.publications = List.copyOf(publications);
        this.nextCommandId = Math.max(1, startMs) * 1000;
        sent = Counter.builder("bifrost.control.placement.commands").tag("result", "sent")
            .description("placement commands offered to edges, by outcome").register(meters);
        notSent = Counter.builder("bifrost.control.placement.commands").tag("result", "not_sent")
            .description("placement commands offered to edges, by outcome").register(meters);
    }

    /**
     * Offer one command on every publication.
     *
     * @param action       prefetch, pin or release.
     * @param targetEdgeId the edge that acts; empty for every edge.
     * @param contentId    live/{id} or vod/{id}.
     * @param rendition    the rendition; empty for all.
     * @param fromMsn      first msn, -1 from the start.
     * @param toMsn        last msn, -1 to the end.
     * @param priority     higher first.
     * @param expiresAtMs  epoch millis after which the command is void; 0 never.
     * @return the command id when at least one publication took it, else -1 (no edge connected, back pressure).
     * @throws IllegalArgumentException when a text field is too long.
     */
    public long send(
        final PlacementAction action,
        final String targetEdgeId,
        final String contentId,
        final String rendition,
        final long fromMsn,
        final long toMsn,
        final int priority,
        final long expiresAtMs)
    {
        requireText("targetEdgeId", targetEdgeId);
        requireText("contentId", contentId);
        requireText("rendition", rendition);
        final long commandId = nextCommandId++;
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .commandId(commandId)
            .fromMsn(fromMsn)
            .toMsn(toMsn)
            .expiresAtMs(expiresAtMs)
            .priority(priority)
            .action(action)
            .targetEdgeId(targetEdgeId)
            .contentId(contentId)
            .rendition(rendition);
        final int length = authenticator.sign(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            clock.time());
        boolean any = false;
        for (final Publication publication : publications)
        {
            any |= publication.offer(buffer, 0, length) > 0;
        }
        (any ? sent : notSent).increment();
        return any ? commandId : -1;
    }

    /**
     * @return true when at least one edge is connected to a placement publication.
     */
    public boolean connected()
    {
        for (final Publication publication : publications)
        {
            if (publication.isConnected())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(publications);
    }

    private static void requireText(final String name, final String value)
    {
        if (value == null || value.length() > MAX_TEXT_LENGTH || !value.chars().allMatch(c -> c >= 0x21 && c < 0x7f))
        {
            throw new IllegalArgumentException("placement command " + name + " must be printable ASCII up to " +
                MAX_TEXT_LENGTH + " characters, got " + value);
        }
    }
}
