package io.bifrost.origin.catalog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptionsAndPlaylistsTest
{
    private static final String MASTER = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio-aac",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=600000,AVERAGE-BANDWIDTH=500000,CODECS="avc1.42c015,mp4a.40.2",RESOLUTION=426x240,FRAME-RATE=25.000,AUDIO="audio-aac"
        240p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=1200000,AVERAGE-BANDWIDTH=1000000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=29.970,AUDIO="audio-aac"
        360p/index.m3u8
        """;

    @Test
    void shouldAcceptBcp47LikeLanguagesAndWebVttBodiesOnly()
    {
        for (final String good : new String[] {"en", "pt-BR", "zh-Hant-TW", "deu", "es-419"})
        {
            assertThat(CaptionTrack.languageProblem(good)).as(good).isNull();
        }
        for (final String bad : new String[] {"", "e", "english", "en-", "-en", "en_US", "en-a", "en-1-2-3-4", "../x"})
        {
            assertThat(CaptionTrack.languageProblem(bad)).as(bad).isNotNull();
        }
        assertThat(CaptionTrack.bodyProblem("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n".getBytes(StandardCharsets.UTF_8)))
            .isNull();
        assertThat(CaptionTrack.bodyProblem("\uFEFFWEBVTT - title\n".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CaptionTrack.bodyProblem("WEBVTT".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CaptionTrack.bodyProblem("WEBVTTX\n".getBytes(StandardCharsets.UTF_8))).contains("followed");
        assertThat(CaptionTrack.bodyProblem("1\n00:00:00,000 --> 00:00:01,000\n".getBytes(StandardCharsets.UTF_8)))
            .contains("WEBVTT");
        assertThat(CaptionTrack.bodyProblem(new byte[] {'W', 'E', 'B', 'V', 'T', 'T', '\n', (byte)0xC3})).contains("UTF-8");
        assertThat(CaptionTrack.bodyProblem(new byte[CaptionTrack.MAX_BYTES + 1])).contains("larger");
    }

    @Test
    void shouldListSubtitlesInTheMasterOnEveryVariantAndInTheMpd()
    {
        final String master = CaptionManifests.hlsMaster(MASTER, List.of("en", "fr"));
        assertThat(master.lines().filter(line -> line.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES"))).hasSize(2);
        assertThat(master.lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:"))
            .allMatch(line -> line.endsWith(",SUBTITLES=\"subs\""))).isTrue();
        assertThat(master.indexOf("TYPE=SUBTITLES")).isLessThan(master.indexOf("#EXT-X-STREAM-INF"));
        assertThat(CaptionManifests.hlsMaster(MASTER, List.of())).isEqualTo(MASTER);

        final String mpd = CaptionManifests.mpd("<MPD>\n  <Period id=\"0\">\n  </Period>\n</MPD>\n", List.of("en"));
        assertThat(mpd).contains("contentType=\"text\" mimeType=\"text/vtt\" lang=\"en\"",
            "<BaseURL>sub-en/subtitles.vtt</BaseURL>");
        assertThat(mpd.indexOf("</AdaptationSet>")).isLessThan(mpd.indexOf("</Period>"));
        assertThat(CaptionManifests.subtitlePlaylist(3.04)).contains("#EXT-X-TARGETDURATION:4\n", "#EXTINF:3.040,\n");
    }

    @Test
    void shouldReadJpegSizesFromTheFrameHeader() throws Exception
    {
        final java.nio.file.Path poster = java.nio.file.Files.createTempFile("poster", ".jpg");
        try
        {
            io.bifrost.origin.TestClips.run(List.of(io.bifrost.origin.TestClips.FFMPEG.toString(), "-nostdin", "-v",
                "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=64x48", "-frames:v", "1", poster.toString()));
            assertThat(JpegSize.read(java.nio.file.Files.readAllBytes(poster))).isEqualTo(new JpegSize.Size(64, 48));
        }
        finally
        {
            java.nio.file.Files.delete(poster);
        }
        assertThat(JpegSize.read(new byte[] {(byte)0xFF, (byte)0xD8, (byte)0xFF})).isNull();
        assertThat(JpegSize.read("GIF89a".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void shouldReadTheVariantsOfAMasterPlaylist()
    {
        final List<VideoRecord.Format> formats = MasterPlaylistReader.read(MASTER);
        assertThat(formats).containsExactly(
            new VideoRecord.Format("240p", 426, 240, 600_000, 500_000, "avc1.42c015,mp4a.40.2", 25.0),
            new VideoRecord.Format("360p", 640, 360, 1_200_000, 1_000_000, "avc1.64001e,mp4a.40.2", 29.97));
        assertThatThrownBy(() -> MasterPlaylistReader.read("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\nx/i.m3u8\n"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BANDWIDTH");
        assertThatThrownBy(() -> MasterPlaylistReader.read("<html>"))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
