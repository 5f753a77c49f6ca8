package io.bifrost.edge.live;

import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.concurrent.TimeUnit;

/**
 * One distinct answer of a wake batch ({@link LiveWakeBatch}): one reference to the store's buffer for the batch's
 * lifetime, handed to each viewer as its own {@link LiveHit} over a retained duplicate, as a full response whose headers
 * are built once (on first use) and shared by every viewer of the batch, or as the complete response encoded once (on
 * first use) into one buffer that every HTTP/1.1 viewer of the batch writes a duplicate of ({@link SharedLiveReply}).
 * It also carries its viewers' delivery timing ({@link ChunkDelivery} records it once per chunk of a loop's batch): only
 * immutable fields for that, so a write listener called after the batch released the buffers reads nothing freed.
 */
final class SharedAnswer
{
    private final ByteBuf source;
    private final ByteBuf body;
    private final String contentType;
    private final String cacheControl;
    private final Timer delivery;
    private final long arrivedNs;
    private HttpHeaders headers;
    private ByteBuf encoded;

    SharedAnswer(
        final ByteBuf source, final String contentType, final String cacheControl, final Timer delivery,
        final long arrivedNs)
    {
        this.source = source;
        this.body = source.retainedDuplicate();
        this.contentType = contentType;
        this.cacheControl = cacheControl;
        this.delivery = delivery;
        this.arrivedNs = arrivedNs;
    }

    boolean sameAs(
        final ByteBuf other, final String otherType, final String otherCacheControl, final Timer otherDelivery,
        final long otherArrivedNs)
    {
        return source == other && contentType.equals(otherType) && cacheControl.equals(otherCacheControl) &&
            delivery == otherDelivery && arrivedNs == otherArrivedNs;
    }

    /**
     * @return true when both answers record into the same timer from the same arrival (one sample covers both).
     */
    boolean sameTiming(final SharedAnswer other)
    {
        return delivery == other.delivery && arrivedNs == other.arrivedNs;
    }

    /**
     * Record one delivery sample: from the arrival to now. Reads only immutable fields (safe after {@link #release}).
     */
    void delivered()
    {
        delivery.record(System.nanoTime() - arrivedNs, TimeUnit.NANOSECONDS);
    }

    FullHttpResponse response()
    {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body.retainedDuplicate(),
            headers(), EmptyHttpHeaders.INSTANCE);
    }

    /**
     * @return the complete encoded response, owned by this answer (callers write retained duplicates of it).
     */
    ByteBuf encoded(final ByteBufAllocator allocator)
    {
        if (encoded == null)
        {
            encoded = LiveResponseHeaders.encode(headers(), body, allocator);
        }
        return encoded;
    }

    int length()
    {
        return body.readableBytes();
    }

    private HttpHeaders headers()
    {
        if (headers == null)
        {
            headers = LiveResponseHeaders.of(contentType, cacheControl, body.readableBytes());
        }
        return headers;
    }

    LiveHit share()
    {
        return new LiveHit(body.retainedDuplicate(), contentType, cacheControl);
    }

    void release()
    {
        body.release();
        if (encoded != null)
        {
            encoded.release();
            encoded = null;
        }
    }
}
