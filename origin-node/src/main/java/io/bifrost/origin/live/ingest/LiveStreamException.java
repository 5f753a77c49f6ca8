package io.bifrost.origin.live.ingest;

/**
 * A live stream cannot go on: its input is unusable (an unsupported codec, a malformed sequence header), or its
 * ffmpeg failed. The message is meant for the operator's log and says what to do where the fix is known.
 */
public final class LiveStreamException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What failed, for the failure counter's {@code reason} tag. */
    public enum Reason
    {
        /** The publisher's input: codec, configuration, timestamps. */
        SOURCE,
        /** The ffmpeg process: could not start, exited, killed. */
        FFMPEG,
        /** The packager refused the producer's output. */
        PACKAGER
    }

    private final Reason reason;

    /**
     * @param reason  what failed.
     * @param message the explanation.
     */
    public LiveStreamException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason  what failed.
     * @param message the explanation.
     * @param cause   the underlying failure.
     */
    public LiveStreamException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * @return what failed.
     */
    public Reason reason()
    {
        return reason;
    }
}
