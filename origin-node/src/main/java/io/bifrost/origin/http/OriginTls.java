package io.bifrost.origin.http;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The origin's TLS server contexts, as the edge makes its own: a PEM certificate chain and a PEM PKCS#8 key, OpenSSL
 * through netty-tcnative where it loads, else the JDK. The HTTP port's context offers h2 then http/1.1 by ALPN (with
 * the RFC 7540 9.2 cipher suites); the relay port's speaks only HTTP/1.1.
 */
public final class OriginTls
{
    private static final Logger LOG = LoggerFactory.getLogger(OriginTls.class);

    private OriginTls()
    {
    }

    /**
     * Check a certificate and key pair of settings: both or neither, readable files.
     *
     * @param certificate the certificate chain, or null.
     * @param privateKey  the key, or null.
     * @param certKey     the certificate's configuration key, for the message.
     * @param keyKey      the key's configuration key, for the message.
     * @return true when TLS is configured.
     * @throws IllegalArgumentException naming the key at fault.
     */
    public static boolean validate(final Path certificate, final Path privateKey, final String certKey,
        final String keyKey)
    {
        if ((null == certificate) != (null == privateKey))
        {
            throw new IllegalArgumentException(certKey + " and " + keyKey + " must be set together");
        }
        if (null == certificate)
        {
            return false;
        }
        if (!Files.isReadable(certificate))
        {
            throw new IllegalArgumentException(certKey + " " + certificate + " cannot be read");
        }
        if (!Files.isReadable(privateKey))
        {
            throw new IllegalArgumentException(keyKey + " " + privateKey + " cannot be read");
        }
        return true;
    }

    /**
     * @param certificate PEM certificate chain.
     * @param privateKey  PEM PKCS#8 private key.
     * @param alpnH2      offer h2 then http/1.1 by ALPN (the HTTP port); false: no ALPN (the relay port).
     * @param what        the listener, for messages ({@code "origin"}, {@code "origin relay"}).
     * @return the server context.
     * @throws IllegalStateException naming the files when they are not a usable PEM pair.
     */
    public static SslContext server(final Path certificate, final Path privateKey, final boolean alpnH2,
        final String what)
    {
        final SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try
        {
            final SslContextBuilder builder = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                .sslProvider(provider);
            if (alpnH2)
            {
                builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            }
            final SslContext context = builder.build();
            LOG.info("{} TLS uses {}{}", what, provider, alpnH2 ? " with ALPN h2, http/1.1" : "");
            return context;
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalStateException(what + " TLS: cannot use certificate " + certificate + " with key " +
                privateKey + " (" + ex.getMessage() + "); give a PEM certificate chain and a PEM PKCS#8 key", ex);
        }
    }
}
