package io.bifrost.edge.control;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.bifrost.protocol.aeron.MessageFrame;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.MessageAuthenticator;
import io.bifrost.protocol.sbe.PlacementAction;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Decodes PlacementCommand messages from the control plane and keeps the ones this edge must act on: meant for it
 * (empty target or its own id), not expired, and not seen before (idempotent by command id: the last
 * {@link #REMEMBERED_COMMANDS} ids are remembered). The bytes come from the network: the prologue is a
 * {@link MessageFrame} (anything but a PlacementCommand of this schema is malformed here), reads are bounded by the
 * message's length, text fields are checked against their grammar, and anything malformed is counted
 * ({@code bifrost.edge.placement.commands{result}}) and dropped, never thrown.
 *
 * <p>With fleet keys a command must carry a valid {@link MessageAuthenticator} trailer, sent within the authentication
 * window (30 s either way): an unsigned, forged, altered or old command is counted
 * ({@code bifrost.edge.placement.auth.rejected{reason}}) and never acted on. A command replayed inside the window is a
 * duplicate command id (the last {@link #REMEMBERED_COMMANDS} ids are remembered, far more than a control plane sends
 * in 30 s). Confined to the control agent's thread (it owns the authenticator's MAC).
 */
public final class PlacementReceiver implements FragmentHandler
{
    /** Command ids remembered for de-duplication. */
    static final int REMEMBERED_COMMANDS = 4096;

    private static final Pattern CONTENT_ID = Pattern.compile("(live|vod)/[A-Za-z0-9_-]{1,64}");
    private static final Pattern RENDITION = Pattern.compile("[A-Za-z0-9_-]{0,32}");

    private final String edgeId;
    private final LongSupplier clock;
    private final Consumer<PlacementOrder> orders;
    private final MessageFrame frame = new MessageFrame(PlacementCommandDecoder.TEMPLATE_ID);
    private final PlacementCommandDecoder decoder = new PlacementCommandDecoder();
    private final LongHashSet seen = new LongHashSet(REMEMBERED_COMMANDS * 2);
    private final long[] seenOrder = new long[REMEMBERED_COMMANDS];
    private int seenNext;
    private final Counter accepted;
    private final Counter duplicate;
    private final Counter expired;
    private final Counter otherEdge;
    private final Counter malformed;
    private final MessageAuthenticator authenticator;
    private final Counter[] unauthenticated = new Counter[MessageAuthenticator.Verdict.values().length];

    /**
     * A receiver that does not authenticate (fleet keys off).
     *
     * @param edgeId this edge's id.
     * @param clock  epoch milliseconds.
     * @param orders receives each accepted command.
     * @param meters where the counters go.
     */
    public PlacementReceiver(
        final String edgeId, final LongSupplier clock, final Consumer<PlacementOrder> orders, final MeterRegistry meters)
    {
        this(edgeId, clock, orders, meters, FleetKeys.NONE);
    }

    /**
     * @param edgeId    this edge's id.
     * @param clock     epoch milliseconds (also the authentication window's clock).
     * @param orders    receives each accepted command.
     * @param meters    where the counters go.
     * @param fleetKeys when enabled, a command without a valid {@link MessageAuthenticator} trailer is refused and
     *                  counted ({@code bifrost.edge.placement.auth.rejected{reason}}) before it is even decoded.
     */
    public PlacementReceiver(
        final String edgeId,
        final LongSupplier clock,
        final Consumer<PlacementOrder> orders,
        final MeterRegistry meters,
        final FleetKeys fleetKeys)
    {
        this.authenticator = new MessageAuthenticator(fleetKeys);
        for (final MessageAuthenticator.Verdict verdict : MessageAuthenticator.Verdict.values())
        {
            if (verdict != MessageAuthenticator.Verdict.ACCEPTED)
            {
                unauthenticated[verdict.ordinal()] = Counter.builder("bifrost.edge.placement.auth.rejected")
                    .tag("reason", verdict.tag())
                    .description("placement commands refused by authentication, by reason").register(meters);
            }
        }
        this.edgeId = edgeId;
        this.clock = clock;
        this.orders = orders;
        accepted = counter(meters, "accepted");
        duplicate = counter(meters, "duplicate");
        expired = counter(meters, "expired");
        otherEdge = counter(meters, "other_edge");
        malformed = counter(meters, "malformed");
    }

    private static Counter counter(final MeterRegistry meters, final String result)
    {
        return Counter.builder("bifrost.edge.placement.commands").tag("result", result)
            .description("placement commands received from the control plane, by outcome").register(meters);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        onMessage(buffer, offset, length);
    }

    /**
     * Decode one whole message.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageAuthenticator.Verdict authentication = authenticator.verify(buffer, offset, length, clock.getAsLong());
        if (authentication != MessageAuthenticator.Verdict.ACCEPTED)
        {
            unauthenticated[authentication.ordinal()].increment();
            return;
        }
        if (frame.wrap(buffer, offset, authenticator.messageLength()) != MessageFrame.Verdict.VALID)
        {
            malformed.increment();
            return;
        }
        final PlacementOrder order;
        final String target;
        try
        {
            decoder.wrap(frame.view(), frame.bodyOffset(), frame.blockLength(), frame.version());
            final long commandId = decoder.commandId();
            final long fromMsn = decoder.fromMsn();
            final long toMsn = decoder.toMsn();
            final long expiresAtMs = decoder.expiresAtMs();
            final int priority = decoder.priority();
            final short actionRaw = decoder.actionRaw();
            target = decoder.targetEdgeId();
            final String contentId = decoder.contentId();
            final String rendition = decoder.rendition();
            final PlacementAction action = actionRaw == PlacementAction.PREFETCH.value() ? PlacementAction.PREFETCH :
                actionRaw == PlacementAction.PIN.value() ? PlacementAction.PIN :
                actionRaw == PlacementAction.RELEASE.value() ? PlacementAction.RELEASE : null;
            if (action == null || !CONTENT_ID.matcher(contentId).matches() || !RENDITION.matcher(rendition).matches() ||
                fromMsn < -1 || toMsn < -1 || (fromMsn >= 0 && toMsn >= 0 && toMsn < fromMsn))
            {
                malformed.increment();
                return;
            }
            order = new PlacementOrder(commandId, action, contentId, rendition, fromMsn, toMsn, priority, expiresAtMs);
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            malformed.increment();
            return;
        }
        if (!target.isEmpty() && !target.equals(edgeId))
        {
            otherEdge.increment();
            return;
        }
        if (order.expiresAtMs() != 0 && order.expiresAtMs() <= clock.getAsLong())
        {
            expired.increment();
            return;
        }
        if (!remember(order.commandId()))
        {
            duplicate.increment();
            return;
        }
        accepted.increment();
        orders.accept(order);
    }

    private boolean remember(final long commandId)
    {
        if (seen.contains(commandId))
        {
            return false;
        }
        if (seen.size() >= REMEMBERED_COMMANDS)
        {
            seen.remove(seenOrder[seenNext]);
        }
        seen.add(commandId);
        seenOrder[seenNext] = commandId;
        seenNext = (seenNext + 1) % REMEMBERED_COMMANDS;
        return true;
    }
}
