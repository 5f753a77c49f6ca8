package io.bifrost.origin.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a video is in its life: {@code uploading -> processing -> published}, or {@code failed} when the source is
 * refused or the transcode fails, and {@code deleted} (a tombstone) from any state.
 */
public enum VideoStatus
{
    /** An upload session exists; bytes are still arriving. */
    @JsonProperty("uploading") UPLOADING,
    /** The upload is complete and a transcode job is queued or running. */
    @JsonProperty("processing") PROCESSING,
    /** Every rendition, manifest and thumbnail is in the store and served. */
    @JsonProperty("published") PUBLISHED,
    /** The source was refused or the transcode failed; the record says why. */
    @JsonProperty("failed") FAILED,
    /** Deleted: nothing is served; the record stays as a tombstone so a replayed job is not redone. */
    @JsonProperty("deleted") DELETED;

    /**
     * @return the lower-case name used in the API.
     */
    public String apiName()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
