package io.bifrost.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The ingest role's settings and lifecycle, without publishers.
 */
@Timeout(60)
class IngestNodeTest
{
    @TempDir
    Path dir;

    private IngestNode.Context context()
    {
        return new IngestNode.Context().bindAddress("127.0.0.1").rtmpPort(0).srtEnabled(false).dataDir(dir);
    }

    @Test
    void shouldRefuseCertificateWithoutKeyNamingBothSettings()
    {
        assertThatThrownBy(() -> context().tlsCertificate(dir.resolve("cert.pem")).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ingest.tls-cert").hasMessageContaining("ingest.tls-key");
    }

    @Test
    void shouldRefuseEphemeralSrtPortAndBadControlUrl()
    {
        assertThatThrownBy(() -> context().srtEnabled(true).srtPort(0).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingest.srt-port");
        assertThatThrownBy(() -> context().controlUrl("ftp://x").conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingest.control-url");
        assertThatThrownBy(() -> context().recordingMaxBytes(10).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingest.recording-max-bytes");
    }

    @Test
    void shouldStayReadyAndSaySoWhenSrtBridgeCannotStart() throws IOException
    {
        final int srtPort;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            srtPort = socket.getLocalPort();
        }
        try (RunningIngest node = IngestNode.launch(context().srtEnabled(true).srtPort(srtPort)
            .ffmpegPath(dir.resolve("no-ffmpeg-here").toString())))
        {
            await().atMost(Duration.ofSeconds(10)).until(() -> node.readiness().detail().contains("srt down"));
            assertThat(node.readiness().ready()).isTrue();
            assertThat(node.readiness().detail()).contains("no-ffmpeg-here");
            assertThat(node.rtmpsPort()).isEqualTo(-1);
        }
    }

    @Test
    void shouldReleaseEverythingWhenAListenerCannotBind() throws IOException
    {
        try (ServerSocket taken = new ServerSocket())
        {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThatThrownBy(() -> IngestNode.launch(context().rtmpPort(taken.getLocalPort())))
                .isInstanceOf(Exception.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(thread -> thread.getName().startsWith("bifrost-recorder") ||
                thread.getName().startsWith("bifrost-ingest-control")));
        final RunningIngest node = IngestNode.launch(context());
        node.close();
        node.close();
        assertThat(node.readiness().ready()).isFalse();
    }
}
