package io.bifrost.perf.transcode;

import io.bifrost.transcoder.ladder.LadderOptions;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Command-line settings of {@link LiveScalingComparison}. Immutable.
 *
 * @param streams concurrent live streams per run.
 * @param seconds source duration in seconds.
 * @param width   source picture width in pixels (even).
 * @param height  source picture height in pixels (even).
 * @param rounds  alternating rounds; each mode runs once per round.
 * @param preset  libx264 preset of the live ladder's encoders.
 * @param scaler  what scales the frames in batched mode.
 * @param ffmpeg  the ffmpeg executable.
 * @param workDir where the source and the named pipes go; {@code null} for a fresh temporary folder.
 */
record LiveScalingSettings(int streams, int seconds, int width, int height, int rounds, String preset, Scaler scaler,
    Path ffmpeg, Path workDir)
{
    /** Largest source side accepted (4K UHD width). */
    private static final int MAX_SIDE = 3840;
    /** Smallest source side accepted: a few macroblocks. */
    private static final int MIN_SIDE = 64;

    /** What scales the frames of the batched mode. */
    enum Scaler
    {
        /** The kernel's bit-exact Java reference, one thread for every stream ({@code AreaLadderScaler}). */
        CPU,
        /** The CUDA kernel through the JCuda backend; needs a CUDA device. */
        CUDA
    }

    /** Usage and what is measured, for {@code --help}. */
    static final String USAGE = """
        Usage: LiveScalingComparison [--streams 4] [--seconds 10] [--size 1280x720] [--rounds 3] [--preset veryfast]
                                     [--scaler cpu|cuda] [--ffmpeg /usr/bin/ffmpeg] [--work-dir DIR] [--help]
        Runs N concurrent live streams through the origin's live ingest (LiveIngestSinkFactory, transcode mode, the
        default ladder up to the source) once per live scaling mode, the order alternating per round:
          ffmpeg   one ffmpeg per stream decodes, scales (ffmpeg scale) and encodes every rung;
          batched  per stream an ffmpeg decoder, the origin-wide LiveScaleBatcher scaling all streams' frames in
                   shared launches, and one libx264 ffmpeg per rung.
        Each stream is fed a generated FLV (testsrc2, 30 fps, sine AAC) as fast as the sink's backpressure allows, not
        paced in real time: the figures are throughput and CPU per second of video per stream. Measured per run: wall
        time from the first tag until every session ended and the ingest closed; CPU time of this JVM (the batcher's
        scaling thread included) and of its ffmpeg children; for batched, frames per launch and the launch time.
        A run fails (exit 1) when a stream failed, a rendition got no bytes or frames were dropped.
        --scaler cpu (default): the batcher uses the kernel's Java reference on one thread, NOT the GPU; it shows the
        pipeline's cost on a CPU, not the kernel's. --scaler cuda: the JCuda backend's kernel on a CUDA device (fails
        clearly without one); the rung encoders are libx264 either way.
        Markdown table on stdout, progress on stderr.""";

    /**
     * @throws IllegalArgumentException naming the bad setting.
     */
    LiveScalingSettings
    {
        if (streams < 1 || streams > 64)
        {
            throw new IllegalArgumentException("--streams must be 1..64, got " + streams);
        }
        if (seconds < 1 || seconds > 3600)
        {
            throw new IllegalArgumentException("--seconds must be 1..3600, got " + seconds);
        }
        if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE || width % 2 != 0 ||
            height % 2 != 0)
        {
            throw new IllegalArgumentException("--size must be WxH with even sides of " + MIN_SIDE + ".." + MAX_SIDE +
                ", got " + width + "x" + height);
        }
        if (rounds < 1 || rounds > 100)
        {
            throw new IllegalArgumentException("--rounds must be 1..100, got " + rounds);
        }
        // the origin's own validation of the preset
        LadderOptions.DEFAULTS.withX264Preset(preset);
    }

    /**
     * @param args {@code --name value} or {@code --name=value} pairs, see {@link #USAGE}.
     * @return the settings.
     * @throws IllegalArgumentException on an unknown, incomplete or invalid argument.
     */
    static LiveScalingSettings parse(final String... args)
    {
        int streams = 4;
        int seconds = 10;
        int width = 1280;
        int height = 720;
        int rounds = 3;
        String preset = LadderOptions.DEFAULTS.x264Preset();
        Scaler scaler = Scaler.CPU;
        Path ffmpeg = Path.of("/usr/bin/ffmpeg");
        Path workDir = null;
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
                case "--streams" -> streams = integer(name, value);
                case "--seconds" -> seconds = integer(name, value);
                case "--size" ->
                {
                    final int x = value.indexOf('x');
                    if (x < 1)
                    {
                        throw new IllegalArgumentException("--size must be WxH, e.g. 1280x720, got '" + value + "'");
                    }
                    width = integer(name, value.substring(0, x));
                    height = integer(name, value.substring(x + 1));
                }
                case "--rounds" -> rounds = integer(name, value);
                case "--preset" -> preset = value;
                case "--scaler" -> scaler = scaler(value);
                case "--ffmpeg" -> ffmpeg = Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown argument " + name + "\n" + USAGE);
            }
        }
        return new LiveScalingSettings(streams, seconds, width, height, rounds, preset, scaler, ffmpeg, workDir);
    }

    /**
     * @param args the command line.
     * @return whether it asks for the usage.
     */
    static boolean wantsHelp(final String... args)
    {
        for (final String arg : args)
        {
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the source size as ffmpeg writes it, e.g. {@code 1280x720}.
     */
    String size()
    {
        return width + "x" + height;
    }

    /**
     * @return seconds of video the streams of one run carry together.
     */
    int streamSeconds()
    {
        return streams * seconds;
    }

    private static Scaler scaler(final String value)
    {
        try
        {
            return Scaler.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--scaler must be cpu or cuda, got '" + value + "'", ex);
        }
    }

    private static int integer(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", ex);
        }
    }
}
