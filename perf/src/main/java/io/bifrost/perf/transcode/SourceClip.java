package io.bifrost.perf.transcode;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The comparison's source: a synthetic 1920x1080 30 fps clip ({@code testsrc2}, which moves and so costs real
 * encoder work) with a stereo 48 kHz tone, encoded once like a typical upload (H.264 High, CRF 18, 2 s GOP, AAC
 * 192k, MP4 with the index up front). Generated once per comparison and only read afterwards. Stateless.
 */
final class SourceClip
{
    /** Source picture width in pixels. */
    static final int WIDTH = 1920;
    /** Source picture height in pixels. */
    static final int HEIGHT = 1080;
    /** Source frame rate (frames per second). */
    static final int FRAME_RATE = 30;
    /** Generating a second of 1080p at veryfast takes well under this on any CPU the comparison runs on. */
    private static final Duration TIMEOUT_PER_SOURCE_SECOND = Duration.ofSeconds(20);

    private SourceClip()
    {
    }

    /**
     * @param ffmpeg  the executable.
     * @param seconds duration.
     * @param target  the MP4 to write (replaced if it exists).
     * @return the ffmpeg command line.
     */
    static List<String> command(final Path ffmpeg, final int seconds, final Path target)
    {
        return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FRAME_RATE,
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Integer.toString(seconds),
            "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-crf", "18", "-pix_fmt", "yuv420p",
            "-g", Integer.toString(2 * FRAME_RATE),
            "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart", target.toAbsolutePath().toString());
    }

    /**
     * @param ffmpeg  the executable.
     * @param seconds duration.
     * @param target  the MP4 to write.
     * @throws TranscodeException when ffmpeg fails.
     */
    static void generate(final Path ffmpeg, final int seconds, final Path target) throws TranscodeException
    {
        try (ChildProcess process = ChildProcess.start(command(ffmpeg, seconds, target), target.getParent(),
            stdout -> stdout.transferTo(OutputStream.nullOutputStream())))
        {
            process.awaitSuccess(TIMEOUT_PER_SOURCE_SECOND.multipliedBy(seconds).plusSeconds(30));
        }
    }
}
