package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.ladder.VideoCodec;
import io.bifrost.transcoder.packaging.PackagedTitle;
import io.bifrost.transcoder.packaging.PackagedVideo;
import io.bifrost.transcoder.packaging.VodPackager;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.SourceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encodes tiny generated sources through the real ffmpeg for the cases the main pipeline test does not cover: an
 * extra codec ladder (VP9 + Opus), a 10-bit source, and a source rotated by display-matrix metadata.
 */
class LadderEncoderTest
{
    private static final MediaProber PROBER = new MediaProber(TestMedia.FFPROBE, Duration.ofSeconds(30));
    private static final LadderEncoder ENCODER = new LadderEncoder(TestMedia.FFMPEG, Duration.ofSeconds(60), 20);

    @TempDir
    Path dir;

    private List<String> streams(final Path media, final String entries) throws Exception
    {
        return TestMedia.ffprobe("-v", "error", "-show_entries", "stream=" + entries, "-of", "csv=p=0",
            media.toString()).lines().filter(l -> !l.isBlank()).distinct().toList();
    }

    @Test
    void shouldEncodeAVp9LadderWithOpusBesideH264() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 180, 25, 2, true);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2)
            .withExtraCodecs(Set.of(VideoCodec.VP9)).withVp9CpuUsed(8));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(source, plan, out, p -> { });
        final PackagedTitle title = VodPackager.packageTitle(plan, out);

        assertThat(streams(out.resolve("240p-vp9/index.m3u8"), "codec_name,width,height"))
            .containsExactly("vp9,320,180");
        assertThat(streams(out.resolve("audio-opus/index.m3u8"), "codec_name,sample_rate"))
            .containsExactly("opus,48000");
        assertThat(title.video()).extracting(PackagedVideo::name).containsExactly("240p", "240p-vp9");
        assertThat(title.video().get(1).codecs()).startsWith("vp09.00.").endsWith(".08");
        final String master = Files.readString(out.resolve(VodPackager.MASTER_PLAYLIST));
        assertThat(master).contains("GROUP-ID=\"audio-opus\"", "CODECS=\"" + title.video().get(1).codecs() + ",opus\"",
            "AUDIO=\"audio-opus\"\n240p-vp9/index.m3u8");
        assertThat(Files.readString(out.resolve(VodPackager.DASH_MANIFEST)))
            .contains("codecs=\"" + title.video().get(1).codecs() + "\"", "codecs=\"opus\"");
    }

    @Test
    void shouldEncodeHevcAndAv1LaddersThatDecodeWithTheirCodecStrings() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 180, 25, 2, true);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2)
            .withExtraCodecs(Set.of(VideoCodec.HEVC, VideoCodec.AV1)));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(source, plan, out, p -> { });
        final PackagedTitle title = VodPackager.packageTitle(plan, out);

        assertThat(streams(out.resolve("240p-hevc/index.m3u8"), "codec_name,codec_tag_string,width,height"))
            .containsExactly("hevc,hvc1,320,180");
        assertThat(streams(out.resolve("240p-av1/index.m3u8"), "codec_name,width,height"))
            .containsExactly("av1,320,180");
        assertThat(title.video()).extracting(PackagedVideo::codecs).satisfiesExactly(
            h264 -> assertThat(h264).startsWith("avc1.6400"),
            hevc -> assertThat(hevc).startsWith("hvc1.1.6.L"),
            av1 -> assertThat(av1).startsWith("av01.0.").endsWith("M.08"));
        assertThat(title.audio()).extracting(a -> a.name() + "=" + a.codecs())
            .containsExactly("audio=mp4a.40.2", "audio-opus=opus");
        final String master = Files.readString(out.resolve(VodPackager.MASTER_PLAYLIST));
        assertThat(master).contains("AUDIO=\"audio-aac\"\n240p-hevc/index.m3u8",
            "AUDIO=\"audio-opus\"\n240p-av1/index.m3u8");
    }

    @Test
    void shouldAdvertiseTheProfileX264ReallyChose() throws Exception
    {
        // -profile:v high is a ceiling: ultrafast turns off CABAC and 8x8 transforms, so x264 writes Constrained
        // Baseline, and CODECS must say so (a player that trusts "avc1.64..." would still play it, but not vice versa)
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 180, 25, 2, false);
        final LadderPlan plan = LadderPlanner.plan(PROBER.probeAndValidate(source, SourceLimits.DEFAULTS),
            LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast"));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(source, plan, out, p -> { });

        assertThat(streams(out.resolve("240p/index.m3u8"), "profile")).containsExactly("Constrained Baseline");
        assertThat(VodPackager.packageTitle(plan, out).video().get(0).codecs()).startsWith("avc1.42c0");
    }

    @Test
    void shouldConvertATenBitSourceToEightBitHighProfile() throws Exception
    {
        final Path source = dir.resolve("ten.mp4");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=320x240:rate=25", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p10le", source.toString()));
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        assertThat(info.video().bitDepth()).isEqualTo(10);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(source, plan, out, p -> { });

        assertThat(streams(out.resolve("240p/index.m3u8"), "profile,pix_fmt,width,height"))
            .containsExactly("High,320,240,yuv420p");
        assertThat(VodPackager.packageTitle(plan, out).video().get(0).codecs()).startsWith("avc1.6400");
    }

    @Test
    void shouldEncodeAnAnamorphicSourceWithSquarePixelsAtItsDisplayShape() throws Exception
    {
        final Path source = dir.resolve("anamorphic.mp4");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=240x180:rate=25", "-t", "1", "-vf", "setsar=4/3", "-c:v", "libx264", "-preset",
            "ultrafast", "-pix_fmt", "yuv420p", source.toString()));
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        assertThat(info.video().displayWidth()).isEqualTo(320);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(source, plan, out, p -> { });

        assertThat(streams(out.resolve("240p/index.m3u8"), "width,height,sample_aspect_ratio"))
            .containsExactly("320,180,1:1");
    }

    @Test
    void shouldEncodeAVariableFrameRateSourceAtAConstantStandardRate() throws Exception
    {
        // 30 fps for the first second, 15 fps after: ffprobe reports r 30/1, avg 1800/89
        final Path source = dir.resolve("vfr.mp4");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=320x180:rate=30", "-t", "3", "-vf", "select='lt(n\\,30)+not(mod(n\\,2))'", "-vsync", "vfr",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", source.toString()));
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        assertThat(info.video().isVariableFrameRate()).isTrue();
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2));
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(source, plan, out, p -> { });

        assertThat(streams(out.resolve("240p/index.m3u8"), "r_frame_rate,avg_frame_rate"))
            .containsExactly("24000/1001,24000/1001");
        final PackagedTitle title = VodPackager.packageTitle(plan, out);
        assertThat(title.video().get(0).segments()).hasSize(2);
        assertThat(Files.readString(out.resolve(VodPackager.MASTER_PLAYLIST))).contains("FRAME-RATE=23.976");
    }

    @Test
    void shouldEncodeARotatedSourceInItsDisplayOrientation() throws Exception
    {
        final Path stored = TestMedia.clip(dir.resolve("stored.mp4"), 320, 240, 25, 1, false);
        final Path rotated = dir.resolve("rotated.mp4");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-i", stored.toString(),
            "-c", "copy", "-metadata:s:v", "rotate=90", rotated.toString()));
        final SourceInfo info = PROBER.probeAndValidate(rotated, SourceLimits.DEFAULTS);
        assertThat(info.video().isQuarterTurn()).isTrue();
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2));
        assertThat(plan.video().get(0).width()).isEqualTo(240);
        assertThat(plan.video().get(0).height()).isEqualTo(320);
        final Path out = Files.createDirectories(dir.resolve("out"));

        ENCODER.encode(rotated, plan, out, p -> { });

        assertThat(streams(out.resolve("240p/index.m3u8"), "width,height")).containsExactly("240,320");
    }

}
