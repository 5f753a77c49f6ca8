package io.bifrost.transcoder.packaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the two readers the packager applies to ffmpeg's output (media playlists and init segments): any input is
 * either read into values that obey their invariants or refused with an {@link IllegalArgumentException}. Runs the
 * committed corpora in every build; a real run is
 * {@code JAZZER_FUZZ=1 ./mvnw -pl gpu-transcoder test -Dtest=PackagingParsersFuzzTest}.
 */
class PackagingParsersFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void mediaPlaylistIsReadOrRefused(final byte[] input)
    {
        final List<MediaSegment> segments;
        try
        {
            segments = MediaPlaylistParser.parse(new String(input, StandardCharsets.UTF_8));
        }
        catch (final IllegalArgumentException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
            return;
        }
        assertThat(segments).isNotEmpty().allSatisfy(segment ->
        {
            assertThat(MediaPlaylistParser.isPlainFileName(segment.uri())).isTrue();
            assertThat(segment.durationSeconds()).isPositive().isFinite();
        });
    }

    @FuzzTest(maxDuration = "30s")
    void initSegmentCodecIsReadOrRefused(final byte[] input)
    {
        final String codecs;
        try
        {
            codecs = CodecStringReader.videoCodecString(input);
        }
        catch (final IllegalArgumentException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
            return;
        }
        assertThat(codecs).matches("(avc1|avc3|hvc1|hev1|vp09|av01)\\.[0-9A-Za-z.]+");
    }
}
