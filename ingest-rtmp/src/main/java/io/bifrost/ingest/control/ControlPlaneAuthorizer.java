package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Stream keys checked by the control plane, with a short cache in front: accepted keys for {@code positiveTtl}
 * (a reconnecting publisher does not wait on the control plane again; a key revoked meanwhile is refused at the
 * latest {@code positiveTtl} later), unknown or revoked keys for {@code negativeTtl} (a client retrying a wrong key
 * costs nothing upstream). Control plane failures are never cached, and always refuse (fail closed).
 *
 * <p>Single flight: while a key's check is on its way to the control plane, further publishes of the same key (an
 * encoder retrying in a loop, a burst of reconnects) wait for that answer instead of asking again.
 *
 * <p>Thread-safe; never blocks the caller. The cache holds at most {@code maxEntries} keys: when full, expired
 * entries go, and if none has expired, the whole cache is dropped (it is only an optimisation).
 */
public final class ControlPlaneAuthorizer implements StreamKeyAuthorizer
{
    /** Default time an accepted key is trusted without asking again. */
    public static final Duration DEFAULT_POSITIVE_TTL = Duration.ofSeconds(2);
    /** Default time a refused key is refused without asking again. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    /** Default bound on cached keys. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private record Entry(StreamAuthorization authorization, long expiresAtNanos)
    {
    }

    private final ControlPlaneClient client;
    private final long positiveTtlNanos;
    private final long negativeTtlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<StreamAuthorization>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param client      the control plane.
     * @param positiveTtl how long an accepted key is cached; zero disables.
     * @param negativeTtl how long an unknown or revoked key is cached; zero disables.
     * @param maxEntries  the most keys cached.
     * @param nanoClock   monotonic time in nanoseconds ({@code System::nanoTime}).
     */
    public ControlPlaneAuthorizer(final ControlPlaneClient client, final Duration positiveTtl,
        final Duration negativeTtl, final int maxEntries, final LongSupplier nanoClock)
    {
        this.client = client;
        this.positiveTtlNanos = positiveTtl.toNanos();
        this.negativeTtlNanos = negativeTtl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    /**
     * @param client the control plane, with the default TTLs and bound.
     */
    public ControlPlaneAuthorizer(final ControlPlaneClient client)
    {
        this(client, DEFAULT_POSITIVE_TTL, DEFAULT_NEGATIVE_TTL, DEFAULT_MAX_ENTRIES, System::nanoTime);
    }

    @Override
    public CompletionStage<StreamAuthorization> authorize(final PublishRequest request)
    {
        final String key = request.streamKey();
        final long now = nanoClock.getAsLong();
        final Entry cached = cache.get(key);
        if (null != cached)
        {
            if (cached.expiresAtNanos() - now > 0)
            {
                client.count(cached.authorization().allowed() ? AuthorizeOutcome.CACHED_ALLOWED :
                    AuthorizeOutcome.CACHED_REFUSED);
                return CompletableFuture.completedFuture(cached.authorization());
            }
            cache.remove(key, cached);
        }
        final CompletableFuture<StreamAuthorization> mine = new CompletableFuture<>();
        final CompletableFuture<StreamAuthorization> shared = inFlight.putIfAbsent(key, mine);
        if (null != shared)
        {
            client.count(AuthorizeOutcome.SHARED);
            return shared.thenApply(authorization -> authorization);
        }
        client.authorize(request).whenComplete((answer, error) ->
        {
            final StreamAuthorization authorization;
            if (null == answer)
            {
                authorization = AuthorizeAnswer.unavailable(String.valueOf(error)).authorization();
            }
            else
            {
                authorization = answer.authorization();
                if (answer.cacheable())
                {
                    remember(key, authorization);
                }
                else
                {
                    cache.remove(key);
                }
            }
            inFlight.remove(key, mine);
            mine.complete(authorization);
        });
        return mine.thenApply(authorization -> authorization);
    }

    /**
     * @return how many keys are cached now.
     */
    public int cachedKeys()
    {
        return cache.size();
    }

    private void remember(final String key, final StreamAuthorization authorization)
    {
        final long ttl = authorization.allowed() ? positiveTtlNanos : negativeTtlNanos;
        if (ttl <= 0)
        {
            cache.remove(key);
            return;
        }
        final long now = nanoClock.getAsLong();
        if (cache.size() >= maxEntries)
        {
            cache.values().removeIf(entry -> entry.expiresAtNanos() - now <= 0);
            if (cache.size() >= maxEntries)
            {
                cache.clear();
            }
        }
        cache.put(key, new Entry(authorization, now + ttl));
    }
}
