package io.bifrost.ingest;

import io.bifrost.ingest.control.FakeControlPlane;
import io.bifrost.ingest.control.FakeControlPlane.StatusReport;
import io.bifrost.ingest.rtmp.FfmpegPublisher;
import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.StreamEndReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole ingest role as launched in production, with the real ffmpeg publishing over RTMP, RTMPS (self-signed
 * certificate made by openssl) and SRT, a control plane that implements the contract ({@link FakeControlPlane}), and
 * ffprobe reading the recordings.
 */
@Timeout(120)
class IngestNodeFfmpegTest
{
    private static final String KEY = "sk_" + "Zq9-_x".repeat(7) + "a";
    private static final String STREAM = "st_" + "00112233445566778899aabbccddeeff";
    private static final String TOKEN = "ingest-token-for-tests";
    private static final int SECONDS = 3;
    private static final int FRAMES = SECONDS * 25;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FakeControlPlane control;
    private RunningIngest node;

    @BeforeEach
    void start() throws IOException
    {
        assumeTrue(FfmpegPublisher.available() && Files.isExecutable(Path.of("/usr/bin/ffprobe")),
            "ffmpeg/ffprobe are not installed in /usr/bin: ingest system tests skipped");
        control = FakeControlPlane.start(TOKEN).stream(KEY, STREAM);
    }

    @AfterEach
    void stop()
    {
        if (null != node)
        {
            node.close();
        }
        if (null != control)
        {
            control.close();
        }
    }

    private IngestNode.Context context()
    {
        return new IngestNode.Context()
            .bindAddress("127.0.0.1")
            .rtmpPort(0)
            .srtEnabled(false)
            .controlUrl(control.url())
            .controlToken(TOKEN)
            // the first key check of a fresh JVM on a loaded machine can take seconds; these tests are not about that
            .controlTimeoutMs(15_000)
            .dataDir(dir.resolve("data"))
            .meterRegistry(meters);
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private String rtmpUrl(final String key)
    {
        return "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/" + key;
    }

    private List<Path> recordings()
    {
        final Path streamDir = dir.resolve("data").resolve("recordings").resolve(STREAM);
        if (!Files.isDirectory(streamDir))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(streamDir))
        {
            return files.sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void awaitRecordedFrames(final Path recording, final int frames)
    {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
            .until(() -> Ffprobe.frames(recording, "v") == frames);
    }

    private void awaitOffline(final int reports)
    {
        await().atMost(Duration.ofSeconds(20)).until(() -> control.statusReports.stream()
            .filter(report -> "offline".equals(report.status())).count() == reports);
    }

    @Test
    void shouldRecordAuthorizedRtmpPublishWithEveryFrameAndReportLiveThenOffline() throws Exception
    {
        node = IngestNode.launch(context());
        assertThat(node.readiness().ready()).isTrue();

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(rtmpUrl(KEY), SECONDS))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isZero();
            assertThat(ffmpeg.framesReported()).isEqualTo(FRAMES);
        }
        awaitOffline(1);

        assertThat(control.statusReports).containsExactly(new StatusReport(STREAM, "live", "rtmp"),
            new StatusReport(STREAM, "offline", "rtmp"));
        assertThat(recordings()).hasSize(1);
        awaitRecordedFrames(recordings().get(0), FRAMES);
        assertThat(Ffprobe.frames(recordings().get(0), "a")).isPositive();
        assertThat(control.authorizeRequests.get(0).get("protocol").asText()).isEqualTo("rtmp");
    }

