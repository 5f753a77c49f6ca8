package io.bifrost.transcoder.probe;

/**
 * What ffprobe says about an uploaded file: enough to validate it and plan a ladder. Built by
 * {@link ProbeOutputParser}; checked by {@link SourceValidator}.
 *
 * @param container       ffprobe's {@code format_name}, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}.
 * @param durationSeconds duration in seconds (format duration, else the video stream's); 0 when unknown.
 * @param sizeBytes       file size in bytes as ffprobe saw it; -1 when unknown.
 * @param video           the first video stream, or {@code null} when there is none.
 * @param audio           the first audio stream, or {@code null} when there is none.
 */
public record SourceInfo(String container, double durationSeconds, long sizeBytes, VideoStreamInfo video,
    AudioStreamInfo audio)
{
    /**
     * @return true when the source has an audio stream.
     */
    public boolean hasAudio()
    {
        return audio != null;
    }

    /**
     * @return true when the source has a video stream.
     */
    public boolean hasVideo()
    {
        return video != null;
    }
}
