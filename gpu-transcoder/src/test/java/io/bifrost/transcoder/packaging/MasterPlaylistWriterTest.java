package io.bifrost.transcoder.packaging;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.bifrost.transcoder.packaging.Fixtures.AAC;
import static io.bifrost.transcoder.packaging.Fixtures.HIGH;
import static io.bifrost.transcoder.packaging.Fixtures.LOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterPlaylistWriterTest
{
    @Test
    void shouldWriteVariantsWithAudioGroupAndBandwidthIncludingAudio()
    {
        final String master = MasterPlaylistWriter.write(List.of(LOW, HIGH), List.of(AAC), "index.m3u8");

        assertThat(master.split("\n")).containsExactly(
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            "#EXT-X-INDEPENDENT-SEGMENTS",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES," +
                "CHANNELS=\"2\",URI=\"audio/index.m3u8\"",
            "#EXT-X-STREAM-INF:BANDWIDTH=630000,AVERAGE-BANDWIDTH=578000,CODECS=\"avc1.64000d,mp4a.40.2\"," +
                "RESOLUTION=426x240,FRAME-RATE=25.000,AUDIO=\"audio-aac\"",
            "240p/index.m3u8",
            "#EXT-X-STREAM-INF:BANDWIDTH=1130000,AVERAGE-BANDWIDTH=1028000,CODECS=\"avc1.64001e,mp4a.40.2\"," +
                "RESOLUTION=640x360,FRAME-RATE=29.970,AUDIO=\"audio-aac\"",
            "360p/index.m3u8");
    }

    @Test
    void shouldWriteVideoOnlyVariantsWithoutAudioAttributes()
    {
        final PackagedVideo silent = new PackagedVideo("240p", "avc1.64000d", 426, 240, LOW.frameRate(),
            LOW.bandwidth(), LOW.segments(), null);

        final String master = MasterPlaylistWriter.write(List.of(silent), List.of(), "index.m3u8");

        assertThat(master).doesNotContain("EXT-X-MEDIA", "AUDIO=", "mp4a")
            .contains("#EXT-X-STREAM-INF:BANDWIDTH=500000,AVERAGE-BANDWIDTH=450000,CODECS=\"avc1.64000d\"," +
                "RESOLUTION=426x240,FRAME-RATE=25.000\n240p/index.m3u8\n");
    }

    @Test
    void shouldRefuseAVariantNamingAMissingAudioGroup()
    {
        assertThatThrownBy(() -> MasterPlaylistWriter.write(List.of(LOW), List.of(), "index.m3u8"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audio-aac");
    }
}
