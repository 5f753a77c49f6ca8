package io.bifrost.origin.catalog;

/**
 * A catalog operation that cannot be done, with a stable code for the API's error envelope.
 */
public final class CatalogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What kind of refusal, which the API maps onto an HTTP status. */
    public enum Kind
    {
        /** No such video (404). */
        NOT_FOUND,
        /** The video exists but is in the wrong state for the operation (409). */
        CONFLICT,
        /** The request itself is invalid (400). */
        INVALID,
        /** The video was deleted (410). */
        GONE
    }

    private final Kind kind;
    private final String code;

    /**
     * @param kind    the kind.
     * @param code    stable code, e.g. {@code video.not_found}.
     * @param message human-readable explanation.
     */
    public CatalogException(final Kind kind, final String code, final String message)
    {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    /**
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return the stable code.
     */
    public String code()
    {
        return code;
    }
}
