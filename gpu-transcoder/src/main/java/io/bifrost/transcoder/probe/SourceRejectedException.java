package io.bifrost.transcoder.probe;

/**
 * An upload that Bifrost will not transcode, with a stable {@link Reason} (for the API error code and metrics) and a
 * message for the uploader.
 */
public final class SourceRejectedException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** Why a source was refused; {@link #code()} is stable. */
    public enum Reason
    {
        /** ffprobe could not read the file as media at all. */
        NOT_MEDIA("source.not_media"),
        /** The file has no video stream (audio only, a picture, a text file). */
        NO_VIDEO("source.no_video"),
        /** Duration is zero or unknown. */
        ZERO_DURATION("source.zero_duration"),
        /** Longer than the configured maximum. */
        TOO_LONG("source.too_long"),
        /** Width or height outside the accepted range. */
        BAD_DIMENSIONS("source.bad_dimensions"),
        /** Frame rate absent or absurd. */
        BAD_FRAME_RATE("source.bad_frame_rate"),
        /** Decoded size out of proportion (pixels x frames, or pixels per input byte). */
        DECOMPRESSION_BOMB("source.decompression_bomb"),
        /** Bit depth above what the ladder can convert. */
        UNSUPPORTED_BIT_DEPTH("source.unsupported_bit_depth");

        private final String code;

        Reason(final String code)
        {
            this.code = code;
        }

        /**
         * @return the stable code, e.g. {@code source.no_video}.
         */
        public String code()
        {
            return code;
        }
    }

    private final Reason reason;

    /**
     * @param reason  the category.
     * @param message what was found and what the limit is.
     */
    public SourceRejectedException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason  the category.
     * @param message what was found.
     * @param cause   the underlying failure.
     */
    public SourceRejectedException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * @return why.
     */
    public Reason reason()
    {
        return reason;
    }
}
