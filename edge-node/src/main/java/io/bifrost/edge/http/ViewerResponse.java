package io.bifrost.edge.http;

import io.bifrost.edge.cache.CacheHit;
import io.bifrost.edge.cache.CacheTierName;
import io.bifrost.edge.fill.FillFailure;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.edge.fill.FillListener;
import io.bifrost.protocol.http.ByteRange;
import io.bifrost.protocol.naming.ContentKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Answers one viewer request from an origin fill as the bytes arrive: the head as soon as the origin's head is known,
 * then each chunk, trimmed to the requested byte range. HEAD requests and {@code If-None-Match} hits end after the
 * head. Callbacks come from the fill's thread; writes go through the thread-safe {@link Channel} API and the end of
 * the response is signalled on the viewer's event loop, in order after the writes.
 */
final class ViewerResponse implements FillListener
{
    /** RFC 9211 header saying how the edge's cache handled the request. */
    static final String CACHE_STATUS = "Cache-Status";

    private final Channel channel;
    private final ContentKey key;
    private final boolean headOnly;
    private final String rangeHeader;
    private final String ifNoneMatch;
    private final EdgeRequestHandler owner;
    private long position;
    private long sendFirst;
    private long sendLast = Long.MAX_VALUE;
    private boolean sentHead;
    private boolean finished;
    private EdgeRequestHandler.Outcome completeOutcome = EdgeRequestHandler.Outcome.FILLED;
    private Runnable afterLastWrite = () -> { };
    private CacheTierName tier = CacheTierName.ORIGIN;
    private long bytesSent;
    private long headNanos;
    /** True while a hit is written: the whole answer goes out with one flush (a fill flushes every chunk). */
    private boolean oneFlush;

    ViewerResponse(
        final Channel channel,
        final ContentKey key,
        final boolean headOnly,
        final String rangeHeader,
        final String ifNoneMatch,
        final EdgeRequestHandler owner)
    {
        this.channel = channel;
        this.key = key;
        this.headOnly = headOnly;
        this.rangeHeader = rangeHeader;
        this.ifNoneMatch = ifNoneMatch;
        this.owner = owner;
    }

    /**
     * Answer from a cache hit (RAM or SSD): the same head, range and conditional rules as a fill, with the body written
     * from the tier's memory (for RAM, straight from the slab mapping). The hit is released when the last write has
     * completed (or failed).
     *
     * @param hit   the hit; this response owns its reference from now on.
     * @param nowMs current time, for the Age header.
     */
    void serveHit(final CacheHit hit, final long nowMs)
    {
        serveHit(hit, nowMs, false);
    }

    /**
     * The same request again, for a second answer after a fill failed before sending anything (stale-if-error).
     *
     * @return a fresh response for the same request.
     */
    ViewerResponse retry()
    {
        return new ViewerResponse(channel, key, headOnly, rangeHeader, ifNoneMatch, owner);
    }

    /**
     * @return true for a GET of the whole body (no HEAD, no Range): the shared form of a live answer fits it as is.
     */
    boolean isPlainGet()
    {
        return !headOnly && rangeHeader == null;
    }

    /**
     * @return true for a GET of the whole body with no If-None-Match: a RAM hit answers it with 200 and the whole
     *         object every time, so its head can be encoded once per object.
     */
    boolean isPlainUnconditionalGet()
    {
        return isPlainGet() && ifNoneMatch == null;
    }

    String path()
    {
        return key.path();
    }

    ContentKey key()
    {
        return key;
    }

    /**
     * @return where the body came from; read on the owner's event loop after the response is done.
     */
    CacheTierName tier()
    {
        return tier;
    }

    /**
     * @return {@link System#nanoTime()} when the response head was handed to the channel, 0 when none was; read on the
     *         owner's event loop after the response is done.
     */
    long headNanos()
    {
        return headNanos;
    }

    /**
     * @return body bytes written so far; read on the owner's event loop after the response is done.
     */
    long bytesSent()
    {
        return bytesSent;
    }

    /**
     * @param stale true when the origin failed and this expired copy stands in (RFC 5861 stale-if-error); the
     *              response says so in {@code Cache-Status} (RFC 9211).
     */
    void serveHit(final CacheHit hit, final long nowMs, final boolean stale)
    {
        final HttpHeaders headers = new DefaultHttpHeaders();
        tier = hit.tier();
        headers.set(CACHE_STATUS, cacheStatus(tier, stale));
        setIfPresent(headers, HttpHeaderNames.CONTENT_TYPE, hit.contentType());
        setIfPresent(headers, HttpHeaderNames.ETAG, hit.etag());
        setIfPresent(headers, HttpHeaderNames.CACHE_CONTROL, hit.cacheControl());
        setIfPresent(headers, HttpHeaderNames.LAST_MODIFIED, hit.lastModified());
        headers.set(HttpHeaderNames.AGE, hit.ageSeconds(nowMs));
        completeOutcome = stale ? EdgeRequestHandler.Outcome.STALE : EdgeRequestHandler.Outcome.HIT;
        onHead(new FillHead(hit.status(), headers, hit.length()));
        if (finished)
        {
            hit.release();
            return;
        }
        afterLastWrite = hit::release;
        final ByteBuf content = hit.content();
        oneFlush = true;
        try
        {
            onContent(content);
        }
        finally
        {
            content.release();
        }
        onComplete();
        oneFlush = false;
    }

