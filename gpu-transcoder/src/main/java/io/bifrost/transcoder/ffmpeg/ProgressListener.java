package io.bifrost.transcoder.ffmpeg;

/**
 * Receives transcode progress. Called on the process's stdout drain thread, about twice a second; implementations
 * must return quickly and must not throw.
 */
@FunctionalInterface
public interface ProgressListener
{
    /** A listener that ignores every report. */
    ProgressListener NONE = progress -> { };

    /**
     * @param progress the latest report.
     */
    void onProgress(TranscodeProgress progress);
}