    @Test
    void shouldPublishLiveOnlyAndWriteNoFileWhenRecordingIsOff() throws Exception
    {
        node = IngestNode.launch(context().recording(false));

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(rtmpUrl(KEY), SECONDS))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isZero();
            assertThat(ffmpeg.framesReported()).isEqualTo(FRAMES);
        }
        awaitOffline(1);

        assertThat(control.statusReports).containsExactly(new StatusReport(STREAM, "live", "rtmp"),
            new StatusReport(STREAM, "offline", "rtmp"));
        assertThat(node.rtmp().metrics().publishesStarted()).isEqualTo(1);
        assertThat(dir.resolve("data").resolve("recordings")).doesNotExist();
        assertThat(meters.find("bifrost.ingest.recording.queued.bytes").gauge()).isNull();
        assertThat(meters.get("bifrost.ingest.control.authorize").tag("outcome", "allowed").counter().count())
            .isEqualTo(1);
    }

    @Test
    void shouldHandEveryFrameToTheOtherSinksWhenRecordingIsOff() throws Exception
    {
        final AtomicInteger codedFrames = new AtomicInteger();
        final AtomicReference<StreamEndReason> ended = new AtomicReference<>();
        node = IngestNode.launch(context().recording(false).addSinkFactory((request, demand) -> new MediaSink()
        {
            @Override
            public boolean onTag(final FlvTag tag)
            {
                if (tag.isVideo() && VideoPacketKind.CODED_FRAME == tag.videoPacket())
                {
                    codedFrames.incrementAndGet();
                }
                return true;
            }

            @Override
            public void onEnd(final StreamEndReason reason)
            {
                ended.set(reason);
            }
        }));

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(rtmpUrl(KEY), SECONDS))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isZero();
        }
        awaitOffline(1);

        assertThat(ended.get()).isNotNull();
        assertThat(codedFrames.get()).isEqualTo(FRAMES);
        assertThat(dir.resolve("data").resolve("recordings")).doesNotExist();
    }

    @Test
    void shouldRefuseUnknownKeyAndRecordNothing() throws Exception
    {
        node = IngestNode.launch(context());

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(rtmpUrl("sk_not-a-key"), SECONDS))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isNotZero();
            assertThat(ffmpeg.output()).contains("stream key refused (stream_key.unknown)");
        }

        assertThat(node.rtmp().metrics().rejected(RejectReason.PUBLISH_DENIED)).isEqualTo(1);
        assertThat(dir.resolve("data").resolve("recordings")).doesNotExist();
        assertThat(control.statusReports).isEmpty();
    }

    @Test
    void shouldRefusePublishWhenControlPlaneIsDown() throws Exception
    {
        node = IngestNode.launch(context());
        control.close();

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(rtmpUrl(KEY), SECONDS))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isNotZero();
            assertThat(ffmpeg.output()).contains("stream key could not be checked: control plane unavailable");
        }

        assertThat(node.rtmp().metrics().rejected(RejectReason.PUBLISH_DENIED)).isEqualTo(1);
        assertThat(meters.get("bifrost.ingest.control.authorize").tag("outcome", "unavailable").counter().count())
            .isEqualTo(1);
        assertThat(recordings()).isEmpty();
    }

    @Test
    void shouldRecordRtmpsPublishWithSelfSignedCertificate() throws Exception
    {
        final Path cert = dir.resolve("cert.pem");
        final Path key = dir.resolve("key.pem");
        final Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
            "-days", "1", "-subj", "/CN=127.0.0.1").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && 0 == openssl.exitValue()).as("openssl made a cert").isTrue();
        node = IngestNode.launch(context().rtmpsPort(0).tlsCertificate(cert).tlsPrivateKey(key));

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(
            "rtmps://127.0.0.1:" + node.rtmpsPort() + "/live/" + KEY, SECONDS))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isZero();
        }
        awaitOffline(1);

        assertThat(control.statusReports.get(0)).isEqualTo(new StatusReport(STREAM, "live", "rtmps"));
        assertThat(control.authorizeRequests.get(0).get("protocol").asText()).isEqualTo("rtmps");
        awaitRecordedFrames(recordings().get(0), FRAMES);
    }

    /**
     * The caller lingers on close: without it, SRT drops what the receiver still holds in its latency buffer (about
     * {@code latency} ms of the stream's end; see the README's SRT notes).
     */
    @Test
    void shouldRecordSrtPublishWhoseStreamIdCarriesTheKey() throws Exception
    {
        final int srtPort = freeUdpPort();
        node = IngestNode.launch(context().srtEnabled(true).srtPort(srtPort).ffmpegPath("/usr/bin/ffmpeg"));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.srt().isListening());

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(
            "srt://127.0.0.1:" + srtPort + "?streamid=" + KEY + "&linger=2", SECONDS, "mpegts"))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isZero();
            assertThat(ffmpeg.framesReported()).isEqualTo(FRAMES);
        }
        awaitOffline(1);

        assertThat(control.statusReports).containsExactly(new StatusReport(STREAM, "live", "srt"),
            new StatusReport(STREAM, "offline", "srt"));
        assertThat(control.authorizeRequests.get(0).get("protocol").asText()).isEqualTo("srt");
        assertThat(node.srt().metrics().publishesStarted()).isEqualTo(1);
        awaitRecordedFrames(recordings().get(0), FRAMES);
    }

    @Test
    void shouldRefuseSrtCallerWithUnknownKeyThenTakeTheNextCaller() throws Exception
    {
        final int srtPort = freeUdpPort();
        node = IngestNode.launch(context().srtEnabled(true).srtPort(srtPort).ffmpegPath("/usr/bin/ffmpeg"));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.srt().isListening());

        try (FfmpegPublisher refused = FfmpegPublisher.publish(
            "srt://127.0.0.1:" + srtPort + "?streamid=sk_unknown", SECONDS, "mpegts"))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> 1 == node.srt().metrics().rejected("publish-denied"));
            refused.awaitExit(60);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> node.srt().isListening());
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(
            "srt://127.0.0.1:" + srtPort + "?streamid=#!::r=live/" + KEY + ",m=publish&linger=2", SECONDS, "mpegts"))
        {
            assertThat(ffmpeg.awaitExit(60)).as(ffmpeg.output()).isZero();
        }
        awaitOffline(1);

        assertThat(recordings()).hasSize(1);
        awaitRecordedFrames(recordings().get(0), FRAMES);
        assertThat(node.readiness().ready()).isTrue();
    }

    @Test
    void shouldEndSrtRecordingWhenCallerIsKilledAndListenAgain() throws Exception
    {
        final int srtPort = freeUdpPort();
        node = IngestNode.launch(context().srtEnabled(true).srtPort(srtPort).ffmpegPath("/usr/bin/ffmpeg"));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.srt().isListening());

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(
            "srt://127.0.0.1:" + srtPort + "?streamid=" + KEY, 30, "mpegts"))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> !recordings().isEmpty() &&
                Files.size(recordings().get(0)) > 50_000);
            ffmpeg.kill();
        }
        awaitOffline(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> Ffprobe.frames(recordings().get(0), "v") > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.srt().isListening());
        assertThat(node.rtmp().registry().isLive(KEY)).isFalse();
    }

    @Test
    void shouldCloseRecordingCleanlyWhenPublisherIsKilledAndAcceptTheKeyAgain() throws Exception
    {
        node = IngestNode.launch(context());

        try (FfmpegPublisher ffmpeg = FfmpegPublisher.publish(rtmpUrl(KEY), 30))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> !recordings().isEmpty() &&
                Files.size(recordings().get(0)) > 50_000);
            ffmpeg.kill();
        }
        awaitOffline(1);
        final Path first = recordings().get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> Ffprobe.frames(first, "v") > 0);

        try (FfmpegPublisher again = FfmpegPublisher.publish(rtmpUrl(KEY), SECONDS))
        {
            assertThat(again.awaitExit(60)).as(again.output()).isZero();
        }
        awaitOffline(2);

        assertThat(recordings()).hasSize(2);
        awaitRecordedFrames(recordings().get(1), FRAMES);
        assertThat(node.rtmp().metrics().publishesStarted()).isEqualTo(2);
    }
}
