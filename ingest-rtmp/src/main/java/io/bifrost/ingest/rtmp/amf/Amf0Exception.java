package io.bifrost.ingest.rtmp.amf;

/**
 * Malformed AMF0, an unsupported type marker, or a value beyond {@link Amf0Limits}. No stack trace is filled in.
 */
public final class Amf0Exception extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong and where.
     */
    public Amf0Exception(final String message)
    {
        super(message, null, false, false);
    }
}
