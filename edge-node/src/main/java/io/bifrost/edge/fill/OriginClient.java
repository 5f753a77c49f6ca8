package io.bifrost.edge.fill;

import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fetches paths from the configured origins over pooled keep-alive HTTP/1.1 connections, streaming the response into
 * an {@link OriginFill}.
 *
 * <p>Origins are tried in the configured order (failover): a refused connection, a timeout before the response head,
 * or a 5xx/unexpected status moves on to the next origin; 200, 404 and 410 are final answers. Once the head has been
 * passed to viewers, a broken body fails the fill (it cannot switch origins mid-body). A response that does not start
 * within {@code responseTimeout} counts as a timeout.
 *
 * <p>Circuit breaker: after {@value #CIRCUIT_FAILURE_THRESHOLD} consecutive failures an origin is skipped for the
 * cooldown (its requests go straight to the next origin), then one trial request decides whether it is back.
 * {@code bifrost.edge.origin.circuit.open{origin}} shows the state.
 */
public final class OriginClient implements OriginFetcher, AutoCloseable
{
    /** Consecutive failures that open an origin's circuit. */
    static final int CIRCUIT_FAILURE_THRESHOLD = 5;

    private final List<Origin> origins = new ArrayList<>();
    private final Duration responseTimeout;
    private final long circuitCooldownMs;
    private final LongSupplier clock;

    /**
     * @param originUris      origins in failover order ({@code http://host[:port]}; a path prefix is prepended).
     * @param group           event loops the client connections run on.
     * @param transport       the Netty transport (client channel class).
     * @param connectTimeout  TCP connect timeout.
     * @param responseTimeout time to the response head, and between body chunks.
     * @param maxConnections  pooled connections per origin.
     * @param circuitCooldown how long an origin whose circuit opened is skipped.
     * @param clock           epoch milliseconds.
     * @param registry        where the circuit state gauges go.
     */
    public OriginClient(
        final List<URI> originUris,
        final EventLoopGroup group,
        final NettyTransport transport,
        final Duration connectTimeout,
        final Duration responseTimeout,
        final int maxConnections,
        final Duration circuitCooldown,
        final LongSupplier clock,
        final MeterRegistry registry)
    {
        this.responseTimeout = responseTimeout;
        this.circuitCooldownMs = circuitCooldown.toMillis();
        this.clock = clock;
        for (final URI uri : originUris)
        {
            if (!"http".equals(uri.getScheme()))
            {
                throw new IllegalArgumentException("origin " + uri + ": only http:// origins are supported so far");
            }
            final int port = uri.getPort() < 0 ? 80 : uri.getPort();
            final Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(uri.getHost(), port);
            final FixedChannelPool pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler()
            {
                @Override
                public void channelCreated(final Channel ch)
                {
                    ch.pipeline().addLast("http", new HttpClientCodec(4096, 16 * 1024, 64 * 1024));
                }
            }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL,
                responseTimeout.toMillis(), maxConnections, 1024, true, true);
            final String basePath = uri.getRawPath() == null || "/".equals(uri.getRawPath()) ? "" :
                stripTrailingSlash(uri.getRawPath());
            final Origin origin = new Origin(uri, uri.getHost() + (uri.getPort() < 0 ? "" : ":" + port), basePath, pool);
            origins.add(origin);
            Gauge.builder("bifrost.edge.origin.circuit.open", origin, o -> o.open(clock.getAsLong()) ? 1 : 0)
                .description("1 while the origin is skipped after repeated failures").tag("origin", uri.toString())
                .register(registry);
        }
        if (origins.isEmpty())
        {
            throw new IllegalArgumentException("at least one origin is required");
        }
    }

    /**
     * Start fetching {@code fill.path()} from the first origin; progress and the outcome go to the fill.
     *
     * @param fill the fill to feed.
     */
    @Override
    public void fetch(final OriginFill fill)
    {
        attempt(fill, 0, new StringBuilder());
    }

    private void attempt(final OriginFill fill, final int index, final StringBuilder failures)
    {
        if (index >= origins.size())
        {
            final boolean timedOut = failures.indexOf("timed out") >= 0;
            fill.fail(new FillFailure(timedOut ? FillFailure.Reason.ORIGIN_TIMEOUT : FillFailure.Reason.ORIGIN_UNAVAILABLE,
                "no origin could serve " + fill.path() + ": " + failures, false));
            return;
        }
        final Origin origin = origins.get(index);
        if (!origin.allow(clock.getAsLong()))
        {
            failures.append(origin.uri).append(" skipped (circuit open after repeated failures); ");
            attempt(fill, index + 1, failures);
            return;
        }
        origin.pool.acquire().addListener((Future<Channel> acquired) ->
        {
            if (!acquired.isSuccess())
            {
                origin.failed(clock.getAsLong(), circuitCooldownMs);
                failures.append(origin.uri).append(" unreachable (").append(acquired.cause().getMessage()).append("); ");
                attempt(fill, index + 1, failures);
                return;
            }
            final Channel channel = acquired.getNow();
            final ResponseHandler handler = new ResponseHandler(fill, origin, channel, index, failures);
            channel.pipeline().addLast("fill", handler);
            final FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.GET, origin.basePath + fill.path());
            request.headers()
                .set(HttpHeaderNames.HOST, origin.hostHeader)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                .set(HttpHeaderNames.USER_AGENT, "bifrost-edge")
                .setInt(FillHops.HEADER, FillHops.next(fill.hops()));
            handler.armTimeout();
            channel.writeAndFlush(request).addListener(written ->
            {
                if (!written.isSuccess())
                {
                    handler.abandon(origin.uri + " write failed (" + written.cause().getMessage() + ")");
                }
            });
        });
    }

    @Override
    public void close()
    {
        for (final Origin origin : origins)
        {
            origin.pool.close();
        }
    }

    private static String stripTrailingSlash(final String path)
    {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** One configured origin with its connection pool and circuit breaker. */
    private static final class Origin
    {
        final URI uri;
        final String hostHeader;
        final String basePath;
        final FixedChannelPool pool;
        private int consecutiveFailures;
        private long openUntilMs;
        private boolean trialInFlight;

        Origin(final URI uri, final String hostHeader, final String basePath, final FixedChannelPool pool)
        {
            this.uri = uri;
            this.hostHeader = hostHeader;
            this.basePath = basePath;
            this.pool = pool;
        }

        /** Closed: always; open: never until the cooldown ends; then one trial request at a time (half-open). */
        synchronized boolean allow(final long nowMs)
        {
            if (consecutiveFailures < CIRCUIT_FAILURE_THRESHOLD)
            {
                return true;
            }
            if (nowMs < openUntilMs || trialInFlight)
            {
                return false;
            }
            trialInFlight = true;
            return true;
        }

        synchronized void succeeded()
        {
            consecutiveFailures = 0;
            trialInFlight = false;
        }

        synchronized void failed(final long nowMs, final long cooldownMs)
        {
            consecutiveFailures++;
            trialInFlight = false;
            if (consecutiveFailures >= CIRCUIT_FAILURE_THRESHOLD)
            {
                openUntilMs = nowMs + cooldownMs;
            }
        }

        synchronized boolean open(final long nowMs)
        {
            return consecutiveFailures >= CIRCUIT_FAILURE_THRESHOLD && nowMs < openUntilMs;
        }
    }

    /**
     * Streams one origin response into a fill, then hands the connection back to the pool (or closes it).
     * Runs on the connection's event loop.
     */
    private final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject>
    {
        private final OriginFill fill;
        private final Origin origin;
        private final Channel channel;
        private final int index;
        private final StringBuilder failures;
        private ScheduledFuture<?> timeout;
        private boolean forwarding;
        private boolean keepAlive;
        private boolean done;

        ResponseHandler(
            final OriginFill fill, final Origin origin, final Channel channel, final int index, final StringBuilder failures)
        {
            super(false);
            this.fill = fill;
            this.origin = origin;
            this.channel = channel;
            this.index = index;
            this.failures = failures;
        }

        void armTimeout()
        {
            if (timeout != null)
            {
                timeout.cancel(false);
            }
            timeout = channel.eventLoop().schedule(
                () -> abandon(origin.uri + " timed out after " + responseTimeout.toMillis() + " ms"),
                responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final HttpObject msg)
        {
            try
            {
                if (done)
                {
                    return;
                }
                armTimeout();
                if (msg instanceof HttpResponse response)
                {
                    onResponse(response);
                }
                if (msg instanceof HttpContent content && forwarding)
                {
                    fill.content(content.content());
                    if (msg instanceof LastHttpContent)
                    {
                        finish(true);
                        fill.complete();
                    }
                }
                else if (msg instanceof LastHttpContent && !done)
                {
                    finish(keepAlive);
                    attempt(fill, index + 1, failures);
                }
            }
            finally
            {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        private void onResponse(final HttpResponse response)
        {
            final int status = response.status().code();
            keepAlive = HttpUtil.isKeepAlive(response);
            if (status == 200 || status == 404 || status == 410)
            {
                origin.succeeded();
                forwarding = true;
                fill.head(FillHead.from(status, response.headers(), HttpUtil.getContentLength(response, -1L)));
            }
            else
            {
                origin.failed(clock.getAsLong(), circuitCooldownMs);
                failures.append(origin.uri).append(" answered ").append(status).append("; ");
            }
        }

        void abandon(final String reason)
        {
            if (done)
            {
                return;
            }
            finish(false);
            if (forwarding || fill.headDelivered())
            {
                fill.fail(new FillFailure(FillFailure.Reason.ORIGIN_ABORTED, reason + " while sending " + fill.path(), true));
            }
            else
            {
                origin.failed(clock.getAsLong(), circuitCooldownMs);
                failures.append(reason).append("; ");
                attempt(fill, index + 1, failures);
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            abandon(origin.uri + " closed the connection");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            abandon(origin.uri + " failed (" + cause.getMessage() + ")");
        }

        private void finish(final boolean reusable)
        {
            done = true;
            if (timeout != null)
            {
                timeout.cancel(false);
            }
            if (channel.pipeline().get("fill") == this)
            {
                channel.pipeline().remove(this);
            }
            if (!reusable || !keepAlive)
            {
                channel.close();
            }
            origin.pool.release(channel);
        }
    }
}
