package io.bifrost.transcoder.probe;

/**
 * The first video stream of a source as ffprobe describes it.
 *
 * @param codec            decoder name, e.g. {@code h264}.
 * @param codedWidth       stored width in pixels (before rotation).
 * @param codedHeight      stored height in pixels (before rotation).
 * @param rotationDegrees  display rotation normalised to 0, 90, 180 or 270 (display matrix or the legacy
 *                         {@code rotate} tag); ffmpeg applies it when decoding.
 * @param pixelFormat      e.g. {@code yuv420p}, {@code yuv420p10le}; {@code "unknown"} when absent.
 * @param bitDepth         bits per sample (8 when unknown).
 * @param averageFrameRate {@code avg_frame_rate}, or {@code null} when unknown.
 * @param baseFrameRate    {@code r_frame_rate} (the lowest rate that represents every timestamp), or {@code null}.
 * @param frameCount       {@code nb_frames} when the container states it, else -1.
 * @param sampleAspectRatio pixel shape; display sizes apply it (anamorphic sources are planned as displayed).
 */
public record VideoStreamInfo(
    String codec,
    int codedWidth,
    int codedHeight,
    int rotationDegrees,
    String pixelFormat,
    int bitDepth,
    FrameRate averageFrameRate,
    FrameRate baseFrameRate,
    long frameCount,
    SampleAspectRatio sampleAspectRatio)
{
    /**
     * A stream with square pixels.
     *
     * @param codec            decoder name.
     * @param codedWidth       stored width.
     * @param codedHeight      stored height.
     * @param rotationDegrees  0, 90, 180 or 270.
     * @param pixelFormat      pixel format.
     * @param bitDepth         bits per sample.
     * @param averageFrameRate avg rate or null.
     * @param baseFrameRate    r rate or null.
     * @param frameCount       frames or -1.
     */
    public VideoStreamInfo(final String codec, final int codedWidth, final int codedHeight,
        final int rotationDegrees, final String pixelFormat, final int bitDepth, final FrameRate averageFrameRate,
        final FrameRate baseFrameRate, final long frameCount)
    {
        this(codec, codedWidth, codedHeight, rotationDegrees, pixelFormat, bitDepth, averageFrameRate, baseFrameRate,
            frameCount, SampleAspectRatio.SQUARE);
    }

    /** Relative difference between avg and r frame rates beyond which a stream counts as variable frame rate. */
    static final double VFR_TOLERANCE = 0.01;

    /**
     * @return width as displayed (sample aspect ratio, then rotation applied).
     */
    public int displayWidth()
    {
        return isQuarterTurn() ? codedHeight : sampleAspectRatio.displayWidth(codedWidth);
    }

    /**
     * @return height as displayed (sample aspect ratio, then rotation applied).
     */
    public int displayHeight()
    {
        return isQuarterTurn() ? sampleAspectRatio.displayWidth(codedWidth) : codedHeight;
    }

    /**
     * @return true when the rotation swaps width and height.
     */
    public boolean isQuarterTurn()
    {
        return rotationDegrees == 90 || rotationDegrees == 270;
    }

    /**
     * A stream is variable frame rate when its average rate differs from its base rate (ffprobe's heuristic pair).
     *
     * @return true for variable frame rate.
     */
    public boolean isVariableFrameRate()
    {
        if (averageFrameRate == null || baseFrameRate == null)
        {
            return averageFrameRate != baseFrameRate;
        }
        final double avg = averageFrameRate.toDouble();
        final double base = baseFrameRate.toDouble();
        return Math.abs(avg - base) > VFR_TOLERANCE * base;
    }

    /**
     * The rate a transcode should aim for: the average rate (what viewers see), else the base rate, else 25.
     *
     * @return the nominal rate.
     */
    public FrameRate nominalFrameRate()
    {
        if (averageFrameRate != null)
        {
            return averageFrameRate;
        }
        return baseFrameRate != null ? baseFrameRate : FrameRate.of(25);
    }
}