    /**
     * @return the RFC 9211 Cache-Status of a hit: which tier (RAM unnamed, {@code detail=ssd}), and for an expired copy
     *         standing in for a failing origin {@code fwd=stale} with the tier in the detail.
     */
    static String cacheStatus(final CacheTierName tier, final boolean stale)
    {
        if (stale)
        {
            return tier == CacheTierName.SSD ? "bifrost; hit; fwd=stale; detail=ssd-origin-unavailable" :
                "bifrost; hit; fwd=stale; detail=origin-unavailable";
        }
        return tier == CacheTierName.SSD ? "bifrost; hit; detail=ssd" : "bifrost; hit";
    }

    private static void setIfPresent(final HttpHeaders headers, final CharSequence name, final String value)
    {
        if (value != null)
        {
            headers.set(name, value);
        }
    }

    @Override
    public void onHead(final FillHead head)
    {
        if (finished)
        {
            return;
        }
        final HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(head.status()));
        final HttpHeaders headers = response.headers();
        headers.add(head.headers());
        if (!headers.contains(CACHE_STATUS))
        {
            headers.set(CACHE_STATUS, "bifrost; fwd=miss");
        }
        if (!headers.contains(HttpHeaderNames.CONTENT_TYPE))
        {
            headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(key));
        }
        Cors.apply(headers);
        sentHead = true;
        headNanos = System.nanoTime();

        final String etag = head.headers().get(HttpHeaderNames.ETAG);
        if (head.status() == 200 && etag != null && ifNoneMatch != null && EntityTags.matches(ifNoneMatch, etag))
        {
            response.setStatus(HttpResponseStatus.NOT_MODIFIED);
            headers.remove(HttpHeaderNames.CONTENT_TYPE);
            writeHeadAndEnd(response, EdgeRequestHandler.Outcome.NOT_MODIFIED);
            return;
        }
        final long length = head.contentLength();
        if (head.status() == 200 && length >= 0)
        {
            headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            final ByteRange range = ByteRange.resolve(rangeHeader, length);
            if (range == ByteRange.UNSATISFIABLE)
            {
                response.setStatus(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
                headers.remove(HttpHeaderNames.CONTENT_TYPE);
                HttpUtil.setContentLength(response, 0);
                writeHeadAndEnd(response, EdgeRequestHandler.Outcome.RANGE_NOT_SATISFIABLE);
                return;
            }
            if (range != ByteRange.WHOLE)
            {
                response.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
                headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + length);
                sendFirst = range.first();
                sendLast = range.last();
                HttpUtil.setContentLength(response, range.length());
            }
            else
            {
                HttpUtil.setContentLength(response, length);
            }
        }
        else if (length >= 0)
        {
            HttpUtil.setContentLength(response, length);
        }
        else
        {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        if (headOnly)
        {
            writeHeadAndEnd(response, EdgeRequestHandler.Outcome.HEAD);
            return;
        }
        channel.write(response);
    }

    @Override
    public void onContent(final ByteBuf chunk)
    {
        if (finished)
        {
            return;
        }
        final long chunkFirst = position;
        final long chunkLast = position + chunk.readableBytes() - 1;
        position += chunk.readableBytes();
        final long from = Math.max(chunkFirst, sendFirst);
        final long to = Math.min(chunkLast, sendLast);
        if (from <= to)
        {
            final int offset = chunk.readerIndex() + (int)(from - chunkFirst);
            bytesSent += to - from + 1;
            final DefaultHttpContent content = new DefaultHttpContent(chunk.retainedSlice(offset, (int)(to - from + 1)));
            if (oneFlush)
            {
                channel.write(content, channel.voidPromise());
            }
            else
            {
                channel.writeAndFlush(content);
            }
        }
    }

    @Override
    public void onComplete()
    {
        if (finished)
        {
            return;
        }
        finished = true;
        final Runnable release = afterLastWrite;
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(written -> release.run());
        owner.responseDone(this, sendFirst > 0 || sendLast != Long.MAX_VALUE ?
            EdgeRequestHandler.Outcome.PARTIAL : completeOutcome, true);
    }

    @Override
    public void onError(final FillFailure failure)
    {
        if (finished)
        {
            return;
        }
        finished = true;
        if (sentHead)
        {
            owner.responseDone(this, EdgeRequestHandler.Outcome.ABORTED, false);
            return;
        }
        owner.sendError(this, HttpResponseStatus.valueOf(failure.reason().status()), failure.reason().code(),
            failure.detail(), EdgeRequestHandler.Outcome.ORIGIN_ERROR);
    }

    private void writeHeadAndEnd(final HttpResponse response, final EdgeRequestHandler.Outcome outcome)
    {
        finished = true;
        channel.write(response);
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        owner.responseDone(this, outcome, true);
    }
}
