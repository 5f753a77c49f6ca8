package io.bifrost.transcoder.thumbnail;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.scale.FrameSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU path's sprite sheet against its {@code sprite.vtt}, with real ffmpeg on colourful testsrc2 titles: one cue
 * per planned tile, the cues cover the whole title without gaps, and every tile a cue points at shows a picture
 * (the last, partial interval included, a title shorter than one interval, and a video stream shorter than the
 * title), while cells past the planned tiles stay black.
 */
class ThumbnailGeneratorSpriteTest
{
    private static final MediaProber PROBER = new MediaProber(TestMedia.FFPROBE, Duration.ofSeconds(30));
    private static final Pattern CUE = Pattern.compile(
        "(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\n" +
        "sprite\\.jpg#xywh=(\\d+),(\\d+),(\\d+),(\\d+)\\n");
    /** testsrc2's picture averages far above this; a black tile (luma 16 in YUV) decodes to about 0. */
    private static final double MIN_PICTURE_LUMA = 40.0;
    private static final double MAX_BLACK_LUMA = 10.0;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} s, a tile every {1} s in {2} columns: {3} tiles")
    @CsvSource({
        "7.3, 2, 10, 4",
        "6.0, 2, 10, 3",
        "1.5, 2, 10, 1",
        "7.3, 1, 3, 8"})
    void shouldShowAPictureInEveryTileACuePointsAtWhenTheLastIntervalIsPartial(final double seconds,
        final int interval, final int columns, final int expectedTiles) throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("src.mp4"), 320, 240, 25, seconds, false);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final ThumbnailOptions options = new ThumbnailOptions(0.1, -1, interval, columns, 100, 160, 90, 3.0);
        final Path folder = dir.resolve("thumbs");

        final ThumbnailPlan plan = new ThumbnailGenerator(TestMedia.FFMPEG, Duration.ofSeconds(30), 5.0)
            .generate(source, info.durationSeconds(), options, folder);

        assertThat(plan.tileCount()).isEqualTo(expectedTiles);
        final List<long[]> cues = cues(Files.readString(folder.resolve(ThumbnailCommand.SPRITE_VTT),
            StandardCharsets.UTF_8));
        assertThat(cues).hasSize(plan.tileCount());
        long covered = 0;
        for (final long[] cue : cues)
        {
            assertThat(cue[0]).as("cue start").isEqualTo(covered);
            assertThat(cue[1]).as("cue end").isGreaterThan(cue[0]);
            covered = cue[1];
        }
        assertThat(covered).as("the last cue ends at the duration")
            .isEqualTo(Math.round(info.durationSeconds() * 1000.0));

        final BufferedImage sheet = ImageIO.read(folder.resolve(ThumbnailCommand.SPRITE).toFile());
        assertThat(sheet.getWidth()).isEqualTo(plan.columns() * 160);
        assertThat(sheet.getHeight()).isEqualTo(plan.rows() * 90);
        for (int k = 0; k < cues.size(); k++)
        {
            final long[] cue = cues.get(k);
            assertThat(cue[4]).isEqualTo(160);
            assertThat(cue[5]).isEqualTo(90);
            // the 320x240 picture is letterboxed to 120x90 in the middle of the 160x90 tile
            assertThat(meanLuma(sheet, (int)cue[2] + 20, (int)cue[3], 120, 90)).as("tile %d of %d", k, cues.size())
                .isGreaterThan(MIN_PICTURE_LUMA);
        }
        for (int cell = plan.tileCount(); cell < plan.columns() * plan.rows(); cell++)
        {
            assertThat(meanLuma(sheet, plan.tileX(cell), plan.tileY(cell), 160, 90)).as("unused cell %d", cell)
                .isLessThan(MAX_BLACK_LUMA);
        }

        // the JCuda path draws the same tiles from the same plan: one per cue, the partial interval's from a frame
        // past the end (which its pump replaces by the last frame, as the CPU path's repeated last frame does)
        final FrameStills stills = FrameStills.of(plan, new FrameSize(320, 240), FrameRate.of(25));
        assertThat(stills.tilePieces()).hasSize(cues.size());
        assertThat(stills.drawCount()).isEqualTo(cues.size() + 1);
    }

    @Test
    void shouldShowTheVideosLastFrameInTilesAndPosterPastItsEndWhenTheAudioRunsLonger() throws Exception
    {
        // 2 s of video, 6 s of audio: the title (the container) lasts 6 s, the picture stops at frame 49 (1.96 s)
        final Path source = TestMedia.videoEndingBeforeAudio(dir.resolve("short-video.mp4"), 2, 6);
        final SourceInfo info = PROBER.probeAndValidate(source, SourceLimits.DEFAULTS);
        final Path folder = dir.resolve("thumbs");

        final ThumbnailPlan plan = new ThumbnailGenerator(TestMedia.FFMPEG, Duration.ofSeconds(30), 5.0)
            .generate(source, info.durationSeconds(), ThumbnailOptions.DEFAULTS.withPosterAtSeconds(5), folder);

        assertThat(plan.tileCount()).isEqualTo(3);
        assertThat(cues(Files.readString(folder.resolve(ThumbnailCommand.SPRITE_VTT), StandardCharsets.UTF_8)))
            .hasSize(3);
        final BufferedImage sheet = ImageIO.read(folder.resolve(ThumbnailCommand.SPRITE).toFile());
        for (int k = 0; k < 3; k++)
        {
            assertThat(meanLuma(sheet, plan.tileX(k) + 20, 0, 120, 90)).as("tile %d", k)
                .isGreaterThan(MIN_PICTURE_LUMA);
        }
        // the first interval's last frame is the video's last frame; the two intervals past the video repeat it
        assertThat(meanAbsoluteDifference(sheet, 0, 160, 160, 90)).isLessThan(2.0);
        assertThat(meanAbsoluteDifference(sheet, 0, 320, 160, 90)).isLessThan(2.0);
        final BufferedImage poster = ImageIO.read(folder.resolve(ThumbnailCommand.POSTER).toFile());
        assertThat(poster.getWidth()).isEqualTo(320);
        assertThat(meanLuma(poster, 0, 0, 320, 240)).as("poster past the video's end").isGreaterThan(MIN_PICTURE_LUMA);
    }

    private static double meanAbsoluteDifference(final BufferedImage image, final int x0, final int x1,
        final int width, final int height)
    {
        double sum = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                final int a = image.getRGB(x0 + x, y);
                final int b = image.getRGB(x1 + x, y);
                for (int shift = 0; shift <= 16; shift += 8)
                {
                    sum += Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * width * height);
    }

    private static List<long[]> cues(final String vtt)
    {
        assertThat(vtt).startsWith("WEBVTT\n");
        final List<long[]> cues = new ArrayList<>();
        final Matcher matcher = CUE.matcher(vtt);
        while (matcher.find())
        {
            cues.add(new long[] {
                millis(matcher, 1), millis(matcher, 5),
                Long.parseLong(matcher.group(9)), Long.parseLong(matcher.group(10)),
                Long.parseLong(matcher.group(11)), Long.parseLong(matcher.group(12))});
        }
        return cues;
    }

    private static long millis(final Matcher matcher, final int firstGroup)
    {
        return ((Long.parseLong(matcher.group(firstGroup)) * 60 + Long.parseLong(matcher.group(firstGroup + 1))) * 60 +
            Long.parseLong(matcher.group(firstGroup + 2))) * 1000 + Long.parseLong(matcher.group(firstGroup + 3));
    }

    private static double meanLuma(final BufferedImage image, final int x0, final int y0, final int width,
        final int height)
    {
        double sum = 0;
        for (int y = y0; y < y0 + height; y++)
        {
            for (int x = x0; x < x0 + width; x++)
            {
                final int rgb = image.getRGB(x, y);
                sum += 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
            }
        }
        return sum / ((double)width * height);
    }
}
