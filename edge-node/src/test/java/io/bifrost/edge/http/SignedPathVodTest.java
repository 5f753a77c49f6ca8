package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.bifrost.protocol.signing.UrlToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed VOD playback with the token in the path ({@code /t/{token}/vod/...}): a real edge (Netty on loopback, RAM
 * tier in a temp dir) in front of a real HTTP origin holding a whole title (HLS master, rendition, audio and subtitle
 * playlists, init segments, segments, DASH MPD). The test plays like a player: it is given only the master
 * playlist's (or the MPD's) URL and resolves every relative URI inside against the URL it fetched, so the token
 * reaches every file by itself. Refusals, the cache key shared with the query form, and HEAD, Range, CORS and h2c
 * on the path form are checked against the same edge.
 */
class SignedPathVodTest
{
    private static final String TITLE = "/vod/film1/";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, byte[]> title = new LinkedHashMap<>();
    private final SigningKeyRing keys = new SigningKeyRing(new SigningKey("k1", SECRET));
    private final UrlSigner signer = new UrlSigner(keys);
    private TestOrigin origin;
    private RamTier ram;
    private EdgeHttpServer edge;

    @BeforeEach
    void setUp() throws Exception
    {
        origin = new TestOrigin();
        putTitle();
        ram = RamTier.open(dataDir.resolve("ram"), 64L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        edge = EdgeHttpServer.start(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).ioThreads(2)
            .origins(List.of(origin.uri())).signedPrefixes(List.of("/vod/")).signingKeys(keys).meterRegistry(registry),
            ram, Readiness::up);
    }

    @AfterEach
    void tearDown()
    {
        http.close();
        edge.close();
        ram.close();
        origin.close();
    }

