package io.bifrost.transcoder.thumbnail;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.encode.RawFrameLadderEncoder;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.scale.FrameSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poster and sprite sheet drawn from the ladder's raw frames (the JCuda path, here with {@link AreaLadderScaler}, the
 * kernel's bit-exact reference) against the CPU path's one ffmpeg run ({@link ThumbnailGenerator}): same files, same
 * JPEG sizes, the same {@code sprite.vtt}, and pictures that match.
 */
class FrameStillsTest
{
    private static final MediaProber PROBER = new MediaProber(TestMedia.FFPROBE, Duration.ofSeconds(30));

    @TempDir
    Path dir;

    @Test
    void shouldWriteThePosterSpriteAndVttOfTheCpuPathFromTheLadderFramesWhenEncodingRawFrames() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 240, 25, 5, true);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final LadderPlan plan = LadderPlanner.plan(info, LadderOptions.DEFAULTS.withSegmentSeconds(2)
            .withX264Preset("ultrafast"));
        final ThumbnailPlan stills = ThumbnailPlan.of(info.durationSeconds(), ThumbnailOptions.DEFAULTS);
        final Path cpu = dir.resolve("cpu");
        final Path gpu = dir.resolve("gpu");
        final RawFrameLadderEncoder encoder = new RawFrameLadderEncoder(TestMedia.FFMPEG, Duration.ofSeconds(60),
            20, table -> new AreaLadderScaler(table, 4, 2));

        new ThumbnailGenerator(TestMedia.FFMPEG, Duration.ofSeconds(30), 5.0)
            .generate(source, info.durationSeconds(), ThumbnailOptions.DEFAULTS, cpu);
        final boolean madeStills = encoder.encodeWithStills(source, plan,
            Files.createDirectories(dir.resolve("ladder")), p -> { }, stills, gpu);

        assertThat(madeStills).isTrue();
        assertThat(stills.tileCount()).isEqualTo(3);
        for (final String jpeg : List.of(ThumbnailCommand.POSTER, ThumbnailCommand.SPRITE))
        {
            assertThat(size(gpu.resolve(jpeg))).as(jpeg).isEqualTo(size(cpu.resolve(jpeg)));
        }
        assertThat(size(gpu.resolve(ThumbnailCommand.SPRITE))).isEqualTo("480x90");
        assertThat(size(gpu.resolve(ThumbnailCommand.POSTER))).isEqualTo("320x240");
        assertThat(Files.readString(gpu.resolve(ThumbnailCommand.SPRITE_VTT), StandardCharsets.UTF_8))
            .isEqualTo(Files.readString(cpu.resolve(ThumbnailCommand.SPRITE_VTT), StandardCharsets.UTF_8));
        // area vs bicubic and two JPEG encodes: close, not equal (the same frames are taken)
        assertThat(psnr(gray(gpu.resolve(ThumbnailCommand.POSTER)), gray(cpu.resolve(ThumbnailCommand.POSTER))))
            .isGreaterThan(25.0);
        // every tile from the same frame, the last (partial) interval's included: both show the title's last frame
        assertSameTilesWithPictures(gpu, cpu, stills.tileCount());
    }

    @Test
    void shouldDrawTheSameTilesAndPosterAsTheCpuPathWhenTheVideoEndsBeforeTheTitle() throws Exception
    {
        // 5 s of video in a 6 s title (the audio runs on; within the ladder's truncation allowance): the last tile's
        // frame (149) and the poster's at 5.5 s (138) are past the video's last frame (124)
        final Path source = TestMedia.videoEndingBeforeAudio(dir.resolve("short-video.mp4"), 5, 6);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final ThumbnailOptions options = ThumbnailOptions.DEFAULTS.withPosterAtSeconds(5.5);
        final ThumbnailPlan stills = ThumbnailPlan.of(info.durationSeconds(), options);
        final Path cpu = dir.resolve("cpu");
        final Path gpu = dir.resolve("gpu");

        new ThumbnailGenerator(TestMedia.FFMPEG, Duration.ofSeconds(30), 5.0)
            .generate(source, info.durationSeconds(), options, cpu);
        final boolean madeStills = new RawFrameLadderEncoder(TestMedia.FFMPEG, Duration.ofSeconds(60), 20,
            table -> new AreaLadderScaler(table, 4, 2)).encodeWithStills(source, LadderPlanner.plan(info,
            LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast")),
            Files.createDirectories(dir.resolve("ladder")), p -> { }, stills, gpu);

        assertThat(madeStills).isTrue();
        assertThat(stills.tileCount()).isEqualTo(3);
        assertThat(Files.readString(gpu.resolve(ThumbnailCommand.SPRITE_VTT), StandardCharsets.UTF_8))
            .isEqualTo(Files.readString(cpu.resolve(ThumbnailCommand.SPRITE_VTT), StandardCharsets.UTF_8));
        assertSameTilesWithPictures(gpu, cpu, stills.tileCount());
        assertThat(psnr(gray(gpu.resolve(ThumbnailCommand.POSTER)), gray(cpu.resolve(ThumbnailCommand.POSTER))))
            .as("both posters are the video's last frame").isGreaterThan(25.0);
    }

    @ParameterizedTest
    @CsvSource({"1920,1080", "1440,1080", "1080,1920", "3840,1600", "1279,719", "640,480", "200,400"})
    void shouldSizePosterAndTilesAsFfmpegsScaleFilterDoesWhenTheShapeVaries(final int width, final int height)
        throws Exception
    {
        final FrameSize frame = new FrameSize(width, height);

        final String poster = ffmpegSize(frame, "scale=w='min(1280,iw)':h='min(720,ih)'" +
            ":force_original_aspect_ratio=decrease:force_divisible_by=2");
        final String tile = ffmpegSize(frame, "scale=w=160:h=90:force_original_aspect_ratio=decrease");

        assertThat(FrameStills.posterSize(frame).toString()).isEqualTo(poster);
        final String[] wh = tile.split("x");
        assertThat(FrameStills.tileContent(frame, 160, 90))
            .isEqualTo(new FrameSize(Integer.parseInt(wh[0]) & ~1, Integer.parseInt(wh[1]) & ~1));
    }

    @Test
    void shouldTakeTheLastFrameOfEachTileIntervalAndTheFirstAtOrAfterThePosterTime()
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(9.0, ThumbnailOptions.DEFAULTS.withPosterAtSeconds(1.01));
        final FrameStills stills = FrameStills.of(plan, new FrameSize(640, 360),
            new io.bifrost.transcoder.probe.FrameRate(30000, 1001));

        final List<String> draws = new ArrayList<>();
        for (int i = 0; i < stills.drawCount(); i++)
        {
            final long[] d = stills.draw(i);
            draws.add(d[0] + ":" + (d[1] == FrameStills.SPRITE ? "tile" : "poster") + d[2]);
        }

        // 29.97 fps: frame i at i x 1.001 / 30 s; last before 2 s: 59 (1.968 s); first from 1.01 s: 31 (1.034 s)
        assertThat(draws).containsExactly("31:poster0", "59:tile0", "119:tile1", "179:tile2", "239:tile3",
            "299:tile4");
        assertThat(stills.spriteSize()).isEqualTo(new FrameSize(800, 90));
    }

    private static String ffmpegSize(final FrameSize frame, final String filter) throws Exception
    {
        final Path file = Files.createTempFile("bifrost-size", ".png");
        try
        {
            TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=1",
                    frame.width() + (frame.width() & 1), frame.height() + (frame.height() & 1)),
                "-vf", "crop=" + frame.width() + ":" + frame.height() + ":0:0:exact=1," + filter,
                "-frames:v", "1", file.toString()));
            return size(file);
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static String size(final Path image) throws Exception
    {
        return TestMedia.ffprobe("-v", "error", "-show_entries", "stream=width,height", "-of", "csv=s=x:p=0",
            image.toString()).strip();
    }

    private static byte[] gray(final Path jpeg) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChildProcess process = ChildProcess.start(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", jpeg.toString(), "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"), null,
            in -> in.transferTo(out)))
        {
            process.awaitSuccess(Duration.ofSeconds(30));
        }
        return out.toByteArray();
    }

    /** Every tile of the 480x90 sheets (three 160x90 tiles in a row) close on both paths, and none of them black. */
    private static void assertSameTilesWithPictures(final Path gpu, final Path cpu, final int tileCount)
        throws Exception
    {
        final byte[] gpuSprite = gray(gpu.resolve(ThumbnailCommand.SPRITE));
        final byte[] cpuSprite = gray(cpu.resolve(ThumbnailCommand.SPRITE));
        for (int k = 0; k < tileCount; k++)
        {
            final byte[] gpuTile = tiles(gpuSprite, 480, k * 160, (k + 1) * 160);
            assertThat(psnr(gpuTile, tiles(cpuSprite, 480, k * 160, (k + 1) * 160))).as("tile %d", k)
                .isGreaterThan(25.0);
            assertThat(max(gpuTile)).as("tile %d shows a picture", k).isGreaterThan(100);
        }
    }

    private static byte[] tiles(final byte[] gray, final int width, final int fromX, final int toX)
    {
        final int rows = gray.length / width;
        final byte[] out = new byte[rows * (toX - fromX)];
        for (int y = 0; y < rows; y++)
        {
            System.arraycopy(gray, y * width + fromX, out, y * (toX - fromX), toX - fromX);
        }
        return out;
    }

    private static int max(final byte[] gray)
    {
        int max = 0;
        for (final byte b : gray)
        {
            max = Math.max(max, b & 0xFF);
        }
        return max;
    }

    private static double psnr(final byte[] a, final byte[] b)
    {
        assertThat(a).hasSameSizeAs(b);
        long squared = 0;
        for (int i = 0; i < a.length; i++)
        {
            final int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            squared += (long)d * d;
        }
        return squared == 0 ? Double.POSITIVE_INFINITY :
            10.0 * Math.log10(255.0 * 255.0 * a.length / squared);
    }
}
