package io.bifrost.transcoder;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small media generated at test time with ffmpeg's lavfi sources (nothing is committed), and a way to run ffprobe
 * and read what it prints.
 */
public final class TestMedia
{
    /** The ffmpeg the tests use (Debian's, STACK.md). */
    public static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    /** The ffprobe the tests use. */
    public static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    private TestMedia()
    {
    }

    /**
     * @param file    where to write (extension picks the container).
     * @param width   pixels.
     * @param height  pixels.
     * @param fps     frames per second.
     * @param seconds duration.
     * @param audio   whether to add a stereo sine tone.
     * @return the file.
     * @throws TranscodeException when ffmpeg fails.
     */
    public static Path clip(final Path file, final int width, final int height, final int fps, final double seconds,
        final boolean audio) throws TranscodeException
    {
        final List<String> args = new ArrayList<>(List.of(FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%d", width, height, fps)));
        if (audio)
        {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        }
        args.addAll(List.of("-t", Double.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p"));
        if (audio)
        {
            args.addAll(List.of("-c:a", "aac", "-ac", "2"));
        }
        args.add(file.toString());
        run(args);
        return file;
    }

    /**
     * A title whose picture ends before its sound (the container lasts as long as the audio): 320x240 at 25 fps,
     * stereo AAC.
     *
     * @param file         where to write (.mp4).
     * @param videoSeconds length of the picture.
     * @param audioSeconds length of the sound, and so of the title.
     * @return the file.
     * @throws TranscodeException when ffmpeg fails.
     */
    public static Path videoEndingBeforeAudio(final Path file, final int videoSeconds, final int audioSeconds)
        throws TranscodeException
    {
        run(List.of(FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=" + videoSeconds,
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=" + audioSeconds,
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2",
            file.toString()));
        return file;
    }

    /**
     * @param args a command.
     * @return its stdout.
     * @throws TranscodeException when it fails (the message quotes stderr).
     */
    public static String run(final List<String> args) throws TranscodeException
    {
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ChildProcess process = ChildProcess.start(args, null, in -> in.transferTo(stdout)))
        {
            process.awaitSuccess(Duration.ofSeconds(60));
        }
        return stdout.toString(StandardCharsets.UTF_8);
    }

    /**
     * @param args ffprobe arguments after the executable.
     * @return ffprobe's stdout.
     * @throws TranscodeException when ffprobe fails.
     */
    public static String ffprobe(final String... args) throws TranscodeException
    {
        final List<String> command = new ArrayList<>();
        command.add(FFPROBE.toString());
        command.addAll(List.of(args));
        return run(command);
    }
}
