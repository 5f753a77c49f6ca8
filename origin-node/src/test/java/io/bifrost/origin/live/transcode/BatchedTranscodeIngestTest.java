package io.bifrost.origin.live.transcode;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.origin.TestClips;
import io.bifrost.origin.live.ingest.CmafInspector;
import io.bifrost.origin.live.ingest.FlvSource;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.bifrost.origin.live.ingest.MediaProbe;
import io.bifrost.origin.live.ingest.RecordingLiveStreams;
import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.backend.BackendSelector;
import io.bifrost.transcoder.ladder.LadderRung;
import io.bifrost.transcoder.live.LiveScaleBatcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The batched live ladder ({@code origin.live-scaling batched}) end to end through the ingest sink, on the CPU: per
 * stream a real ffmpeg decoder and one real libx264 ffmpeg per rung, between them the origin's {@link LiveScaleBatcher}
 * with the kernel's CPU reference scaling two publishers' frames in shared launches; every rendition proved by ffprobe
 * and by PSNR against ffmpeg's own scaling of the source.
 */
class BatchedTranscodeIngestTest
{
    private static final BackendSelection CPU = BackendSelector.select(Backend.CPU, TestClips.FFMPEG);
    private static final Pattern PSNR_AVERAGE = Pattern.compile("average:([0-9.]+|inf)");

    @TempDir
    static Path media;
    private static FlvSource source360p;

    @TempDir
    Path work;
    private final RecordingLiveStreams streams = new RecordingLiveStreams();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private LiveIngestSinkFactory factory;

    @BeforeAll
    static void makeSource() throws Exception
    {
        source360p = FlvSource.generate(media, "640x360", 4, true);
    }

    @AfterEach
    void close()
    {
        if (null != factory)
        {
            factory.close();
        }
    }

    private LiveIngestContext context()
    {
        return new LiveIngestContext().liveStreams(streams).defaultMode(LiveMode.TRANSCODE)
            .workDir(work.resolve("pipes")).meterRegistry(meters).ffmpeg(TestClips.FFMPEG).x264Preset("ultrafast")
            .rungs(List.of(LadderRung.P240, LadderRung.P360))
            .scaling(LiveScaling.open(LiveScaling.Mode.BATCHED, CPU, meters));
    }

