package io.bifrost.perf.transcode;

import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.TrackKind;
import io.bifrost.origin.live.transcode.LiveScaling;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToDoubleFunction;

/**
 * Collects the live comparison's runs and prints them as a Markdown table: per scaling mode the median and min-max of
 * wall time and of CPU time (this JVM plus its ffmpeg children), CPU per second of video per stream, speed against
 * real time over all streams, the batcher's frames per launch, and the batched mode's medians as ratios to ffmpeg's
 * (above 1 means slower or costlier than one ffmpeg per stream). Not thread-safe.
 */
final class LiveScalingReport
{
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MILLI = 1e6;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private final Map<LiveScaling.Mode, List<LiveScalingMeasurement>> runs = new EnumMap<>(LiveScaling.Mode.class);

    /**
     * @param mode        what ran.
     * @param measurement how it went.
     */
    void add(final LiveScaling.Mode mode, final LiveScalingMeasurement measurement)
    {
        runs.computeIfAbsent(mode, ignore -> new ArrayList<>()).add(measurement);
    }

    /**
     * @param mode a scaling mode.
     * @return its runs so far, oldest first.
     */
    List<LiveScalingMeasurement> runs(final LiveScaling.Mode mode)
    {
        return runs.getOrDefault(mode, List.of());
    }

    /**
     * @param mode     a scaling mode.
     * @param settings the run's settings.
     * @return how the table names it.
     */
    static String label(final LiveScaling.Mode mode, final LiveScalingSettings settings)
    {
        if (LiveScaling.Mode.BATCHED != mode)
        {
            return "ffmpeg (one process per stream)";
        }
        return LiveScalingSettings.Scaler.CUDA == settings.scaler() ? "batched (CUDA kernel)" :
            "batched (Java CPU reference)";
    }

    /**
     * @param ladder   the tracks a stream announced.
     * @param settings the run's settings.
     * @param machine  one line naming CPUs, ffmpeg version and load.
     * @param out      where the table goes.
     */
    void print(final List<LiveTrack> ladder, final LiveScalingSettings settings, final String machine,
        final PrintStream out)
    {
        final StringJoiner renditions = new StringJoiner(", ");
        for (final LiveTrack track : ladder)
        {
            renditions.add(TrackKind.VIDEO == track.kind() ?
                String.format(Locale.ROOT, "%s %dx%d", track.rendition(), track.width(), track.height()) :
                track.rendition());
        }
        out.printf(Locale.ROOT, "%nSource: %s %d fps, %d s (testsrc2 + sine AAC, libx264 veryfast -g 60, FLV), " +
            "%d concurrent stream(s) fed as fast as the live ingest's backpressure allows. Ladder: %s. " +
            "libx264 -preset %s. %d alternating round(s). Batched scaling: %s. %s%n%n", settings.size(),
            LiveScalingSource.FRAME_RATE, settings.seconds(), settings.streams(), renditions, settings.preset(),
            settings.rounds(), LiveScalingSettings.Scaler.CUDA == settings.scaler() ? "the CUDA kernel (JCuda)" :
            "the kernel's Java reference on one CPU thread, not the GPU", machine);
        out.println("| mode | wall s median (min-max) | CPU s median (min-max) | of which JVM | " +
            "CPU s per stream-second | x real time | frames per launch mean (max) | launch ms mean | output MiB |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (final LiveScaling.Mode mode : List.of(LiveScaling.Mode.FFMPEG, LiveScaling.Mode.BATCHED))
        {
            final List<LiveScalingMeasurement> measured = runs(mode);
            if (measured.isEmpty())
            {
                continue;
            }
            final double wall = median(measured, LiveScalingMeasurement::wallNanos) / NANOS_PER_SECOND;
            final double cpu = median(measured, LiveScalingMeasurement::cpuNanos) / NANOS_PER_SECOND;
            final boolean batched = LiveScaling.Mode.BATCHED == mode;
            out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.3f | %.2f | %s | %s | %.1f |%n", label(mode, settings),
                seconds(measured, LiveScalingMeasurement::wallNanos),
                seconds(measured, LiveScalingMeasurement::cpuNanos),
                median(measured, LiveScalingMeasurement::selfCpuNanos) / NANOS_PER_SECOND,
                cpu / settings.streamSeconds(), settings.streamSeconds() / wall,
                batched ? String.format(Locale.ROOT, "%.2f (%.0f)",
                    median(measured, LiveScalingMeasurement::framesPerLaunch),
                    max(measured, LiveScalingMeasurement::maxFramesPerLaunch)) : "-",
                batched ? String.format(Locale.ROOT, "%.2f",
                    median(measured, LiveScalingMeasurement::launchMeanNanos) / NANOS_PER_MILLI) : "-",
                median(measured, LiveScalingMeasurement::outputBytes) / BYTES_PER_MIB);
        }
        final List<LiveScalingMeasurement> ffmpeg = runs(LiveScaling.Mode.FFMPEG);
        final List<LiveScalingMeasurement> batched = runs(LiveScaling.Mode.BATCHED);
        if (!ffmpeg.isEmpty() && !batched.isEmpty())
        {
            out.printf(Locale.ROOT, "%nbatched / ffmpeg (medians): wall %.2f, CPU %.2f.%n",
                median(batched, LiveScalingMeasurement::wallNanos) / median(ffmpeg, LiveScalingMeasurement::wallNanos),
                median(batched, LiveScalingMeasurement::cpuNanos) / median(ffmpeg, LiveScalingMeasurement::cpuNanos));
        }
    }

    private static String seconds(final List<LiveScalingMeasurement> measured,
        final ToDoubleFunction<LiveScalingMeasurement> metric)
    {
        final List<Double> values = sorted(measured, metric);
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(measured, metric) / NANOS_PER_SECOND,
            values.get(0) / NANOS_PER_SECOND, values.get(values.size() - 1) / NANOS_PER_SECOND);
    }

    /**
     * @param measured at least one measurement.
     * @param metric   what to take the median of.
     * @return the median (the mean of the middle two for an even count).
     */
    static double median(final List<LiveScalingMeasurement> measured,
        final ToDoubleFunction<LiveScalingMeasurement> metric)
    {
        final List<Double> values = sorted(measured, metric);
        final int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2.0;
    }

    private static double max(final List<LiveScalingMeasurement> measured,
        final ToDoubleFunction<LiveScalingMeasurement> metric)
    {
        final List<Double> values = sorted(measured, metric);
        return values.get(values.size() - 1);
    }

    private static List<Double> sorted(final List<LiveScalingMeasurement> measured,
        final ToDoubleFunction<LiveScalingMeasurement> metric)
    {
        final List<Double> values = new ArrayList<>(measured.size());
        measured.forEach(measurement -> values.add(metric.applyAsDouble(measurement)));
        Collections.sort(values);
        return values;
    }
}
