package io.bifrost.protocol.naming;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.bifrost.protocol.naming.PathRejection.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ContentKeyParserTest
{
    private static final String ID_64 = "i".repeat(ContentKey.MAX_ID_LENGTH);
    private static final String RENDITION_32 = "r".repeat(ContentKey.MAX_RENDITION_LENGTH);

    static Stream<Arguments> validPaths()
    {
        return Stream.of(
            arguments("/live/cam1/master.m3u8", ContentKey.masterPlaylist(ContentScope.LIVE, "cam1")),
            arguments("/live/cam1/manifest.mpd", ContentKey.mpd(ContentScope.LIVE, "cam1")),
            arguments("/live/cam1/720p/index.m3u8", ContentKey.mediaPlaylist(ContentScope.LIVE, "cam1", "720p")),
            arguments("/live/cam1/720p/init.mp4", ContentKey.init(ContentScope.LIVE, "cam1", "720p")),
            arguments("/live/cam1/720p/3-42.m4s", ContentKey.liveSegment("cam1", "720p", 3, 42)),
            arguments("/live/cam1/720p/3-42.5.m4s", ContentKey.livePart("cam1", "720p", 3, 42, 5)),
            arguments("/live/cam1/720p/0-0.0.m4s", ContentKey.livePart("cam1", "720p", 0, 0, 0)),
            arguments("/vod/Movie_1-a/master.m3u8", ContentKey.masterPlaylist(ContentScope.VOD, "Movie_1-a")),
            arguments("/vod/v/manifest.mpd", ContentKey.mpd(ContentScope.VOD, "v")),
            arguments("/vod/v/audio_en/index.m3u8", ContentKey.mediaPlaylist(ContentScope.VOD, "v", "audio_en")),
            arguments("/vod/v/1080p/init.mp4", ContentKey.init(ContentScope.VOD, "v", "1080p")),
            arguments("/vod/v/1080p/0.m4s", ContentKey.vodSegment("v", "1080p", 0)),
            arguments("/vod/v/1080p/120.m4s", ContentKey.vodSegment("v", "1080p", 120)),
            arguments("/vod/v/thumbnails/poster.jpg",
                ContentKey.renditionFile(ContentScope.VOD, "v", "thumbnails", ContentKind.POSTER)),
            arguments("/vod/v/thumbnails/sprite.jpg",
                ContentKey.renditionFile(ContentScope.VOD, "v", "thumbnails", ContentKind.SPRITE)),
            arguments("/vod/v/thumbnails/sprite.vtt",
                ContentKey.renditionFile(ContentScope.VOD, "v", "thumbnails", ContentKind.THUMBNAIL_TRACK)),
            arguments("/vod/v/thumbnails/preview.mp4",
                ContentKey.renditionFile(ContentScope.VOD, "v", "thumbnails", ContentKind.PREVIEW)),
            arguments("/vod/v/sub-en/subtitles.vtt",
                ContentKey.renditionFile(ContentScope.VOD, "v", "sub-en", ContentKind.SUBTITLES)),
            arguments("/live/cam1/sub-de/subtitles.vtt",
                ContentKey.renditionFile(ContentScope.LIVE, "cam1", "sub-de", ContentKind.SUBTITLES)),
            arguments(
                "/live/" + ID_64 + "/" + RENDITION_32 + "/9223372036854775807-9223372036854775807.9999.m4s",
                ContentKey.livePart(ID_64, RENDITION_32, Long.MAX_VALUE, Long.MAX_VALUE, 9999)));
    }

    @ParameterizedTest
    @MethodSource("validPaths")
    void shouldParseEveryKindOfName(final String path, final ContentKey expected)
    {
        final PathParseResult result = ContentKeyParser.parse(path);

        assertThat(result).isEqualTo(expected);
        assertThat(((ContentKey)result).path()).isEqualTo(path);
    }

    @Test
    void shouldRefuseAssetNamesInTheWrongPlaceAndKindsWithoutAFixedName()
    {
        assertThat(ContentKeyParser.parse("/vod/v/poster.jpg")).isEqualTo(PathRejection.TOO_FEW_SEGMENTS);
        assertThat(ContentKeyParser.parse("/vod/v/thumbnails/poster.png")).isEqualTo(PathRejection.UNKNOWN_FILE);
        assertThat(ContentKeyParser.parse("/vod/v/thumbnails/x/sprite.vtt")).isInstanceOf(PathRejection.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ContentKey.renditionFile(ContentScope.VOD, "v", "720p", ContentKind.SEGMENT))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a fixed-name file");
    }

    @Test
    void shouldParseAnyCharSequence()
    {
        assertThat(ContentKeyParser.parse(new StringBuilder("/live/cam1/720p/3-42.m4s")))
            .isEqualTo(ContentKey.liveSegment("cam1", "720p", 3, 42));
    }

    static Stream<Arguments> rejectedPaths()
    {
        return Stream.of(
            arguments("", EMPTY),
            arguments("x".repeat(ContentKeyParser.MAX_PATH_LENGTH + 1), TOO_LONG),
            arguments("/live/" + "a".repeat(ContentKeyParser.MAX_PATH_LENGTH), TOO_LONG),
            arguments("live/cam1/master.m3u8", NOT_ABSOLUTE),
            arguments("cam1", NOT_ABSOLUTE),
            arguments("/live/cam1/master.m3u8?token=abc", QUERY_OR_FRAGMENT),
            arguments("/live/cam1/master.m3u8#top", QUERY_OR_FRAGMENT),
            arguments("/live/cam1%2F720p/index.m3u8", PERCENT_ENCODED),
            arguments("/live/cam1/%2e%2e/master.m3u8", PERCENT_ENCODED),
            arguments("/live/cam1/720p%2Findex.m3u8", PERCENT_ENCODED),
            arguments("/live/cam1\\720p/index.m3u8", BACKSLASH),
            arguments("/live/cam1/..\\..\\master.m3u8", BACKSLASH),
            arguments("/live/cam1/master.m3u8\u0000", ILLEGAL_CHARACTER),
            arguments("/live/cam\n1/master.m3u8", ILLEGAL_CHARACTER),
            arguments("/live/cam1\u007F/master.m3u8", ILLEGAL_CHARACTER),
            arguments("/live/caméra/master.m3u8", ILLEGAL_CHARACTER),
            arguments("/live/cam1\uFF0F720p/index.m3u8", ILLEGAL_CHARACTER),
            arguments("//live/cam1/master.m3u8", EMPTY_SEGMENT),
            arguments("/live//cam1/master.m3u8", EMPTY_SEGMENT),
            arguments("/live/cam1/720p//index.m3u8", EMPTY_SEGMENT),
            arguments("/live/cam1/../master.m3u8", TRAVERSAL),
            arguments("/live/cam1/./master.m3u8", TRAVERSAL),
            arguments("/../etc/passwd", TRAVERSAL),
            arguments("/live/cam1/720p/..", TRAVERSAL),
            arguments("/live/cam1/", TRAILING_SLASH),
            arguments("/live/cam1/720p/index.m3u8/", TRAILING_SLASH),
            arguments("/etc/passwd", UNKNOWN_SCOPE),
            arguments("/LIVE/cam1/master.m3u8", UNKNOWN_SCOPE),
            arguments("/lives/cam1/master.m3u8", UNKNOWN_SCOPE),
            arguments("/live/cam.1/master.m3u8", BAD_ID),
            arguments("/live/cam 1/master.m3u8", BAD_ID),
            arguments("/vod/a:b/master.m3u8", BAD_ID),
            arguments("/live/" + ID_64 + "x/master.m3u8", ID_TOO_LONG),
            arguments("/live/cam1/72.0p/index.m3u8", BAD_RENDITION),
            arguments("/live/cam1/720p+/3-42.m4s", BAD_RENDITION),
            arguments("/live/cam1/" + RENDITION_32 + "x/index.m3u8", RENDITION_TOO_LONG),
            arguments("/live/cam1/playlist.m3u8", UNKNOWN_FILE),
            arguments("/live/cam1/720p", UNKNOWN_FILE),
            arguments("/live/cam1/720p/index.M3U8", UNKNOWN_FILE),
            arguments("/live/cam1/720p/3-42.mp4", UNKNOWN_FILE),
            arguments("/live/cam1/720p/3-42.m4s.bak", UNKNOWN_FILE),
            arguments("/live/cam1/720p/42.m4s", WRONG_SEGMENT_FORM),
            arguments("/live/cam1/720p/42.1.m4s", WRONG_SEGMENT_FORM),
            arguments("/vod/v/720p/3-42.m4s", WRONG_SEGMENT_FORM),
            arguments("/vod/v/720p/42.1.m4s", WRONG_SEGMENT_FORM),
            arguments("/live/cam1/720p/03-42.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-042.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-42.05.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-00.m4s", BAD_NUMBER),
            arguments("/vod/v/720p/007.m4s", BAD_NUMBER),
            arguments("/vod/v/720p/.m4s", BAD_NUMBER),
            arguments("/vod/v/720p/+1.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/-42.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-42..m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-4-2.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-42.1.2.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/3-4a.m4s", BAD_NUMBER),
            arguments("/live/cam1/720p/9223372036854775808-1.m4s", NUMBER_OVERFLOW),
            arguments("/live/cam1/720p/1-9223372036854775808.m4s", NUMBER_OVERFLOW),
            arguments("/vod/v/720p/99999999999999999999999.m4s", NUMBER_OVERFLOW),
            arguments("/live/cam1/720p/1-2.10000.m4s", PART_OUT_OF_RANGE),
            arguments("/live/cam1/720p/1-2.99999999999999999999999.m4s", PART_OUT_OF_RANGE),
            arguments("/", TOO_FEW_SEGMENTS),
            arguments("/live", TOO_FEW_SEGMENTS),
            arguments("/live/cam1", TOO_FEW_SEGMENTS),
            arguments("/live/cam1/index.m3u8", TOO_FEW_SEGMENTS),
            arguments("/live/cam1/3-42.m4s", TOO_FEW_SEGMENTS),
            arguments("/live/cam1/720p/extra/index.m3u8", TOO_MANY_SEGMENTS),
            arguments("/live/cam1/720p/master.m3u8", TOO_MANY_SEGMENTS));
    }

    @ParameterizedTest
    @MethodSource("rejectedPaths")
    void shouldRejectWithTheReason(final String path, final PathRejection expected)
    {
        assertThat(ContentKeyParser.parse(path)).isEqualTo(expected);
    }

    @Test
    void shouldHaveAnExampleForEveryRejection()
    {
        final Set<Object> covered = rejectedPaths().map(a -> a.get()[1]).collect(Collectors.toSet());

        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(PathRejection.class));
    }

    @Test
    void shouldTreatNullAsEmpty()
    {
        assertThat(ContentKeyParser.parse(null)).isEqualTo(EMPTY);
    }

    @Test
    void shouldRejectHugeInputByLengthAlone()
    {
        final String huge = "/live/" + "../".repeat(1_000_000);

        assertThat(ContentKeyParser.parse(huge)).isEqualTo(TOO_LONG);
    }

    @Test
    void shouldReportTheFirstProblemInPathOrder()
    {
        assertThat(ContentKeyParser.parse("/live/a%2F/b?x")).isEqualTo(PERCENT_ENCODED);
        assertThat(ContentKeyParser.parse("/live/a?/%2F")).isEqualTo(QUERY_OR_FRAGMENT);
        assertThat(ContentKeyParser.parse("/live/../a//b")).isEqualTo(TRAVERSAL);
        assertThat(ContentKeyParser.parse("/live//../a")).isEqualTo(EMPTY_SEGMENT);
        assertThat(ContentKeyParser.parse("/x/../a")).isEqualTo(TRAVERSAL);
    }

    @Test
    void shouldHaveUniqueStableCodesAndMessages()
    {
        final PathRejection[] values = PathRejection.values();

        assertThat(Arrays.stream(values).map(PathRejection::code)).doesNotHaveDuplicates()
            .allMatch(code -> code.matches("path\\.[a-z_]+"));
        assertThat(Arrays.stream(values).map(PathRejection::message)).doesNotHaveDuplicates()
            .allMatch(message -> !message.isBlank());
        assertThat(TRAVERSAL.code()).isEqualTo("path.traversal");
    }
}
