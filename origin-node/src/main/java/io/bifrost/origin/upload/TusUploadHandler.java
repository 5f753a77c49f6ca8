package io.bifrost.origin.upload;

import io.bifrost.origin.upload.UploadRoutes.PatchStart;
import io.bifrost.origin.upload.UploadRoutes.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The upload service on one HTTP/1.1 connection, placed right after {@code HttpServerCodec}: requests under
 * {@code /api/v1/uploads/} and {@code POST /api/v1/videos/upload-url} are answered here, every other request and its
 * body pass down the pipeline untouched.
 *
 * <p>A PATCH body is never aggregated: each chunk goes to a {@link PatchWriter} as it arrives, and when the disk falls
 * behind the socket stops reading ({@code autoRead} off) until it catches up. Other bodies are tiny (JSON at most
 * {@link UploadUrlRequest#MAX_BODY_BYTES}) or ignored. A refused request whose body is still coming is answered at
 * once; its body is then skipped, or the connection closed when the body is large or unknown. While an answer is
 * pending, reading stops and pipelined messages wait (bounded).
 *
 * <p>Not sharable: one instance per channel ({@link TusUploads#newHandler()}); all state is confined to the event loop.
 */
public final class TusUploadHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(TusUploadHandler.class);
    private static final int MAX_QUEUED_MESSAGES = 64;
    private static final long MAX_SKIPPED_BODY_BYTES = 1 << 20;

    private enum Phase
    {
        /** Between requests. */
        IDLE,
        /** Forwarding a request that is not ours. */
        PASSTHROUGH,
        /** Reading (or skipping) a small body before answering. */
        BODY,
        /** Streaming a PATCH body to disk. */
        PATCH,
        /** Skipping the rest of a refused request's body (already answered). */
        SKIP,
        /** The request is complete; its answer is being prepared. */
        WAITING
    }

    private final TusUploads service;
    private final UploadRoutes routes;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.IDLE;
    private HttpRequest request;
    private Route route;
    private boolean keepAlive;
    private boolean requestComplete = true;
    private ByteBuf body;
    private PatchWriter writer;
    private long patchGeneration;
    private long lastContentNanos;
    private ScheduledFuture<?> idleCheck;

    TusUploadHandler(final TusUploads service, final UploadRoutes routes)
    {
        this.service = service;
        this.routes = routes;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (phase == Phase.WAITING)
        {
            if (queued.size() >= MAX_QUEUED_MESSAGES)
            {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            queued.add(msg);
            return;
        }
        if (msg instanceof HttpRequest httpRequest && phase == Phase.IDLE)
        {
            if (!UploadRoutes.handles(httpRequest.uri()))
            {
                phase = msg instanceof LastHttpContent ? Phase.IDLE : Phase.PASSTHROUGH;
                ctx.fireChannelRead(msg);
                return;
            }
            requestComplete = false;
            onRequest(httpRequest);
            if (msg instanceof HttpContent content)
            {
                onContent(content);
            }
            return;
        }
        if (msg instanceof HttpContent content && phase != Phase.PASSTHROUGH && phase != Phase.IDLE)
        {
            onContent(content);
            return;
        }
        if (phase == Phase.PASSTHROUGH && msg instanceof LastHttpContent)
        {
            phase = Phase.IDLE;
        }
        ctx.fireChannelRead(msg);
    }

    private void onRequest(final HttpRequest httpRequest)
    {
        request = httpRequest;
        keepAlive = HttpUtil.isKeepAlive(httpRequest);
        if (httpRequest.decoderResult().isFailure())
        {
            refuse(UploadException.badRequest("request.malformed", "the request could not be parsed"), true);
            return;
        }
        try
        {
            route = UploadRoutes.route(httpRequest);
            if (route.kind() == UploadRoutes.Kind.PATCH)
            {
                startPatch(routes.preparePatch(route, httpRequest));
                return;
            }
            if (HttpUtil.getContentLength(httpRequest, 0L) > UploadUrlRequest.MAX_BODY_BYTES)
            {
                throw new UploadException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request.too_large",
                    "the request body is larger than " + UploadUrlRequest.MAX_BODY_BYTES + " bytes");
            }
            phase = Phase.BODY;
            continueIfExpected();
        }
        catch (final UploadException ex)
        {
            refuse(ex, false);
        }
    }

    private void startPatch(final PatchStart start)
    {
        final long generation = ++patchGeneration;
        writer = new PatchWriter(service, start.upload(), start.offset(), start.checksum(), ctx.executor(),
            () -> ctx.channel().config().setAutoRead(false),
            () ->
            {
                if (phase == Phase.PATCH)
                {
                    ctx.channel().config().setAutoRead(true);
                }
            },
            new PatchWriter.Outcome()
            {
                @Override
                public void committed(final UploadState state)
                {
                    if (generation == patchGeneration && phase == Phase.WAITING)
                    {
                        final FullHttpResponse response = routes.responses().empty(HttpResponseStatus.NO_CONTENT);
                        response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                        UploadResponses.state(response.headers(), state);
                        response.headers().remove(TusProtocol.UPLOAD_LENGTH).remove(TusProtocol.UPLOAD_METADATA);
                        respond(response);
                    }
                }

                @Override
                public void refused(final UploadException refusal)
                {
                    if (generation == patchGeneration && (phase == Phase.PATCH || phase == Phase.WAITING))
                    {
                        writer = null;
                        refuse(refusal, phase == Phase.PATCH);
                    }
                }
            });
        phase = Phase.PATCH;
        lastContentNanos = System.nanoTime();
        scheduleIdleCheck(service.context().patchIdleTimeout().toNanos());
        continueIfExpected();
    }

    private void onContent(final HttpContent content)
    {
        final boolean last = content instanceof LastHttpContent;
        requestComplete |= last;
        switch (phase)
        {
            case PATCH ->
            {
                lastContentNanos = System.nanoTime();
                if (!writer.write(content.content()))
                {
                    writer.cancel();
                    writer = null;
                    refuse(new UploadException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "tus.too_large",
                        "the body runs past Upload-Length"), true);
                    return;
                }
                if (last)
                {
                    writer.finish();
                    awaitAnswer();
                }
            }
            case BODY ->
            {
                collect(content);
                if (last && phase == Phase.BODY)
                {
                    final byte[] bytes = body == null ? new byte[0] : ByteBufUtil.getBytes(body);
                    releaseBody();
                    awaitAnswer();
                    answer(bytes);
                }
            }
            case SKIP ->
            {
                content.release();
                if (last)
                {
                    phase = Phase.IDLE;
                }
            }
            default -> content.release();
        }
    }

    private void collect(final HttpContent content)
    {
        try
        {
            if (route.kind() != UploadRoutes.Kind.UPLOAD_URL || !content.content().isReadable())
            {
                return;
            }
            if (body == null)
            {
                body = ctx.alloc().heapBuffer(Math.min(UploadUrlRequest.MAX_BODY_BYTES, content.content().readableBytes()));
            }
            if (body.readableBytes() + content.content().readableBytes() > UploadUrlRequest.MAX_BODY_BYTES)
            {
                releaseBody();
                refuse(new UploadException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request.too_large",
                    "the request body is larger than " + UploadUrlRequest.MAX_BODY_BYTES + " bytes"), true);
                return;
            }
            body.writeBytes(content.content());
        }
        finally
        {
            content.release();
        }
    }

    private void answer(final byte[] bytes)
    {
        final CompletableFuture<FullHttpResponse> answer;
        try
        {
            answer = routes.answer(route, request, bytes);
        }
        catch (final UploadException ex)
        {
            refuse(ex, false);
            return;
        }
        answer.whenCompleteAsync((response, failure) ->
        {
            if (failure == null)
            {
                respond(response);
                return;
            }
            final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
                failure.getCause() : failure;
            LOG.error("upload request {} {} failed: {}", request.method(), request.uri(), cause.toString());
            refuse(new UploadException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "upload.storage_error",
                "the origin could not store the upload (" + cause.getMessage() + "); retry later"), false);
        }, ctx.executor());
    }

    /** The request is in; stop reading until it is answered. */
    private void awaitAnswer()
    {
        phase = Phase.WAITING;
        cancelIdleCheck();
        ctx.channel().config().setAutoRead(false);
    }

    /** Answer the current request normally and move on to the next. */
    private void respond(final FullHttpResponse response)
    {
        if (!ctx.channel().isActive())
        {
            response.release();
            return;
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        final var written = ctx.writeAndFlush(response);
        if (!keepAlive)
        {
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        phase = Phase.IDLE;
        ctx.channel().config().setAutoRead(true);
        while (phase != Phase.WAITING && !queued.isEmpty())
        {
            channelRead(ctx, queued.poll());
        }
    }

    /**
     * Answer with an error. {@code midBody}: the request's body is still arriving (or the writer was interrupted).
     */
    private void refuse(final UploadException refusal, final boolean midBody)
    {
        service.metrics().refused(refusal.code());
        final FullHttpResponse response = routes.responses().error(refusal);
        if (request != null && "HEAD".equals(request.method().name()))
        {
            response.content().clear();
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).remove(HttpHeaderNames.CONTENT_TYPE);
        }
        if (refusal.status().code() == HttpResponseStatus.CONFLICT.code() && route != null && route.uploadId() != null)
        {
            final Upload upload = service.lookup(route.uploadId());
            if (upload != null)
            {
                response.headers().set(TusProtocol.UPLOAD_OFFSET, upload.state().offset());
            }
        }
        final boolean bodyPending = !requestComplete;
        final long declared = request == null ? -1 :
            HttpUtil.getContentLength(request, HttpUtil.isTransferEncodingChunked(request) ? -1L : 0L);
        final boolean close = !keepAlive || midBody || request == null ||
            (bodyPending && (HttpUtil.is100ContinueExpected(request) || declared < 0 || declared > MAX_SKIPPED_BODY_BYTES));
        cancelIdleCheck();
        if (bodyPending && !close)
        {
            phase = Phase.SKIP;
            ctx.writeAndFlush(response);
            return;
        }
        keepAlive = !close && keepAlive;
        phase = Phase.WAITING;
        respond(response);
    }

    private void continueIfExpected()
    {
        if (HttpUtil.is100ContinueExpected(request))
        {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER));
        }
    }

    private void scheduleIdleCheck(final long delayNanos)
    {
        idleCheck = ctx.executor().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle()
    {
        if (phase != Phase.PATCH)
        {
            return;
        }
        final long timeout = service.context().patchIdleTimeout().toNanos();
        final long idle = System.nanoTime() - lastContentNanos;
        if (!ctx.channel().config().isAutoRead() || idle < timeout)
        {
            scheduleIdleCheck(ctx.channel().config().isAutoRead() ? timeout - idle : timeout);
            return;
        }
        LOG.info("PATCH {} sent nothing for {} ms; its bytes are kept and the connection closed", request.uri(),
            TimeUnit.NANOSECONDS.toMillis(idle));
        service.metrics().refused("tus.patch_idle");
        writer.abort();
        writer = null;
        ctx.close();
    }

    private void cancelIdleCheck()
    {
        if (idleCheck != null)
        {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    private void releaseBody()
    {
        if (body != null)
        {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        cleanUp();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        cleanUp();
    }

    private void cleanUp()
    {
        if (writer != null && phase == Phase.PATCH)
        {
            writer.abort();
        }
        writer = null;
        cancelIdleCheck();
        releaseBody();
        while (!queued.isEmpty())
        {
            ReferenceCountUtil.release(queued.poll());
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (phase == Phase.PASSTHROUGH || phase == Phase.IDLE)
        {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debug("upload connection failed: {}", cause.toString());
        cleanUp();
        ctx.close();
    }
}
