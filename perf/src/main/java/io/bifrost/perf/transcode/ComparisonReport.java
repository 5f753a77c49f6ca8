package io.bifrost.perf.transcode;

import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToLongFunction;

/**
 * Collects the measurements of every round and prints them as a Markdown table for BENCHMARKS.md: per variant the
 * median and min-max of wall and child CPU time, speed against real time, and each median as a ratio to Bifrost's
 * (above 1 means slower or costlier than Bifrost). Not thread-safe.
 */
final class ComparisonReport
{
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private final Map<LadderVariant, List<Measurement>> runs = new EnumMap<>(LadderVariant.class);

    /**
     * @param variant     what ran.
     * @param measurement how it went.
     */
    void add(final LadderVariant variant, final Measurement measurement)
    {
        runs.computeIfAbsent(variant, ignore -> new ArrayList<>()).add(measurement);
    }

    /**
     * @param plan          the ladder every variant encoded.
     * @param settings      the run's settings.
     * @param machine       one line naming CPUs, ffmpeg version and load.
     * @param out           where the table goes.
     */
    void print(final LadderPlan plan, final ComparisonSettings settings, final String machine, final PrintStream out)
    {
        final StringJoiner ladder = new StringJoiner(", ");
        for (final VideoRendition rendition : plan.video())
        {
            ladder.add(String.format(Locale.ROOT, "%s %dx%d %s", rendition.name(), rendition.width(),
                rendition.height(), kbps(rendition.bitrateBps())));
        }
        for (final AudioRendition rendition : plan.audio())
        {
            ladder.add(String.format(Locale.ROOT, "%s %s %s %d Hz", rendition.name(), rendition.codec().encoder(),
                kbps(rendition.bitrateBps()), rendition.sampleRateHz()));
        }
        out.printf(Locale.ROOT, "%nSource: %dx%d %d fps, %d s (testsrc2 + sine, H.264 High CRF 18). Ladder: %s. " +
            "libx264 -preset %s, %d s segments (GOP %d frames), HLS fMP4. %d alternating round(s). %s%n%n",
            SourceClip.WIDTH, SourceClip.HEIGHT, SourceClip.FRAME_RATE, settings.seconds(), ladder,
            settings.preset(), plan.segmentSeconds(), plan.video().get(0).gopFrames(), settings.rounds(), machine);
        out.println("| variant | ffmpeg processes | wall s median (min-max) | CPU s median (min-max) | " +
            "x real time | wall / Bifrost | CPU / Bifrost | output MiB |");
        out.println("|---|---|---|---|---|---|---|---|");
        final List<Measurement> bifrost = runs.get(LadderVariant.BIFROST);
        final double bifrostWall = bifrost == null ? Double.NaN : median(bifrost, Measurement::wallNanos);
        final double bifrostCpu = bifrost == null ? Double.NaN : median(bifrost, Measurement::cpuNanos);
        for (final LadderVariant variant : LadderVariant.values())
        {
            final List<Measurement> measured = runs.get(variant);
            if (measured == null)
            {
                continue;
            }
            final double wall = median(measured, Measurement::wallNanos);
            final double cpu = median(measured, Measurement::cpuNanos);
            out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.2f | %.2f | %.2f | %.1f |%n", variant.label(),
                measured.get(0).processes(), seconds(measured, Measurement::wallNanos),
                seconds(measured, Measurement::cpuNanos), settings.seconds() / (wall / NANOS_PER_SECOND),
                wall / bifrostWall, cpu / bifrostCpu, median(measured, Measurement::outputBytes) / BYTES_PER_MIB);
        }
    }

    private static String seconds(final List<Measurement> measured, final ToLongFunction<Measurement> metric)
    {
        final List<Long> values = sorted(measured, metric);
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(measured, metric) / NANOS_PER_SECOND,
            values.get(0) / NANOS_PER_SECOND, values.get(values.size() - 1) / NANOS_PER_SECOND);
    }

    /**
     * @param measured at least one measurement.
     * @param metric   what to take the median of.
     * @return the median (the mean of the middle two for an even count).
     */
    static double median(final List<Measurement> measured, final ToLongFunction<Measurement> metric)
    {
        final List<Long> values = sorted(measured, metric);
        final int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2.0;
    }

    private static List<Long> sorted(final List<Measurement> measured, final ToLongFunction<Measurement> metric)
    {
        final List<Long> values = new ArrayList<>(measured.size());
        measured.forEach(measurement -> values.add(metric.applyAsLong(measurement)));
        Collections.sort(values);
        return values;
    }

    private static String kbps(final long bps)
    {
        return bps % 1_000_000 == 0 ? bps / 1_000_000 + "M" : bps / 1000 + "k";
    }
}
