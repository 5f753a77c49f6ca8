package io.bifrost.edge.live;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.FragmentAssembler;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's follower of the origin's live stream: an Agrona {@link Agent} that polls the Aeron subscription,
 * reassembles fragmented messages (a part is larger than the MTU) and hands each one to the {@link LiveMessageDecoder},
 * which feeds the {@link LiveMessageHandler} (the {@link LiveWindowStore}).
 *
 * <p>Bad input never stops the agent: unknown schemas and templates are counted and skipped, malformed messages are
 * counted and skipped, an exception from the handler is counted and logged once per kind. Meters:
 * {@code bifrost.edge.live.messages{result=part|window|unknown_schema|unknown_template|malformed|error}} and
 * {@code bifrost.edge.live.images} (origins whose stream this edge receives now).
 *
 * <p>Authentication: with fleet keys ({@code edge.fleet-keys}, the origin's {@code origin.fleet-keys}) each reassembled
 * message must carry a valid {@link SequencedAuthenticator} block: unsigned, unknown-key, forged, stale (30 s either
 * way) and replayed messages are refused before they are decoded, so they never reach the window store, and counted
 * as {@code bifrost.edge.live.auth.rejected{reason=missing|unknown_key|bad_mac|stale|replayed|too_many_senders}}. The
 * check runs on whole messages, after the {@link FragmentAssembler}: a fragment Aeron retransmitted after a NAK is part
 * of its message once, never a replay; an edge that joins or rejoins mid-stream accepts the origin's current messages
 * at once (see {@link SequencedAuthenticator}).
 *
 * <p>Runs on one thread (its {@link org.agrona.concurrent.AgentRunner}); not thread-safe.
 */
public final class LiveReplicationSubscriber implements Agent, FragmentHandler
{
    /** Fragments read per {@link #doWork()}. */
    static final int FRAGMENT_LIMIT = 64;

    private static final Logger LOG = LoggerFactory.getLogger(LiveReplicationSubscriber.class);

    private final Subscription subscription;
    private final LiveMessageHandler handler;
    private final LiveMessageDecoder decoder = new LiveMessageDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final Counter[] results = new Counter[LiveMessageDecoder.Result.values().length];
    private final Counter errors;
    private final SequencedAuthenticator authenticator;
    private final Counter[] unauthenticated = new Counter[SequencedAuthenticator.Verdict.values().length];
    private boolean loggedError;

    /**
     * @param subscription the live subscription (owned: closed with the agent).
     * @param handler      where decoded messages go.
     * @param registry     where the meters go.
     * @param images       count of connected images, kept by the subscription's image handlers (see {@link LiveEdge}).
     */
    public LiveReplicationSubscriber(
        final Subscription subscription,
        final LiveMessageHandler handler,
        final MeterRegistry registry,
        final AtomicInteger images)
    {
        this(subscription, handler, registry, images, FleetKeys.NONE);
    }

    /**
     * @param subscription the live subscription (owned: closed with the agent).
     * @param handler      where decoded messages go.
     * @param registry     where the meters go.
     * @param images       count of connected images, kept by the subscription's image handlers (see {@link LiveEdge}).
     * @param fleetKeys    when enabled, messages without a valid {@link SequencedAuthenticator} block are refused.
     */
    public LiveReplicationSubscriber(
        final Subscription subscription,
        final LiveMessageHandler handler,
        final MeterRegistry registry,
        final AtomicInteger images,
        final FleetKeys fleetKeys)
    {
        this.authenticator = new SequencedAuthenticator(fleetKeys);
        for (final SequencedAuthenticator.Verdict verdict : SequencedAuthenticator.Verdict.values())
        {
            if (verdict != SequencedAuthenticator.Verdict.ACCEPTED)
            {
                unauthenticated[verdict.ordinal()] = Counter.builder("bifrost.edge.live.auth.rejected")
                    .description("live messages from the origin refused by authentication, by reason")
                    .tag("reason", verdict.tag()).register(registry);
            }
        }
        this.subscription = subscription;
        this.handler = handler;
        for (final LiveMessageDecoder.Result result : LiveMessageDecoder.Result.values())
        {
            results[result.ordinal()] = Counter.builder("bifrost.edge.live.messages")
                .description("messages read from the origin's live stream, by result")
                .tag("result", result.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        errors = Counter.builder("bifrost.edge.live.messages").description("messages read from the origin's live stream, by result")
            .tag("result", "error").register(registry);
        Gauge.builder("bifrost.edge.live.images", images, AtomicInteger::get)
            .description("origin publications this edge receives the live stream from now").register(registry);
    }

    @Override
    public int doWork()
    {
        return subscription.poll(assembler, FRAGMENT_LIMIT);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final SequencedAuthenticator.Verdict verdict =
            authenticator.verify(buffer, offset, length, System.currentTimeMillis());
        if (verdict != SequencedAuthenticator.Verdict.ACCEPTED)
        {
            unauthenticated[verdict.ordinal()].increment();
            return;
        }
        try
        {
            results[decoder.decode(buffer, offset, authenticator.messageLength(), handler).ordinal()].increment();
        }
        catch (final RuntimeException ex)
        {
            errors.increment();
            if (!loggedError)
            {
                loggedError = true;
                LOG.error("live message from the origin could not be stored (counted as bifrost.edge.live.messages" +
                    "{result=error}; logged once)", ex);
            }
        }
    }

    @Override
    public String roleName()
    {
        return "bifrost-edge-live";
    }

    @Override
    public void onClose()
    {
        subscription.close();
    }

    /**
     * Log an image coming or going (called by the Aeron client conductor).
     *
     * @param image  the image.
     * @param joined true when it became available.
     */
    static void logImage(final Image image, final boolean joined)
    {
        LOG.info("live stream from {} {}", image.sourceIdentity(), joined ? "joined" : "left (catching up over HTTP " +
            "on the next part)");
    }
}
