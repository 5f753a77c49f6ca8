package io.bifrost.origin.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * A parsed tus {@code Upload-Checksum} header (tus 1.0.0 "Checksum" extension): the algorithm and the expected digest
 * of the PATCH body it came with. Immutable.
 *
 * @param algorithm the algorithm.
 * @param expected  the digest the body must have.
 */
public record UploadChecksum(Algorithm algorithm, byte[] expected)
{
    /** The algorithms Bifrost verifies, in the order announced by {@code Tus-Checksum-Algorithm}. */
    public enum Algorithm
    {
        /** SHA-1, the one every tus server must support. */
        SHA1("sha1", "SHA-1", 20),
        /** MD5. */
        MD5("md5", "MD5", 16),
        /** SHA-256. */
        SHA256("sha256", "SHA-256", 32);

        private final String tusName;
        private final String jcaName;
        private final int digestLength;

        Algorithm(final String tusName, final String jcaName, final int digestLength)
        {
            this.tusName = tusName;
            this.jcaName = jcaName;
            this.digestLength = digestLength;
        }

        /**
         * @return the name on the wire, e.g. {@code sha1}.
         */
        public String tusName()
        {
            return tusName;
        }

        /**
         * @return a new digest for this algorithm.
         */
        public MessageDigest newDigest()
        {
            try
            {
                return MessageDigest.getInstance(jcaName);
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException(jcaName + " is required of every JDK", ex);
            }
        }
    }

    /** Value of {@code Tus-Checksum-Algorithm}. */
    public static final String SUPPORTED = "sha1,md5,sha256";

    /**
     * @param header {@code <algorithm> <base64 digest>}.
     * @return the checksum.
     * @throws UploadException 400 {@code tus.bad_checksum} when malformed or of an unsupported algorithm.
     */
    public static UploadChecksum parse(final String header) throws UploadException
    {
        final String value = header.strip();
        final int space = value.indexOf(' ');
        if (space <= 0 || value.length() > 128)
        {
            throw UploadException.badRequest("tus.bad_checksum", "Upload-Checksum must be '<algorithm> <base64 digest>'");
        }
        final String name = value.substring(0, space).toLowerCase(Locale.ROOT);
        Algorithm algorithm = null;
        for (final Algorithm candidate : Algorithm.values())
        {
            if (candidate.tusName.equals(name))
            {
                algorithm = candidate;
            }
        }
        if (algorithm == null)
        {
            throw UploadException.badRequest("tus.bad_checksum",
                "Upload-Checksum algorithm is not one of " + SUPPORTED);
        }
        final byte[] digest;
        try
        {
            digest = Base64.getDecoder().decode(value.substring(space + 1).strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw UploadException.badRequest("tus.bad_checksum", "Upload-Checksum digest is not base64");
        }
        if (digest.length != algorithm.digestLength)
        {
            throw UploadException.badRequest("tus.bad_checksum", "Upload-Checksum " + algorithm.tusName + " digest must be " +
                algorithm.digestLength + " bytes, got " + digest.length);
        }
        return new UploadChecksum(algorithm, digest);
    }

    /**
     * @param actual the digest of the bytes received.
     * @return true when it equals the expected digest (constant time).
     */
    public boolean matches(final byte[] actual)
    {
        return MessageDigest.isEqual(expected, actual);
    }
}
