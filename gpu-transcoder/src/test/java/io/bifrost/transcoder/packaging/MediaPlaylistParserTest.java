package io.bifrost.transcoder.packaging;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaPlaylistParserTest
{
    private static final String FFMPEG_PLAYLIST = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:4.000000,
        0.m4s
        #EXTINF:2.000000,
        1.m4s
        #EXT-X-ENDLIST
        """;

    @Test
    void shouldReadSegmentsOfAnFfmpegVodPlaylist()
    {
        final List<MediaSegment> segments = MediaPlaylistParser.parse(FFMPEG_PLAYLIST);

        assertThat(segments).containsExactly(new MediaSegment("0.m4s", 4.0, -1), new MediaSegment("1.m4s", 2.0, -1));
    }

    @Test
    void shouldRefuseIncompleteOrHostilePlaylists()
    {
        assertThatThrownBy(() -> MediaPlaylistParser.parse("0.m4s\n")).hasMessageContaining("#EXTM3U");
        assertThatThrownBy(() -> MediaPlaylistParser.parse(FFMPEG_PLAYLIST.replace("#EXT-X-ENDLIST", "")))
            .hasMessageContaining("no #EXT-X-ENDLIST");
        assertThatThrownBy(() -> MediaPlaylistParser.parse(FFMPEG_PLAYLIST.replace("1.m4s", "../../etc/passwd")))
            .hasMessageContaining("not a plain file name");
        assertThatThrownBy(() -> MediaPlaylistParser.parse(FFMPEG_PLAYLIST.replace("2.000000", "-1")))
            .hasMessageContaining("out of range");
        assertThatThrownBy(() -> MediaPlaylistParser.parse(FFMPEG_PLAYLIST.replace("2.000000", "x")))
            .hasMessageContaining("bad EXTINF");
        assertThatThrownBy(() -> MediaPlaylistParser.parse("#EXTM3U\n#EXT-X-ENDLIST\n"))
            .hasMessageContaining("no segments");
        assertThatThrownBy(() -> MediaPlaylistParser.parse("#EXTM3U\nfoo.m4s\n#EXT-X-ENDLIST\n"))
            .hasMessageContaining("without EXTINF");
    }

    @Test
    void bandwidthShouldBePeakSegmentRateAndTotalAverage()
    {
        final Bandwidth bandwidth = Bandwidth.of(List.of(new MediaSegment("0.m4s", 4.0, 500_000),
            new MediaSegment("1.m4s", 2.0, 400_000)));

        assertThat(bandwidth.peakBps()).isEqualTo(1_600_000);
        assertThat(bandwidth.averageBps()).isEqualTo(1_200_000);
        assertThat(bandwidth.plus(new Bandwidth(130_000, 128_000))).isEqualTo(new Bandwidth(1_730_000, 1_328_000));
    }
}
