package io.bifrost.transcoder.probe;

/**
 * Bounds an upload must respect before it reaches an encoder. The defaults accept anything a phone, camera or
 * editing tool produces up to 8K and 6 hours, and refuse files whose decoded size is out of all proportion.
 *
 * @param minDimension          smallest accepted width or height in pixels.
 * @param maxDimension          largest accepted width or height in pixels.
 * @param maxDurationSeconds    longest accepted duration.
 * @param maxFrameRate          highest accepted source frame rate (fps); the ladder caps output lower.
 * @param maxDecodedPixels      bound on width x height x frames (a decompression bomb claims far more).
 * @param maxPixelsPerInputByte bound on decoded pixels per byte of input file (a tiny file claiming hours of 4K).
 * @param maxBitDepth           deepest samples accepted (converted to 8-bit yuv420p by the ladder).
 */
public record SourceLimits(
    int minDimension,
    int maxDimension,
    double maxDurationSeconds,
    double maxFrameRate,
    double maxDecodedPixels,
    double maxPixelsPerInputByte,
    int maxBitDepth)
{
    /** 16 px .. 8192 px, 6 h, 240 fps, 8192x4320 x 60 fps x 6 h, 10 million pixels per byte, 12-bit. */
    public static final SourceLimits DEFAULTS = new SourceLimits(16, 8192, 6 * 3600.0, 240.0,
        8192.0 * 4320 * 60 * 6 * 3600, 1.0e7, 12);

    /**
     * @param maxDurationSeconds the new maximum duration.
     * @return a copy with that maximum.
     */
    public SourceLimits withMaxDurationSeconds(final double maxDurationSeconds)
    {
        return new SourceLimits(minDimension, maxDimension, maxDurationSeconds, maxFrameRate, maxDecodedPixels,
            maxPixelsPerInputByte, maxBitDepth);
    }

    /**
     * @param maxDecodedPixels the new bound on width x height x frames.
     * @return a copy with that bound.
     */
    public SourceLimits withMaxDecodedPixels(final double maxDecodedPixels)
    {
        return new SourceLimits(minDimension, maxDimension, maxDurationSeconds, maxFrameRate, maxDecodedPixels,
            maxPixelsPerInputByte, maxBitDepth);
    }
}
