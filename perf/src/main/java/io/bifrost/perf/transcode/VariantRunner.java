package io.bifrost.perf.transcode;

import io.bifrost.transcoder.encode.LadderEncoder;
import io.bifrost.transcoder.encode.TranscodeCommand;
import io.bifrost.transcoder.ffmpeg.ProgressListener;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.probe.SourceRejectedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one {@link LadderVariant} into an empty folder and measures it: wall time around the whole encode and the
 * CPU time of the child processes ({@link CpuTimes}), then checks that every rendition has a finished playlist with
 * the planned number of segments, so no variant is timed on less work than the others. Not thread-safe: the CPU
 * counters are per JVM, so one run at a time.
 */
final class VariantRunner
{
    /** Marker of a finished HLS playlist (RFC 8216 section 4.3.3.4). */
    private static final String END_LIST = "#EXT-X-ENDLIST";
    /** One media segment entry (RFC 8216 section 4.3.2.1). */
    private static final String EXTINF = "#EXTINF:";
    /** How many trailing lines of a failed process's stderr the error quotes. */
    private static final int STDERR_TAIL_LINES = 8;
    /** The origin's encode deadline, fixed part ({@code LadderEncoder.DEFAULT_MIN_TIMEOUT}). */
    private static final Duration ENCODE_MIN_TIMEOUT = Duration.ofSeconds(60);
    /** The origin's encode deadline, seconds per source second ({@code LadderEncoder.DEFAULT_TIMEOUT_FACTOR}). */
    private static final double ENCODE_TIMEOUT_FACTOR = 20.0;

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Path source;
    private final LadderOptions options;
    private final LadderPlan plan;
    private final Duration timeout;

    /**
     * Probes and plans the source once, exactly as the origin would, for the baselines' command lines.
     *
     * @param ffmpeg  the ffmpeg executable.
     * @param ffprobe the ffprobe executable.
     * @param source  the source clip.
     * @param options the ladder options every variant uses.
     * @throws SourceRejectedException when the origin would refuse the source.
     * @throws TranscodeException      when ffprobe fails.
     */
    VariantRunner(final Path ffmpeg, final Path ffprobe, final Path source, final LadderOptions options)
        throws SourceRejectedException, TranscodeException
    {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.source = source;
        this.options = options;
        this.plan = LadderPlanner.plan(prober().probeAndValidate(source, SourceLimits.DEFAULTS), options);
        this.timeout = bifrostEncoder().timeoutFor(plan.source().durationSeconds());
    }

    /**
     * @return the ladder every variant encodes.
     */
    LadderPlan plan()
    {
        return plan;
    }

    /**
     * @param variant   what to run.
     * @param outputDir an existing, empty folder.
     * @return the measurement.
     * @throws TranscodeException when an encode fails, times out, or leaves a rendition incomplete.
     */
    Measurement run(final LadderVariant variant, final Path outputDir) throws TranscodeException
    {
        final CpuTimes before = CpuTimes.now();
        final long start = System.nanoTime();
        final int processes = switch (variant)
        {
            case BIFROST -> runBifrost(outputDir);
            case PER_RENDITION_SEQUENTIAL -> runSequential(BaselineCommands.perRendition(ffmpeg, source, plan),
                outputDir);
            case PER_RENDITION_PARALLEL -> runParallel(BaselineCommands.perRendition(ffmpeg, source, plan),
                outputDir);
            case HAND_WRITTEN -> runSequential(List.of(BaselineCommands.handWritten(ffmpeg, source, plan)),
                outputDir);
        };
        final long wallNanos = System.nanoTime() - start;
        final CpuTimes spent = CpuTimes.now().since(before);
        return new Measurement(wallNanos, spent.childrenNanos(), processes, verifyOutputs(outputDir));
    }

    private int runBifrost(final Path outputDir) throws TranscodeException
    {
        // what VodTranscoder does before thumbnails and packaging: probe, validate, plan, one-process encode
        final SourceInfo info;
        try
        {
            info = prober().probeAndValidate(source, SourceLimits.DEFAULTS);
        }
        catch (final SourceRejectedException ex)
        {
            throw new TranscodeException("the origin refuses the source: " + ex.getMessage(), ex);
        }
        bifrostEncoder().encode(source, LadderPlanner.plan(info, options), outputDir, ProgressListener.NONE);
        return 1;
    }

