package io.bifrost.ingest.relay;

/**
 * One relayed stream's outage bookkeeping: since when it has had no usable connection to the origin (what the
 * reconnect bound is measured against), how many attempts in a row failed (the backoff), and the last error (for the
 * log and the give-up message). A connection the origin closes within the connect timeout without a byte of answer
 * does not end the outage: an origin that drops every request at once (a TLS port sent plain HTTP, a proxy with no
 * backend) is given up like an unreachable one instead of being reconnected to forever. Not thread-safe: used under
 * its {@link RelayedStream}'s monitor.
 */
final class RelayOutage
{
    /** The last error of a stream whose connections the origin closes at once, unanswered. */
    static final String SILENT_CLOSE = "the origin closed each connection at once without an answer";

    /** How a connection that had been established ended. */
    enum Close
    {
        /** It carried the stream a while, or the origin answered on it: a new outage starts. */
        DROPPED,
        /** Closed at once without an answer, the first time in this outage: worth a log line and a TLS probe. */
        SILENT_FIRST,
        /** Closed at once without an answer, again. */
        SILENT_AGAIN
    }

    private long downSinceMs;
    private long outageSinceMs;
    private long connectedAtMs;
    private int failedAttempts;
    private String lastError;

    /**
     * @param nowMs when the stream opened: it is down until its first connection.
     */
    RelayOutage(final long nowMs)
    {
        this.downSinceMs = nowMs;
    }

    /**
     * A connection attempt failed (TCP or TLS).
     *
     * @param error why.
     * @return whether it is worth a log line: the first failure of the outage, or another error than the last.
     */
    boolean onConnectFailed(final String error)
    {
        final boolean news = 0 == failedAttempts++ || !error.equals(lastError);
        lastError = error;
        return news;
    }

    /**
     * A connection is up and carries the request.
     *
     * @param nowMs the time.
     * @return how long the relay was down, for a log line; -1 when not worth one (the first connection, or one after
     *         a silent close).
     */
    long onConnected(final long nowMs)
    {
        final long downMs = failedAttempts > 0 && !SILENT_CLOSE.equals(lastError) ? nowMs - downSinceMs : -1;
        connectedAtMs = nowMs;
        outageSinceMs = downSinceMs;
        downSinceMs = -1;
        return downMs;
    }

    /**
     * The established connection closed.
     *
     * @param answered       whether the origin sent any byte on it.
     * @param nowMs          the time.
     * @param silentWithinMs a close this soon after connecting, unanswered, is silent (the connect timeout).
     * @return what kind of close it was.
     */
    Close onClosed(final boolean answered, final long nowMs, final long silentWithinMs)
    {
        if (answered || nowMs - connectedAtMs >= silentWithinMs)
        {
            downSinceMs = nowMs;
            failedAttempts = 0;
            lastError = null;
            return Close.DROPPED;
        }
        downSinceMs = outageSinceMs;
        failedAttempts++;
        final boolean first = !SILENT_CLOSE.equals(lastError);
        lastError = SILENT_CLOSE;
        return first ? Close.SILENT_FIRST : Close.SILENT_AGAIN;
    }

    /**
     * @param nowMs   the time.
     * @param boundMs the reconnect bound.
     * @return whether the relay has been without a usable connection for longer than the bound.
     */
    boolean downLongerThan(final long nowMs, final long boundMs)
    {
        return downSinceMs >= 0 && nowMs - downSinceMs > boundMs;
    }

    /**
     * @return the delay before the next attempt: {@link OriginRelayContext#INITIAL_BACKOFF} doubled per failed
     *         attempt, at most {@link OriginRelayContext#MAX_BACKOFF}.
     */
    long backoffMs()
    {
        return Math.min(OriginRelayContext.MAX_BACKOFF.toMillis(),
            OriginRelayContext.INITIAL_BACKOFF.toMillis() << Math.min(failedAttempts, 5));
    }

    /**
     * @return the last error of this outage, or null.
     */
    String lastError()
    {
        return lastError;
    }
}
