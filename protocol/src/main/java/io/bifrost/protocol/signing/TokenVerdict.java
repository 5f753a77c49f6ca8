package io.bifrost.protocol.signing;

/**
 * Outcome of {@link UrlTokenVerifier#verify}: {@link #OK} or the first check that failed. Each value has a stable
 * machine code (for the API error envelope, logs and counters) and a human message.
 */
public enum TokenVerdict
{
    /**
     * The token is genuine, unexpired, covers the path and matches the client address if it names one.
     */
    OK("token.ok", "token is valid"),

    /**
     * Missing, longer than {@link UrlToken#MAX_LENGTH}, or not in the token format.
     */
    MALFORMED("token.malformed", "token is missing or not in the signed URL token format"),

    /**
     * A well-formed version field ({@code v} and digits) other than {@link UrlToken#VERSION}.
     */
    UNSUPPORTED_VERSION("token.unsupported_version", "token format version is not supported by this node"),

    /**
     * The key id in the token is not in this node's {@link SigningKeyRing}.
     */
    UNKNOWN_KEY("token.unknown_key", "token was signed with a key this node does not know"),

    /**
     * The MAC does not match the token's fields: forged or altered.
     */
    BAD_SIGNATURE("token.bad_signature", "token signature is not valid"),

    /**
     * Genuine but its expiry (plus the verifier's clock-skew grace) has passed.
     */
    EXPIRED("token.expired", "token has expired"),

    /**
     * Genuine but the request path is not under the signed prefix.
     */
    WRONG_PREFIX("token.wrong_prefix", "token does not cover this path"),

    /**
     * Genuine but bound to another client address, or the client address is unknown.
     */
    WRONG_CLIENT_IP("token.wrong_client_ip", "token is bound to another client address");

    private final String code;
    private final String message;

    TokenVerdict(final String code, final String message)
    {
        this.code = code;
        this.message = message;
    }

    /**
     * @return true only for {@link #OK}.
     */
    public boolean isOk()
    {
        return OK == this;
    }

    /**
     * @return stable machine-readable code, e.g. {@code token.expired}; never changes once released.
     */
    public String code()
    {
        return code;
    }

    /**
     * @return human-readable explanation, for the error envelope's {@code message}.
     */
    public String message()
    {
        return message;
    }
}
