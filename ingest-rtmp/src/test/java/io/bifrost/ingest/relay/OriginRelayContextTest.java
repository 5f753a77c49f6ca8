package io.bifrost.ingest.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the relay's settings choose plain HTTP or TLS, and how a bad TLS setting is refused at start with the key named.
 */
class OriginRelayContextTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRelayOverTlsToPort443WhenTheOriginUrlIsHttps()
    {
        final OriginRelayContext context = new OriginRelayContext().originUrl(URI.create("https://origin.example"))
            .secret("relay-secret").conclude();

        assertThat(context.sslContext()).isNotNull();
        assertThat(context.sslContext().isClient()).isTrue();
        assertThat(context.port()).isEqualTo(443);
        assertThat(context.host()).isEqualTo("origin.example");
    }

    @Test
    void shouldRelayPlainWhenTheOriginUrlIsHttp()
    {
        final OriginRelayContext context = new OriginRelayContext().originUrl(URI.create("http://origin.example"))
            .secret("relay-secret").conclude();

        assertThat(context.sslContext()).isNull();
        assertThat(context.port()).isEqualTo(80);
    }

    @Test
    void shouldRefuseACaFileThatIsMissingOrNotPem() throws Exception
    {
        final Path garbage = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> new OriginRelayContext().originUrl(URI.create("https://origin.example:8083"))
            .secret("relay-secret").caFile(dir.resolve("missing.pem")).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingest.relay-ca-file")
            .hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> new OriginRelayContext().originUrl(URI.create("https://origin.example:8083"))
            .secret("relay-secret").caFile(garbage).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingest.relay-ca-file");
    }

    @Test
    void shouldRefuseACaFileWithAPlainOriginUrl() throws Exception
    {
        final Path ca = Files.writeString(dir.resolve("ca.pem"), "unused\n");

        assertThatThrownBy(() -> new OriginRelayContext().originUrl(URI.create("http://origin.example:8083"))
            .secret("relay-secret").caFile(ca).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingest.relay-ca-file")
            .hasMessageContaining("not https://");
        assertThatThrownBy(() -> new OriginRelayContext().originUrl(URI.create("ftp://origin.example"))
            .secret("relay-secret").conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://host:port");
    }
}
