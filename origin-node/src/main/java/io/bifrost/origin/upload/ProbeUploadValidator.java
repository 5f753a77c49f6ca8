package io.bifrost.origin.upload;

import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.probe.SourceRejectedException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The production {@link UploadValidator}: ffprobe reads the complete upload ({@link MediaProber}) and
 * {@link io.bifrost.transcoder.probe.SourceValidator} checks it against {@link SourceLimits}, so files that are not
 * video, have absurd dimensions, frame rates or durations, or would decode to far more pixels than their size
 * justifies (decompression bombs) are refused with the transcoder's reason codes ({@code source.no_video},
 * {@code source.bad_dimensions}, {@code source.decompression_bomb}, ...). Thread-safe: each call runs its own ffprobe.
 */
public final class ProbeUploadValidator implements UploadValidator
{
    private final MediaProber prober;
    private final SourceLimits limits;

    /**
     * @param ffprobe the executable.
     * @param timeout the longest one probe may run.
     * @param limits  the bounds a source must respect.
     */
    public ProbeUploadValidator(final Path ffprobe, final Duration timeout, final SourceLimits limits)
    {
        this.prober = new MediaProber(ffprobe, timeout);
        this.limits = limits;
    }

    @Override
    public void validate(final Path file, final UploadMetadata metadata) throws UploadRejectedException, IOException
    {
        try
        {
            prober.probeAndValidate(file, limits);
        }
        catch (final SourceRejectedException ex)
        {
            throw new UploadRejectedException(ex.reason().code(), ex.getMessage());
        }
        catch (final TranscodeException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
    }
}
