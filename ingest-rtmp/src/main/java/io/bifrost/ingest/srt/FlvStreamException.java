package io.bifrost.ingest.srt;

import java.io.IOException;

/**
 * Input on an FLV byte stream that {@link FlvStreamReader} refuses.
 */
public final class FlvStreamException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, for the log line.
     */
    public FlvStreamException(final String message)
    {
        super(message);
    }
}
