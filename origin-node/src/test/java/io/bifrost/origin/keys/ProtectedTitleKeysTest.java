package io.bifrost.origin.keys;

import io.bifrost.origin.TestClips;
import io.bifrost.origin.catalog.TitlePublisher;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.catalog.VideoStatus;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.transcoder.job.VodTranscoder;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderRung;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.protection.HlsSegmentEncryptor;
import io.bifrost.transcoder.protection.TitleKey;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Catalog, key store, transcoder and publisher together: an aes-128 and a clearkey title are transcoded with the
 * keys the origin chose, published into the store, and their key URLs answer players (and nobody else) with the key
 * that decrypts what the store serves.
 */
class ProtectedTitleKeysTest
{
    @TempDir
    static Path dir;
    static OriginStore store;
    static VideoCatalog catalog;
    static TitleKeyStore keys;
    static KeyEndpoints endpoints;
    static SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void publishBoth() throws Exception
    {
        store = OriginStore.open(dir.resolve("store"));
        final Path titles = Files.createDirectories(dir.resolve("titles"));
        catalog = new VideoCatalog(store, dir.resolve("originals"), titles, (id, source) -> 0, Clock.systemUTC(),
            registry);
        keys = new TitleKeyStore(store, new SecureRandom());
        endpoints = new KeyEndpoints(catalog, keys, registry);
        final TitleProtections protections = new TitleProtections(catalog, keys, ContentProtection.NONE, "");
        final TitlePublisher publisher = new TitlePublisher(catalog, store, titles);
        final VodTranscoder transcoder = new VodTranscoder(TestClips.FFMPEG, TestClips.FFPROBE, SourceLimits.DEFAULTS);
        final LadderOptions ladder = LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast")
            .withRungs(List.of(LadderRung.P240));
        final Path source = TestClips.clip(dir.resolve("source.mp4"), 4);
        for (final String[] title : new String[][] {{"aes", "aes-128"}, {"ck", "clearkey"}, {"clear", null}})
        {
            catalog.create(title[0], new VideoMetadata(title[0], "", List.of(), "public", "", null, title[1]));
            transcoder.transcode(title[0], source, titles, ladder, ThumbnailOptions.DEFAULTS, progress -> { },
                protections.apply(title[0]));
            publisher.publish(title[0], titles.resolve(title[0]));
            assertThat(catalog.find(title[0]).status()).isEqualTo(VideoStatus.PUBLISHED);
        }
    }

    @AfterAll
    static void close()
    {
        store.close();
    }

    private static FullHttpResponse call(final HttpMethod method, final String path, final String body)
    {
        return endpoints.respond(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)), path);
    }

    @Test
    void shouldServeTheAesKeyThatDecryptsTheStoredSegmentsPrivately()
    {
        final FullHttpResponse response = call(HttpMethod.GET, "/api/v1/videos/aes/hls-key", "");
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("private, no-store");
        final byte[] key = new byte[response.content().readableBytes()];
        response.content().readBytes(key);
        assertThat(key).hasSize(16);
        final TitleKey titleKey = new TitleKey(keys.find("aes").kid(), key);
        final byte[] stored = store.get(ContentKey.vodSegment("aes", "240p", 1)).value();
        final var segment = store.get(ContentKey.vodSegment("aes", "240p", 1));
        final byte[] payload = java.util.Arrays.copyOfRange(stored, segment.payloadOffset(),
            segment.payloadOffset() + (int)segment.payloadLength());
        final byte[] clear = HlsSegmentEncryptor.decrypt(payload, titleKey, 1);
        assertThat(new String(clear, 0, 64, StandardCharsets.ISO_8859_1)).contains("styp");
        final String playlist = new String(store.get(ContentKey.mediaPlaylist(
            io.bifrost.protocol.naming.ContentScope.VOD, "aes", "240p")).value(), StandardCharsets.UTF_8);
        assertThat(playlist).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"/api/v1/videos/aes/hls-key\"");
        assertThat(catalog.find("aes").metadata().protection()).isEqualTo("aes-128");
        assertThat(store.get(ContentKey.mpd(io.bifrost.protocol.naming.ContentScope.VOD, "aes"))).isNull();
    }

    @Test
    void shouldAnswerAClearKeyLicenceForTheTitlesKidOnly()
    {
        final TitleKey key = keys.find("ck");
        final FullHttpResponse response = call(HttpMethod.POST, "/api/v1/videos/ck/clearkey",
            "{\"kids\":[\"" + key.kidBase64Url() + "\"],\"type\":\"temporary\"}");
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("private, no-store");
        assertThat(response.content().toString(StandardCharsets.UTF_8))
            .contains("\"kty\":\"oct\"", "\"kid\":\"" + key.kidBase64Url() + "\"", "\"k\":\"" + key.keyBase64Url() + "\"",
                "\"type\":\"temporary\"");
        final String other = TitleKey.generate(new SecureRandom()).kidBase64Url();
        assertThat(call(HttpMethod.POST, "/api/v1/videos/ck/clearkey", "{\"kids\":[\"" + other + "\"]}").status()
            .code()).isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/v1/videos/ck/clearkey", "{\"kids\":").status().code()).isEqualTo(400);
        assertThat(registry.get("bifrost.origin.keys").tag("outcome", "malformed").counter().count()).isPositive();
        final String mpd = new String(store.get(ContentKey.mpd(io.bifrost.protocol.naming.ContentScope.VOD, "ck"))
            .value(), StandardCharsets.UTF_8);
        assertThat(mpd).contains("cenc:default_KID=\"" + key.kidUuid() + "\"", "/api/v1/videos/ck/clearkey");
    }

    @Test
    void shouldRefuseKeysOfTheWrongSchemeUnknownTitlesAndWrongMethods()
    {
        assertThat(call(HttpMethod.GET, "/api/v1/videos/ck/hls-key", "").status().code()).isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/v1/videos/aes/clearkey", "{}").status().code()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/videos/clear/hls-key", "").status().code()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/videos/nobody/hls-key", "").status().code()).isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/api/v1/videos/aes/hls-key", "").status().code()).isEqualTo(405);
        assertThat(call(HttpMethod.GET, "/api/v1/videos/aes", "")).isNull();
        assertThat(keys.find("clear")).isNull();
    }

    @Test
    void shouldShredTheKeyOfADeletedTitle()
    {
        final TitleKey key = keys.keyOf("doomed");
        assertThat(keys.keyOf("doomed")).isEqualTo(key);
        keys.shred("doomed");
        assertThat(keys.find("doomed")).isNull();
    }
}
