package io.bifrost.ingest.relay;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.nio.file.Files;
import java.nio.file.Path;

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
