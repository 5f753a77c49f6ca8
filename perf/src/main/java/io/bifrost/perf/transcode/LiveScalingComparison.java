package io.bifrost.perf.transcode;

import io.bifrost.origin.live.transcode.LiveScaling;
import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.backend.BackendSelector;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The origin's two ways of scaling the live ladder side by side ({@link LiveScaling}): N concurrent streams through
 * the live ingest with one ffmpeg per stream, then with the origin-wide batcher between per-stream decoders and
 * per-rung encoders, on the same machine in one run.
 * <p>
 * The source FLV is generated once ({@link LiveScalingSource}); every round runs each mode once
 * ({@link LiveScalingRunner}), the order swapped every round so that neither mode always goes first (cache and thermal
 * effects). The figures are throughput (streams are fed as fast as the ingest takes them, not in real time) and CPU
 * per second of video. With {@code --scaler cpu} the batcher scales with the kernel's Java reference on one thread:
 * it measures the batched pipeline on a CPU, not the GPU. The Markdown table goes to stdout, progress to stderr.
 */
public final class LiveScalingComparison
{
    private LiveScalingComparison()
    {
    }

    /**
     * @param args see {@link LiveScalingSettings#USAGE}.
     */
    public static void main(final String[] args)
    {
        // the origin's classes log through the launcher's logback.xml, which writes to stdout: the table must be
        // alone there, so stdout is kept for it and everything else written to System.out goes to stderr
        final PrintStream table = System.out;
        System.setOut(System.err);
        if (LiveScalingSettings.wantsHelp(args))
        {
            table.println(LiveScalingSettings.USAGE);
            return;
        }
        final LiveScalingSettings settings;
        try
        {
            settings = LiveScalingSettings.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        try
        {
            run(settings, table, System.err);
        }
        catch (final TranscodeException | IOException | IllegalStateException ex)
        {
            System.err.println("live scaling comparison failed: " + ex.getMessage());
            System.exit(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            System.err.println("live scaling comparison interrupted");
            System.exit(1);
        }
    }

    /**
     * @param settings what to run.
     * @param out      the Markdown table.
     * @param progress one line per timed run.
     * @return the collected runs.
     * @throws TranscodeException    when the source cannot be made or a run failed (the reason says which stream).
     * @throws IOException           when the work folder cannot be written.
     * @throws IllegalStateException when {@code --scaler cuda} finds no CUDA device.
     * @throws InterruptedException  when interrupted.
     */
    static LiveScalingReport run(final LiveScalingSettings settings, final PrintStream out, final PrintStream progress)
        throws TranscodeException, IOException, InterruptedException
    {
        final BackendSelection backend = backend(settings);
        final boolean ownWorkDir = settings.workDir() == null;
        final Path workDir = ownWorkDir ? Files.createTempDirectory("bifrost-live-scaling-") :
            Files.createDirectories(settings.workDir());
        try
        {
            final Path file = workDir.resolve("source-" + settings.size() + "-" + settings.seconds() + "s.flv");
            progress.printf(Locale.ROOT, "generating %s...%n", file);
            final LiveScalingSource source = LiveScalingSource.generate(settings.ffmpeg(), settings.size(),
                settings.seconds(), file);
            final LiveScalingRunner runner = new LiveScalingRunner(settings, source, backend, workDir);
            final String machine = TranscodeLadderComparison.machine(settings.ffmpeg());
            final LiveScalingReport report = new LiveScalingReport();
            for (int round = 0; round < settings.rounds(); round++)
            {
                for (final LiveScaling.Mode mode : orderOfRound(round))
                {
                    final String label = (round + 1) + "-" + mode.name().toLowerCase(Locale.ROOT);
                    final LiveScalingMeasurement measurement = runner.run(mode, label);
                    report.add(mode, measurement);
                    progress.printf(Locale.ROOT, "round %d %s: wall %.2f s, CPU %.2f s (JVM %.2f, ffmpeg %.2f)%s%n",
                        round + 1, LiveScalingReport.label(mode, settings), measurement.wallNanos() / 1e9,
                        measurement.cpuNanos() / 1e9, measurement.selfCpuNanos() / 1e9,
                        measurement.childCpuNanos() / 1e9, LiveScaling.Mode.BATCHED == mode ?
                        String.format(Locale.ROOT, ", %.2f frames per launch", measurement.framesPerLaunch()) : "");
                }
            }
            report.print(runner.ladder(), settings, machine, out);
            return report;
        }
        finally
        {
            if (ownWorkDir)
            {
                TranscodeLadderComparison.deleteRecursively(workDir);
            }
        }
    }

    /**
     * @param round 0-based round number.
     * @return ffmpeg then batched in even rounds, the other way round in odd ones.
     */
    static List<LiveScaling.Mode> orderOfRound(final int round)
    {
        return round % 2 == 0 ? List.of(LiveScaling.Mode.FFMPEG, LiveScaling.Mode.BATCHED) :
            List.of(LiveScaling.Mode.BATCHED, LiveScaling.Mode.FFMPEG);
    }

    /**
     * @throws IllegalStateException when {@code --scaler cuda} finds no CUDA device, with the probe's reason.
     */
    private static BackendSelection backend(final LiveScalingSettings settings)
    {
        if (LiveScalingSettings.Scaler.CPU == settings.scaler())
        {
            return BackendSelector.select(Backend.CPU, settings.ffmpeg());
        }
        try
        {
            return BackendSelector.select(Backend.JCUDA, settings.ffmpeg());
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException("--scaler cuda needs a CUDA device for the JCuda backend: " +
                ex.getMessage(), ex);
        }
    }
}
