package io.bifrost.origin.store;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OriginStoreTest
{
    @TempDir
    Path temp;

    private Path title(final String videoId) throws Exception
    {
        final Path dir = temp.resolve("titles").resolve(videoId);
        Files.createDirectories(dir.resolve("240p"));
        Files.createDirectories(dir.resolve("thumbnails"));
        Files.writeString(dir.resolve("master.m3u8"), "#EXTM3U\n");
        Files.writeString(dir.resolve("manifest.mpd"), "<MPD/>\n");
        Files.writeString(dir.resolve("240p/index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\n0.m4s\n");
        Files.write(dir.resolve("240p/init.mp4"), new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'});
        Files.write(dir.resolve("240p/0.m4s"), new byte[200 * 1024]);
        Files.write(dir.resolve("thumbnails/poster.jpg"), new byte[] {(byte)0xFF, (byte)0xD8});
        Files.writeString(dir.resolve("240p/ffmpeg.log"), "not served\n");
        return dir;
    }

    @Test
    void shouldImportEveryServedFileOfATitleAndChangeNothingOnReplay() throws Exception
    {
        final Path dir = title("v1");
        try (OriginStore store = OriginStore.open(temp.resolve("db")))
        {
            final TitleImport.Summary first = TitleImport.importTitle(store, "v1", dir,
                Map.of("video/v1", "{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(first.objects()).isEqualTo(6);
            assertThat(first.ignoredFiles()).containsExactly("240p/ffmpeg.log");
            final StoredObject segment = store.get(ContentKey.vodSegment("v1", "240p", 0));
            assertThat(segment.payloadLength()).isEqualTo(200 * 1024);

            final TitleImport.Summary replay = TitleImport.importTitle(store, "v1", dir,
                Map.of("video/v1", "{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(replay).isEqualTo(first);
            final StoredObject again = store.get(ContentKey.vodSegment("v1", "240p", 0));
            assertThat(again.value()).isEqualTo(segment.value());
            assertThat(again.etag()).isEqualTo(segment.etag());
            assertThat(store.get(ContentKey.masterPlaylist(ContentScope.VOD, "v1")).payload())
                .isEqualTo("#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldKeepTitlesAfterReopenAndDeleteOnlyTheNamedTitle() throws Exception
    {
        try (OriginStore store = OriginStore.open(temp.resolve("db")))
        {
            for (final String id : new String[] {"abc", "abc-d", "abcd", "ab"})
            {
                TitleImport.importTitle(store, id, title(id), Map.of());
            }
        }
        try (OriginStore store = OriginStore.open(temp.resolve("db")))
        {
            assertThat(store.get(ContentKey.init(ContentScope.VOD, "abc", "240p"))).isNotNull();
            try (OriginStore.Batch batch = store.batch())
            {
                batch.deleteTitle("abc").commit();
            }
            assertThat(store.get(ContentKey.init(ContentScope.VOD, "abc", "240p"))).isNull();
            assertThat(store.get(ContentKey.vodSegment("abc", "240p", 0))).isNull();
            assertThat(store.get(ContentKey.mpd(ContentScope.VOD, "abc"))).isNull();
            assertThat(store.getObject(TitleLayout.basePath(ContentKey.mpd(ContentScope.VOD, "abc")))).isNull();
            for (final String other : new String[] {"abc-d", "abcd", "ab"})
            {
                assertThat(store.get(ContentKey.vodSegment(other, "240p", 0))).as(other).isNotNull();
                assertThat(store.get(ContentKey.mpd(ContentScope.VOD, other))).as(other).isNotNull();
            }
        }
    }

    @Test
    void shouldMapTranscoderFileNamesOntoTheUrlLayout()
    {
        assertThat(TitleLayout.keyOf("v", "master.m3u8").path()).isEqualTo("/vod/v/master.m3u8");
        assertThat(TitleLayout.keyOf("v", "720p/12.m4s").path()).isEqualTo("/vod/v/720p/12.m4s");
        assertThat(TitleLayout.keyOf("v", "audio/init.mp4").path()).isEqualTo("/vod/v/audio/init.mp4");
        assertThat(TitleLayout.keyOf("v", "thumbnails/sprite.vtt").path()).isEqualTo("/vod/v/thumbnails/sprite.vtt");
        assertThat(TitleLayout.keyOf("v", "720p/012.m4s")).isNull();
        assertThat(TitleLayout.keyOf("v", "720p/x/0.m4s")).isNull();
        assertThat(TitleLayout.keyOf("v", "thumbnails/other.jpg")).isNull();
        assertThat(TitleLayout.isManifestPath("/vod/v/master.m3u8#base")).isTrue();
        assertThat(TitleLayout.isManifestPath("/vod/v/720p/init.mp4")).isFalse();
    }
}
