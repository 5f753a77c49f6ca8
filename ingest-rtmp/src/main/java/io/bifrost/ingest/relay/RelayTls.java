package io.bifrost.ingest.relay;

import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The relay's TLS client side ({@code ingest.origin-url=https://...}): OpenSSL through netty-tcnative where it loads,
 * else the JDK; the origin's certificate chain is verified against the configured CA file or the JVM's trust store, and
 * the certificate must name the host of the origin URL (RFC 6125 / RFC 2818 hostname verification, as HTTPS does).
 */
final class RelayTls
{
    private RelayTls()
    {
    }

    /**
     * @param caFile PEM CA certificates to trust, or null for the JVM's trust store.
     * @return a client context with hostname verification.
     * @throws IllegalArgumentException naming {@code ingest.relay-ca-file} when the file cannot be used.
     */
    static SslContext client(final Path caFile)
    {
        if (null != caFile && !Files.isReadable(caFile))
        {
            throw new IllegalArgumentException("ingest.relay-ca-file " + caFile + " cannot be read");
        }
        final SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try
        {
            final SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .endpointIdentificationAlgorithm("HTTPS");
            if (null != caFile)
            {
                builder.trustManager(caFile.toFile());
            }
            return builder.build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("ingest.relay-ca-file " + caFile + " is not a PEM file of CA " +
                "certificates (" + ex.getMessage() + ")", ex);
        }
    }

    /**
     * Put TLS first in a new relay connection's pipeline when the origin URL is {@code https://}: the origin's host
     * goes into SNI and is the name its certificate must carry; the handshake may take the connect timeout.
     *
     * @param ch      the new connection.
     * @param context the relay's concluded settings.
     */
    static void install(final Channel ch, final OriginRelayContext context)
    {
        final SslContext tls = context.sslContext();
        if (null != tls)
        {
            final SslHandler ssl = tls.newHandler(ch.alloc(), context.host(), context.port());
            ssl.setHandshakeTimeoutMillis(context.connectTimeout().toMillis());
            ch.pipeline().addLast("tls", ssl);
        }
    }

    /**
     * Tell when a connected relay may send its request: at once on plain HTTP; over TLS only once the handshake has
     * verified the origin, so the secret is never sent to an unverified peer. A failed handshake closes the connection.
     *
     * @param ch        the connected channel.
     * @param context   the relay's concluded settings.
     * @param verified  called with the channel when it may be used (event loop).
     * @param failed    called with the cause when the handshake failed (event loop); {@link #failure} words it.
     */
    static void whenVerified(final Channel ch, final OriginRelayContext context, final Consumer<Channel> verified,
        final Consumer<Throwable> failed)
    {
        final SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (null == ssl)
        {
            verified.accept(ch);
            return;
        }
        ssl.handshakeFuture().addListener(handshake ->
        {
            if (handshake.isSuccess())
            {
                verified.accept(ch);
                return;
            }
            ch.close();
            failed.accept(handshake.cause());
        });
    }

    /**
     * @param cause   why the handshake with the origin failed.
     * @param context the relay's settings.
     * @return the reason and what the origin's certificate must be, for the log and the give-up message.
     */
    static String failure(final Throwable cause, final OriginRelayContext context)
    {
        return "TLS handshake failed: " + reason(cause) + " (the origin's certificate must be signed by a CA in " +
            (null == context.caFile() ? "the JVM's trust store" : context.caFile() + " (ingest.relay-ca-file)") +
            " and name " + context.host() + ")";
    }

    /**
     * @param cause why a handshake failed.
     * @return whether the peer answered with bytes that are no TLS record: the port does not speak TLS.
     */
    static boolean notTls(final Throwable cause)
    {
        for (Throwable t = cause; null != t; t = t.getCause() == t ? null : t.getCause())
        {
            if (t instanceof NotSslRecordException)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param cause why a TLS handshake with the origin failed.
     * @return the innermost message, which names the reason (untrusted issuer, name mismatch, expiry).
     */
    static String reason(final Throwable cause)
    {
        Throwable innermost = cause;
        while (null != innermost.getCause() && innermost.getCause() != innermost)
        {
            innermost = innermost.getCause();
        }
        final String message = null == innermost.getMessage() ? innermost.toString() : innermost.getMessage();
        return innermost == cause || null == cause.getMessage() ? message : cause.getMessage() + ": " + message;
    }
}
