package io.bifrost.edge.fill;

/**
 * Why a fill failed, as the edge reports it to viewers and counts it.
 *
 * @param reason       what went wrong.
 * @param detail       a short explanation for logs and the error body (origin URL, status, cause).
 * @param headSent     true when listeners already got a head, so a viewer's response is cut short rather than
 *                     replaced by an error status.
 */
public record FillFailure(Reason reason, String detail, boolean headSent)
{
    /** Failure classes, each with the status a viewer sees when no head was sent yet. */
    public enum Reason
    {
        /** Every origin refused the connection or answered 5xx / an unusable status. */
        ORIGIN_UNAVAILABLE(502, "fill.origin_unavailable"),
        /** No origin answered within the response timeout. */
        ORIGIN_TIMEOUT(504, "fill.origin_timeout"),
        /** The origin broke the connection in the middle of the body. */
        ORIGIN_ABORTED(502, "fill.origin_aborted"),
        /** The object is larger than the edge's fill limit. */
        TOO_LARGE(502, "fill.too_large"),
        /** A miss on a request that has already passed through too many edges: not forwarded ({@link FillHops}). */
        LOOP_DETECTED(508, "fill.loop_detected");

        private final int status;
        private final String code;

        Reason(final int status, final String code)
        {
            this.status = status;
            this.code = code;
        }

        /**
         * @return HTTP status for viewers when no head was sent.
         */
        public int status()
        {
            return status;
        }

        /**
         * @return stable code for metrics and error bodies.
         */
        public String code()
        {
            return code;
        }
    }
}
