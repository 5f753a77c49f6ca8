package io.bifrost.protocol.signing;

import java.util.Arrays;

/**
 * Strict decoding of unpadded base64url (RFC 4648 section 5) straight from a region of a {@link CharSequence}, with
 * no allocation. Strict means canonical: the unused low bits of the last character must be zero, so every byte string
 * has exactly one accepted encoding (the JDK decoder ignores those bits). Encoding uses {@link java.util.Base64}.
 */
final class Base64Url
{
    private static final byte[] VALUES = new byte[128];

    static
    {
        Arrays.fill(VALUES, (byte)-1);
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++)
        {
            VALUES[alphabet.charAt(i)] = (byte)i;
        }
    }

    private Base64Url()
    {
    }

    /**
     * @param encodedLength number of base64url characters.
     * @return number of bytes they decode to, or -1 when no unpadded encoding has that length.
     */
    static int decodedLength(final int encodedLength)
    {
        return 1 == (encodedLength & 3) ? -1 : (encodedLength * 3) >>> 2;
    }

    /**
     * @param c a character.
     * @return true when {@code c} is in the base64url alphabet.
     */
    static boolean isAlphabet(final char c)
    {
        return c < 128 && VALUES[c] >= 0;
    }

    /**
     * @return true when {@code s[start, end)} is the canonical unpadded base64url encoding of some bytes.
     */
    static boolean isCanonical(final CharSequence s, final int start, final int end)
    {
        final int length = end - start;
        if (length < 0 || -1 == decodedLength(length))
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            if (!isAlphabet(s.charAt(i)))
            {
                return false;
            }
        }

        final int remainder = length & 3;
        if (0 == remainder)
        {
            return true;
        }

        final int last = VALUES[s.charAt(end - 1)];
        return 0 == (last & (2 == remainder ? 0x0F : 0x03));
    }

    /**
     * Decode a region already checked by {@link #isCanonical}.
     *
     * @return the number of bytes written to {@code dst}, {@link #decodedLength} of the region's length.
     */
    static int decode(final CharSequence s, final int start, final int end, final byte[] dst)
    {
        int bits = 0;
        int bitCount = 0;
        int out = 0;
        for (int i = start; i < end; i++)
        {
            bits = ((bits << 6) | VALUES[s.charAt(i)]) & 0xFFFF;
            bitCount += 6;
            if (bitCount >= 8)
            {
                bitCount -= 8;
                dst[out++] = (byte)(bits >>> bitCount);
            }
        }

        return out;
    }
}
