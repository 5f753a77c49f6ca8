package io.bifrost.origin;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made with openssl at test time (nothing is committed), as the edge's and the ingest's TLS
 * tests make theirs: an EC P-256 key in PEM PKCS#8 and a one-day certificate that is its own CA.
 *
 * @param certificate the PEM certificate (also the CA file that trusts it).
 * @param privateKey  the PEM PKCS#8 key.
 */
public record TestCertificates(Path certificate, Path privateKey)
{
    /**
     * @param dir            where to write {@code name.crt} and {@code name.key}.
     * @param name           file name stem.
     * @param subjectAltName the names the certificate is for, openssl syntax ({@code IP:127.0.0.1},
     *                       {@code DNS:origin.example}).
     * @return the pair.
     */
    public static TestCertificates selfSigned(final Path dir, final String name, final String subjectAltName)
        throws IOException, InterruptedException
    {
        final Path certificate = dir.resolve(name + ".crt");
        final Path key = dir.resolve(name + ".key");
        final Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
            "-days", "1", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + subjectAltName)
            .redirectErrorStream(true).start();
        final String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || 0 != openssl.exitValue())
        {
            throw new IllegalStateException("openssl could not make a certificate: " + output);
        }
        return new TestCertificates(certificate, key);
    }

    /**
     * @return a client TLS context that trusts only this certificate (for the JDK's HttpClient).
     */
    public SSLContext trustingClient() throws IOException, GeneralSecurityException
    {
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate))
        {
            store.setCertificateEntry("origin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
