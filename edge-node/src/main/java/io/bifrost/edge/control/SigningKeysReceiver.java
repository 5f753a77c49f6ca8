package io.bifrost.edge.control;

import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SealedSigningKeys;
import io.bifrost.protocol.signing.DistributedSigningKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.DirectBuffer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Receives the control plane's {@code SigningKeys} messages (on the placement stream) and applies each authentic one
 * to the edge's {@link OnlineSigningKeys}. The bytes come from the network: {@link SealedSigningKeys} authenticates
 * them with the fleet keys, bounds and opens them, and never throws; a refused message is counted as
 * {@code bifrost.edge.signing-keys.refused{reason}} (the {@link SealedSigningKeys.Verdict} tags, and
 * {@code outdated}: sent before the last set applied, e.g. a replay within the authentication window or two control
 * planes' sets crossing) and changes nothing. Without fleet keys every message is refused ({@code no_fleet_keys}):
 * the edge never takes keys from a sender it cannot authenticate. Confined to the control agent's thread.
 */
public final class SigningKeysReceiver
{
    private final OnlineSigningKeys keys;
    private final SealedSigningKeys codec;
    private final LongSupplier clock;
    private final List<DistributedSigningKey> received = new ArrayList<>(SealedSigningKeys.MAX_KEYS);
    private final Counter[] refused = new Counter[SealedSigningKeys.Verdict.values().length];
    private final Counter outdated;
    private final Counter applied;
    private long lastSentAtMs = Long.MIN_VALUE;

    /**
     * @param keys      where accepted sets go.
     * @param fleetKeys the fleet keys ({@code edge.fleet-keys}); {@link FleetKeys#NONE}: every message is refused.
     * @param clock     epoch milliseconds (the authentication window's clock too).
     * @param meters    where the counters go.
     */
    public SigningKeysReceiver(
        final OnlineSigningKeys keys, final FleetKeys fleetKeys, final LongSupplier clock, final MeterRegistry meters)
    {
        this.keys = keys;
        this.codec = new SealedSigningKeys(fleetKeys, new SecureRandom());
        this.clock = clock;
        for (final SealedSigningKeys.Verdict verdict : SealedSigningKeys.Verdict.values())
        {
            if (verdict != SealedSigningKeys.Verdict.ACCEPTED)
            {
                refused[verdict.ordinal()] = refusedCounter(meters, verdict.tag());
            }
        }
        outdated = refusedCounter(meters, "outdated");
        applied = Counter.builder("bifrost.edge.signing-keys.received")
            .description("signing key sets from the control plane accepted").register(meters);
    }

    /**
     * Handle one whole message.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length, trailer included.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowMs = clock.getAsLong();
        final SealedSigningKeys.Verdict verdict = codec.decode(buffer, offset, length, nowMs, received);
        if (verdict != SealedSigningKeys.Verdict.ACCEPTED)
        {
            refused[verdict.ordinal()].increment();
            return;
        }
        if (codec.sentAtMs() < lastSentAtMs)
        {
            outdated.increment();
            return;
        }
        lastSentAtMs = codec.sentAtMs();
        applied.increment();
        keys.apply(received, nowMs);
        received.clear();
    }

    private static Counter refusedCounter(final MeterRegistry meters, final String reason)
    {
        return Counter.builder("bifrost.edge.signing-keys.refused").tag("reason", reason)
            .description("signing key messages from the control plane refused, by reason").register(meters);
    }
}
