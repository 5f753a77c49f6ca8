package io.bifrost.origin.upload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

/** Upload bodies for tests: bytes that start like an MP4 (an {@code ftyp} box), then pseudo-random bytes. */
final class TestPayloads
{
    private TestPayloads()
    {
    }

    static byte[] mp4Like(final int size, final long seed)
    {
        final byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        final byte[] ftyp = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
            'i', 's', 'o', 'm', 'i', 's', 'o', '2'};
        System.arraycopy(ftyp, 0, bytes, 0, Math.min(size, ftyp.length));
        return bytes;
    }

    static byte[] text(final int size)
    {
        final byte[] line = "This is a plain text file, not a video.\n".getBytes(StandardCharsets.US_ASCII);
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = line[i % line.length];
        }
        return bytes;
    }

    static String digestBase64(final String algorithm, final byte[] bytes, final int from, final int to)
    {
        final MessageDigest digest = digest(algorithm);
        digest.update(bytes, from, to - from);
        return Base64.getEncoder().encodeToString(digest.digest());
    }

    static String sha256Hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
    }

    private static MessageDigest digest(final String algorithm)
    {
        try
        {
            return MessageDigest.getInstance(algorithm);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
