package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;

/**
 * The headers of a 200 answer from the live window, the same as a RAM hit gets from the edge's HTTP path
 * ({@code Cache-Status: bifrost; hit}, Content-Type, Cache-Control, {@code Age: 0}, {@code Accept-Ranges}, CORS,
 * Content-Length), built once per shared answer with every value as an {@link AsciiString} so that encoding them for
 * each viewer is a copy; or {@link #encode encoded} once, with the body, into the complete HTTP/1.1 response bytes.
 */
final class LiveResponseHeaders
{
    /** RFC 9211 header saying how the edge's cache handled the request. */
    static final AsciiString CACHE_STATUS = AsciiString.cached("Cache-Status");
    static final AsciiString HIT = AsciiString.cached("bifrost; hit");
    static final AsciiString AGE_ZERO = AsciiString.cached("0");
    static final AsciiString ANY_ORIGIN = AsciiString.cached("*");
    /** The headers players may read cross-origin (the edge's CORS rule). */
    static final AsciiString EXPOSED_HEADERS = AsciiString.cached("Content-Length, Content-Range, ETag, Last-Modified, Age");
    /** Bodies up to this size are copied behind the encoded head (one contiguous write); larger ones are shared. */
    static final int COPY_BODY_MAX_BYTES = 1 << 20;

    /** RFC 9112 section 4: the status line of every encoded answer, as Netty's HttpResponseEncoder writes it. */
    private static final byte[] STATUS_LINE_200 = "HTTP/1.1 200 OK\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final short COLON_SPACE = (short)((':' << 8) | ' ');
    private static final short CRLF = (short)(('\r' << 8) | '\n');

    private LiveResponseHeaders()
    {
    }

    /**
     * @return new headers, not to be modified once shared.
     */
    static HttpHeaders of(final String contentType, final String cacheControl, final int contentLength)
    {
        return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
            .add(CACHE_STATUS, HIT)
            .add(HttpHeaderNames.CONTENT_TYPE, new AsciiString(contentType))
            .add(HttpHeaderNames.CACHE_CONTROL, new AsciiString(cacheControl))
            .add(HttpHeaderNames.AGE, AGE_ZERO)
            .add(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN)
            .add(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS)
            .add(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
            .add(HttpHeaderNames.CONTENT_LENGTH, AsciiString.of(Integer.toString(contentLength)));
    }

    /**
     * @return new headers of a 200 answer whose length is not known yet (a segment sent part by part as it is
     *         produced, {@link ChunkedLiveReply}): no Content-Length, no Accept-Ranges, chunked transfer coding.
     */
    static HttpHeaders chunked(final String contentType, final String cacheControl)
    {
        return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
            .add(CACHE_STATUS, HIT)
            .add(HttpHeaderNames.CONTENT_TYPE, new AsciiString(contentType))
            .add(HttpHeaderNames.CACHE_CONTROL, new AsciiString(cacheControl))
            .add(HttpHeaderNames.AGE, AGE_ZERO)
            .add(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY_ORIGIN)
            .add(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS)
            .add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }

    /**
     * The complete HTTP/1.1 200 response (status line, these headers in order, the blank line, the body) as one buffer,
     * byte for byte what Netty's {@code HttpResponseEncoder} writes for the same response, so that it can be written
     * below the codec to every viewer of a wake. The body is copied behind the head up to {@link #COPY_BODY_MAX_BYTES},
     * otherwise referenced (a composite of the head and a retained duplicate of the body).
     *
     * @param headers   the response headers, values ASCII (not modified).
     * @param body      the content; not released, its reader index not moved.
     * @param allocator where the buffer comes from.
     * @return a new buffer the caller owns.
     */
    static ByteBuf encode(final HttpHeaders headers, final ByteBuf body, final ByteBufAllocator allocator)
    {
        int headLength = STATUS_LINE_200.length + 2;
        for (final Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); )
        {
            final Map.Entry<CharSequence, CharSequence> header = it.next();
            headLength += header.getKey().length() + header.getValue().length() + 4;
        }
        final int bodyLength = body.readableBytes();
        final boolean copyBody = bodyLength <= COPY_BODY_MAX_BYTES;
        final ByteBuf head = allocator.directBuffer(headLength + (copyBody ? bodyLength : 0));
        try
        {
            head.writeBytes(STATUS_LINE_200);
            for (final Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); )
            {
                final Map.Entry<CharSequence, CharSequence> header = it.next();
                writeAscii(head, header.getKey());
                head.writeShort(COLON_SPACE);
                writeAscii(head, header.getValue());
                head.writeShort(CRLF);
            }
            head.writeShort(CRLF);
            if (copyBody)
            {
                return head.writeBytes(body, body.readerIndex(), bodyLength);
            }
            final CompositeByteBuf whole = allocator.compositeDirectBuffer(2);
            whole.addComponents(true, head, body.retainedDuplicate());
            return whole;
        }
        catch (final RuntimeException e)
        {
            head.release();
            throw e;
        }
    }

    private static void writeAscii(final ByteBuf out, final CharSequence text)
    {
        if (text instanceof AsciiString ascii)
        {
            ByteBufUtil.copy(ascii, 0, out, ascii.length());
        }
        else
        {
            ByteBufUtil.writeAscii(out, text);
        }
    }
}
