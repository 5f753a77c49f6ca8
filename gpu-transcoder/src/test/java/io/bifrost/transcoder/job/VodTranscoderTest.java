package io.bifrost.transcoder.job;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ffmpeg.TranscodeProgress;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.packaging.MediaPlaylistParser;
import io.bifrost.transcoder.packaging.MediaSegment;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.probe.SourceRejectedException;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole VOD transcode with the real ffmpeg and ffprobe, on a 6 s 640x360 25 fps clip with audio (transcoded
 * once for all assertions) and a few small bad inputs.
 */
class VodTranscoderTest
{
    private static final double SOURCE_SECONDS = 6.0;
    private static final int FPS = 25;
    private static final int SEGMENT_SECONDS = 4;

    @TempDir
    static Path dir;
    static Path source;
    static Path title;
    static VodTranscoder transcoder;
    static final List<TranscodeProgress> PROGRESS = new CopyOnWriteArrayList<>();
    static VodTranscoder.Outcome outcome;

    @BeforeAll
    static void transcodeOnce() throws Exception
    {
        source = TestMedia.clip(dir.resolve("source.mp4"), 640, 360, FPS, SOURCE_SECONDS, true);
        transcoder = new VodTranscoder(TestMedia.FFMPEG, TestMedia.FFPROBE, SourceLimits.DEFAULTS);
        outcome = transcoder.transcode("clip-1", source, dir.resolve("vod"), LadderOptions.DEFAULTS,
            ThumbnailOptions.DEFAULTS, PROGRESS::add);
        title = dir.resolve("vod").resolve("clip-1");
    }

