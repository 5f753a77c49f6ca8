package io.bifrost.origin.upload;

/**
 * An upload whose bytes arrived intact but which Bifrost will not accept as a video (not a video container, no video
 * stream, absurd dimensions or duration, a decompression bomb). The {@link #code()} is stable (e.g.
 * {@code upload.not_video}, {@code source.bad_dimensions}) and is what the uploader and the catalog see.
 */
public final class UploadRejectedException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code    stable reason code.
     * @param message what was found and what the limit is.
     */
    public UploadRejectedException(final String code, final String message)
    {
        super(message, null, false, false);
        this.code = code;
    }

    /**
     * @return the stable reason code.
     */
    public String code()
    {
        return code;
    }
}
