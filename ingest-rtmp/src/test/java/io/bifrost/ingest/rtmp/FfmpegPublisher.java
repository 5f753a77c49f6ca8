package io.bifrost.ingest.rtmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real ffmpeg as an RTMP publisher (test pattern + sine, H.264 + AAC), stderr to a temp file.
 */
public final class FfmpegPublisher implements AutoCloseable
{
    public static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Pattern FRAME = Pattern.compile("frame=\\s*(\\d+)");

    private final Process process;
    private final Path log;

    private FfmpegPublisher(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    public static boolean available()
    {
        return Files.isExecutable(FFMPEG);
    }

    public static FfmpegPublisher publish(final String url, final int seconds) throws IOException
    {
        return publish(url, seconds, "flv");
    }

    /**
     * @param url     where to publish.
     * @param seconds how long (at real-time pace).
     * @param format  the container ({@code flv} for RTMP, {@code mpegts} for SRT).
     * @return the running publisher.
     */
    public static FfmpegPublisher publish(final String url, final int seconds, final String format) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(FFMPEG.toString(), "-hide_banner", "-nostdin",
            "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Integer.toString(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
            "-c:a", "aac", "-f", format, url));
        final Path log = Files.createTempFile("ffmpeg-rtmp", ".log");
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new FfmpegPublisher(process, log);
    }

    public int awaitExit(final long timeoutSeconds) throws InterruptedException
    {
        assertThat(process.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("ffmpeg exits in time: %s", output()).isTrue();
        return process.exitValue();
    }

    public void kill() throws InterruptedException
    {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * @return the last {@code frame=} count ffmpeg printed, -1 when none.
     */
    public int framesReported()
    {
        final Matcher matcher = FRAME.matcher(output());
        int frames = -1;
        while (matcher.find())
        {
            frames = Integer.parseInt(matcher.group(1));
        }
        return frames;
    }

    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    @Override
    public void close() throws IOException
    {
        if (process.isAlive())
        {
            try
            {
                kill();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        Files.deleteIfExists(log);
    }
}
