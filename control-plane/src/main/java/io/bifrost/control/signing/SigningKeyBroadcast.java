package io.bifrost.control.signing;

import io.aeron.Publication;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SealedSigningKeys;
import io.bifrost.protocol.signing.DistributedSigningKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;

/**
 * Pushes the API signing keys ({@link SigningKeys#distribution()}) to every edge as one {@code SigningKeys} message
 * on the placement publications, sealed and signed under the fleet keys ({@link SealedSigningKeys}): at once when the
 * set changes, and again every interval, so an edge that starts or reconnects learns the set within one interval.
 * <p>
 * Without fleet keys nothing is sent (secrets never travel unsealed): one WARN, the first time there is an API key to
 * send, names {@code control.fleet-keys}. Counted as {@code bifrost.control.signing.keys.broadcasts{result}}
 * ({@code sent}, {@code not_sent}: no edge connected or back pressure, {@code no_fleet_keys}).
 * <p>
 * Nothing is sent before the first API key exists; from then on the set is sent even when it becomes empty (so edges
 * drop what they had).
 * <p>
 * An agent on the control plane's Aeron thread, beside the placement loop that shares the publications (it does not
 * own them). It reads only the keys in memory ({@link SigningKeys#loadedDistribution()}); API changes update them at
 * once, and the control plane's database thread ({@code bifrost-control-db}) re-reads the database every
 * {@link SigningKeys#REFRESH_MS}, so this thread (which also reads the edges' heartbeats) never waits for the database.
 */
public final class SigningKeyBroadcast implements Agent
{
    /** Default time between two sends of an unchanged set. */
    public static final long DEFAULT_INTERVAL_MS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyBroadcast.class);

    private final SigningKeys keys;
    private final List<Publication> publications;
    private final SealedSigningKeys codec;
    private final EpochClock clock;
    private final long intervalMs;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(SealedSigningKeys.MAX_MESSAGE_LENGTH));
    private final Counter sent;
    private final Counter notSent;
    private final Counter noFleetKeys;
    private long sentVersion = -1;
    private long nextSendMs;
    private boolean warned;
    private boolean sentAny;

    /**
     * @param keys         the keys to send.
     * @param publications the placement publications (shared, not owned).
     * @param fleetKeys    the fleet keys that seal and sign; {@link FleetKeys#NONE}: nothing is sent.
     * @param clock        epoch milliseconds.
     * @param intervalMs   time between two sends of an unchanged set.
     * @param meters       where the counters go.
     */
    public SigningKeyBroadcast(
        final SigningKeys keys,
        final List<Publication> publications,
        final FleetKeys fleetKeys,
        final EpochClock clock,
        final long intervalMs,
        final MeterRegistry meters)
    {
        if (intervalMs < 1)
        {
            throw new IllegalArgumentException("the signing key broadcast interval must be positive, got " + intervalMs);
        }
        this.keys = keys;
        this.publications = List.copyOf(publications);
        this.codec = new SealedSigningKeys(fleetKeys, new SecureRandom());
        this.clock = clock;
        this.intervalMs = intervalMs;
        sent = result(meters, "sent");
        notSent = result(meters, "not_sent");
        noFleetKeys = result(meters, "no_fleet_keys");
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        final long version = keys.loadedVersion();
        if (version == sentVersion && nowMs < nextSendMs)
        {
            return 0;
        }
        final List<DistributedSigningKey> set = keys.loadedDistribution();
        nextSendMs = nowMs + intervalMs;
        if (!codec.enabled())
        {
            sentVersion = version;
            if (!set.isEmpty())
            {
                noFleetKeys.increment();
                if (!warned)
                {
                    warned = true;
                    LOG.warn("signing keys created through the API are not sent to edges: set control.fleet-keys (and the " +
                        "same edge.fleet-keys on every edge); secrets are only ever sent sealed under them. Until then " +
                        "edges refuse URLs signed with API keys unless their edge.signing-keys holds them");
                }
            }
            return 1;
        }
        if (set.isEmpty() && !sentAny)
        {
            // No API key yet: nothing to say (and nothing for edges of an older schema to count as malformed).
            sentVersion = version;
            return 0;
        }
        sentAny = true;
        final int length = codec.encode(buffer, 0, version, set, nowMs);
        boolean any = false;
        for (final Publication publication : publications)
        {
            any |= publication.offer(buffer, 0, length) > 0;
        }
        (any ? sent : notSent).increment();
        // A set no edge took is offered again next interval (an edge connecting then gets it).
        sentVersion = version;
        return 1;
    }

    @Override
    public String roleName()
    {
        return "signing-key-broadcast";
    }

    private static Counter result(final MeterRegistry meters, final String result)
    {
        return Counter.builder("bifrost.control.signing.keys.broadcasts").tag("result", result)
            .description("signing key sets offered to edges, by outcome").register(meters);
    }
}
