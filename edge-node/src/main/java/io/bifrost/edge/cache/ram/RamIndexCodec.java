package io.bifrost.edge.cache.ram;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The persisted form of a {@link RamEntry} (the Chronicle Map value): a version byte, fixed fields, the page list
 * as runs of consecutive pages (allocations are mostly sequential, so a 1 MiB object is usually one or two runs),
 * then the header strings. Decoding validates every length, so a damaged index entry is dropped, never trusted.
 */
final class RamIndexCodec
{
    static final byte VERSION = 1;
    private static final int MAX_STRING = 1024;

    private RamIndexCodec()
    {
    }

    static byte[] encode(final RamEntry entry)
    {
        final byte[][] strings = {
            bytes(entry.contentType), bytes(entry.etag), bytes(entry.cacheControl), bytes(entry.lastModified)};
        int runs = 0;
        for (int i = 0; i < entry.pages.length; i++)
        {
            if (i == 0 || entry.pages[i] != entry.pages[i - 1] + 1)
            {
                runs++;
            }
        }
        int size = 1 + 4 + 2 + 8 + 8 + 4 + 4 + runs * 8;
        for (final byte[] string : strings)
        {
            size += 2 + string.length;
        }
        final ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).putInt(entry.length).putShort((short)entry.status).putLong(entry.storedAtMs)
            .putLong(entry.expiresAtMs).putInt(entry.crc32c).putInt(runs);
        for (int i = 0; i < entry.pages.length; )
        {
            int j = i + 1;
            while (j < entry.pages.length && entry.pages[j] == entry.pages[j - 1] + 1)
            {
                j++;
            }
            out.putInt(entry.pages[i]).putInt(j - i);
            i = j;
        }
        for (final byte[] string : strings)
        {
            out.putShort((short)string.length).put(string);
        }
        return out.array();
    }

    /**
     * @param path     the key.
     * @param value    the persisted bytes.
     * @param pageBytes the slab page size, to check the page count against the length.
     * @return the entry (not yet verified against its checksum), or null when the bytes are not a valid entry.
     */
    static RamEntry decode(final String path, final byte[] value, final int pageBytes)
    {
        try
        {
            final ByteBuffer in = ByteBuffer.wrap(value);
            if (in.get() != VERSION)
            {
                return null;
            }
            final int length = in.getInt();
            final int status = in.getShort();
            final long storedAt = in.getLong();
            final long expiresAt = in.getLong();
            final int crc = in.getInt();
            final int runs = in.getInt();
            final long expectedPages = (length + (long)pageBytes - 1) / pageBytes;
            if (length < 0 || runs < 0 || runs > expectedPages || expectedPages > Integer.MAX_VALUE)
            {
                return null;
            }
            final int[] pages = new int[(int)expectedPages];
            int filled = 0;
            for (int r = 0; r < runs; r++)
            {
                final int start = in.getInt();
                final int count = in.getInt();
                if (start < 0 || count < 1 || count > pages.length - filled)
                {
                    return null;
                }
                for (int k = 0; k < count; k++)
                {
                    pages[filled++] = start + k;
                }
            }
            if (filled != pages.length)
            {
                return null;
            }
            final String contentType = string(in);
            final String etag = string(in);
            final String cacheControl = string(in);
            final String lastModified = string(in);
            return new RamEntry(io.bifrost.edge.cache.policy.ContentHints.objectId(path), path, pages, length, status, contentType, etag, cacheControl, lastModified,
                storedAt, expiresAt, crc, false);
        }
        catch (final RuntimeException malformed)
        {
            return null;
        }
    }

    private static byte[] bytes(final String value)
    {
        if (value == null)
        {
            return new byte[0];
        }
        final byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        return bytes.length > MAX_STRING ? java.util.Arrays.copyOf(bytes, MAX_STRING) : bytes;
    }

    private static String string(final ByteBuffer in)
    {
        final int length = in.getShort();
        if (length < 0 || length > MAX_STRING)
        {
            throw new IllegalArgumentException("bad string length");
        }
        if (length == 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
