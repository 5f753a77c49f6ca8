package io.bifrost.origin.upload;

import io.bifrost.transcoder.probe.SourceLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Settings of the upload service ({@link TusUploads}), Aeron-style: fluent setters, defaults that work with zero
 * configuration, {@link #conclude()} validates them and fills derived values. Mutable until launched; not
 * thread-safe.
 *
 * <p>Configuration keys (for the launcher): {@code origin.upload.max-bytes}, {@code origin.upload.expiry},
 * {@code origin.upload.chunk-bytes}, {@code origin.upload.public-url}, {@code origin.upload.cors-origin},
 * {@code origin.upload.ffprobe}, {@code origin.upload.io-threads}; see docs/uploads.md.
 */
public final class UploadContext
{
    /** Default largest upload: 20 GiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L << 30;
    /** Default chunk size suggested to clients: 5 MiB (the seed's {@code chunk_size}). */
    public static final int DEFAULT_CHUNK_BYTES = 5 << 20;

    private Path dataDir;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
    private Duration uploadExpiry = Duration.ofHours(24);
    private Duration tombstoneRetention = Duration.ofDays(7);
    private Duration housekeepingInterval = Duration.ofMinutes(1);
    private Duration patchIdleTimeout = Duration.ofSeconds(60);
    private int chunkSizeBytes = DEFAULT_CHUNK_BYTES;
    private int maxBufferedBytes = 4 << 20;
    private int ioThreads = 4;
    private int validationThreads = 2;
    private String publicUrl;
    private String corsAllowOrigin = "*";
    private Path ffprobe = Path.of("ffprobe");
    private Duration probeTimeout = Duration.ofSeconds(60);
    private SourceLimits sourceLimits = SourceLimits.DEFAULTS;
    private UploadValidator validator;
    private UploadListener listener = UploadListener.NONE;
    private MeterRegistry meterRegistry;
    private LongSupplier clock = System::currentTimeMillis;

    /** @param dataDir the origin's data directory; uploads live in {@code dataDir/uploads}. @return this. */
    public UploadContext dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
    /** @return the origin's data directory. */
    public Path dataDir() { return dataDir; }
    /** @return where uploads live. */
    public Path uploadsDir() { return dataDir.resolve("uploads"); }
    /** @param maxUploadBytes the largest upload accepted ({@code Tus-Max-Size}), bytes. @return this. */
    public UploadContext maxUploadBytes(final long maxUploadBytes) { this.maxUploadBytes = maxUploadBytes; return this; }
    /** @return the largest upload accepted, bytes. */
    public long maxUploadBytes() { return maxUploadBytes; }
    /** @param uploadExpiry how long an unfinished upload lives after its last PATCH. @return this. */
    public UploadContext uploadExpiry(final Duration uploadExpiry) { this.uploadExpiry = uploadExpiry; return this; }
    /** @return how long an unfinished upload lives after its last PATCH. */
    public Duration uploadExpiry() { return uploadExpiry; }
    /** @param retention how long terminated, expired and rejected uploads answer 410 with a reason. @return this. */
    public UploadContext tombstoneRetention(final Duration retention) { this.tombstoneRetention = retention; return this; }
    /** @return how long terminated, expired and rejected uploads answer 410. */
    public Duration tombstoneRetention() { return tombstoneRetention; }
    /** @param interval how often expiry and retries run. @return this. */
    public UploadContext housekeepingInterval(final Duration interval) { this.housekeepingInterval = interval; return this; }
    /** @return how often expiry and retries run. */
    public Duration housekeepingInterval() { return housekeepingInterval; }
    /** @param timeout a PATCH that sends nothing for this long is ended (its bytes kept) and its connection closed. @return this. */
    public UploadContext patchIdleTimeout(final Duration timeout) { this.patchIdleTimeout = timeout; return this; }
    /** @return the PATCH idle timeout. */
    public Duration patchIdleTimeout() { return patchIdleTimeout; }
    /** @param chunkSizeBytes the chunk size suggested by the upload-url API. @return this. */
    public UploadContext chunkSizeBytes(final int chunkSizeBytes) { this.chunkSizeBytes = chunkSizeBytes; return this; }
    /** @return the suggested chunk size, bytes. */
    public int chunkSizeBytes() { return chunkSizeBytes; }
    /** @param maxBufferedBytes per PATCH, bytes waiting for the disk before the socket stops reading. @return this. */
    public UploadContext maxBufferedBytes(final int maxBufferedBytes) { this.maxBufferedBytes = maxBufferedBytes; return this; }
    /** @return per PATCH, bytes waiting for the disk before the socket stops reading. */
    public int maxBufferedBytes() { return maxBufferedBytes; }
    /** @param ioThreads threads writing upload files. @return this. */
    public UploadContext ioThreads(final int ioThreads) { this.ioThreads = ioThreads; return this; }
    /** @return threads writing upload files. */
    public int ioThreads() { return ioThreads; }
    /** @param validationThreads threads running ffprobe on complete uploads. @return this. */
    public UploadContext validationThreads(final int validationThreads) { this.validationThreads = validationThreads; return this; }
    /** @return threads running ffprobe. */
    public int validationThreads() { return validationThreads; }
    /** @param publicUrl the scheme and authority clients reach the origin at, e.g. {@code https://upload.example.com}; null or blank: from the Host header. @return this. */
    public UploadContext publicUrl(final String publicUrl) { this.publicUrl = publicUrl; return this; }
    /** @return the public base URL without a trailing slash, or null. */
    public String publicUrl() { return publicUrl; }
    /** @param corsAllowOrigin the {@code Access-Control-Allow-Origin} answered to browsers. @return this. */
    public UploadContext corsAllowOrigin(final String corsAllowOrigin) { this.corsAllowOrigin = corsAllowOrigin; return this; }
    /** @return the {@code Access-Control-Allow-Origin} value. */
    public String corsAllowOrigin() { return corsAllowOrigin; }
    /** @param ffprobe the ffprobe executable of the default validator. @return this. */
    public UploadContext ffprobe(final Path ffprobe) { this.ffprobe = ffprobe; return this; }
    /** @return the ffprobe executable. */
    public Path ffprobe() { return ffprobe; }
    /** @param probeTimeout the longest one ffprobe run may take. @return this. */
    public UploadContext probeTimeout(final Duration probeTimeout) { this.probeTimeout = probeTimeout; return this; }
    /** @return the longest one ffprobe run may take. */
    public Duration probeTimeout() { return probeTimeout; }
    /** @param sourceLimits dimensions, duration and decoded-size bounds of the default validator. @return this. */
    public UploadContext sourceLimits(final SourceLimits sourceLimits) { this.sourceLimits = sourceLimits; return this; }
    /** @return the source bounds. */
    public SourceLimits sourceLimits() { return sourceLimits; }
    /** @param validator replaces the ffprobe validator (tests, other policies). @return this. */
    public UploadContext validator(final UploadValidator validator) { this.validator = validator; return this; }
    /** @return the validator; after {@link #conclude()} never null. */
    public UploadValidator validator() { return validator; }
    /** @param listener receives created, completed, terminated and rejected uploads. @return this. */
    public UploadContext listener(final UploadListener listener) { this.listener = listener; return this; }
    /** @return the listener. */
    public UploadListener listener() { return listener; }
    /** @param meterRegistry where the {@code bifrost.upload.*} meters go. @return this. */
    public UploadContext meterRegistry(final MeterRegistry meterRegistry) { this.meterRegistry = meterRegistry; return this; }
    /** @return the meter registry. */
    public MeterRegistry meterRegistry() { return meterRegistry; }
    /** @param clock epoch milliseconds (tests move time for expiry). @return this. */
    public UploadContext clock(final LongSupplier clock) { this.clock = clock; return this; }
    /** @return the clock, epoch milliseconds. */
    public LongSupplier clock() { return clock; }

    /**
     * Validate the settings and fill defaults (the ffprobe validator, a private meter registry).
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad key.
     */
    public UploadContext conclude()
    {
        if (dataDir == null)
        {
            throw new IllegalArgumentException("origin.data-dir must be set for uploads");
        }
        requirePositive("origin.upload.max-bytes", maxUploadBytes);
        requirePositive("origin.upload.chunk-bytes", chunkSizeBytes);
        requirePositive("origin.upload.io-threads", ioThreads);
        requirePositive("origin.upload.validation-threads", validationThreads);
        if (maxBufferedBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("origin.upload.max-buffered-bytes must be at least 65536, got " +
                maxBufferedBytes);
        }
        for (final Duration duration : new Duration[] {uploadExpiry, tombstoneRetention, housekeepingInterval,
            patchIdleTimeout, probeTimeout})
        {
            if (duration == null || duration.isNegative() || duration.isZero())
            {
                throw new IllegalArgumentException("origin.upload durations (expiry, retention, intervals, timeouts) " +
                    "must be positive, got " + duration);
            }
        }
        if (publicUrl != null && publicUrl.isBlank())
        {
            publicUrl = null;
        }
        if (publicUrl != null)
        {
            final URI uri = URI.create(publicUrl);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null)
            {
                throw new IllegalArgumentException("origin.upload.public-url must be an http(s) URL like " +
                    "https://upload.example.com, got " + publicUrl);
            }
            publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        if (corsAllowOrigin == null || corsAllowOrigin.isBlank())
        {
            throw new IllegalArgumentException("origin.upload.cors-origin must not be empty (use * for any origin)");
        }
        if (validator == null)
        {
            validator = new ProbeUploadValidator(ffprobe, probeTimeout, sourceLimits);
        }
        if (meterRegistry == null)
        {
            meterRegistry = new SimpleMeterRegistry();
        }
        if (listener == null)
        {
            listener = UploadListener.NONE;
        }
        return this;
    }

    private static void requirePositive(final String key, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
