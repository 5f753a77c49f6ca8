package io.bifrost.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneContextTest
{
    @TempDir
    Path dataDir;

    @Test
    void shouldNameTheKeyOfEachBadSetting()
    {
        assertRefused(c -> c.port(70_000), "control.port");
        assertRefused(c -> c.adminToken("short"), "control.admin-token");
        assertRefused(c -> c.ingestToken("has spaces in it, sixteen+"), "control.ingest-token");
        assertRefused(c -> c.publicIngestHost("rtmp://host/live"), "control.public-ingest-host");
        assertRefused(c -> c.publicPlaybackUrl("ftp://cdn.example.net"), "control.public-playback-url");
        assertRefused(c -> c.publicPlaybackUrl("http://cdn.example.net/?x=1"), "control.public-playback-url");
        assertRefused(c -> c.jdbcUrl("jdbc:mysql://db/control"), "control.jdbc-url");
        assertRefused(c -> c.maxBodyBytes(10), "body limit");
        assertRefused(c -> c.dbQueueCapacity(0), "control.db-queue-capacity");
        assertRefused(c -> c.dbQueueCapacity(70_000), "control.db-queue-capacity");
    }

    @Test
    void shouldTreatBlankOptionalSecretsAsUnset()
    {
        final ControlPlane.Context context = new ControlPlane.Context().adminToken("  ").ingestToken("").jdbcUrl(" ")
            .conclude();

        assertThat(context.adminToken()).isNull();
        assertThat(context.ingestToken()).isNull();
        assertThat(context.jdbcUrl()).isNull();
        assertThat(context.transport()).isNotNull();
        assertThat(context.meterRegistry()).isNotNull();
    }

    @Test
    void shouldExplainWhyItCannotListenAndLeaveNothingOpen() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final ControlPlane.Context context = new ControlPlane.Context().bindAddress("127.0.0.1")
                .port(taken.getLocalPort()).dataDir(dataDir);

            assertThatThrownBy(() -> ControlPlane.launch(context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--control.port");
        }
        try (ControlPlane.Running control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1")
            .port(0).dataDir(dataDir)))
        {
            assertThat(control.readiness().ready()).as("the database was closed after the failed start").isTrue();
        }
    }

    private static void assertRefused(final UnaryOperator<ControlPlane.Context> change, final String key)
    {
        assertThatThrownBy(() -> change.apply(new ControlPlane.Context()).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }
}