    private int runSequential(final List<List<String>> commands, final Path outputDir) throws TranscodeException
    {
        createRenditionFolders(outputDir);
        for (int i = 0; i < commands.size(); i++)
        {
            await(start(commands.get(i), outputDir, i), outputDir, i);
        }
        return commands.size();
    }

    private int runParallel(final List<List<String>> commands, final Path outputDir) throws TranscodeException
    {
        createRenditionFolders(outputDir);
        final List<Process> running = new ArrayList<>();
        try
        {
            for (int i = 0; i < commands.size(); i++)
            {
                running.add(start(commands.get(i), outputDir, i));
            }
            for (int i = 0; i < running.size(); i++)
            {
                await(running.get(i), outputDir, i);
            }
        }
        finally
        {
            running.forEach(Process::destroyForcibly);
        }
        return commands.size();
    }

    private Process start(final List<String> command, final Path outputDir, final int index)
        throws TranscodeException
    {
        try
        {
            return new ProcessBuilder(command).directory(outputDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderrFile(outputDir, index).toFile())
                .start();
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot start " + command.get(0) + ": " + ex.getMessage(), ex);
        }
    }

    private void await(final Process process, final Path outputDir, final int index) throws TranscodeException
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor();
                throw new TranscodeException("ffmpeg #" + index + " ran past " + timeout.toSeconds() + " s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new TranscodeException("interrupted while ffmpeg #" + index + " ran", ex);
        }
        if (process.exitValue() != 0)
        {
            throw new TranscodeException("ffmpeg #" + index + " exited with " + process.exitValue() + ": " +
                stderrTail(stderrFile(outputDir, index)));
        }
    }

    private void createRenditionFolders(final Path outputDir) throws TranscodeException
    {
        try
        {
            for (final String name : renditionNames())
            {
                Files.createDirectories(outputDir.resolve(name));
            }
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot create rendition folders under " + outputDir + ": " + ex, ex);
        }
    }

    /** Every rendition's playlist is finished and each video one has the planned segment count; returns bytes. */
    private long verifyOutputs(final Path outputDir) throws TranscodeException
    {
        final int expectedSegments = plan.expectedSegmentCount();
        for (final VideoRendition rendition : plan.video())
        {
            final List<String> playlist = finishedPlaylist(outputDir, rendition.name());
            final long segments = playlist.stream().filter(line -> line.startsWith(EXTINF)).count();
            if (segments != expectedSegments)
            {
                throw new TranscodeException("rendition " + rendition.name() + " has " + segments +
                    " segments, the plan wants " + expectedSegments + " (" + outputDir + ")");
            }
        }
        for (final AudioRendition rendition : plan.audio())
        {
            finishedPlaylist(outputDir, rendition.name());
        }
        long bytes = 0;
        for (final String name : renditionNames())
        {
            try (Stream<Path> files = Files.list(outputDir.resolve(name)))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    bytes += Files.size(file);
                }
            }
            catch (final IOException ex)
            {
                throw new TranscodeException("cannot list " + outputDir.resolve(name), ex);
            }
        }
        return bytes;
    }

    private static List<String> finishedPlaylist(final Path outputDir, final String rendition)
        throws TranscodeException
    {
        final Path path = outputDir.resolve(rendition).resolve(TranscodeCommand.MEDIA_PLAYLIST);
        try
        {
            final List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            if (!lines.contains(END_LIST))
            {
                throw new TranscodeException(path + " is not a finished playlist (no " + END_LIST + ")");
            }
            return lines;
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("rendition " + rendition + " has no playlist at " + path, ex);
        }
    }

    private List<String> renditionNames()
    {
        final List<String> names = new ArrayList<>();
        plan.video().forEach(rendition -> names.add(rendition.name()));
        plan.audio().forEach(rendition -> names.add(rendition.name()));
        return names;
    }

    private MediaProber prober()
    {
        return new MediaProber(ffprobe, Duration.ofSeconds(30));
    }

    private LadderEncoder bifrostEncoder()
    {
        // the CPU backend as BackendSelection and VodTranscoder build it for the origin (software x264)
        return new LadderEncoder(ffmpeg, ENCODE_MIN_TIMEOUT, ENCODE_TIMEOUT_FACTOR);
    }

    private static Path stderrFile(final Path outputDir, final int index)
    {
        return outputDir.resolve("ffmpeg-" + index + ".stderr");
    }

    private static String stderrTail(final Path file)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no stderr: " + ex.getMessage() + ")";
        }
    }
}
