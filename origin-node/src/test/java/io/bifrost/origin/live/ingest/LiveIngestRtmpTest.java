package io.bifrost.origin.live.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.bifrost.origin.TestClips;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live ingest behind the real RTMP server: ffmpeg publishes a 720p H.264/AAC file over RTMP as fast as it can
 * (no {@code -re}, so the sink's backpressure has to hold the Netty event loop's reads back), and the passthrough
 * renditions the packager got decode to every published frame.
 */
class LiveIngestRtmpTest
{
    @TempDir
    Path work;
    private final RecordingLiveStreams streams = new RecordingLiveStreams();
    private LiveIngestSinkFactory factory;
    private RtmpServer server;

    @AfterEach
    void close()
    {
        if (null != server)
        {
            server.close();
        }
        if (null != factory)
        {
            factory.close();
        }
    }

    @Test
    void shouldPackEveryFramePublishedOverRtmpWhileHoldingThePublisherBack() throws Exception
    {
        final Path source = FlvSource.generateFile(work, "1280x720", 6, true);
        final int sourceFrames = FlvSource.read(source).videoFrames();
        factory = new LiveIngestSinkFactory(new LiveIngestContext().liveStreams(streams)
            .defaultMode(LiveMode.PASSTHROUGH).highWaterBytes(64 * 1024).workDir(work.resolve("pipes"))
            .meterRegistry(new SimpleMeterRegistry()));
        server = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0)
            .authorizer(StreamKeyAuthorizer.allowAll()).sinkFactory(factory));

        final TestClips.Result publish = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", source.toString(), "-c", "copy", "-f", "flv",
            "rtmp://127.0.0.1:" + server.port() + "/live/rtmp-key"));
        assertThat(publish.exitCode()).as(publish.output()).isZero();
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> !streams.sessions().isEmpty() &&
            streams.only().ended());

        final RecordingLiveStreams.Session session = streams.only();
        assertThat(session.renditions()).containsExactly("source", "audio");
        final Path video = Files.write(work.resolve("rtmp-source.mp4"), session.recorded("source").bytes());
        final JsonNode stream = MediaProbe.stream(video);
        assertThat(stream.path("width").asInt()).isEqualTo(1280);
        assertThat(stream.path("nb_read_frames").asInt()).isEqualTo(sourceFrames).isEqualTo(180);
        final Path audio = Files.write(work.resolve("rtmp-audio.mp4"), session.recorded("audio").bytes());
        assertThat(MediaProbe.decodeErrors(audio)).isEmpty();
        assertThat(factory.metrics().pauses()).as("the 64 KiB queue paused the publisher").isPositive();
    }
}
