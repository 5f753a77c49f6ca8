package io.bifrost.ingest.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;

/**
 * Opens a relayed stream's connections to the origin and sorts out how each attempt went: usable (TCP up and, for an
 * {@code https://} origin URL, the handshake verified), failed (retried like an unreachable origin), or a port that
 * does not fit the URL ({@link OriginMismatch}: given up at once). Also runs the {@link TlsProbe} after a plain
 * connection was closed unanswered. Stateless; callbacks come on the relay's event loop.
 */
final class RelayDialer
{
    private RelayDialer()
    {
    }

    /**
     * Start one connection attempt for {@code stream}.
     *
     * @param factory the relay (bootstrap, settings, counters).
     * @param stream  the stream the connection is for; told the outcome.
     */
    static void dial(final OriginRelaySinkFactory factory, final RelayedStream stream)
    {
        final OriginRelayContext context = factory.context();
        factory.bootstrap().clone().handler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                RelayTls.install(ch, context);
                ch.pipeline().addLast(new RelayResponseHandler(stream));
            }
        }).connect(context.host(), context.port()).addListener((ChannelFuture future) ->
        {
            if (!future.isSuccess())
            {
                stream.onConnectFailed(future.cause().toString());
                return;
            }
            RelayTls.whenVerified(future.channel(), context, stream::onConnected, cause ->
            {
                factory.metrics().onTlsFailure();
                if (RelayTls.notTls(cause))
                {
                    stream.onMismatch(OriginMismatch.ORIGIN_PLAIN, RelayTls.reason(cause));
                }
                stream.onConnectFailed(RelayTls.failure(cause, context));
            });
        });
    }

    /**
     * Ask whether the origin's port speaks TLS, after a plain relay request there was closed unanswered; when it does,
     * the stream is given up as {@link OriginMismatch#ORIGIN_TLS}.
     *
     * @param factory the relay.
     * @param stream  the stream whose request was closed.
     */
    static void probeForTls(final OriginRelaySinkFactory factory, final RelayedStream stream)
    {
        final OriginRelayContext context = factory.context();
        TlsProbe.probe(factory.bootstrap(), context.host(), context.port(), context.connectTimeout().toMillis(), tls ->
        {
            if (tls)
            {
                stream.onMismatch(OriginMismatch.ORIGIN_TLS,
                    "it closed the plain request without an answer and answers a TLS ClientHello");
            }
        });
    }
}
