package io.bifrost.transcoder.probe;

import java.util.Locale;

/**
 * Decides whether a probed source may be transcoded. Checks run cheapest and most telling first (no video, zero
 * length, dimensions, frame rate, duration, decoded size, bit depth), so the uploader gets the most specific reason.
 * Sources with 10- or 12-bit samples are accepted: the ladder converts them to 8-bit yuv420p for H.264 High.
 */
public final class SourceValidator
{
    private SourceValidator()
    {
    }

    /**
     * @param source what ffprobe found.
     * @param limits the bounds.
     * @throws SourceRejectedException with the first rule the source breaks.
     */
    public static void validate(final SourceInfo source, final SourceLimits limits) throws SourceRejectedException
    {
        final VideoStreamInfo video = source.video();
        if (video == null)
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.NO_VIDEO,
                "not a video: no video stream in '" + source.container() + "'" +
                (source.hasAudio() ? " (audio only: " + source.audio().codec() + ")" : ""));
        }
        if (!(source.durationSeconds() > 0))
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.ZERO_DURATION,
                "the video has zero or unknown duration");
        }
        final int width = video.codedWidth();
        final int height = video.codedHeight();
        if (width < limits.minDimension() || height < limits.minDimension() ||
            width > limits.maxDimension() || height > limits.maxDimension())
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.BAD_DIMENSIONS,
                "video is " + width + "x" + height + "; each side must be between " + limits.minDimension() +
                " and " + limits.maxDimension() + " pixels");
        }
        final FrameRate rate = video.nominalFrameRate();
        if (rate.toDouble() > limits.maxFrameRate() || rate.toDouble() < 1.0 / 60)
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.BAD_FRAME_RATE,
                String.format(Locale.ROOT, "video frame rate %.3f fps is outside 1/60 .. %.0f fps",
                rate.toDouble(), limits.maxFrameRate()));
        }
        if (source.durationSeconds() > limits.maxDurationSeconds())
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.TOO_LONG,
                String.format(Locale.ROOT, "video is %.0f s long; the maximum is %.0f s",
                source.durationSeconds(), limits.maxDurationSeconds()));
        }
        final double frames = Math.max(video.frameCount(), source.durationSeconds() * rate.toDouble());
        final double decodedPixels = (double)width * height * frames;
        if (decodedPixels > limits.maxDecodedPixels())
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.DECOMPRESSION_BOMB,
                String.format(Locale.ROOT,
                "video would decode to %.3g pixels (%dx%d x %.0f frames), more than the bound %.3g",
                decodedPixels, width, height, frames, limits.maxDecodedPixels()));
        }
        if (source.sizeBytes() > 0 && decodedPixels / source.sizeBytes() > limits.maxPixelsPerInputByte())
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.DECOMPRESSION_BOMB,
                String.format(Locale.ROOT,
                "a %d-byte file claims %.3g decoded pixels (%.3g per byte, bound %.3g): likely a decompression bomb",
                source.sizeBytes(), decodedPixels, decodedPixels / source.sizeBytes(),
                limits.maxPixelsPerInputByte()));
        }
        if (video.bitDepth() > limits.maxBitDepth())
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.UNSUPPORTED_BIT_DEPTH,
                "video has " + video.bitDepth() + "-bit samples (" + video.pixelFormat() + "); at most " +
                limits.maxBitDepth() + "-bit sources are converted");
        }
    }
}
