package io.bifrost.transcoder.job;

import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ffmpeg.TranscodeProgress;
import io.bifrost.transcoder.probe.SourceRejectedException;

/**
 * What a {@link TranscodeJobAgent} reports (the catalog status and the API's percent come from here). Called on the
 * agent's thread; implementations return quickly and do not throw. Every method defaults to doing nothing.
 */
public interface JobListener
{
    /**
     * @param job      the running job.
     * @param progress the latest encode progress.
     */
    default void onProgress(final TranscodeJob job, final TranscodeProgress progress)
    {
    }

    /**
     * @param job   the job.
     * @param title the published title folder.
     */
    default void onPublished(final TranscodeJob job, final java.nio.file.Path title)
    {
    }

    /**
     * A replayed job whose title is already published, or that already failed (its {@code .failed} note exists).
     *
     * @param job the job.
     */
    default void onSkipped(final TranscodeJob job)
    {
    }

    /**
     * @param job    the job.
     * @param reason why the upload was refused.
     */
    default void onRejected(final TranscodeJob job, final SourceRejectedException reason)
    {
    }

    /**
     * @param job   the job.
     * @param error why the transcode failed.
     */
    default void onFailed(final TranscodeJob job, final TranscodeException error)
    {
    }

    /**
     * @param index  the log index of a document that is not a readable job.
     * @param reason why.
     */
    default void onMalformed(final long index, final String reason)
    {
    }
}
