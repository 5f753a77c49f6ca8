package io.bifrost.edge.http;

import io.bifrost.edge.cache.ram.RamHit;
import io.bifrost.protocol.naming.ContentKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.1 head of a plain GET answered from the RAM tier, encoded once per cached object and written without the
 * HTTP codec (issue #3: per-request header maps, response objects and header strings made the 2 KiB playlist's
 * garbage, hence its young collections and p99).
 *
 * <p>The bytes are exactly what {@link ViewerResponse} sends through the codec for the same hit, header for header and
 * in the same order: {@code Cache-Status}, Content-Type (the origin's, else by content kind), ETag, Cache-Control,
 * Last-Modified, Age, the CORS headers, {@code accept-ranges} and Content-Length. Only {@code Age} changes from one
 * request to the next, so the head is kept as the bytes before and after its value; an object's metadata never
 * changes (a replacement is a new RAM entry), so the encoded form lives as long as the entry. Immutable.
 */
final class EncodedHitHead
{
    /** Digits of the longest long: the Age value's room in the buffer. */
    private static final int MAX_AGE_DIGITS = 20;

    private final byte[] beforeAge;
    private final byte[] afterAge;

    private EncodedHitHead(final byte[] beforeAge, final byte[] afterAge)
    {
        this.beforeAge = beforeAge;
        this.afterAge = afterAge;
    }

    /**
     * @param hit a RAM hit with status 200.
     * @param key the request's content key (Content-Type when the origin sent none).
     * @return the hit's encoded head, made on first use and then cached on the RAM entry.
     */
    static EncodedHitHead of(final RamHit hit, final ContentKey key)
    {
        if (hit.encodedHead() instanceof EncodedHitHead cached)
        {
            return cached;
        }
        final EncodedHitHead head = encode(hit, key);
        hit.encodedHead(head);
        return head;
    }

    private static EncodedHitHead encode(final RamHit hit, final ContentKey key)
    {
        final StringBuilder before = new StringBuilder(256)
            .append("HTTP/1.1 200 OK\r\n")
            .append(ViewerResponse.CACHE_STATUS).append(": ").append(ViewerResponse.cacheStatus(hit.tier(), false))
            .append("\r\n");
        header(before, "content-type", hit.contentType() != null ? hit.contentType() : ContentTypes.of(key));
        header(before, "etag", hit.etag());
        header(before, "cache-control", hit.cacheControl());
        header(before, "last-modified", hit.lastModified());
        before.append("age: ");
        final StringBuilder after = new StringBuilder(192).append("\r\n");
        header(after, "access-control-allow-origin", "*");
        header(after, "access-control-expose-headers", Cors.EXPOSED_HEADERS);
        header(after, "accept-ranges", "bytes");
        header(after, "content-length", Integer.toString(hit.length()));
        after.append("\r\n");
        return new EncodedHitHead(
            before.toString().getBytes(StandardCharsets.US_ASCII), after.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void header(final StringBuilder head, final String name, final String value)
    {
        if (value != null)
        {
            head.append(name).append(": ").append(value).append("\r\n");
        }
    }

    /**
     * @param allocator  the channel's allocator (pooled).
     * @param ageSeconds the Age value.
     * @return the complete head in a new buffer the caller owns.
     */
    ByteBuf write(final ByteBufAllocator allocator, final long ageSeconds)
    {
        final ByteBuf out = allocator.directBuffer(beforeAge.length + MAX_AGE_DIGITS + afterAge.length);
        out.writeBytes(beforeAge);
        writeDecimal(out, ageSeconds);
        out.writeBytes(afterAge);
        return out;
    }

    private static void writeDecimal(final ByteBuf out, final long value)
    {
        final int digits = digits(value);
        final int end = out.writerIndex() + digits;
        long rest = value;
        for (int i = end - 1; i >= end - digits; i--)
        {
            out.setByte(i, '0' + (int)(rest % 10));
            rest /= 10;
        }
        out.writerIndex(end);
    }

    private static int digits(final long value)
    {
        int digits = 1;
        long rest = value;
        while (rest >= 10)
        {
            rest /= 10;
            digits++;
        }
        return digits;
    }
}
