package io.bifrost.origin.upload;

import java.nio.file.Path;

/**
 * How the rest of the origin learns about uploads: the catalog creates the video in {@code uploading} on
 * {@link #onCreated}, moves it to {@code processing} and appends a transcode job on {@link #onCompleted}, and to
 * {@code failed} (with the reason code) on {@link #onRejected}.
 *
 * <p>Calls come one at a time, in order, from one dedicated thread of the upload service (never an event loop), so an
 * implementation may block briefly (a catalog write, a job log append). {@link #onCompleted} and
 * {@link #onRejected} are delivered at least once: the upload service records the hand-off only after the call
 * returns, so a crash in between, or an exception thrown by the listener, makes it call again later (after a
 * restart, or on the next housekeeping pass). Implementations must therefore be idempotent per video id.
 */
public interface UploadListener
{
    /** Ignores everything; the default until the origin wires its catalog in. */
    UploadListener NONE = new UploadListener()
    {
    };

    /**
     * An upload session exists; no bytes yet.
     *
     * @param videoId  the video id the upload will become.
     * @param metadata the validated metadata (title, description, tags, visibility, filename).
     */
    default void onCreated(final String videoId, final UploadMetadata metadata)
    {
    }

    /**
     * Every byte is on disk, fsynced, and the file passed the {@link UploadValidator}.
     *
     * @param videoId    the video id.
     * @param sourceFile the complete original, fsynced. When this call returns normally the file is the
     *                   listener's: it may move it (e.g. to where originals live) and the upload service never
     *                   touches it again. When the call throws, the file stays where it is and the call is repeated
     *                   later; a repeat finds the file gone if the listener had already moved it, and is then
     *                   recorded as done without calling again.
     * @param metadata   the validated metadata.
     */
    default void onCompleted(final String videoId, final Path sourceFile, final UploadMetadata metadata)
    {
    }

    /**
     * The client terminated the upload (tus DELETE) or it expired unfinished; its bytes are gone.
     *
     * @param videoId the video id.
     */
    default void onTerminated(final String videoId)
    {
    }

    /**
     * The upload is not an acceptable video; its bytes are gone.
     *
     * @param videoId the video id.
     * @param code    stable reason code, e.g. {@code upload.not_video} or {@code source.decompression_bomb}.
     * @param message the explanation the uploader sees.
     */
    default void onRejected(final String videoId, final String code, final String message)
    {
    }
}
