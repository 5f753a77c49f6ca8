package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.ContentHints;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The persisted form of an {@link SsdEntry}'s metadata (a small RocksDB value, read back at start-up to rebuild the
 * index and the size accounting without touching the bodies): a version byte, length, status, fill time, expiry, then
 * four length-prefixed header strings (Content-Type, ETag, Cache-Control, Last-Modified). Decoding checks every
 * length and the exact total, so damaged bytes are dropped, never trusted. Stateless and thread-safe.
 */
final class SsdEntryCodec
{
    static final byte VERSION = 1;
    /** Longest header value kept; longer ones are cut (no origin sends such values for media). */
    static final int MAX_STRING = 1024;
    private static final int FIXED_BYTES = 1 + 4 + 2 + 8 + 8;

    private SsdEntryCodec()
    {
    }

    static byte[] encode(final int length, final ResponseMeta meta)
    {
        final byte[][] strings = {
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
     * @param path  the key the bytes were stored under.
     * @param value the persisted bytes.
     * @return the entry, or null when the bytes are not a valid record.
     */
    static SsdEntry decode(final String path, final byte[] value)
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
        final String[] strings = new String[4];
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
        if (in.hasRemaining())
        {
            return null;
        }
        return new SsdEntry(ContentHints.objectId(path), path, length,
            new ResponseMeta(status, strings[0], strings[1], strings[2], strings[3], storedAt, expiresAt));
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
