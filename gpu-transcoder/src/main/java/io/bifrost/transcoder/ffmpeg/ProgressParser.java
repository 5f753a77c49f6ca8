package io.bifrost.transcoder.ffmpeg;

/**
 * Turns the {@code key=value} lines of ffmpeg's {@code -progress pipe:1} into {@link TranscodeProgress} reports.
 * ffmpeg writes one block per update, ending with {@code progress=continue} or {@code progress=end}; fields the
 * parser does not know, and values it cannot read ({@code N/A}, negative times at start-up), are ignored, so a
 * malformed line never fails a transcode. Not thread-safe: fed by one drain thread.
 */
public final class ProgressParser
{
    private final double durationMicros;
    private final ProgressListener listener;
    private long outTimeMicros;
    private double fps;
    private double speed;
    private long frame;

    /**
     * @param durationSeconds the source duration, for the percentage.
     * @param listener        where reports go.
     */
    public ProgressParser(final double durationSeconds, final ProgressListener listener)
    {
        this.durationMicros = durationSeconds * 1_000_000.0;
        this.listener = listener;
    }

    /**
     * @param line one line of progress output, without its terminator.
     */
    public void onLine(final String line)
    {
        final int eq = line.indexOf('=');
        if (eq <= 0)
        {
            return;
        }
        final String key = line.substring(0, eq).strip();
        final String value = line.substring(eq + 1).strip();
        switch (key)
        {
            case "out_time_us", "out_time_ms" ->
            {
                // out_time_ms is in microseconds too (a long-standing ffmpeg quirk)
                final long micros = parseLong(value);
                if (micros > 0)
                {
                    outTimeMicros = micros;
                }
            }
            case "fps" -> fps = parseDouble(value);
            case "speed" -> speed = parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) : value);
            case "frame" -> frame = Math.max(frame, parseLong(value));
            case "progress" -> emit("end".equals(value));
            default ->
            {
                // other keys (bitrate, total_size, dup_frames, drop_frames, stream_q) are not reported
            }
        }
    }

    /**
     * @return the media time written so far, in microseconds (at the end: the encoded duration).
     */
    public long outTimeMicros()
    {
        return outTimeMicros;
    }

    private void emit(final boolean done)
    {
        final double percent = done ? 100.0 :
            durationMicros > 0 ? Math.min(100.0, 100.0 * outTimeMicros / durationMicros) : 0.0;
        try
        {
            listener.onProgress(new TranscodeProgress(outTimeMicros, percent, fps, speed, frame, done));
        }
        catch (final RuntimeException ignore)
        {
            // a faulty listener must not stop the drain (ffmpeg would block on a full stdout pipe)
        }
    }

    private static long parseLong(final String value)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    private static double parseDouble(final String value)
    {
        try
        {
            final double parsed = Double.parseDouble(value);
            return Double.isFinite(parsed) && parsed > 0 ? parsed : 0;
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
