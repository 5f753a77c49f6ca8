package io.bifrost.perf.transcode;

import io.bifrost.transcoder.ladder.LadderOptions;

import java.nio.file.Path;

/**
 * Command-line settings of {@link TranscodeLadderComparison}. Immutable.
 *
 * @param seconds        source duration in seconds (60 for the BENCHMARKS.md figure).
 * @param rounds         alternating rounds; every variant runs once per round.
 * @param preset         libx264 preset of every variant (and of the origin's ladder).
 * @param segmentSeconds segment and GOP duration of every variant.
 * @param workDir        where the source and outputs go; {@code null} for a fresh temporary folder.
 * @param ffmpeg         the ffmpeg executable.
 * @param ffprobe        the ffprobe executable.
 */
record ComparisonSettings(int seconds, int rounds, String preset, int segmentSeconds, Path workDir, Path ffmpeg,
    Path ffprobe)
{
    /** Usage text. */
    static final String USAGE = """
        Usage: TranscodeLadderComparison [--seconds 60] [--rounds 3] [--preset veryfast] [--segment-seconds 4]
                                         [--work-dir DIR] [--ffmpeg ffmpeg] [--ffprobe ffprobe]
        Encodes a generated 1920x1080 30 fps clip to Bifrost's full ladder four ways and prints a Markdown table.""";

    /**
     * @throws IllegalArgumentException naming the bad setting.
     */
    ComparisonSettings
    {
        if (seconds < 1 || seconds > 3600)
        {
            throw new IllegalArgumentException("--seconds must be 1..3600, got " + seconds);
        }
        if (rounds < 1 || rounds > 100)
        {
            throw new IllegalArgumentException("--rounds must be 1..100, got " + rounds);
        }
        // the origin's own validation of preset and segment duration
        LadderOptions.DEFAULTS.withSegmentSeconds(segmentSeconds).withX264Preset(preset);
    }

    /**
     * @param args {@code --name value} or {@code --name=value} pairs, see {@link #USAGE}.
     * @return the settings.
     * @throws IllegalArgumentException on an unknown, incomplete or invalid argument.
     */
    static ComparisonSettings parse(final String... args)
    {
        int seconds = 60;
        int rounds = 3;
        String preset = LadderOptions.DEFAULTS.x264Preset();
        int segmentSeconds = LadderOptions.DEFAULTS.segmentSeconds();
        Path workDir = null;
        Path ffmpeg = Path.of("ffmpeg");
        Path ffprobe = Path.of("ffprobe");
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String name = equals > 0 ? arg.substring(0, equals) : arg;
            final String value;
            if (equals > 0)
            {
                value = arg.substring(equals + 1);
            }
            else if (i + 1 < args.length)
            {
                value = args[++i];
            }
            else
            {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            switch (name)
            {
                case "--seconds" -> seconds = integer(name, value);
                case "--rounds" -> rounds = integer(name, value);
                case "--preset" -> preset = value;
                case "--segment-seconds" -> segmentSeconds = integer(name, value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--ffmpeg" -> ffmpeg = Path.of(value);
                case "--ffprobe" -> ffprobe = Path.of(value);
                default -> throw new IllegalArgumentException("unknown argument " + name + "\n" + USAGE);
            }
        }
        return new ComparisonSettings(seconds, rounds, preset, segmentSeconds, workDir, ffmpeg, ffprobe);
    }

    /**
     * @return the ladder options every variant uses: the origin's defaults with this preset and segment duration.
     */
    LadderOptions ladderOptions()
    {
        return LadderOptions.DEFAULTS.withSegmentSeconds(segmentSeconds).withX264Preset(preset);
    }

    private static int integer(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", ex);
        }
    }
}
