package io.bifrost.transcoder.probe;

/**
 * ffprobe's JSON could not be read: not JSON, too deep or too large, or missing what a media description must have.
 * The message says which field or limit was at fault.
 */
public final class ProbeOutputException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong.
     */
    public ProbeOutputException(final String message)
    {
        super(message);
    }

    /**
     * @param message what was wrong.
     * @param cause   the parser's error.
     */
    public ProbeOutputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
