package io.bifrost.origin.live.passthrough;

/**
 * Media bytes from a publisher that the passthrough muxer cannot use: a malformed or unsupported decoder
 * configuration, an unsupported codec, a frame that does not fit its stream. The message says what and, where the
 * fix is on the publisher's side, what to do.
 */
public final class MediaFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong.
     */
    public MediaFormatException(final String message)
    {
        super(message);
    }
}
