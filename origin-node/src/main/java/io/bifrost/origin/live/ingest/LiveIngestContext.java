package io.bifrost.origin.live.ingest;

import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.transcode.LiveScaling;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderRung;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the live ingest ({@link LiveIngestSinkFactory}), Aeron-style: fluent setters, defaults that work with
 * zero configuration, {@link #conclude()} validates them. Mutable until the factory is built; not thread-safe.
 *
 * <p>Configuration keys (for the launcher): {@code origin.live.mode} ({@link #defaultMode}),
 * {@code origin.live.rungs} ({@link #rungs}), {@code origin.live.preset} ({@link #x264Preset}),
 * {@code origin.live.part-target-ms} ({@link #partTargetMs}), {@code origin.live.segment-seconds}
 * ({@link #segmentSeconds}), {@code origin.live-keyframe-ms} ({@link #keyframeSeconds}),
 * {@code origin.live.ffmpeg} ({@link #ffmpeg}), {@code origin.live.work-dir}
 * ({@link #workDir}), {@code origin.live.queue-bytes} ({@link #highWaterBytes}).
 */
public final class LiveIngestContext
{
    /** Default part target: 333 ms (one fragment per LL-HLS part). */
    public static final int DEFAULT_PART_TARGET_MS = 333;
    /** Default segment duration (keyframe grid): 2 s. */
    public static final int DEFAULT_SEGMENT_SECONDS = 2;
    /** Shortest live segment: 1 s (three 333 ms parts; quicker rendition switches, more playlist requests). */
    public static final int MIN_SEGMENT_SECONDS = 1;
    /** Longest live segment: 6 s. */
    public static final int MAX_SEGMENT_SECONDS = 6;
    /** Default keyframe interval of the transcoded ladder: 1 s, two independent parts per 2 s segment. */
    public static final double DEFAULT_KEYFRAME_SECONDS = 1.0;
    /** How far the segment duration may be from a whole number of keyframe intervals: 1 ms. */
    private static final double KEYFRAME_GRID_TOLERANCE_SECONDS = 0.001;
    /** Default queue high-water mark per stream: 8 MiB. */
    public static final long DEFAULT_HIGH_WATER_BYTES = 8L << 20;

    private LiveStreams liveStreams;
    private LiveMode defaultMode = LiveMode.TRANSCODE;
    private Path ffmpeg = Path.of("ffmpeg");
    private List<LadderRung> rungs = List.of(LadderRung.values());
    private String x264Preset = "veryfast";
    private int partTargetMs = DEFAULT_PART_TARGET_MS;
    private int segmentSeconds = DEFAULT_SEGMENT_SECONDS;
    private double keyframeSeconds = DEFAULT_KEYFRAME_SECONDS;
    private int keyframesPerSegment;
    private int audioBitrateBps = 128_000;
    private long highWaterBytes = DEFAULT_HIGH_WATER_BYTES;
    private long probeWindowMs = 2_000;
    private long probeMaxBytes = 16L << 20;
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Path workDir;
    private MeterRegistry meterRegistry;
    private LadderOptions ladderOptions;
    private LiveScaling scaling;

    /** @param liveStreams the packager sessions are opened on (required). @return this. */
    public LiveIngestContext liveStreams(final LiveStreams liveStreams) { this.liveStreams = liveStreams; return this; }
    /** @return the packager. */
    public LiveStreams liveStreams() { return liveStreams; }
    /** @param mode the mode of a publish whose authorization does not ask for passthrough. @return this. */
    public LiveIngestContext defaultMode(final LiveMode mode) { this.defaultMode = mode; return this; }
    /** @return the node-wide default mode (transcode). */
    public LiveMode defaultMode() { return defaultMode; }
    /** @param ffmpeg the ffmpeg executable (a name on PATH or a path). @return this. */
    public LiveIngestContext ffmpeg(final Path ffmpeg) { this.ffmpeg = ffmpeg; return this; }
    /** @return the ffmpeg executable. */
    public Path ffmpeg() { return ffmpeg; }
    /** @param rungs the ladder's candidate rungs; those above the source are left out. @return this. */
    public LiveIngestContext rungs(final List<LadderRung> rungs) { this.rungs = rungs; return this; }
    /** @return the candidate rungs (default: the seed ladder 240p..2160p). */
    public List<LadderRung> rungs() { return rungs; }
    /** @param preset the libx264 preset. @return this. */
    public LiveIngestContext x264Preset(final String preset) { this.x264Preset = preset; return this; }
    /** @return the libx264 preset (veryfast). */
    public String x264Preset() { return x264Preset; }
    /** @param partTargetMs the part (fragment) target, 100..2000 ms. @return this. */
    public LiveIngestContext partTargetMs(final int partTargetMs) { this.partTargetMs = partTargetMs; return this; }
    /** @return the part target in milliseconds (333). */
    public int partTargetMs() { return partTargetMs; }
    /**
     * @param seconds the segment duration: transcoded keyframes are forced on this grid (1..6). 1 s segments let
     *                hls.js change rendition at every second (it keeps a segment's parts at the level it began the
     *                segment with) at the cost of three times the playlist updates of 3 s segments.
     * @return this.
     */
    public LiveIngestContext segmentSeconds(final int seconds) { this.segmentSeconds = seconds; return this; }
    /** @return the segment duration in seconds (2). */
    public int segmentSeconds() { return segmentSeconds; }
    /**
     * @param seconds the transcoded ladder's keyframe interval: keyframes are forced every {@code seconds}, which must
     *                divide the segment duration, so every segment still starts with one and the parts that start
     *                with one in between are independent parts, where a low-latency player can switch renditions
     *                without waiting for the next segment. Passthrough keeps the publisher's keyframes.
     * @return this.
     */
    public LiveIngestContext keyframeSeconds(final double seconds) { this.keyframeSeconds = seconds; return this; }
    /** @return the transcoded keyframe interval in seconds (1). */
    public double keyframeSeconds() { return keyframeSeconds; }
    /**
     * @return the keyframes forced per segment, the segment duration over the keyframe interval rounded to a whole
     *         number (after {@link #conclude()}): the encoder uses {@code segmentSeconds / keyframesPerSegment}, so
     *         an interval given to the millisecond (0.667) still lands exactly on the segment grid.
     */
    public int keyframesPerSegment() { return keyframesPerSegment; }
    /** @param bps the transcoded AAC bit rate. @return this. */
    public LiveIngestContext audioBitrateBps(final int bps) { this.audioBitrateBps = bps; return this; }
    /** @return the transcoded AAC bit rate (128 kbit/s). */
    public int audioBitrateBps() { return audioBitrateBps; }
    /** @param bytes per stream, queued bytes past which the publisher is paused (resumed below half). @return this. */
    public LiveIngestContext highWaterBytes(final long bytes) { this.highWaterBytes = bytes; return this; }
    /** @return the per-stream queue high-water mark in bytes. */
    public long highWaterBytes() { return highWaterBytes; }
    /** @param ms media time within which a publish must show its video configuration. @return this. */
    public LiveIngestContext probeWindowMs(final long ms) { this.probeWindowMs = ms; return this; }
    /** @return the probe window in milliseconds of media time. */
    public long probeWindowMs() { return probeWindowMs; }
    /** @param bytes most bytes held while learning the source. @return this. */
    public LiveIngestContext probeMaxBytes(final long bytes) { this.probeMaxBytes = bytes; return this; }
    /** @return most bytes held while learning the source. */
    public long probeMaxBytes() { return probeMaxBytes; }
    /** @param timeout how long a stream's end waits for ffmpeg to flush and exit before killing it. @return this. */
    public LiveIngestContext stopTimeout(final Duration timeout) { this.stopTimeout = timeout; return this; }
    /** @return the stop timeout. */
    public Duration stopTimeout() { return stopTimeout; }
    /** @param dir where per-stream named pipes are made; a temporary directory by default. @return this. */
    public LiveIngestContext workDir(final Path dir) { this.workDir = dir; return this; }
    /** @return the work directory. */
    public Path workDir() { return workDir; }
    /** @param registry where the counters go. @return this. */
    public LiveIngestContext meterRegistry(final MeterRegistry registry) { this.meterRegistry = registry; return this; }
    /** @return the meter registry. */
    public MeterRegistry meterRegistry() { return meterRegistry; }
    /** @return the ladder options derived from rungs, preset and segment duration (after {@link #conclude()}). */
    public LadderOptions ladderOptions() { return ladderOptions; }

    /**
     * @param scaling how the transcoded ladder is scaled ({@code origin.live-scaling}); the factory built from this
     *                context closes it. Default: one ffmpeg per stream.
     * @return this.
     */
    public LiveIngestContext scaling(final LiveScaling scaling) { this.scaling = scaling; return this; }

    public LiveScaling scaling() { return scaling; }

    /**
     * Validate and fill derived values.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     * @throws NullPointerException     when the packager is missing.
     */
    public LiveIngestContext conclude()
    {
        Objects.requireNonNull(liveStreams, "liveStreams");
        Objects.requireNonNull(defaultMode, "defaultMode");
        Objects.requireNonNull(ffmpeg, "ffmpeg");
        if (segmentSeconds < MIN_SEGMENT_SECONDS || segmentSeconds > MAX_SEGMENT_SECONDS)
        {
            throw new IllegalArgumentException("origin.live-segment-seconds must be " + MIN_SEGMENT_SECONDS + ".." +
                MAX_SEGMENT_SECONDS + ", got " + segmentSeconds);
        }
        if (partTargetMs < 100 || partTargetMs > 2000)
        {
            throw new IllegalArgumentException("origin.live.part-target-ms must be 100..2000, got " + partTargetMs);
        }
        if (partTargetMs >= segmentSeconds * 1000)
        {
            throw new IllegalArgumentException("origin.live.part-target-ms must be below the segment duration");
        }
        requireKeyframeGrid(keyframeSeconds, segmentSeconds);
        keyframesPerSegment = (int)Math.rint(segmentSeconds / keyframeSeconds);
        if (audioBitrateBps < 32_000 || audioBitrateBps > 512_000)
        {
            throw new IllegalArgumentException("live audio bit rate must be 32..512 kbit/s, got " + audioBitrateBps);
        }
        if (highWaterBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("origin.live.queue-bytes must be at least 64 KiB, got " +
                highWaterBytes);
        }
        if (probeWindowMs < 100 || probeMaxBytes < 64 * 1024 || stopTimeout.isNegative() || stopTimeout.isZero())
        {
            throw new IllegalArgumentException("live probe window, probe bytes and stop timeout must be positive");
        }
        // The plan's segment duration is the VOD ladder's GOP (2..6 s); the live command forces its own keyframes on
        // segmentSeconds / keyframesPerSegment and sets no GOP, so a 1 s live segment plans as 2 s.
        ladderOptions = LadderOptions.DEFAULTS.withRungs(rungs).withX264Preset(x264Preset)
            .withSegmentSeconds(Math.max(LadderOptions.MIN_SEGMENT_SECONDS, segmentSeconds));
        if (null == workDir)
        {
            try
            {
                workDir = Files.createTempDirectory("bifrost-live");
                workDir.toFile().deleteOnExit();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create a work directory for live named pipes", ex);
            }
        }
        if (null == scaling)
        {
            scaling = LiveScaling.ffmpeg();
        }
        if (null == meterRegistry)
        {
            meterRegistry = new SimpleMeterRegistry();
        }
        return this;
    }

    /** K > 0, K at most S, and S a whole number of K (within 1 ms). */
    private static void requireKeyframeGrid(final double keyframeSeconds, final int segmentSeconds)
    {
        if (!(keyframeSeconds > 0) || keyframeSeconds > segmentSeconds + KEYFRAME_GRID_TOLERANCE_SECONDS)
        {
            throw new IllegalArgumentException("origin.live-keyframe-ms must be above 0 and at most the " +
                "segment duration (" + segmentSeconds + " s), got " + keyframeSeconds * 1000 + " ms");
        }
        final double keyframes = Math.rint(segmentSeconds / keyframeSeconds);
        if (Math.abs(keyframes * keyframeSeconds - segmentSeconds) > KEYFRAME_GRID_TOLERANCE_SECONDS)
        {
            throw new IllegalArgumentException("origin.live-keyframe-ms must divide the segment duration (" +
                segmentSeconds + " s) into a whole number of intervals, got " + keyframeSeconds * 1000 + " ms");
        }
    }
}
