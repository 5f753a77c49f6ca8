package io.bifrost.protocol.signing;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * Issues signed URL tokens (format on {@link UrlToken}) with the current key of a {@link SigningKeyRing}.
 * <p>
 * Thread-safe. Signing is not on the request path (the control plane or an application backend issues tokens), so
 * it favours clear validation over zero allocation.
 */
public final class UrlSigner
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeyRing keyRing;

    /**
     * @param keyRing the ring whose current key signs; a later {@link SigningKeyRing#makeCurrent} takes effect for the
     *                next token.
     */
    public UrlSigner(final SigningKeyRing keyRing)
    {
        if (null == keyRing)
        {
            throw new IllegalArgumentException("signing key ring must not be null");
        }
        this.keyRing = keyRing;
    }

    /**
     * Sign a token valid from any client address.
     *
     * @param pathPrefix see {@link #sign(String, Instant, InetAddress)}.
     * @param expiry     see {@link #sign(String, Instant, InetAddress)}.
     * @return the token.
     */
    public String sign(final String pathPrefix, final Instant expiry)
    {
        return sign(pathPrefix, expiry, null);
    }

    /**
     * @param pathPrefix the normalised path prefix the token covers (see {@link UrlToken} for prefix semantics), at
     *                   most {@value UrlToken#MAX_PREFIX_LENGTH} characters: end it with {@code /} to cover a
     *                   folder, e.g. {@code /vod/abc/}.
     * @param expiry     when the token stops being valid; truncated to whole seconds, never before the Unix epoch.
     * @param clientIp   the only client address allowed to use the token, or null for any.
     * @return the token, URL-safe as a query parameter value or path segment.
     * @throws IllegalArgumentException when the prefix is not a normalised path or the expiry is out of range.
     */
    public String sign(final String pathPrefix, final Instant expiry, final InetAddress clientIp)
    {
        if (null == pathPrefix || pathPrefix.length() > UrlToken.MAX_PREFIX_LENGTH ||
            !UrlToken.isNormalisedPath(pathPrefix))
        {
            throw new IllegalArgumentException("path prefix must be an absolute path of at most " +
                UrlToken.MAX_PREFIX_LENGTH + " printable ASCII characters without '?', '#', '%', '\\', '//', " +
                "'.' or '..' segments, got " + (null == pathPrefix ? "null" : '"' + pathPrefix + '"'));
        }
        if (null == expiry || expiry.getEpochSecond() < 0)
        {
            throw new IllegalArgumentException("token expiry must be at or after the Unix epoch, got " + expiry);
        }

        final SigningKey key = keyRing.current();
        final String signed = UrlToken.VERSION + UrlToken.SEPARATOR +
            key.keyId() + UrlToken.SEPARATOR +
            expiry.getEpochSecond() + UrlToken.SEPARATOR +
            ENCODER.encodeToString(pathPrefix.getBytes(StandardCharsets.US_ASCII)) + UrlToken.SEPARATOR +
            (null == clientIp ? "" : ENCODER.encodeToString(clientIp.getAddress()));

        final Mac mac = key.mac();
        final byte[] tag = mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));

        return signed + UrlToken.SEPARATOR + ENCODER.encodeToString(tag);
    }
}
