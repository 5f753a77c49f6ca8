package io.bifrost.origin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tiny media made at test time with ffmpeg's lavfi sources (nothing is committed), and ffmpeg/ffprobe runs whose
 * output tests read.
 */
public final class TestClips
{
    /** Debian's ffmpeg (STACK.md). */
    public static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    /** Debian's ffprobe. */
    public static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    private TestClips()
    {
    }

    /**
     * @param file    where to write (.mp4).
     * @param seconds duration.
     * @return the file: testsrc2 320x240 at 25 fps with a sine tone, H.264 ultrafast + AAC.
     */
    public static Path clip(final Path file, final double seconds)
    {
        run(List.of(FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Double.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-ac", "2", file.toString()));
        return file;
    }

    /**
     * @param args a command.
     * @return what it printed (stdout and stderr).
     * @throws IllegalStateException when it fails or takes more than two minutes.
     */
    public static String run(final List<String> args)
    {
        final Result result = tryRun(args);
        if (result.exitCode() != 0)
        {
            throw new IllegalStateException(args.get(0) + " exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    /**
     * @param exitCode the exit code.
     * @param output   stdout and stderr.
     */
    public record Result(int exitCode, String output)
    {
    }

    /**
     * @param args a command.
     * @return its exit code and output.
     */
    public static Result tryRun(final List<String> args)
    {
        try
        {
            final Process process = new ProcessBuilder(new ArrayList<>(args)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException(args.get(0) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run " + args.get(0) + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
