package io.bifrost.control.http;

import io.bifrost.protocol.node.LingeringClose;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates a request's body up to a limit, and answers a larger one (declared by Content-Length or found while
 * reading a chunked body) with a 413 error envelope, code {@code request.too_large}, then closes the connection so the
 * rest of the body is never read. The body never takes more memory than the limit.
 */
final class BoundedBodyAggregator extends HttpObjectAggregator
{
    private final ApiDispatcher dispatcher;
    private final int maxBodyBytes;

    BoundedBodyAggregator(final ApiDispatcher dispatcher, final int maxBodyBytes)
    {
        super(maxBodyBytes, true);
        this.dispatcher = dispatcher;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        final FullHttpResponse response = dispatcher.error(new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "request.too_large", "the request body is larger than " + maxBodyBytes + " bytes"));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        LingeringClose.writeAndClose(ctx, response);
    }
}
