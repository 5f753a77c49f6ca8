package io.bifrost.ingest.rtmp;

/**
 * Hostile or malformed input on one connection. Carries the {@link RejectReason} counted for it; the connection that
 * raised it is closed and no other is affected. No stack trace is filled in: the message says what was wrong.
 */
public final class RtmpProtocolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    /**
     * @param reason  the counter this event increments.
     * @param message what was wrong, for the one log line.
     */
    public RtmpProtocolException(final RejectReason reason, final String message)
    {
        super(message, null, false, false);
        this.reason = reason;
    }

    /**
     * @return the counter this event increments.
     */
    public RejectReason reason()
    {
        return reason;
    }
}
