package io.bifrost.edge.cache.policy;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHintsTest
{
    @Test
    void shouldClassifyEveryKindOfPath()
    {
        assertThat(ContentClass.of(ContentKey.masterPlaylist(ContentScope.VOD, "film"))).isEqualTo(ContentClass.PLAYLIST);
        assertThat(ContentClass.of(ContentKey.mpd(ContentScope.LIVE, "cam"))).isEqualTo(ContentClass.PLAYLIST);
        assertThat(ContentClass.of(ContentKey.mediaPlaylist(ContentScope.LIVE, "cam", "720p")))
            .isEqualTo(ContentClass.PLAYLIST);
        assertThat(ContentClass.of(ContentKey.init(ContentScope.VOD, "film", "720p"))).isEqualTo(ContentClass.INIT);
        assertThat(ContentClass.of(ContentKey.liveSegment("cam", "720p", 3, 42))).isEqualTo(ContentClass.LIVE_SEGMENT);
        assertThat(ContentClass.of(ContentKey.livePart("cam", "720p", 3, 42, 5))).isEqualTo(ContentClass.LIVE_PART);
        assertThat(ContentClass.of(ContentKey.vodSegment("film", "720p", 7))).isEqualTo(ContentClass.VOD_SEGMENT);
    }

    @Test
    void shouldOrderPartsAndSegmentsAlongOneTrack()
    {
        final ContentKey part = ContentKey.livePart("cam", "720p", 3, 42, 5);
        final ContentKey segment = ContentKey.liveSegment("cam", "720p", 3, 42);

        assertThat(ContentHints.trackId(part)).isEqualTo(ContentHints.trackId(segment));
        assertThat(ContentHints.position(part)).isEqualTo(42 * ContentHints.PARTS_PER_SEGMENT + 5);
        assertThat(ContentHints.msnOf(ContentHints.position(part), ContentClass.LIVE_PART)).isEqualTo(42);
        assertThat(ContentHints.position(segment)).isEqualTo(42);
        assertThat(ContentHints.position(ContentKey.init(ContentScope.LIVE, "cam", "720p")))
            .isEqualTo(ContentHints.NO_POSITION);
    }

    @Test
    void shouldSeparateTracksByRenditionScopeAndEpoch()
    {
        final long vod720 = ContentHints.trackId(ContentKey.vodSegment("film", "720p", 1));

        assertThat(ContentHints.trackId(ContentKey.vodSegment("film", "720p", 99))).isEqualTo(vod720);
        assertThat(ContentHints.trackId(ContentKey.vodSegment("film", "1080p", 1))).isNotEqualTo(vod720);
        assertThat(ContentHints.trackId(ContentKey.liveSegment("film", "720p", 0, 1))).isNotEqualTo(vod720);
        assertThat(ContentHints.trackId(ContentKey.liveSegment("cam", "720p", 4, 1)))
            .isNotEqualTo(ContentHints.trackId(ContentKey.liveSegment("cam", "720p", 5, 1)));
    }
}
