package io.bifrost.origin.upload;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decides, once every byte of an upload is on disk and fsynced, whether the file is a video Bifrost will transcode.
 * Called on the upload service's validation threads (never an event loop), possibly several at once for different
 * uploads, so implementations must be thread-safe. The file must not be modified or moved.
 */
@FunctionalInterface
public interface UploadValidator
{
    /** Accepts every file; for tests of the transfer protocol alone. */
    UploadValidator ACCEPT_ALL = (file, metadata) -> { };

    /**
     * @param file     the complete upload.
     * @param metadata what the uploader sent with it.
     * @throws UploadRejectedException when the file is not acceptable, with the reason the uploader will see.
     * @throws IOException             when validation could not run (ffprobe missing or hanging): the upload stays
     *                                 in {@code validating} and is retried later, it is not the uploader's fault.
     */
    void validate(Path file, UploadMetadata metadata) throws UploadRejectedException, IOException;
}
