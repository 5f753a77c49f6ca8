package io.bifrost.edge.control;

import io.bifrost.protocol.signing.DistributedSigningKey;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge's token keys: the configured ones ({@code edge.signing-keys}, fixed) plus the set the control plane sends
 * ({@code SigningKeys} messages). Each set received replaces the previous one in the token gate's ring at once
 * ({@link SigningKeyRing#replace}): a key the control plane no longer sends stops verifying, a key whose
 * {@code notAfterMs} has passed is dropped ({@link #expire}, also between messages). A configured key always stays,
 * and wins over a sent key with the same id. Keys are not persisted: a restarted edge knows only its configured keys
 * until the next message (the control plane sends every 2 s).
 * <p>
 * Gauges {@code bifrost.edge.signing-keys{source=config|control}}. Thread-safe (called from the control agent; the
 * ring is read lock-free by the request path).
 */
public final class OnlineSigningKeys
{
    private static final Logger LOG = LoggerFactory.getLogger(OnlineSigningKeys.class);

    private final SigningKeyRing ring;
    private final List<SigningKey> configured;
    private final SigningKey configuredCurrent;
    private Map<String, SigningKey> sent = Map.of();
    private List<DistributedSigningKey> sentSet = List.of();
    private volatile int sentCount;

    /**
     * @param ring   the ring the token gate verifies with, holding the configured keys (possibly none); from now on
     *               changed only here.
     * @param meters where the gauges go.
     */
    public OnlineSigningKeys(final SigningKeyRing ring, final MeterRegistry meters)
    {
        this.ring = ring;
        this.configured = ring.keys();
        this.configuredCurrent = ring.currentOrNull();
        Gauge.builder("bifrost.edge.signing-keys", configured, List::size).tag("source", "config")
            .description("signing keys the token gate accepts, by where they come from").register(meters);
        Gauge.builder("bifrost.edge.signing-keys", this, keys -> keys.sentCount).tag("source", "control")
            .description("signing keys the token gate accepts, by where they come from").register(meters);
    }

    /**
     * Accept exactly these keys from the control plane (and the configured ones) from now on.
     *
     * @param keys  the control plane's whole set.
     * @param nowMs epoch milliseconds: keys already past their end are left out.
     * @return true when the ring changed.
     */
    public synchronized boolean apply(final List<DistributedSigningKey> keys, final long nowMs)
    {
        final List<DistributedSigningKey> live = new ArrayList<>(keys.size());
        for (final DistributedSigningKey key : keys)
        {
            if (key.acceptedAt(nowMs) && !isConfigured(key.keyId()))
            {
                live.add(key);
            }
        }
        if (live.equals(sentSet))
        {
            return false;
        }
        final Map<String, SigningKey> next = new HashMap<>();
        for (final DistributedSigningKey key : live)
        {
            final SigningKey known = sent.get(key.keyId());
            // Keep the object (and its per-thread MACs) of a key whose secret did not change.
            next.put(key.keyId(), known != null && sameSecret(key) ? known : new SigningKey(key.keyId(), key.secret()));
        }
        final List<SigningKey> all = new ArrayList<>(configured);
        all.addAll(next.values());
        sentCount = next.size(); // before the ring: whoever sees a sent key verify also sees it counted
        ring.replace(configuredCurrent, all);
        LOG.info("token keys from the control plane: {} (configured: {})", next.keySet(),
            configured.stream().map(SigningKey::keyId).toList());
        sent = next;
        sentSet = List.copyOf(live);
        return true;
    }

    /**
     * Drop the keys whose end has passed.
     *
     * @param nowMs epoch milliseconds.
     * @return true when a key was dropped.
     */
    public synchronized boolean expire(final long nowMs)
    {
        for (final DistributedSigningKey key : sentSet)
        {
            if (!key.acceptedAt(nowMs))
            {
                return apply(sentSet, nowMs);
            }
        }
        return false;
    }

    /**
     * @return the ids of the keys the control plane sent that are accepted now.
     */
    public synchronized List<String> sentKeyIds()
    {
        return List.copyOf(sent.keySet());
    }

    private boolean isConfigured(final String keyId)
    {
        for (final SigningKey key : configured)
        {
            if (key.keyId().equals(keyId))
            {
                return true;
            }
        }
        return false;
    }

    private boolean sameSecret(final DistributedSigningKey key)
    {
        for (final DistributedSigningKey known : sentSet)
        {
            if (known.keyId().equals(key.keyId()))
            {
                return MessageDigest.isEqual(known.secret(), key.secret());
            }
        }
        return false;
    }
}
