package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ffmpeg.TranscodeProgress;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.packaging.PackagedTitle;
import io.bifrost.transcoder.packaging.PackagedVideo;
import io.bifrost.transcoder.packaging.VodPackager;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.scale.ForwardingLadderScaler;
import io.bifrost.transcoder.scale.LadderScaler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JCuda backend's encode path, run on the CPU: {@link AreaLadderScaler} gives the bytes the CUDA kernel gives,
 * so everything but the device (decode to raw frames, batching over two slots, one encoder per rendition fed on
 * stdin, audio on its own) is exercised with the real ffmpeg.
 */
class RawFrameLadderEncoderTest
{
    private static final MediaProber PROBER = new MediaProber(TestMedia.FFPROBE, Duration.ofSeconds(30));
    private static final RawFrameLadderEncoder ENCODER = new RawFrameLadderEncoder(TestMedia.FFMPEG,
        Duration.ofSeconds(60), 20, table -> new AreaLadderScaler(table, 4, 2));

    @TempDir
    Path dir;

    private List<String> streams(final Path media, final String entries, final String... options) throws Exception
    {
        final List<String> args = new java.util.ArrayList<>(List.of("-v", "error"));
        args.addAll(List.of(options));
        args.addAll(List.of("-show_entries", "stream=" + entries, "-of", "csv=p=0", media.toString()));
        return TestMedia.ffprobe(args.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).distinct().toList();
    }

    @Test
    void shouldEncodeEveryRenditionFromScaledRawFramesWithAudioAndAlignedSegments() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 640, 360, 25, 4, true);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2)
            .withX264Preset("ultrafast"));
        final Path out = Files.createDirectories(dir.resolve("out"));
        final List<TranscodeProgress> progress = new CopyOnWriteArrayList<>();

        ENCODER.encode(source, plan, out, progress::add);
        final PackagedTitle title = VodPackager.packageTitle(plan, out);

        assertThat(streams(out.resolve("360p/index.m3u8"), "codec_name,width,height,r_frame_rate"))
            .containsExactly("h264,640,360,25/1");
        assertThat(streams(out.resolve("240p/index.m3u8"), "codec_name,width,height,r_frame_rate"))
            .containsExactly("h264,426,240,25/1");
        assertThat(streams(out.resolve("audio/index.m3u8"), "codec_name")).containsExactly("aac");
        assertThat(title.video()).extracting(PackagedVideo::name).containsExactly("240p", "360p");
        assertThat(title.video()).allSatisfy(v -> assertThat(v.segments()).hasSize(2));
        assertThat(streams(out.resolve("360p/index.m3u8"), "nb_read_frames", "-count_frames")).containsExactly("100");
        assertThat(streams(out.resolve("240p/index.m3u8"), "nb_read_frames", "-count_frames")).containsExactly("100");
        assertThat(progress).isNotEmpty();
        for (int number = 0; number < 2; number++)
        {
            final List<String> low = firstPackets(out.resolve("240p"), number);
            final List<String> high = firstPackets(out.resolve("360p"), number);
            assertThat(low.get(0)).as("240p segment %d starts with a keyframe", number).endsWith(",K_");
            assertThat(high.get(0)).as("360p segment %d starts with a keyframe", number).endsWith(",K_");
            assertThat(low.get(0).split(",")[0]).as("same start time").isEqualTo(high.get(0).split(",")[0]);
        }
    }

    /** ffprobe's video packets of init + one segment, as "pts_time,flags" lines. */
    private List<String> firstPackets(final Path rendition, final int number) throws Exception
    {
        final Path joined = dir.resolve(rendition.getFileName() + "-" + number + ".mp4");
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(Files.readAllBytes(rendition.resolve("init.mp4")));
        bytes.writeBytes(Files.readAllBytes(rendition.resolve(number + ".m4s")));
        Files.write(joined, bytes.toByteArray());
        return TestMedia.ffprobe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
            "-of", "csv=p=0", joined.toString()).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void shouldEncodeARotatedSourceInItsDisplayOrientation() throws Exception
    {
        final Path stored = TestMedia.clip(dir.resolve("stored.mp4"), 320, 240, 25, 1, false);
        final Path rotated = dir.resolve("rotated.mp4");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-i", stored.toString(),
            "-c", "copy", "-metadata:s:v", "rotate=90", rotated.toString()));
        final SourceInfo info = PROBER.probeAndValidate(rotated, SourceLimits.DEFAULTS);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2)
            .withX264Preset("ultrafast"));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(rotated, plan, out, p -> { });

        assertThat(RawFrameLadderEncoder.decodedSize(info.video()).toString()).isEqualTo("240x320");
        assertThat(streams(out.resolve("240p/index.m3u8"), "width,height")).containsExactly("240,320");
    }

    @Test
    void shouldFailWithTheScalersErrorAndStopEveryProcessWhenScalingFailsMidway() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 180, 25, 2, true);
        final LadderPlan plan = LadderPlanner.plan(PROBER.probeAndValidate(source, SourceLimits.DEFAULTS),
            LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast"));
        final RawFrameLadderEncoder failing = new RawFrameLadderEncoder(TestMedia.FFMPEG, Duration.ofSeconds(60), 20,
            table -> new FailingScaler(new AreaLadderScaler(table, 4, 2), 3));
        final Path out = Files.createDirectories(dir.resolve("out"));

        assertThatThrownBy(() -> failing.encode(source, plan, out, p -> { }))
            .isInstanceOf(TranscodeException.class)
            .hasMessageContaining("device lost after 3 batches");
    }

    @Test
    void shouldFailTheJobNotTheWorkerWhenTheScalerCannotOpen() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 180, 25, 1, false);
        final LadderPlan plan = LadderPlanner.plan(PROBER.probeAndValidate(source, SourceLimits.DEFAULTS),
            LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast"));
        final RawFrameLadderEncoder noDevice = new RawFrameLadderEncoder(TestMedia.FFMPEG, Duration.ofSeconds(60), 20,
            table -> { throw new IllegalStateException("no CUDA device: libcuda.so.1 missing"); });
        final Path out = Files.createDirectories(dir.resolve("out"));

        assertThatThrownBy(() -> noDevice.encode(source, plan, out, p -> { }))
            .isInstanceOf(TranscodeException.class)
            .hasMessageContaining("cannot open the ladder scaler for 320x180")
            .hasMessageContaining("no CUDA device: libcuda.so.1 missing");
    }

    /** Stands in for a GPU that fails mid-job. */
    private static final class FailingScaler extends ForwardingLadderScaler
    {
        private final int okBatches;
        private int submitted;

        FailingScaler(final LadderScaler delegate, final int okBatches)
        {
            super(delegate);
            this.okBatches = okBatches;
        }

        @Override
        public void submit(final int slot, final int frames)
        {
            if (++submitted > okBatches)
            {
                throw new IllegalStateException("device lost after " + okBatches + " batches");
            }
            super.submit(slot, frames);
        }
    }
}
