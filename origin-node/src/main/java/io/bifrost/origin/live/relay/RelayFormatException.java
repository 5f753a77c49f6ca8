package io.bifrost.origin.live.relay;

/**
 * A relay body that is not the FLV stream {@code RelayWire} describes: a bad header, an encrypted or unknown tag, a tag
 * over the size bound, or a tag header the FLV parser refuses. The request is answered 400 and counted.
 */
public final class RelayFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, for the answer and the log.
     */
    public RelayFormatException(final String message)
    {
        super(message, null, false, false);
    }
}
