package io.bifrost.origin.upload;

import java.util.Locale;
import java.util.Map;

/**
 * The durable state of one upload, written atomically to {@code dataDir/uploads/{uploadId}.json} by
 * {@link UploadStore}. Immutable: every change makes a new record. The {@code offset} is the number of bytes
 * acknowledged to the client; the data file may briefly hold more (an unacknowledged chunk), never less.
 *
 * @param uploadId         the tus resource id (22 base64url characters).
 * @param videoId          the video the upload becomes ({@code v_} + 22 base64url characters).
 * @param length           total size in bytes ({@code Upload-Length}).
 * @param offset           bytes acknowledged, fsynced before they were acknowledged.
 * @param metadata         the validated metadata pairs.
 * @param createdAtMs      creation time, epoch milliseconds.
 * @param expiresAtMs      when an unfinished upload is removed, epoch milliseconds (pushed back by each PATCH).
 * @param status           where the upload stands.
 * @param rejectionCode    why it was rejected, or null.
 * @param rejectionMessage the explanation, or null.
 * @param handedOff        true once the listener accepted the completion or rejection.
 */
public record UploadState(
    String uploadId,
    String videoId,
    long length,
    long offset,
    Map<String, String> metadata,
    long createdAtMs,
    long expiresAtMs,
    Status status,
    String rejectionCode,
    String rejectionMessage,
    boolean handedOff)
{
    /** Lifecycle of an upload. */
    public enum Status
    {
        /** Accepting PATCH requests. */
        UPLOADING,
        /** Every byte arrived; the validator runs (or will run again after a restart). */
        VALIDATING,
        /** Accepted: handed to the origin as a video source. */
        COMPLETED,
        /** Not an acceptable video; the data is deleted, the record kept for a while to explain why. */
        REJECTED,
        /** Deleted by the client; the record is kept for a while so it answers 410. */
        TERMINATED,
        /** Not finished in time; the data is deleted, the record kept for a while so it answers 410. */
        EXPIRED;

        /**
         * @return the lower-case name used on the wire.
         */
        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @return true when the data file is gone and only the record remains.
         */
        public boolean isTombstone()
        {
            return this == REJECTED || this == TERMINATED || this == EXPIRED;
        }
    }

    public UploadState
    {
        metadata = Map.copyOf(metadata);
    }

    UploadState withOffset(final long newOffset, final long newExpiresAtMs)
    {
        return new UploadState(uploadId, videoId, length, newOffset, metadata, createdAtMs, newExpiresAtMs, status,
            rejectionCode, rejectionMessage, handedOff);
    }

    UploadState withStatus(final Status newStatus, final long nowMs)
    {
        return new UploadState(uploadId, videoId, length, offset, metadata, createdAtMs,
            newStatus == Status.UPLOADING ? expiresAtMs : nowMs, newStatus, rejectionCode, rejectionMessage, false);
    }

    UploadState rejected(final String code, final String message, final long nowMs)
    {
        return new UploadState(uploadId, videoId, length, offset, metadata, createdAtMs, nowMs, Status.REJECTED,
            code, message, false);
    }

    UploadState markHandedOff()
    {
        return new UploadState(uploadId, videoId, length, offset, metadata, createdAtMs, expiresAtMs, status,
            rejectionCode, rejectionMessage, true);
    }
}
