package io.bifrost.origin.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One stored piece of content (segment, init, thumbnail, manifest) as read from the {@link OriginStore}: the payload
 * with the validators HTTP needs. The stored value is a 17-byte header (format version, last-modified time in epoch
 * milliseconds, the first 8 bytes of the payload's SHA-256) followed by the payload, so one RocksDB read answers a
 * request with its ETag and Last-Modified and nothing is hashed per request.
 *
 * <p>Immutable by convention: the backing array is owned by this object and must not be written.
 *
 * @param value          the stored value (header + payload).
 * @param lastModifiedMs when the payload was written, epoch milliseconds.
 * @param etag           strong entity tag, quoted ({@code "0123456789abcdef"}).
 */
public record StoredObject(byte[] value, long lastModifiedMs, String etag)
{
    /** Bytes before the payload. */
    static final int HEADER_BYTES = 17;
    private static final byte FORMAT_VERSION = 1;

    /**
     * @return the offset of the payload in {@link #value()}.
     */
    public int payloadOffset()
    {
        return HEADER_BYTES;
    }

    /**
     * @return payload length in bytes.
     */
    public int payloadLength()
    {
        return value.length - HEADER_BYTES;
    }

    /**
     * @return a copy of the payload (tests and small manifests).
     */
    public byte[] payload()
    {
        final byte[] copy = new byte[payloadLength()];
        System.arraycopy(value, HEADER_BYTES, copy, 0, copy.length);
        return copy;
    }

    /**
     * @param payload        the content.
     * @param lastModifiedMs epoch milliseconds.
     * @return the value to store.
     */
    static byte[] encode(final byte[] payload, final long lastModifiedMs)
    {
        final ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        value.put(FORMAT_VERSION).putLong(lastModifiedMs).putLong(digest(payload)).put(payload);
        return value.array();
    }

    /**
     * @param value a stored value.
     * @return the object.
     * @throws IllegalStateException when the value is not in this format (a corrupt or foreign store).
     */
    static StoredObject decode(final byte[] value)
    {
        if (value.length < HEADER_BYTES || value[0] != FORMAT_VERSION)
        {
            throw new IllegalStateException("stored value is not in format version " + FORMAT_VERSION);
        }
        final ByteBuffer header = ByteBuffer.wrap(value, 1, HEADER_BYTES - 1);
        final long lastModified = header.getLong();
        final long hash = header.getLong();
        return new StoredObject(value, lastModified, '"' + HexFormat.of().toHexDigits(hash) + '"');
    }

    private static long digest(final byte[] payload)
    {
        try
        {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(payload)).getLong();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