    @Test
    void shouldScaleTwoPublishersInSharedLaunchesAndEncodeEveryRungInSyncWithTheSound() throws Exception
    {
        factory = new LiveIngestSinkFactory(context().highWaterBytes(64 * 1024));
        final CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> publish("one"));
        final CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> publish("two"));
        CompletableFuture.allOf(first, second).get();
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> 2 == streams.sessions().size() &&
            streams.sessions().stream().allMatch(RecordingLiveStreams.Session::ended));

        final Path sourceFile = FlvSource.generateFile(media, "640x360", 4, true);
        final Map<String, int[]> sizes = Map.of("240p", new int[]{ 426, 240 }, "360p", new int[]{ 640, 360 });
        for (final RecordingLiveStreams.Session session : streams.sessions())
        {
            final String id = session.streamId();
            assertThat(factory.lastFailure(id)).as(id).isNull();
            assertThat(session.renditions()).as(id).containsExactly("240p", "360p", "audio");
            final double audioStart = firstFragmentStart(session.recorded("audio").bytes());
            for (final String rung : List.of("240p", "360p"))
            {
                final RecordingLiveStreams.Track track = session.recorded(rung);
                assertThat(track.ended()).as(rung).isTrue();
                assertThat(track.violation()).as(rung).isNull();
                final Path file = Files.write(work.resolve(id + "-" + rung + ".mp4"), track.bytes());
                final JsonNode stream = MediaProbe.stream(file);
                assertThat(stream.path("codec_name").asText()).isEqualTo("h264");
                assertThat(stream.path("width").asInt()).as(rung).isEqualTo(sizes.get(rung)[0]);
                assertThat(stream.path("height").asInt()).as(rung).isEqualTo(sizes.get(rung)[1]);
                assertThat(stream.path("nb_read_frames").asInt()).as("%s %s frames", id, rung).isBetween(118, 122);
                // the default keyframe interval, 1 s, from 0 (and possibly the last frame at 4.0, forced too)
                assertThat(MediaProbe.keyframeTimes(file)).as(rung).hasSizeBetween(4, 5).allSatisfy(time ->
                    assertThat(time - Math.round(time)).isCloseTo(0.0, within(0.02)));
                final CmafInspector fragments = CmafInspector.inspect(track.bytes());
                final List<CmafInspector.Fragment> all = fragments.fragments();
                assertThat(all).as(rung).hasSizeGreaterThanOrEqualTo(11);
                for (final CmafInspector.Fragment fragment : all.subList(0, all.size() - 1))
                {
                    assertThat(fragments.durationMs(fragment)).as(rung).isBetween(300.0, 400.0);
                }
                // the rung encoders only count frames: frame 0 must be at the audio's time zero
                assertThat(fragments.startSeconds(all.get(0)) - audioStart).as("%s %s against the audio", id, rung)
                    .isCloseTo(0.0, within(0.05));
                assertThat(psnrAgainstFfmpegScale(file, sourceFile, sizes.get(rung))).as("%s %s PSNR", id, rung)
                    .isGreaterThan(30.0);
            }
        }
        assertThat(meters.get(LiveScaleBatcher.FRAMES_PER_LAUNCH).summary().max())
            .as("frames of both publishers scaled in one launch").isGreaterThanOrEqualTo(2.0);
        assertThat(meters.get(LiveScaleBatcher.DROPPED).counter().count()).isZero();
        assertThat(meters.get(LiveScaling.METRIC).tag("mode", "batched").tag("scaler", "cpu").gauge().value())
            .isEqualTo(1.0);
        assertThat(factory.metrics().ffmpegFailures()).isZero();
        try (var left = Files.list(work.resolve("pipes")))
        {
            assertThat(left).as("named pipes removed").isEmpty();
        }
    }

    @Test
    void shouldEndTheStreamWithTheEncodersOwnWordsWhenARungEncoderDiesMidStream() throws Exception
    {
        // the real ffmpeg, except that a rung encoder (raw frames of a given size on stdin) takes about three frames
        // and dies; the decoder and the audio are the real ones
        final Path ffmpeg = work.resolve("ffmpeg-with-a-dying-encoder");
        Files.writeString(ffmpeg, "#!/bin/sh\ncase \"$*\" in *'-f rawvideo -pix_fmt yuv420p -s '*)\n" +
            "  head -c 1000000 >/dev/null; echo 'simulated encoder crash' >&2; exit 3;;\nesac\n" +
            "exec " + TestClips.FFMPEG + " \"$@\"\n");
        Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
        factory = new LiveIngestSinkFactory(context().ffmpeg(ffmpeg));
        final PublishRequest request = FlvSource.request("bad-encoder", false);
        source360p.publish(factory, request);

        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> null != factory.lastFailure(request.streamId()));
        assertThat(factory.lastFailure(request.streamId())).contains("encoder stopped reading").contains("exit code 3")
            .contains("simulated encoder crash");
        assertThat(factory.metrics().ffmpegFailures()).isEqualTo(1);
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> streams.only().ended());
    }

    private Integer publish(final String key)
    {
        try
        {
            return source360p.publish(factory, FlvSource.request(key, false));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static double firstFragmentStart(final byte[] track)
    {
        final CmafInspector inspector = CmafInspector.inspect(track);
        return inspector.startSeconds(inspector.fragments().get(0));
    }

    /** The rendition against the source scaled by ffmpeg ({@code flags=area}), frame by frame. */
    private static double psnrAgainstFfmpegScale(final Path rendition, final Path source, final int[] size)
        throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-hide_banner",
            "-i", rendition.toString(), "-i", source.toString(), "-lavfi",
            String.format(Locale.ROOT, "[1:v]scale=%d:%d:flags=area,format=yuv420p[ref];[0:v][ref]psnr", size[0],
                size[1]), "-f", "null", "-"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        final Matcher matcher = PSNR_AVERAGE.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return "inf".equals(matcher.group(1)) ? 100.0 : Double.parseDouble(matcher.group(1));
    }
}
