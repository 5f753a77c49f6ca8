package io.bifrost.ingest.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the ingest-to-origin relay ({@link OriginRelaySinkFactory}), Aeron-style: fluent setters, defaults
 * that work, {@link #conclude()} validates. Mutable until the factory is built; not thread-safe.
 *
 * <p>Configuration keys (for the launcher): {@code ingest.origin-url} ({@link #originUrl}; empty = the origin runs
 * in this process and no relay is made; {@code https://} relays over TLS), {@code ingest.relay-ca-file}
 * ({@link #caFile}), {@code ingest.relay-secret} ({@link #secret}, masked),
 * {@code ingest.relay-connect-timeout-ms} ({@link #connectTimeout}), {@code ingest.relay-reconnect-timeout-ms}
 * ({@link #reconnectTimeout}), {@code ingest.relay-buffer-bytes} ({@link #highWaterBytes}),
 * {@code ingest.relay-gop-cache-bytes} ({@link #gopCacheBytes}).
 */
public final class OriginRelayContext
{
    /** Default connect timeout: 3 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Default longest outage before a publish is given up: 30 s. */
    public static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Default outbound high-water mark per stream: 2 MiB. */
    public static final int DEFAULT_HIGH_WATER_BYTES = 2 << 20;
    /** Default GOP cache per stream: 8 MiB. */
    public static final int DEFAULT_GOP_CACHE_BYTES = 8 << 20;
    /** First reconnect delay; doubled per failure up to {@link #MAX_BACKOFF}. */
    public static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
    /** Longest reconnect delay. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private URI originUrl;
    private String secret;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT;
    private int highWaterBytes = DEFAULT_HIGH_WATER_BYTES;
    private int gopCacheBytes = DEFAULT_GOP_CACHE_BYTES;
    private int ioThreads = 1;
    private String transport = "auto";
    private MeterRegistry meterRegistry;
    private Path caFile;
    private String host;
    private int port;
    private SslContext sslContext;

    /**
     * @param url the origin's relay base URL (required): {@code http://host:port}, or {@code https://host:port} to
     *            relay over TLS, verifying the origin's certificate and that it names {@code host}. @return this.
     */
    public OriginRelayContext originUrl(final URI url) { this.originUrl = url; return this; }
    /** @return the origin's relay base URL. */
    public URI originUrl() { return originUrl; }
    /** @param secret the shared relay secret, the origin's {@code origin.relay-secret} (required). @return this. */
    public OriginRelayContext secret(final String secret) { this.secret = secret; return this; }
    /** @return the shared secret. */
    public String secret() { return secret; }
    /** @param timeout how long one connection attempt may take. @return this. */
    public OriginRelayContext connectTimeout(final Duration timeout) { this.connectTimeout = timeout; return this; }
    /** @return the connect timeout (3 s). */
    public Duration connectTimeout() { return connectTimeout; }
    /**
     * @param timeout how long a stream's relay may stay down (retrying with backoff) before the relay gives the
     *                stream up. @return this.
     */
    public OriginRelayContext reconnectTimeout(final Duration timeout) { this.reconnectTimeout = timeout; return this; }
    /** @return the reconnect bound (30 s). */
    public Duration reconnectTimeout() { return reconnectTimeout; }
    /**
     * @param bytes per stream, the outbound bytes past which the publisher is paused (Netty's write-buffer high-water
     *              mark; resumed below half). @return this.
     */
    public OriginRelayContext highWaterBytes(final int bytes) { this.highWaterBytes = bytes; return this; }
    /** @return the outbound high-water mark (2 MiB). */
    public int highWaterBytes() { return highWaterBytes; }
    /**
     * @param bytes per stream, the most bytes kept since the last keyframe, replayed after a reconnect so the origin
     *              restarts at once; past it the cache is dropped and the relay waits for the next keyframe. @return this.
     */
    public OriginRelayContext gopCacheBytes(final int bytes) { this.gopCacheBytes = bytes; return this; }
    /** @return the GOP cache bound (8 MiB). */
    public int gopCacheBytes() { return gopCacheBytes; }
    /** @param threads the relay client's event loop threads. @return this. */
    public OriginRelayContext ioThreads(final int threads) { this.ioThreads = threads; return this; }
    /** @return event loop threads (1). */
    public int ioThreads() { return ioThreads; }
    /** @param transport the preferred Netty transport ({@code auto}, {@code io_uring}, {@code epoll}, {@code nio}). @return this. */
    public OriginRelayContext transport(final String transport) { this.transport = transport; return this; }
    /** @return the preferred transport. */
    public String transport() { return transport; }
    /** @param registry where the counters go. @return this. */
    public OriginRelayContext meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
    /** @return the meter registry. */
    public MeterRegistry meterRegistry() { return meterRegistry; }
    /**
     * @param file PEM file of the certificate authorities that may sign the origin's certificate (operators' private
     *             CAs); null (the default): the JVM's trust store. Only with an {@code https://} origin URL.
     * @return this.
     */
    public OriginRelayContext caFile(final Path file) { this.caFile = file; return this; }
    /** @return the CA file, or null for the JVM's trust store. */
    public Path caFile() { return caFile; }
    /** @return the TLS client context for an {@code https://} origin URL, null for {@code http://} (after {@link #conclude()}). */
    public SslContext sslContext() { return sslContext; }
    /** @return the origin's host (after {@link #conclude()}). */
    public String host() { return host; }
    /** @return the origin's port (after {@link #conclude()}). */
    public int port() { return port; }

    /**
     * Validate and fill derived values.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public OriginRelayContext conclude()
    {
        Objects.requireNonNull(originUrl, "ingest.origin-url");
        final boolean tls = "https".equalsIgnoreCase(originUrl.getScheme());
        if (!tls && !"http".equalsIgnoreCase(originUrl.getScheme()) || null == originUrl.getHost())
        {
            throw new IllegalArgumentException("ingest.origin-url must be http://host:port or https://host:port, got " +
                originUrl);
        }
        if (!tls && null != caFile)
        {
            throw new IllegalArgumentException("ingest.relay-ca-file is set but ingest.origin-url " + originUrl +
                " is not https://: the relay would not use it");
        }
        if (null == secret || secret.isBlank())
        {
            throw new IllegalArgumentException("ingest.relay-secret is required when ingest.origin-url is set");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || reconnectTimeout.isNegative() ||
            reconnectTimeout.isZero())
        {
            throw new IllegalArgumentException("relay connect and reconnect timeouts must be positive");
        }
        if (highWaterBytes < 64 * 1024 || gopCacheBytes < 0 || ioThreads < 1)
        {
            throw new IllegalArgumentException("ingest.relay-buffer-bytes must be at least 64 KiB, " +
                "ingest.relay-gop-cache-bytes at least 0, got " + highWaterBytes + ", " + gopCacheBytes);
        }
        host = originUrl.getHost();
        port = -1 != originUrl.getPort() ? originUrl.getPort() : tls ? 443 : 80;
        sslContext = tls ? RelayTls.client(caFile) : null;
        if (null == meterRegistry)
        {
            meterRegistry = new SimpleMeterRegistry();
        }
        return this;
    }
}
