package io.bifrost.ingest.srt;

/**
 * An SRT caller's stream id that carries no acceptable stream key, or an ffmpeg log line announcing one that is
 * malformed.
 */
public final class SrtStreamIdException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, for the log line.
     */
    public SrtStreamIdException(final String message)
    {
        super(message);
    }
}