    /** The files a packaged title has, with the names and relative URIs the VOD packager writes. */
    private void putTitle()
    {
        put("master.m3u8", """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="und",DEFAULT=YES,AUTOSELECT=YES,URI="aac/index.m3u8"
            #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",URI="en/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud",SUBTITLES="subs"
            360p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud",SUBTITLES="subs"
            720p/index.m3u8
            """.getBytes(StandardCharsets.UTF_8));
        for (final String rendition : List.of("360p", "720p", "aac"))
        {
            put(rendition + "/index.m3u8", """
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:2
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-MAP:URI="init.mp4"
                #EXTINF:2.000,
                0.m4s
                #EXTINF:2.000,
                1.m4s
                #EXTINF:1.500,
                2.m4s
                #EXT-X-ENDLIST
                """.getBytes(StandardCharsets.UTF_8));
            put(rendition + "/init.mp4", bytes(700 + rendition.length()));
            for (int n = 0; n < 3; n++)
            {
                put(rendition + "/" + n + ".m4s", bytes(40_000 + n * 1000 + rendition.length()));
            }
        }
        put("en/index.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:5.500,\nsubtitles.vtt\n#EXT-X-ENDLIST\n"
            .getBytes(StandardCharsets.UTF_8));
        put("en/subtitles.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nhello\n".getBytes(StandardCharsets.UTF_8));
        put("manifest.mpd", ("""
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT5.5S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-live:2011">
              <Period id="0" start="PT0S">
                <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
            """ +
            representation("id=\"360p\" codecs=\"avc1.64001e\" bandwidth=\"800000\" width=\"640\" height=\"360\"") +
            representation("id=\"720p\" codecs=\"avc1.64001f\" bandwidth=\"2800000\" width=\"1280\" height=\"720\"") + """
                </AdaptationSet>
                <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" lang="und">
            """ +
            representation("id=\"aac\" codecs=\"mp4a.40.2\" bandwidth=\"128000\" audioSamplingRate=\"48000\"") + """
                </AdaptationSet>
                <AdaptationSet id="2" contentType="text" mimeType="text/vtt" lang="en">
                  <Representation id="en" bandwidth="256">
                    <BaseURL>en/subtitles.vtt</BaseURL>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param attributes the Representation's attributes.
     * @return an MPD Representation with the VOD packager's SegmentTemplate: its init.mp4 and segments 0.m4s to
     * 2.m4s (2 s, 2 s, 1.5 s), indented as in the second AdaptationSet level.
     */
    private static String representation(final String attributes)
    {
        return """
                  <Representation %s>
                    <SegmentTemplate timescale="1000" initialization="$RepresentationID$/init.mp4" media="$RepresentationID$/$Number$.m4s" startNumber="0">
                      <SegmentTimeline>
                        <S t="0" d="2000" r="1"/>
                        <S t="4000" d="1500"/>
                      </SegmentTimeline>
                    </SegmentTemplate>
                  </Representation>
            """.formatted(attributes);
    }

    private void put(final String relative, final byte[] body)
    {
        title.put(TITLE + relative, body);
        origin.put(TITLE + relative, body);
    }

    private static byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + edge.port() + pathAndQuery);
    }

    private HttpResponse<byte[]> get(final String pathAndQuery, final String... headers) throws Exception
    {
        return send(http, HttpRequest.newBuilder(uri(pathAndQuery)), headers);
    }

    private HttpResponse<byte[]> sendWithoutBody(final String method, final String pathAndQuery, final String... headers)
        throws Exception
    {
        return send(http, HttpRequest.newBuilder(uri(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody()),
            headers);
    }

    private CompletableFuture<HttpResponse<byte[]>> getAsync(final String pathAndQuery)
    {
        return http.sendAsync(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> send(final HttpClient client, final HttpRequest.Builder request, final String... headers)
        throws Exception
    {
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String token()
    {
        return signer.sign(TITLE, Instant.now().plusSeconds(600));
    }

    private double tokens(final String verdict)
    {
        return registry.get("bifrost.edge.tokens").tag("verdict", verdict).counter().count();
    }

    private double pathRejections(final String reason)
    {
        return registry.get("bifrost.edge.tokens.path.rejected").tag("reason", reason).counter().count();
    }

    @Test
    void shouldPlayEveryFileOfTheTitleWhenOnlyTheFirstUrlCarriesTheToken() throws Exception
    {
        final String prefix = UrlToken.PATH_PREFIX + token();
        final Deque<URI> queue = new ArrayDeque<>(List.of(uri(prefix + TITLE + "master.m3u8"), uri(prefix + TITLE + "manifest.mpd")));
        final TreeSet<String> played = new TreeSet<>();

        while (!queue.isEmpty())
        {
            final URI next = queue.poll();
            assertThat(next.getRawPath()).as("a relative URI kept the token prefix").startsWith(prefix + TITLE);
            final String path = next.getRawPath().substring(prefix.length());
            if (!played.add(path))
            {
                continue;
            }
            final HttpResponse<byte[]> response = send(http, HttpRequest.newBuilder(next));
            assertThat(response.statusCode()).as(next.toString()).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo(title.get(path));
            final String text = new String(response.body(), StandardCharsets.UTF_8);
            final List<String> references = path.endsWith(".m3u8") ? ManifestUris.hls(text) :
                path.endsWith(".mpd") ? ManifestUris.dash(text) : List.of();
            for (final String reference : references)
            {
                queue.add(next.resolve(reference));
            }
        }

        assertThat(played).as("every file of the title, reached from the two manifests").isEqualTo(new TreeSet<>(title.keySet()));
        for (final String path : title.keySet())
        {
            assertThat(origin.requests(path)).as("one fill, under the plain path: " + path).isEqualTo(1);
        }
        assertThat(registry.get("bifrost.edge.fills").counter().count())
            .as("nothing else reached the origin (no /t/ path ever does)").isEqualTo(title.size());
        assertThat(tokens("ok")).isEqualTo(title.size());
    }

    @Test
    void shouldShareOneCacheEntryAndOneOriginFillBetweenThePathAndTheQueryForm() throws Exception
    {
        final String token = token();
        final String segment = TITLE + "720p/1.m4s";
        final String poster = TITLE + "thumbnails/poster.jpg";
        origin.put(poster, bytes(9_000));

        final HttpResponse<byte[]> pathFirst = get(UrlToken.PATH_PREFIX + token + segment);
        final HttpResponse<byte[]> queryThen = get(segment + "?token=" + token);
        assertThat(pathFirst.statusCode()).isEqualTo(200);
        assertThat(queryThen.statusCode()).isEqualTo(200);
        assertThat(queryThen.body()).isEqualTo(title.get(segment));
        assertThat(queryThen.headers().firstValue("Cache-Status")).hasValue("bifrost; hit");
        assertThat(origin.requests(segment)).isEqualTo(1);

        // Both forms at once while the fill is running: they join one fill.
        final CountDownLatch release = origin.holdBeforeHead();
        final CompletableFuture<HttpResponse<byte[]>> byPath = getAsync(UrlToken.PATH_PREFIX + token + poster);
        final CompletableFuture<HttpResponse<byte[]>> byQuery = getAsync(poster + "?token=" + token);
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.coalescer().waiters(poster) == 2);
        release.countDown();

        assertThat(byPath.get().statusCode()).isEqualTo(200);
        assertThat(byQuery.get().body()).isEqualTo(byPath.get().body()).hasSize(9_000);
        assertThat(origin.requests(poster)).isEqualTo(1);
    }

    @Test
    void shouldRefuseTamperedMissingForeignExpiredAndWronglyBoundTokensBeforeTheCache() throws Exception
    {
        final String playlist = TITLE + "720p/index.m3u8";
        final String token = token();
        final int mac = token.lastIndexOf('.') + 10;
        final String tampered = token.substring(0, mac) + (token.charAt(mac) == 'A' ? 'B' : 'A') + token.substring(mac + 1);
        final Instant now = Instant.now();

        final HttpResponse<byte[]> good = get(UrlToken.PATH_PREFIX + token + playlist);
        final HttpResponse<byte[]> forged = get(UrlToken.PATH_PREFIX + tampered + playlist);
        final HttpResponse<byte[]> none = get(playlist);
        final HttpResponse<byte[]> foreign = get(UrlToken.PATH_PREFIX + signer.sign("/vod/film2/", now.plusSeconds(60)) + playlist);
        final HttpResponse<byte[]> expired = get(UrlToken.PATH_PREFIX + signer.sign(TITLE, now.minusSeconds(1)) + playlist);
        final HttpResponse<byte[]> mine = get(UrlToken.PATH_PREFIX +
            signer.sign(TITLE, now.plusSeconds(60), InetAddress.getByName("127.0.0.1")) + playlist);
        final HttpResponse<byte[]> someoneElses = get(UrlToken.PATH_PREFIX +
            signer.sign(TITLE, now.plusSeconds(60), InetAddress.getByName("192.0.2.1")) + playlist);
        final HttpResponse<byte[]> pathWins = get(UrlToken.PATH_PREFIX + token + playlist + "?token=garbage");

        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(new String(forged.body())).startsWith("403 token.bad_signature");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(new String(none.body())).startsWith("403 token.missing").contains("/t/{token}/");
        assertThat(new String(foreign.body())).startsWith("403 token.wrong_prefix");
        assertThat(new String(expired.body())).startsWith("403 token.expired");
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(new String(someoneElses.body())).startsWith("403 token.wrong_client_ip");
        assertThat(pathWins.statusCode()).as("the path form's token is the one checked").isEqualTo(200);
        assertThat(forged.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(origin.requests(playlist)).as("refused requests never reach the cache or origin").isEqualTo(1);
        assertThat(tokens("bad_signature")).isEqualTo(1);
        assertThat(tokens("missing")).isEqualTo(1);
    }

    @Test
    void shouldAnswerAMalformedPathFormWith400AndItsReason() throws Exception
    {
        final String token = token();
        final String tooLong = "A".repeat(UrlToken.MAX_LENGTH + 1);

        final HttpResponse<byte[]> empty = get("/t//vod/film1/master.m3u8");
        final HttpResponse<byte[]> bare = get("/t/");
        final HttpResponse<byte[]> noPath = get("/t/" + token);
        final HttpResponse<byte[]> overlong = get("/t/" + tooLong + "/vod/film1/master.m3u8");
        final HttpResponse<byte[]> nested = get("/t/" + token + "/t/" + token + TITLE + "master.m3u8");
        final HttpResponse<byte[]> notAToken = get("/t/not~a~token" + TITLE + "master.m3u8");

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(new String(empty.body())).startsWith("400 token.path_empty");
        assertThat(new String(bare.body())).startsWith("400 token.path_incomplete");
        assertThat(new String(noPath.body())).startsWith("400 token.path_incomplete");
        assertThat(overlong.statusCode()).isEqualTo(400);
        assertThat(new String(overlong.body())).startsWith("400 token.path_too_long");
        assertThat(nested.statusCode()).as("a prefix is stripped once; /t/... is no content path").isEqualTo(400);
        assertThat(notAToken.statusCode()).isEqualTo(403);
        assertThat(new String(notAToken.body())).startsWith("403 token.malformed");
        assertThat(pathRejections("empty")).isEqualTo(1);
        assertThat(pathRejections("incomplete")).isEqualTo(2);
        assertThat(pathRejections("too_long")).isEqualTo(1);
        assertThat(registry.find("bifrost.edge.fills").counters()).allSatisfy(fills -> assertThat(fills.count()).isZero());
        assertThat(get("/healthz").statusCode()).as("the edge is still serving").isEqualTo(200);
    }

    @Test
    void shouldAnswerHeadRangeCorsAndH2cOnThePathFormLikeOnThePlainPath() throws Exception
    {
        final String segment = TITLE + "360p/2.m4s";
        final String signed = UrlToken.PATH_PREFIX + token() + segment;
        final byte[] body = title.get(segment);

        final HttpResponse<byte[]> head = sendWithoutBody("HEAD", signed);
        final HttpResponse<byte[]> range = get(signed, "Range", "bytes=100-199", "Origin", "https://player.example");
        final HttpResponse<byte[]> preflight = sendWithoutBody("OPTIONS", signed,
            "Origin", "https://player.example", "Access-Control-Request-Method", "GET");
        final HttpResponse<byte[]> h2c;
        try (HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build())
        {
            h2c = send(http2, HttpRequest.newBuilder(uri(signed)));
        }

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(body, 100, 200));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + body.length);
        assertThat(range.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue(Cors.ALLOWED_METHODS);
        assertThat(h2c.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2c.statusCode()).isEqualTo(200);
        assertThat(h2c.body()).isEqualTo(body);
        assertThat(origin.requests(segment)).isEqualTo(1);
    }
}
