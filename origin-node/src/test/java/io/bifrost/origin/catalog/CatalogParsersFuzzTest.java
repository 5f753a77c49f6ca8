package io.bifrost.origin.catalog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for the catalog's parsers: the master playlist reader refuses with an
 * {@link IllegalArgumentException} or returns a bounded list; the JPEG size reader gives a positive size or null; caption checks never throw, and an accepted language
 * always makes a valid rendition name (so it can never escape its title's key range). Replays the committed corpus in
 * a normal build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class CatalogParsersFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void masterPlaylistIsReadOrRefused(final byte[] input)
    {
        try
        {
            final var formats = MasterPlaylistReader.read(new String(input, StandardCharsets.UTF_8));
            assertThat(formats.size()).isLessThanOrEqualTo(MasterPlaylistReader.MAX_VARIANTS);
            formats.forEach(format -> assertThat(format.bandwidthBps()).isNotNegative());
        }
        catch (final IllegalArgumentException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void jpegSizeIsReadOrNull(final byte[] input)
    {
        final JpegSize.Size size = JpegSize.read(input);
        if (size != null)
        {
            assertThat(size.width()).isPositive();
            assertThat(size.height()).isPositive();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void captionChecksNeverThrowAndAcceptedLanguagesNameRenditions(final byte[] input)
    {
        CaptionTrack.bodyProblem(input);
        final String language = new String(input, StandardCharsets.UTF_8);
        if (CaptionTrack.languageProblem(language) == null)
        {
            ContentKey.mediaPlaylist(ContentScope.VOD, "video1", CaptionTrack.rendition(language));
        }
    }
}
