package io.bifrost.origin.live.relay;

import io.bifrost.ingest.sink.MediaSinkFactory;
import io.bifrost.origin.http.OriginTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the origin's relay listener ({@link RelayReceiver}), Aeron-style: fluent setters, defaults,
 * {@link #conclude()} validates. Mutable until the receiver starts; not thread-safe.
 *
 * <p>Configuration keys (for the launcher): {@code origin.relay-port} ({@link #port}, default
 * {@value #DEFAULT_PORT}), {@code origin.relay-secret} ({@link #secret}, masked; empty = no relay listener),
 * {@code origin.relay-max-tag-bytes} ({@link #maxTagBytes}), {@code origin.relay-idle-timeout-ms}
 * ({@link #idleTimeout}), {@code origin.relay-tls-cert} and {@code origin.relay-tls-key} ({@link #tlsCertificate},
 * {@link #tlsPrivateKey}: TLS on the relay port when both are set). The bind address is the node's {@code bind}.
 */
public final class RelayReceiverContext
{
    /** Default relay port: next to the control plane's 8082. */
    public static final int DEFAULT_PORT = 8083;
    /** Default largest tag: 8 MiB (a 4K keyframe fits). */
    public static final int DEFAULT_MAX_TAG_BYTES = 8 << 20;
    /** Shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;

    private String bindAddress = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private String secret;
    private int maxTagBytes = DEFAULT_MAX_TAG_BYTES;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int ioThreads = 1;
    private String transport = "auto";
    private MediaSinkFactory sinkFactory;
    private MeterRegistry meterRegistry;
    private Path tlsCertificate;
    private Path tlsPrivateKey;
    private boolean tls;

    /** @param address the address to bind. @return this. */
    public RelayReceiverContext bindAddress(final String address) { this.bindAddress = address; return this; }
    /** @return the bind address. */
    public String bindAddress() { return bindAddress; }
    /** @param port the port (0 = ephemeral). @return this. */
    public RelayReceiverContext port(final int port) { this.port = port; return this; }
    /** @return the port. */
    public int port() { return port; }
    /** @param secret the shared secret ingests present as {@code Authorization: Bearer} (required). @return this. */
    public RelayReceiverContext secret(final String secret) { this.secret = secret; return this; }
    /** @return the secret. */
    public String secret() { return secret; }
    /** @param bytes the largest FLV tag body accepted. @return this. */
    public RelayReceiverContext maxTagBytes(final int bytes) { this.maxTagBytes = bytes; return this; }
    /** @return the largest tag body (8 MiB). */
    public int maxTagBytes() { return maxTagBytes; }
    /** @param timeout a relay that sends nothing this long (while not held back by us) is closed. @return this. */
    public RelayReceiverContext idleTimeout(final Duration timeout) { this.idleTimeout = timeout; return this; }
    /** @return the idle timeout (30 s). */
    public Duration idleTimeout() { return idleTimeout; }
    /** @param threads event loop threads. @return this. */
    public RelayReceiverContext ioThreads(final int threads) { this.ioThreads = threads; return this; }
    /** @return event loop threads (1). */
    public int ioThreads() { return ioThreads; }
    /** @param transport the preferred Netty transport. @return this. */
    public RelayReceiverContext transport(final String transport) { this.transport = transport; return this; }
    /** @return the preferred transport ({@code auto}). */
    public String transport() { return transport; }
    /**
     * @param factory where relayed publishes go: the origin's {@code LiveIngestSinkFactory} (required). A sink that
     *                is a {@code TimedMediaSink} gets each tag's arrival time at the ingest. @return this.
     */
    public RelayReceiverContext sinkFactory(final MediaSinkFactory factory) { this.sinkFactory = factory; return this; }
    /** @return the sink factory. */
    public MediaSinkFactory sinkFactory() { return sinkFactory; }
    /** @param registry where the counters go. @return this. */
    public RelayReceiverContext meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
    /** @return the meter registry. */
    public MeterRegistry meterRegistry() { return meterRegistry; }

    /**
     * @param path PEM certificate chain the relay port presents; with {@link #tlsPrivateKey} the port speaks only TLS
     *             (ingests use {@code https://}), null (the default): plain HTTP. @return this.
     */
    public RelayReceiverContext tlsCertificate(final Path path) { this.tlsCertificate = path; return this; }
    /** @return the certificate chain, or null. */
    public Path tlsCertificate() { return tlsCertificate; }
    /** @param path PEM PKCS#8 private key of {@link #tlsCertificate}. @return this. */
    public RelayReceiverContext tlsPrivateKey(final Path path) { this.tlsPrivateKey = path; return this; }
    /** @return the private key, or null. */
    public Path tlsPrivateKey() { return tlsPrivateKey; }
    /** @return whether the relay port speaks TLS (after {@link #conclude()}). */
    public boolean tls() { return tls; }

    /**
     * Validate and fill defaults.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public RelayReceiverContext conclude()
    {
        Objects.requireNonNull(sinkFactory, "sinkFactory");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (null == secret || secret.length() < MIN_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("origin.relay-secret must be at least " + MIN_SECRET_LENGTH +
                " characters");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("origin.relay-port must be 0..65535, got " + port);
        }
        if (maxTagBytes < 64 * 1024 || maxTagBytes > 0xFF_FFFF)
        {
            throw new IllegalArgumentException("origin.relay-max-tag-bytes must be 64 KiB..16 MiB, got " +
                maxTagBytes);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || ioThreads < 1)
        {
            throw new IllegalArgumentException("origin.relay-idle-timeout-ms and io threads must be positive");
        }
        tls = OriginTls.validate(tlsCertificate, tlsPrivateKey, "origin.relay-tls-cert", "origin.relay-tls-key");
        if (null == meterRegistry)
        {
            meterRegistry = new SimpleMeterRegistry();
        }
        return this;
    }
}
