package io.bifrost.protocol.naming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.bifrost.protocol.naming.ContentScope.LIVE;
import static io.bifrost.protocol.naming.ContentScope.VOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ContentKeyTest
{
    @Test
    void shouldFormatEveryKindAsTheDocumentedPath()
    {
        assertThat(ContentKey.masterPlaylist(LIVE, "cam1").path()).isEqualTo("/live/cam1/master.m3u8");
        assertThat(ContentKey.mpd(LIVE, "cam1").path()).isEqualTo("/live/cam1/manifest.mpd");
        assertThat(ContentKey.mediaPlaylist(LIVE, "cam1", "720p").path()).isEqualTo("/live/cam1/720p/index.m3u8");
        assertThat(ContentKey.init(LIVE, "cam1", "720p").path()).isEqualTo("/live/cam1/720p/init.mp4");
        assertThat(ContentKey.liveSegment("cam1", "720p", 3, 42).path()).isEqualTo("/live/cam1/720p/3-42.m4s");
        assertThat(ContentKey.livePart("cam1", "720p", 3, 42, 5).path()).isEqualTo("/live/cam1/720p/3-42.5.m4s");

        assertThat(ContentKey.masterPlaylist(VOD, "v-1").path()).isEqualTo("/vod/v-1/master.m3u8");
        assertThat(ContentKey.mpd(VOD, "v-1").path()).isEqualTo("/vod/v-1/manifest.mpd");
        assertThat(ContentKey.mediaPlaylist(VOD, "v-1", "audio_en").path()).isEqualTo("/vod/v-1/audio_en/index.m3u8");
        assertThat(ContentKey.init(VOD, "v-1", "1080p").path()).isEqualTo("/vod/v-1/1080p/init.mp4");
        assertThat(ContentKey.vodSegment("v-1", "1080p", 0).path()).isEqualTo("/vod/v-1/1080p/0.m4s");
    }

    @Test
    void shouldExposeFieldsWithNoneForNumbersAKindDoesNotHave()
    {
        final ContentKey part = ContentKey.livePart("cam1", "720p", 7, 9, 2);
        assertThat(part.scope()).isEqualTo(LIVE);
        assertThat(part.id()).isEqualTo("cam1");
        assertThat(part.rendition()).isEqualTo("720p");
        assertThat(part.kind()).isEqualTo(ContentKind.PART);
        assertThat(part.epoch()).isEqualTo(7);
        assertThat(part.msn()).isEqualTo(9);
        assertThat(part.part()).isEqualTo(2);

        final ContentKey vodSegment = ContentKey.vodSegment("v", "r", 12);
        assertThat(vodSegment.epoch()).isEqualTo(ContentKey.NONE);
        assertThat(vodSegment.msn()).isEqualTo(12);
        assertThat(vodSegment.part()).isEqualTo(ContentKey.NONE);

        final ContentKey master = ContentKey.masterPlaylist(VOD, "v");
        assertThat(master.rendition()).isNull();
        assertThat(master.epoch()).isEqualTo(ContentKey.NONE);
        assertThat(master.msn()).isEqualTo(ContentKey.NONE);
        assertThat(master.part()).isEqualTo(ContentKey.NONE);
    }

    @Test
    void shouldTellPlaylistsFromMediaAndLiveFromVod()
    {
        assertThat(ContentKey.masterPlaylist(LIVE, "a").isPlaylist()).isTrue();
        assertThat(ContentKey.mpd(VOD, "a").isPlaylist()).isTrue();
        assertThat(ContentKey.mediaPlaylist(LIVE, "a", "r").isPlaylist()).isTrue();
        assertThat(ContentKey.init(LIVE, "a", "r").isPlaylist()).isFalse();
        assertThat(ContentKey.liveSegment("a", "r", 0, 0).isPlaylist()).isFalse();
        assertThat(ContentKey.livePart("a", "r", 0, 0, 0).isPlaylist()).isFalse();

        assertThat(ContentKey.liveSegment("a", "r", 0, 0).isLive()).isTrue();
        assertThat(ContentKey.vodSegment("a", "r", 0).isLive()).isFalse();
    }

    @Test
    void shouldNameContentForTelemetryAsScopeSlashId()
    {
        assertThat(ContentKey.livePart("cam1", "720p", 1, 2, 3).contentId()).isEqualTo("live/cam1");
        assertThat(ContentKey.mpd(VOD, "movie_42").contentId()).isEqualTo("vod/movie_42");
    }

    @Test
    void shouldBeEqualByValue()
    {
        assertThat(ContentKey.liveSegment("a", "r", 1, 2))
            .isEqualTo(ContentKey.liveSegment("a", "r", 1, 2))
            .hasSameHashCodeAs(ContentKey.liveSegment("a", "r", 1, 2))
            .isNotEqualTo(ContentKey.liveSegment("a", "r", 2, 2))
            .isNotEqualTo(ContentKey.livePart("a", "r", 1, 2, 0));
        assertThat(ContentKey.masterPlaylist(LIVE, "a")).isNotEqualTo(ContentKey.masterPlaylist(VOD, "a"));
        assertThat(ContentKey.liveSegment("a", "r", 1, 2).toString()).contains("SEGMENT", "/live/a/r/1-2.m4s");
    }

    @Test
    void shouldAcceptTheLongestIdsAndLargestNumbers()
    {
        final String id = "i".repeat(ContentKey.MAX_ID_LENGTH);
        final String rendition = "r".repeat(ContentKey.MAX_RENDITION_LENGTH);
        final ContentKey key = ContentKey.livePart(id, rendition, Long.MAX_VALUE, Long.MAX_VALUE, ContentKey.MAX_PART);

        assertThat(key.path()).isEqualTo("/live/" + id + "/" + rendition + "/" + Long.MAX_VALUE + "-" +
            Long.MAX_VALUE + "." + ContentKey.MAX_PART + ".m4s");
        assertThat(key.path().length()).isLessThan(ContentKeyParser.MAX_PATH_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a/b", "a.b", "..", "a b", "é", "a%2F" })
    void shouldRejectBadIdsAndRenditions(final String name)
    {
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.masterPlaylist(LIVE, name))
            .withMessageContaining("id");
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.init(VOD, "v", name))
            .withMessageContaining("rendition");
    }

    @Test
    void shouldRejectInvalidFactoryArguments()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.masterPlaylist(null, "a"));
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.mpd(LIVE, null));
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.mediaPlaylist(LIVE, "a", null));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ContentKey.masterPlaylist(LIVE, "i".repeat(ContentKey.MAX_ID_LENGTH + 1)));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ContentKey.init(LIVE, "a", "r".repeat(ContentKey.MAX_RENDITION_LENGTH + 1)));
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.liveSegment("a", "r", -1, 0))
            .withMessageContaining("epoch");
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.liveSegment("a", "r", 0, -1))
            .withMessageContaining("msn");
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.vodSegment("a", "r", -1));
        assertThatIllegalArgumentException().isThrownBy(() -> ContentKey.livePart("a", "r", 0, 0, -1))
            .withMessageContaining("part");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ContentKey.livePart("a", "r", 0, 0, ContentKey.MAX_PART + 1));
    }
}
