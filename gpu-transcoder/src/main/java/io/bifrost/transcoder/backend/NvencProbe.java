package io.bifrost.transcoder.backend;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Detects NVENC by trying it: a one-frame {@code h264_nvenc} encode of a generated 256x256 picture to the null muxer.
 * ffmpeg lists {@code h264_nvenc} wherever it was built with it, but the encode fails without {@code libcuda.so.1}
 * and on GPUs without an NVENC engine (H100/H200, A100), so listing proves nothing (DESIGN.md section 6). Thread-safe
 * (each call runs its own process); a call costs one short ffmpeg run.
 */
public final class NvencProbe
{
    /** Name of the encoder tried. */
    public static final String ENCODER = "h264_nvenc";

    private final Path ffmpeg;
    private final Duration timeout;

    /**
     * @param ffmpeg  the executable.
     * @param timeout the longest the trial encode may take (a cold CUDA context takes a second or two).
     */
    public NvencProbe(final Path ffmpeg, final Duration timeout)
    {
        this.ffmpeg = ffmpeg;
        this.timeout = timeout;
    }

    /**
     * @return whether NVENC encoded the frame, with ffmpeg's reason when it did not.
     */
    public NvencSupport probe()
    {
        final List<String> command = List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", "color=c=black:size=256x256:rate=1", "-frames:v", "1",
            "-c:v", ENCODER, "-f", "null", "-");
        try (ChildProcess process = ChildProcess.start(command, null,
            stdout -> stdout.transferTo(OutputStream.nullOutputStream())))
        {
            process.awaitSuccess(timeout);
            return new NvencSupport(true, ENCODER + " encoded a test frame");
        }
        catch (final TranscodeException ex)
        {
            return new NvencSupport(false, "no NVENC: " + ENCODER + " test encode failed: " + ex.getMessage());
        }
    }
}
