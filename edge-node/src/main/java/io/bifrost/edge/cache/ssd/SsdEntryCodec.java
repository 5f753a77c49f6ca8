package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.ContentHints;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The persisted form of an {@link SsdEntry} (a small RocksDB value under the object's id, read back at start-up to
 * rebuild the index and the byte accounting without touching the bodies, and on every hit for the headers): a
 * version byte, length, status, fill time, expiry, then five length-prefixed strings: the path (the id is a hash of
 * it, so a read checks it is the object asked for), Content-Type, ETag, Cache-Control, Last-Modified. Decoding checks
 * every length, the exact total and that the path hashes to the id, so damaged bytes are dropped, never trusted.
 * Stateless and thread-safe.
 */
final class SsdEntryCodec
{
    static final byte VERSION = 2;
    /** Longest header value kept; longer ones are cut (no origin sends such values for media). */
    static final int MAX_STRING = 1024;
    private static final int FIXED_BYTES = 1 + 4 + 2 + 8 + 8;

    private SsdEntryCodec()
    {
    }

    static byte[] encode(final String path, final int length, final ResponseMeta meta)
    {
        final byte[][] strings = {bytes(path),
            bytes(meta.contentType()), bytes(meta.etag()), bytes(meta.cacheControl()), bytes(meta.lastModified())};
        int size = FIXED_BYTES;
        for (final byte[] string : strings)
        {
            size += 2 + string.length;
        }
        final ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).putInt(length).putShort((short)meta.status()).putLong(meta.storedAtMs())
            .putLong(meta.expiresAtMs());
        for (final byte[] string : strings)
        {
            out.putShort((short)string.length).put(string);
        }
        return out.array();
    }

    /**
     * @param id    the id the bytes were stored under.
     * @param value the persisted bytes.
     * @return the entry, or null when the bytes are not a valid record of an object with that id.
     */
    static SsdEntry decode(final long id, final byte[] value)
    {
        if (value == null || value.length < FIXED_BYTES + 8)
        {
            return null;
        }
        final ByteBuffer in = ByteBuffer.wrap(value);
        if (in.get() != VERSION)
        {
            return null;
        }
        final int length = in.getInt();
        final int status = in.getShort();
        final long storedAt = in.getLong();
        final long expiresAt = in.getLong();
        if (length < 0 || status < 100 || status > 599 || expiresAt < storedAt)
        {
            return null;
        }
        final String[] strings = new String[5];
        for (int i = 0; i < strings.length; i++)
        {
            if (in.remaining() < 2)
            {
                return null;
            }
            final int n = in.getShort() & 0xFFFF;
            if (n > MAX_STRING || n > in.remaining())
            {
                return null;
            }
            strings[i] = n == 0 ? null : new String(value, in.position(), n, StandardCharsets.ISO_8859_1);
            in.position(in.position() + n);
        }
        if (in.hasRemaining() || strings[0] == null || ContentHints.objectId(strings[0]) != id)
        {
            return null;
        }
        return new SsdEntry(id, strings[0], length,
            new ResponseMeta(status, strings[1], strings[2], strings[3], strings[4], storedAt, expiresAt));
    }

    private static byte[] bytes(final String value)
    {
        if (value == null)
        {
            return new byte[0];
        }
        final byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        return bytes.length > MAX_STRING ? Arrays.copyOf(bytes, MAX_STRING) : bytes;
    }
}
