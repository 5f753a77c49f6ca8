package io.bifrost.protocol.signing;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Checks signed URL tokens (format on {@link UrlToken}) against the keys of a {@link SigningKeyRing}.
 * <p>
 * Checks run in this order and the first failure is the verdict: parse ({@link TokenVerdict#MALFORMED},
 * {@link TokenVerdict#UNSUPPORTED_VERSION}), key known ({@link TokenVerdict#UNKNOWN_KEY}), signature compared in
 * constant time ({@link TokenVerdict#BAD_SIGNATURE}), then expiry, prefix and client address. So a forged or altered
 * token learns nothing about whether its expiry, prefix or address would have passed.
 * <p>
 * Built for the edge's request path: never throws on any token text, rejects tokens over
 * {@value UrlToken#MAX_LENGTH} characters before decoding anything, and works in per-thread scratch buffers with a
 * per-thread {@link Mac} per key, so a verification allocates only the few small arrays the JDK's HMAC makes
 * internally and a copy of the client address bytes. Thread-safe.
 */
public final class UrlTokenVerifier
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_PREFIX_ENCODED_LENGTH = (UrlToken.MAX_PREFIX_LENGTH * 4 + 2) / 3;
    private static final int IPV4_ENCODED_LENGTH = 6;
    private static final int IPV6_ENCODED_LENGTH = 22;
    private static final int MAX_EXPIRY_DIGITS = 19;

    private static final class Scratch
    {
        private final int[] separators = new int[UrlToken.FIELD_COUNT - 1];
        private final byte[] signedText = new byte[UrlToken.MAX_LENGTH];
        private final byte[] mac = new byte[SigningKey.MAC_LENGTH];
        private final byte[] expectedMac = new byte[UrlToken.MAC_ENCODED_LENGTH];
        private final byte[] presentedMac = new byte[UrlToken.MAC_ENCODED_LENGTH];
        private final byte[] prefix = new byte[UrlToken.MAX_PREFIX_LENGTH];
        private final byte[] clientIp = new byte[16];
    }

    private final SigningKeyRing keyRing;
    private final long clockSkewGraceSeconds;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /**
     * A verifier with no clock-skew grace: a token is rejected from its expiry second on.
     *
     * @param keyRing the keys accepted; changes to the ring apply to the next verification.
     */
    public UrlTokenVerifier(final SigningKeyRing keyRing)
    {
        this(keyRing, Duration.ZERO);
    }

    /**
     * @param keyRing        the keys accepted; changes to the ring apply to the next verification.
     * @param clockSkewGrace how long after its expiry a token is still accepted, to absorb clock differences between
     *                       the signer and this node; rounded up to whole seconds, 0 to 1 hour.
     * @throws IllegalArgumentException when the ring is null or the grace is out of range.
     */
    public UrlTokenVerifier(final SigningKeyRing keyRing, final Duration clockSkewGrace)
    {
        if (null == keyRing)
        {
            throw new IllegalArgumentException("signing key ring must not be null");
        }
        if (null == clockSkewGrace || clockSkewGrace.isNegative() || clockSkewGrace.compareTo(Duration.ofHours(1)) > 0)
        {
            throw new IllegalArgumentException("clock skew grace must be between 0 and 1 hour, got " + clockSkewGrace);
        }

        this.keyRing = keyRing;
        final long seconds = clockSkewGrace.getSeconds();
        this.clockSkewGraceSeconds = clockSkewGrace.getNano() > 0 ? seconds + 1 : seconds;
    }

    /**
     * @param token       the token text as received (query parameter value or path segment); may be null or garbage.
     * @param requestPath the request path without query string.
     * @param clientIp    the client's address, or null when unknown (then only tokens not bound to an address pass).
     * @param now         the current time.
     * @return {@link TokenVerdict#OK} or the first failed check; never throws for any token.
     * @throws NullPointerException when {@code requestPath} or {@code now} is null.
     */
    public TokenVerdict verify(
        final CharSequence token, final CharSequence requestPath, final InetAddress clientIp, final Instant now)
    {
        Objects.requireNonNull(requestPath, "requestPath");
        Objects.requireNonNull(now, "now");

        if (null == token || 0 == token.length() || token.length() > UrlToken.MAX_LENGTH)
        {
            return TokenVerdict.MALFORMED;
        }

        // dots[i] is the index of the separator after field i.
        final Scratch buffers = scratch.get();
        final int length = token.length();
        final int[] dots = buffers.separators;
        int dotCount = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = token.charAt(i);
            if (UrlToken.SEPARATOR == c)
            {
                if (dotCount == dots.length)
                {
                    return versionVerdict(token, firstDot(dots, dotCount, length), TokenVerdict.MALFORMED);
                }
                dots[dotCount++] = i;
            }
            else if (!Base64Url.isAlphabet(c))
            {
                return TokenVerdict.MALFORMED;
            }
        }

        if (dotCount != dots.length)
        {
            return versionVerdict(token, firstDot(dots, dotCount, length), TokenVerdict.MALFORMED);
        }

        final TokenVerdict versionVerdict = versionVerdict(token, dots[0], null);
        if (null != versionVerdict)
        {
            return versionVerdict;
        }

        final int keyIdStart = dots[0] + 1;
        final int keyIdEnd = dots[1];
        if (!SigningKey.isKeyId(token, keyIdStart, keyIdEnd))
        {
            return TokenVerdict.MALFORMED;
        }

        final long expiry = parseExpiry(token, dots[1] + 1, dots[2]);
        if (expiry < 0)
        {
            return TokenVerdict.MALFORMED;
        }

        final int prefixStart = dots[2] + 1;
        final int prefixEnd = dots[3];
        final int prefixLength = prefixEnd - prefixStart;
        if (0 == prefixLength || prefixLength > MAX_PREFIX_ENCODED_LENGTH ||
            !Base64Url.isCanonical(token, prefixStart, prefixEnd))
        {
            return TokenVerdict.MALFORMED;
        }

        final int ipStart = dots[3] + 1;
        final int ipEnd = dots[4];
        final int ipLength = ipEnd - ipStart;
        if (0 != ipLength && ((IPV4_ENCODED_LENGTH != ipLength && IPV6_ENCODED_LENGTH != ipLength) ||
            !Base64Url.isCanonical(token, ipStart, ipEnd)))
        {
            return TokenVerdict.MALFORMED;
        }

        final int macStart = dots[4] + 1;
        if (length - macStart != UrlToken.MAC_ENCODED_LENGTH)
        {
            return TokenVerdict.MALFORMED;
        }

        final SigningKey key = keyRing.find(token, keyIdStart, keyIdEnd);
        if (null == key)
        {
            return TokenVerdict.UNKNOWN_KEY;
        }

        if (!isSignatureValid(key, token, dots[4], buffers))
        {
            return TokenVerdict.BAD_SIGNATURE;
        }

        if (now.getEpochSecond() - clockSkewGraceSeconds >= expiry)
        {
            return TokenVerdict.EXPIRED;
        }

        final int prefixByteCount = Base64Url.decode(token, prefixStart, prefixEnd, buffers.prefix);
        if (!covers(buffers.prefix, prefixByteCount, requestPath))
        {
            return TokenVerdict.WRONG_PREFIX;
        }

        if (0 != ipLength)
        {
            final int ipByteCount = Base64Url.decode(token, ipStart, ipEnd, buffers.clientIp);
            if (null == clientIp || !sameAddress(buffers.clientIp, ipByteCount, clientIp.getAddress()))
            {
                return TokenVerdict.WRONG_CLIENT_IP;
            }
        }

        return TokenVerdict.OK;
    }

    private static int firstDot(final int[] dots, final int dotCount, final int length)
    {
        return dotCount > 0 ? dots[0] : length;
    }

    /**
     * @return null when {@code token[0, versionEnd)} is {@link UrlToken#VERSION};
     * {@link TokenVerdict#UNSUPPORTED_VERSION} when it is another {@code v} followed by digits, so newer formats are
     * told apart from garbage even when their field layout differs; else {@code otherwise}.
     */
    private static TokenVerdict versionVerdict(
        final CharSequence token, final int versionEnd, final TokenVerdict otherwise)
    {
        final String version = UrlToken.VERSION;
        if (versionEnd == version.length() && version.charAt(0) == token.charAt(0) &&
            version.charAt(1) == token.charAt(1))
        {
            return otherwise;
        }

        if (versionEnd < 2 || versionEnd > 10 || 'v' != token.charAt(0))
        {
            return TokenVerdict.MALFORMED;
        }
        for (int i = 1; i < versionEnd; i++)
        {
            final char c = token.charAt(i);
            if (c < '0' || c > '9')
            {
                return TokenVerdict.MALFORMED;
            }
        }

        return TokenVerdict.UNSUPPORTED_VERSION;
    }

    /**
     * @return the expiry in Unix seconds, or -1 when not canonical decimal within a long.
     */
    private static long parseExpiry(final CharSequence token, final int start, final int end)
    {
        final int digits = end - start;
        if (digits < 1 || digits > MAX_EXPIRY_DIGITS || ('0' == token.charAt(start) && digits > 1))
        {
            return -1;
        }

        long value = 0;
        for (int i = start; i < end; i++)
        {
            final char c = token.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }

            final int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10)
            {
                return -1;
            }
            value = value * 10 + digit;
        }

        return value;
    }

    private static boolean isSignatureValid(
        final SigningKey key, final CharSequence token, final int signedLength, final Scratch buffers)
    {
        final byte[] signedText = buffers.signedText;
        for (int i = 0; i < signedLength; i++)
        {
            signedText[i] = (byte)token.charAt(i);
        }

        final byte[] presentedMac = buffers.presentedMac;
        for (int i = 0, macStart = signedLength + 1; i < UrlToken.MAC_ENCODED_LENGTH; i++)
        {
            presentedMac[i] = (byte)token.charAt(macStart + i);
        }

        final Mac mac = key.mac();
        mac.update(signedText, 0, signedLength);
        try
        {
            mac.doFinal(buffers.mac, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException("HMAC-SHA256 output larger than " + SigningKey.MAC_LENGTH + " bytes", ex);
        }

        ENCODER.encode(buffers.mac, buffers.expectedMac);

        // Compare canonical encodings: a presented MAC with non-zero unused bits in its last character never matches.
        return MessageDigest.isEqual(buffers.expectedMac, presentedMac);
    }

    private static boolean covers(final byte[] prefix, final int prefixLength, final CharSequence path)
    {
        final int pathLength = path.length();
        if (pathLength < prefixLength)
        {
            return false;
        }
        if (pathLength > prefixLength && '/' != prefix[prefixLength - 1])
        {
            return false;
        }

        for (int i = 0; i < prefixLength; i++)
        {
            if (prefix[i] != path.charAt(i))
            {
                return false;
            }
        }

        return UrlToken.isNormalisedPath(path);
    }

    private static boolean sameAddress(final byte[] signed, final int signedLength, final byte[] client)
    {
        if (signedLength != client.length)
        {
            return false;
        }

        for (int i = 0; i < signedLength; i++)
        {
            if (signed[i] != client[i])
            {
                return false;
            }
        }

        return true;
    }
}
