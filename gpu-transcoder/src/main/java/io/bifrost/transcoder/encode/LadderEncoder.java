package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ffmpeg.BoundedLines;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.ProgressListener;
import io.bifrost.transcoder.ffmpeg.ProgressParser;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Runs the {@link TranscodeCommand} of a plan as one ffmpeg child process: progress is parsed from its stdout and
 * reported to a {@link ProgressListener}, stderr is kept for the error message, and the run is killed when it takes
 * longer than {@code minTimeout + duration x timeoutFactor}. ffmpeg exits 0 on a truncated or corrupt source after
 * encoding what it could decode, so a run that encoded clearly less than the probed duration is an error too.
 * Thread-safe (each call runs its own process).
 */
public final class LadderEncoder implements LadderEncoding
{
    /** The fixed part of an encode's deadline (start-up, tiny files). */
    public static final Duration DEFAULT_MIN_TIMEOUT = Duration.ofSeconds(60);
    /** Seconds of encoding allowed per second of source (a slow CPU and 4K). */
    public static final double DEFAULT_TIMEOUT_FACTOR = 20.0;

    /** ffmpeg keeps going past decode errors; an encode shorter than this share of the source is a failure. */
    static final double MIN_ENCODED_SHARE = 0.9;
    /** Allowance on top of the share, for sources whose container duration overstates the streams. */
    static final double MIN_ENCODED_SLACK_SECONDS = 0.5;

    /** ffmpeg's progress lines are short ({@code key=value}); anything longer is cut. */
    static final int PROGRESS_LINE_BYTES = 1024;

    private final Path ffmpeg;
    private final EncoderFamily encoders;
    private final Duration minTimeout;
    private final double timeoutFactor;

    /**
     * @param ffmpeg        the executable.
     * @param minTimeout    the fixed part of the deadline (start-up, tiny files).
     * @param timeoutFactor seconds of encoding allowed per second of source (e.g. 20 for a slow CPU and 4K).
     */
    public LadderEncoder(final Path ffmpeg, final Duration minTimeout, final double timeoutFactor)
    {
        this(ffmpeg, minTimeout, timeoutFactor, EncoderFamily.SOFTWARE);
    }

    /**
     * @param ffmpeg        the executable.
     * @param minTimeout    the fixed part of the deadline.
     * @param timeoutFactor seconds of encoding allowed per second of source.
     * @param encoders      software or NVENC for the H.264/HEVC renditions.
     */
    public LadderEncoder(final Path ffmpeg, final Duration minTimeout, final double timeoutFactor,
        final EncoderFamily encoders)
    {
        this.encoders = encoders;
        this.ffmpeg = ffmpeg;
        this.minTimeout = minTimeout;
        this.timeoutFactor = timeoutFactor;
    }

    /**
     * Encode every rendition of the plan into {@code outputDir/{rendition}/}.
     *
     * @param source    the source file.
     * @param plan      the ladder.
     * @param outputDir an existing, empty directory.
     * @param listener  progress reports.
     * @throws TranscodeException when ffmpeg fails, times out, or leaves a rendition without its playlist.
     */
    @Override
    public void encode(final Path source, final LadderPlan plan, final Path outputDir, final ProgressListener listener)
        throws TranscodeException
    {
        try
        {
            for (final VideoRendition rendition : plan.video())
            {
                Files.createDirectories(outputDir.resolve(rendition.name()));
            }
            for (final AudioRendition rendition : plan.audio())
            {
                Files.createDirectories(outputDir.resolve(rendition.name()));
            }
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot create rendition folders under " + outputDir + ": " +
                ex.getMessage(), ex);
        }
        final List<String> command = TranscodeCommand.build(ffmpeg, source, plan, encoders);
        final ProgressParser progress = new ProgressParser(plan.source().durationSeconds(), listener);
        try (ChildProcess process = ChildProcess.start(command, outputDir,
            stdout -> BoundedLines.forEach(stdout, PROGRESS_LINE_BYTES, progress::onLine)))
        {
            process.awaitSuccess(timeoutFor(plan.source().durationSeconds()));
            final double encodedSeconds = progress.outTimeMicros() / 1_000_000.0;
            final double sourceSeconds = plan.source().durationSeconds();
            if (encodedSeconds < sourceSeconds * MIN_ENCODED_SHARE - MIN_ENCODED_SLACK_SECONDS)
            {
                throw new TranscodeException(String.format(Locale.ROOT,
                    "ffmpeg encoded only %.2f s of the %.2f s source: the source is truncated or corrupt: %s",
                    encodedSeconds, sourceSeconds, process.stderr().summary()));
            }
        }
        for (final VideoRendition rendition : plan.video())
        {
            requirePlaylist(outputDir, rendition.name());
        }
        for (final AudioRendition rendition : plan.audio())
        {
            requirePlaylist(outputDir, rendition.name());
        }
    }

    /**
     * @param durationSeconds the source duration.
     * @return the deadline for encoding it.
     */
    public Duration timeoutFor(final double durationSeconds)
    {
        return minTimeout.plusMillis((long)Math.ceil(durationSeconds * timeoutFactor * 1000.0));
    }

    static void requirePlaylist(final Path outputDir, final String rendition) throws TranscodeException
    {
        if (!Files.isRegularFile(outputDir.resolve(rendition).resolve(TranscodeCommand.MEDIA_PLAYLIST)))
        {
            throw new TranscodeException("ffmpeg exited cleanly but wrote no playlist for rendition " + rendition);
        }
    }
}
