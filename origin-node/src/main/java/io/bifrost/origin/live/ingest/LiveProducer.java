package io.bifrost.origin.live.ingest;

/**
 * Turns one stream's tags into CMAF renditions at the packager: the live transcoder (one ffmpeg) or the passthrough
 * muxer. Opened with the learnt {@link LiveSource}, it has opened its {@code LiveSession}; it then receives every tag
 * from the first one on, in order. Called only from the stream's writer thread.
 */
public interface LiveProducer
{
    /**
     * @param tag the next tag.
     * @return true when taken; false when the tag changes the source's decoder configuration in a way this producer
     *         cannot follow (passthrough and a new H.264 sequence header, e.g. a new resolution): the caller then
     *         finishes this producer and starts a new session from this tag on.
     * @throws LiveStreamException when the stream cannot go on (bad input, ffmpeg gone); the caller then aborts.
     */
    boolean onTag(CopiedTag tag);

    /**
     * The publish ended: flush what is pending, end every track and the session. Bounded in time; idempotent.
     *
     * @throws LiveStreamException when the output turned out bad at the end (ffmpeg exited non-zero); the tracks
     *                             and the session are ended either way.
     */
    void finish();

    /**
     * Give up now (bad input, shutdown): stop any child process, end every track and the session. Idempotent.
     */
    void abort();

    /**
     * Make an {@link #onTag} that is blocked on a child process return soon (the transcoder kills its ffmpeg). Any
     * thread; the writer thread then calls {@link #abort()}.
     */
    default void unblock()
    {
    }
}
