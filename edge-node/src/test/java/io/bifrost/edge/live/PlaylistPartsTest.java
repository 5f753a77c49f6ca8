package io.bifrost.edge.live;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlaylistPartsTest
{
    @Test
    void shouldListEveryPartWithSegmentEndsAndIndependentFlags()
    {
        final String playlist = LiveParts.playlist(new LiveWindow(5, 0, 1, 0, 1, 2000, 500));

        final List<PlaylistParts.Part> parts = PlaylistParts.parse("cam1", "720p", playlist);

        assertThat(parts).hasSize(10);
        assertThat(parts.get(0)).isEqualTo(new PlaylistParts.Part(5, 0, 0, true, false));
        assertThat(parts.get(3)).isEqualTo(new PlaylistParts.Part(5, 0, 3, false, true));
        assertThat(parts.get(7)).isEqualTo(new PlaylistParts.Part(5, 1, 3, false, true));
        assertThat(parts.get(9)).isEqualTo(new PlaylistParts.Part(5, 2, 1, false, false));
    }

    @Test
    void shouldSkipGapsForeignNamesAndGarbage()
    {
        final String playlist = "#EXTM3U\r\n#EXT-X-PART:DURATION=0.5,URI=\"5-0.0.m4s\",GAP=YES\r\n" +
            "#EXT-X-PART:DURATION=0.5,URI=\"../x/5-0.1.m4s\"\n#EXT-X-PART:URI=\"5-0.2.m4s\n#EXT-X-PART:URI=\"07-1.1.m4s\"\n" +
            "#EXT-X-PART:DURATION=0.5,URI=\"5-0.3.m4s\"\r\n#EXTINF:2,\r\n5-0.m4s\r\n";

        assertThat(PlaylistParts.parse("cam1", "720p", playlist)).containsExactly(new PlaylistParts.Part(5, 0, 3, false, true));
        assertThat(PlaylistParts.parse("cam1", "720p", "")).isEmpty();
        assertThat(PlaylistParts.parse("cam1", "720p", null)).isEmpty();
    }
}
