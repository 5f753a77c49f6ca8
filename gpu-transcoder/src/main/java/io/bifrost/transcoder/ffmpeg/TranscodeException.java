package io.bifrost.transcoder.ffmpeg;

/**
 * An ffmpeg or ffprobe run failed: it could not start, exited non-zero, was killed for running too long, or produced
 * output Bifrost cannot use. The message says which tool, why (exit code or signal, timeout) and quotes the tool's
 * last meaningful stderr lines, so an operator can act on it without rerunning anything.
 */
public final class TranscodeException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the explanation.
     */
    public TranscodeException(final String message)
    {
        super(message);
    }

    /**
     * @param message the explanation.
     * @param cause   the underlying failure.
     */
    public TranscodeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