    private static byte[] initPlusSegment(final Path rendition, final int number) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(Files.readAllBytes(rendition.resolve("init.mp4")));
        bytes.writeBytes(Files.readAllBytes(rendition.resolve(number + ".m4s")));
        return bytes.toByteArray();
    }

    /** ffprobe's video packets of one segment (init + segment), as "pts_time,flags" lines. */
    private static List<String> videoPackets(final Path rendition, final int number) throws Exception
    {
        final Path joined = dir.resolve(rendition.getFileName() + "-" + number + ".mp4");
        Files.write(joined, initPlusSegment(rendition, number));
        return TestMedia.ffprobe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
            "-of", "csv=p=0", joined.toString()).lines().filter(l -> !l.isBlank()).toList();
    }

    /** ffprobe's streams of a playlist, one csv line each (HLS lists each stream under its program too). */
    private static List<String> streams(final Path media, final String entries) throws Exception
    {
        return TestMedia.ffprobe("-v", "error", "-show_entries", "stream=" + entries, "-of", "csv=p=0",
            media.toString()).lines().filter(l -> !l.isBlank()).distinct().toList();
    }

    @Test
    void shouldPublishEveryPlannedRenditionAndReportProgressToTheEnd()
    {
        assertThat(outcome).isEqualTo(VodTranscoder.Outcome.PUBLISHED);
        assertThat(title.resolve("240p/index.m3u8")).isRegularFile();
        assertThat(title.resolve("360p/index.m3u8")).isRegularFile();
        assertThat(title.resolve("audio/index.m3u8")).isRegularFile();
        assertThat(title.resolve("480p")).doesNotExist();
        assertThat(dir.resolve("vod").resolve("clip-1" + VodTranscoder.PARTIAL_SUFFIX)).doesNotExist();
        assertThat(PROGRESS).isNotEmpty();
        assertThat(PROGRESS.get(PROGRESS.size() - 1).done()).isTrue();
        assertThat(PROGRESS.get(PROGRESS.size() - 1).percent()).isEqualTo(100.0);
    }

    @Test
    void everyRenditionShouldDecodeWithTheExpectedCodecAndSize() throws Exception
    {
        assertThat(streams(title.resolve("240p/index.m3u8"), "codec_name,profile,width,height,pix_fmt"))
            .containsExactly("h264,High,426,240,yuv420p");
        assertThat(streams(title.resolve("360p/index.m3u8"), "codec_name,width,height"))
            .containsExactly("h264,640,360");
        assertThat(streams(title.resolve("audio/index.m3u8"), "codec_name,sample_rate,channels"))
            .containsExactly("aac,48000,2");
        // a full decode of every frame, not only the headers
        for (final String rendition : List.of("240p", "360p"))
        {
            assertThat(TestMedia.ffprobe("-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", title.resolve(rendition).resolve("index.m3u8").toString())
                .lines().filter(l -> !l.isBlank()).distinct().toList())
                .containsExactly(Integer.toString((int)(SOURCE_SECONDS * FPS)));
        }
    }

    @Test
    void everyRenditionShouldHaveCeilDurationOverSegmentSegmentsNumberedFromZero() throws Exception
    {
        final int expected = (int)Math.ceil(SOURCE_SECONDS / SEGMENT_SECONDS);
        for (final String rendition : List.of("240p", "360p", "audio"))
        {
            final List<MediaSegment> segments = MediaPlaylistParser.parse(
                Files.readString(title.resolve(rendition).resolve("index.m3u8")));
            assertThat(segments).as(rendition).extracting(MediaSegment::uri).containsExactly("0.m4s", "1.m4s");
            assertThat(segments).hasSize(expected);
            assertThat(title.resolve(rendition).resolve("init.mp4")).isRegularFile();
            assertThat(title.resolve(rendition).resolve(expected + ".m4s")).doesNotExist();
        }
    }

    @Test
    void everySegmentShouldStartWithAKeyframeAtTheSameTimeInEveryRendition() throws Exception
    {
        for (int number = 0; number < 2; number++)
        {
            final List<String> low = videoPackets(title.resolve("240p"), number);
            final List<String> high = videoPackets(title.resolve("360p"), number);
            assertThat(low.get(0)).as("240p segment %d first packet", number).endsWith(",K_");
            assertThat(high.get(0)).as("360p segment %d first packet", number).endsWith(",K_");
            assertThat(low.stream().filter(l -> l.contains("K")).count()).as("one GOP per segment").isEqualTo(1);
            final double lowStart = Double.parseDouble(low.get(0).split(",")[0]);
            final double highStart = Double.parseDouble(high.get(0).split(",")[0]);
            assertThat(lowStart).isEqualTo(highStart);
        }
    }

    @Test
    void segmentDurationsShouldMatchTheSourceWithinOneFrame() throws Exception
    {
        final double frame = 1.0 / FPS;
        for (final String rendition : List.of("240p", "360p"))
        {
            final List<MediaSegment> segments = MediaPlaylistParser.parse(
                Files.readString(title.resolve(rendition).resolve("index.m3u8")));
            for (int i = 0; i < segments.size(); i++)
            {
                final double expected = Math.min(SEGMENT_SECONDS, SOURCE_SECONDS - i * SEGMENT_SECONDS);
                assertThat(segments.get(i).durationSeconds()).as("%s EXTINF %d", rendition, i)
                    .isCloseTo(expected, within(frame));
                assertThat(videoPackets(title.resolve(rendition), i).size() * frame).as("%s frames in %d", rendition, i)
                    .isCloseTo(expected, within(frame));
            }
        }
    }

    @Test
    void masterPlaylistShouldListBothVariantsAndPlayInFfprobe() throws Exception
    {
        final String master = Files.readString(title.resolve("master.m3u8"));
        assertThat(master).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
            .contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac\"")
            .containsPattern("CODECS=\"avc1\\.640015,mp4a\\.40\\.2\",RESOLUTION=426x240,FRAME-RATE=25\\.000")
            .containsPattern("CODECS=\"avc1\\.64001e,mp4a\\.40\\.2\",RESOLUTION=640x360,FRAME-RATE=25\\.000")
            .containsPattern("#EXT-X-STREAM-INF:BANDWIDTH=\\d{6,7},AVERAGE-BANDWIDTH=\\d{6,7},");

        final List<String> streams = TestMedia.ffprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
            "-of", "csv=p=0", title.resolve("master.m3u8").toString()).lines().filter(l -> !l.isBlank()).toList();
        assertThat(streams).contains("h264,426,240", "h264,640,360", "aac");
    }

    @Test
    void dashManifestShouldOpenInFfprobe() throws Exception
    {
        final List<String> streams = TestMedia.ffprobe("-v", "error", "-show_entries", "stream=codec_name,width",
            "-of", "csv=p=0", title.resolve("manifest.mpd").toString()).lines().filter(l -> !l.isBlank()).toList();
        assertThat(streams).contains("h264,426", "h264,640", "aac");
    }

    @Test
    void thumbnailsShouldBePosterSpriteWithVttAndAPreview() throws Exception
    {
        final Path thumbs = title.resolve(VodTranscoder.THUMBNAILS);
        assertThat(TestMedia.ffprobe("-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0",
            thumbs.resolve("poster.jpg").toString()).strip()).isEqualTo("640,360");
        // a tile every 2 s over 6 s: 3 tiles of 160x90 in one row
        assertThat(TestMedia.ffprobe("-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0",
            thumbs.resolve("sprite.jpg").toString()).strip()).isEqualTo("480,90");
        assertThat(Files.readString(thumbs.resolve("sprite.vtt"))).startsWith("WEBVTT\n")
            .contains("00:00:04.000 --> 00:00:06.000\nsprite.jpg#xywh=320,0,160,90\n");
        final String preview = TestMedia.ffprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
            "-show_entries", "format=duration", "-of", "csv=p=0", thumbs.resolve("preview.mp4").toString());
        assertThat(preview).contains("h264,320,180");
        assertThat(Double.parseDouble(preview.lines().filter(l -> !l.contains(",")).findFirst().orElseThrow()))
            .isCloseTo(3.0, within(0.1));
    }

    @Test
    void aReplayedJobShouldBeSkippedAndAHalfDoneOneRedone() throws Exception
    {
        assertThat(transcoder.transcode("clip-1", source, dir.resolve("vod"), LadderOptions.DEFAULTS,
            ThumbnailOptions.DEFAULTS, p -> { })).isEqualTo(VodTranscoder.Outcome.ALREADY_PUBLISHED);

        final Path silent = TestMedia.clip(dir.resolve("silent.mp4"), 320, 180, FPS, 3, false);
        final Path leftover = dir.resolve("vod").resolve("silent-1" + VodTranscoder.PARTIAL_SUFFIX);
        Files.createDirectories(leftover.resolve("240p"));
        Files.writeString(leftover.resolve("240p/99.m4s"), "half-written by a crashed worker");

        assertThat(transcoder.transcode("silent-1", silent, dir.resolve("vod"),
            LadderOptions.DEFAULTS.withSegmentSeconds(2), ThumbnailOptions.DEFAULTS, p -> { }))
            .isEqualTo(VodTranscoder.Outcome.PUBLISHED);

        final Path published = dir.resolve("vod").resolve("silent-1");
        assertThat(leftover).doesNotExist();
        assertThat(published.resolve("240p/99.m4s")).doesNotExist();
        assertThat(published.resolve("audio")).doesNotExist();
        // below the lowest rung: kept at source size; no audio rendition, no audio group
        final String master = Files.readString(published.resolve("master.m3u8"));
        assertThat(master).doesNotContain("EXT-X-MEDIA", "mp4a").contains("RESOLUTION=320x180");
        assertThat(MediaPlaylistParser.parse(Files.readString(published.resolve("240p/index.m3u8")))).hasSize(2);
        assertThat(streams(published.resolve("master.m3u8"), "codec_name,width,height"))
            .containsExactly("h264,320,180");
    }

    @Test
    void aFileThatIsNotMediaShouldBeRefusedClearly() throws Exception
    {
        final Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(100));

        final SourceRejectedException ex = catchThrowableOfType(SourceRejectedException.class, () ->
            transcoder.transcode("notes", text, dir.resolve("vod"), LadderOptions.DEFAULTS,
            ThumbnailOptions.DEFAULTS, p -> { }));

        assertThat(ex.reason()).isEqualTo(SourceRejectedException.Reason.NOT_MEDIA);
        assertThat(ex.getMessage()).contains("ffprobe cannot read the file as media", "Invalid data");
        assertThat(dir.resolve("vod").resolve("notes")).doesNotExist();
        assertThat(dir.resolve("vod").resolve("notes" + VodTranscoder.PARTIAL_SUFFIX)).doesNotExist();
    }

    @Test
    void anAudioOnlyFileShouldBeRefusedAsNotAVideo() throws Exception
    {
        final Path audio = dir.resolve("tone.m4a");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=44100", "-t", "1", "-c:a", "aac", audio.toString()));

        final SourceRejectedException ex = catchThrowableOfType(SourceRejectedException.class, () ->
            transcoder.transcode("tone", audio, dir.resolve("vod"), LadderOptions.DEFAULTS,
            ThumbnailOptions.DEFAULTS, p -> { }));

        assertThat(ex.reason()).isEqualTo(SourceRejectedException.Reason.NO_VIDEO);
        assertThat(ex.getMessage()).contains("not a video", "audio only: aac");
    }

    @Test
    void aTruncatedFileShouldFailWithAnExplainedTranscodeException() throws Exception
    {
        final Path whole = dir.resolve("faststart.mp4");
        TestMedia.run(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-i", source.toString(),
            "-c", "copy", "-movflags", "+faststart", whole.toString()));
        final byte[] bytes = Files.readAllBytes(whole);
        final Path truncated = Files.write(dir.resolve("truncated.mp4"),
            java.util.Arrays.copyOf(bytes, bytes.length / 2));

        final TranscodeException ex = catchThrowableOfType(TranscodeException.class, () ->
            transcoder.transcode("broken", truncated, dir.resolve("vod"), LadderOptions.DEFAULTS,
            ThumbnailOptions.DEFAULTS, p -> { }));

        assertThat(ex).isNotNull();
        assertThat(ex.getMessage()).contains("encoded only", "of the 6.00 s source", "truncated or corrupt",
            "partial file");
        assertThat(dir.resolve("vod").resolve("broken")).doesNotExist();
        assertThat(dir.resolve("vod").resolve("broken" + VodTranscoder.PARTIAL_SUFFIX)).doesNotExist();
    }
}
