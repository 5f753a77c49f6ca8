package io.bifrost.control.playback;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.ControlPlane;
import io.bifrost.control.MutableClock;
import io.bifrost.control.edges.TestEdgeSender;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.EdgeHealth;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlToken;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/v1/playback-urls} end to end: a real control plane (Netty on 127.0.0.1, H2 and an embedded Aeron
 * driver in a temp dir) with one edge registered by a real SBE heartbeat over Aeron IPC; the URLs it issues are
 * checked with a real {@link UrlTokenVerifier} holding the same key, as an edge's token gate does. One control plane
 * serves every test (the clock does not move, so the edge stays up); counters are compared as differences.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaybackUrlApiTest
{
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    @TempDir
    static Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ControlPlane.Running control;
    private EmbeddedAeron aeron;
    private TestEdgeSender edges;
    private HttpJson api;

    static SigningKey key(final String kid, final int seed)
    {
        final byte[] secret = new byte[32];
        Arrays.fill(secret, (byte)seed);
        return new SigningKey(kid, secret);
    }

    @BeforeAll
    void start() throws Exception
    {
        final Path aeronDir = dataDir.resolve("aeron");
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dataDir.resolve("db")).meterRegistry(meters).clock(clock).adminToken(ADMIN_TOKEN)
            .aeronEnabled(true).aeronDirectory(aeronDir).edgeEndpoint("").placementEndpoint("")
            .publicPlaybackUrl("https://cdn.example.net/").signingKeys(new SigningKeyRing(key("k1", 1)))
            .playbackUrlMaxTtl(Duration.ofHours(6)));
        aeron = EmbeddedAeron.acquire(aeronDir, false);
        edges = new TestEdgeSender(aeron.aeron(), AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL);
        api = new HttpJson(control.port());
        edges.heartbeat("e1", "eu-west", "http://e1.example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
        await().until(() -> api.send("GET", "/api/v1/edges", null, ADMIN_TOKEN).data().path("up").asInt() == 1);
    }

    @AfterAll
    void stop()
    {
        api.close();
        edges.close();
        control.close();
        aeron.close();
    }

    private HttpJson.Answer issue(final String body) throws Exception
    {
        return api.send("POST", "/api/v1/playback-urls", body, ADMIN_TOKEN);
    }

    /** The token of a URL in either form: {@code /t/{token}/...} or {@code ...?token=}. */
    private static String token(final String url)
    {
        final URI uri = URI.create(url);
        if (uri.getRawQuery() == null)
        {
            assertThat(uri.getRawPath()).startsWith(UrlToken.PATH_PREFIX);
            return uri.getRawPath().substring(UrlToken.PATH_PREFIX.length(), uri.getRawPath().indexOf('/', UrlToken.PATH_PREFIX.length()));
        }
        assertThat(uri.getRawQuery()).startsWith("token=");
        return uri.getRawQuery().substring("token=".length());
    }

    /** The path the edge serves and checks the token against: without the {@code /t/{token}} prefix. */
    private static String servedPath(final URI uri)
    {
        final String path = uri.getRawPath();
        return path.startsWith(UrlToken.PATH_PREFIX) ? path.substring(path.indexOf('/', UrlToken.PATH_PREFIX.length())) : path;
    }

    private double outcomes(final String outcome)
    {
        return meters.get("bifrost.control.playback.urls").tag("outcome", outcome).counter().count();
    }

    @Test
    void shouldIssueUrlOnTheSteeredEdgeThatAnEdgeWithTheSameKeyAccepts() throws Exception
    {
        final double steeredBefore = outcomes("steered");
        final HttpJson.Answer answer = issue("{\"content\":\"vod/abc\",\"region\":\"eu-west\",\"ttl_seconds\":600}");

        assertThat(answer.status()).isEqualTo(201);
        final JsonNode data = answer.data();
        final String url = data.path("url").asText();
        assertThat(url).startsWith("http://e1.example.net:8080/t/v1.k1.").endsWith("/vod/abc/master.m3u8");
        assertThat(data.path("token_in").asText()).isEqualTo("path");
        assertThat(data.path("kid").asText()).isEqualTo("k1");
        assertThat(data.path("edge_id").asText()).isEqualTo("e1");
        assertThat(data.path("path_prefix").asText()).isEqualTo("/vod/abc/");
        assertThat(data.path("expires_at").asText()).isEqualTo(Instant.ofEpochMilli(T0).plusSeconds(600).toString());
        assertThat(data.path("token").asText()).isEqualTo(token(url));

        final UrlTokenVerifier edge = new UrlTokenVerifier(new SigningKeyRing(key("k1", 1)));
        final String token = token(url);
        final Instant now = Instant.ofEpochMilli(T0);
        assertThat(edge.verify(token, "/vod/abc/master.m3u8", null, now)).isEqualTo(TokenVerdict.OK);
        assertThat(edge.verify(token, "/vod/abc/720p/3.m4s", null, now)).isEqualTo(TokenVerdict.OK);
        assertThat(edge.verify(token, "/vod/abcdef/master.m3u8", null, now)).isEqualTo(TokenVerdict.WRONG_PREFIX);
        assertThat(edge.verify(token, "/vod/other/master.m3u8", null, now)).isEqualTo(TokenVerdict.WRONG_PREFIX);
        assertThat(edge.verify(token, "/vod/abc/master.m3u8", null, now.plusSeconds(599))).isEqualTo(TokenVerdict.OK);
        assertThat(edge.verify(token, "/vod/abc/master.m3u8", null, now.plusSeconds(600))).isEqualTo(TokenVerdict.EXPIRED);
        assertThat(new UrlTokenVerifier(new SigningKeyRing(key("k1", 2))).verify(token, "/vod/abc/master.m3u8", null, now))
            .as("an edge with another secret under the same kid").isEqualTo(TokenVerdict.BAD_SIGNATURE);
        assertThat(outcomes("steered") - steeredBefore).isEqualTo(1.0);
    }

    @Test
    void shouldSignTheAskedPathAndBindTheTokenToTheClientAddress() throws Exception
    {
        final HttpJson.Answer answer = issue("{\"content\":\"live/cam1\",\"path\":\"720p/index.m3u8\"," +
            "\"client_ip\":\"203.0.113.7\",\"token_in\":\"query\"}");

        assertThat(answer.status()).isEqualTo(201);
        final String url = answer.data().path("url").asText();
        assertThat(url).startsWith("http://e1.example.net:8080/live/cam1/720p/index.m3u8?token=");
        assertThat(answer.data().path("token_in").asText()).isEqualTo("query");
        assertThat(answer.data().path("expires_at").asText())
            .as("default TTL: one hour").isEqualTo(Instant.ofEpochMilli(T0).plusSeconds(3600).toString());
        final UrlTokenVerifier edge = new UrlTokenVerifier(new SigningKeyRing(key("k1", 1)));
        final Instant now = Instant.ofEpochMilli(T0);
        assertThat(edge.verify(token(url), "/live/cam1/720p/index.m3u8", InetAddress.getByName("203.0.113.7"), now))
            .isEqualTo(TokenVerdict.OK);
        assertThat(edge.verify(token(url), "/live/cam1/720p/index.m3u8", InetAddress.getByName("203.0.113.8"), now))
            .isEqualTo(TokenVerdict.WRONG_CLIENT_IP);

        final HttpJson.Answer absolute = issue("{\"content\":\"vod/abc\",\"path\":\"/vod/abc/1080p/init.mp4\"," +
            "\"client_ip\":\"2001:db8::1\"}");
        assertThat(absolute.status()).isEqualTo(201);
        assertThat(absolute.data().path("url").asText()).isEqualTo("http://e1.example.net:8080/t/" +
            absolute.data().path("token").asText() + "/vod/abc/1080p/init.mp4");
        assertThat(edge.verify(absolute.data().path("token").asText(), "/vod/abc/1080p/init.mp4",
            InetAddress.getByName("2001:db8::1"), now)).isEqualTo(TokenVerdict.OK);
    }

    @Test
    void shouldPutTheTokenInThePathByDefaultSoEveryRelativeUriOfThePlaylistKeepsIt() throws Exception
    {
        final HttpJson.Answer answer = issue("{\"content\":\"live/cam1\",\"region\":\"eu-west\",\"token_in\":\"path\"}");

        assertThat(answer.status()).isEqualTo(201);
        final URI master = URI.create(answer.data().path("url").asText());
        final String token = answer.data().path("token").asText();
        assertThat(master.getRawPath()).isEqualTo(UrlToken.inPath(token, "/live/cam1/master.m3u8"));
        assertThat(master.getRawQuery()).isNull();
        final UrlTokenVerifier edge = new UrlTokenVerifier(new SigningKeyRing(key("k1", 1)));
        final Instant now = Instant.ofEpochMilli(T0);
        // What a player fetches after the master playlist, resolved as players resolve relative URIs.
        final URI media = master.resolve("720p/index.m3u8");
        for (final URI fetched : new URI[] {media, media.resolve("init.mp4"), media.resolve("5-12.m4s"),
            media.resolve("5-13.2.m4s"), media.resolve("../360p/index.m3u8"), master.resolve("manifest.mpd")})
        {
            assertThat(fetched.getRawPath()).as(fetched.toString()).startsWith(UrlToken.PATH_PREFIX + token + "/live/cam1/");
            assertThat(token(fetched.toString())).isEqualTo(token);
            assertThat(edge.verify(token, servedPath(fetched), null, now)).as(fetched.toString()).isEqualTo(TokenVerdict.OK);
        }
        assertThat(edge.verify(token, servedPath(master.resolve("/t/" + token + "/live/cam2/master.m3u8")), null, now))
            .isEqualTo(TokenVerdict.WRONG_PREFIX);
    }

    @Test
    void shouldRefuseBadRequestsWithTheReasonAndCountThem() throws Exception
    {
        final String[][] cases = {
            {"{}", "content.invalid"},
            {"{\"content\":\"film/abc\"}", "content.invalid"},
            {"{\"content\":\"vod/../etc\"}", "content.invalid"},
            {"{\"content\":\"vod/abc\",\"path\":\"/vod/other/master.m3u8\"}", "path.invalid"},
            {"{\"content\":\"vod/abc\",\"path\":\"../other/master.m3u8\"}", "path.invalid"},
            {"{\"content\":\"vod/abc\",\"path\":\"/vod/abc/master.m3u8?x=1\"}", "path.invalid"},
            {"{\"content\":\"vod/abc\",\"ttl_seconds\":0}", "ttl_seconds.invalid"},
            {"{\"content\":\"vod/abc\",\"ttl_seconds\":21601}", "ttl_seconds.invalid"},
            {"{\"content\":\"vod/abc\",\"ttl_seconds\":\"60\"}", "ttl_seconds.invalid"},
            {"{\"content\":\"vod/abc\",\"region\":\"eu west\"}", "region.invalid"},
            {"{\"content\":\"vod/abc\",\"client_ip\":\"viewer.example.net\"}", "client_ip.invalid"},
            {"{\"content\":\"vod/abc\",\"client_ip\":\"300.1.1.1\"}", "client_ip.invalid"},
            {"{\"content\":\"vod/abc\",\"client_ip\":\"1:2:3\"}", "client_ip.invalid"},
            {"{\"content\":\"vod/abc\",\"client_ip\":\"fe80::1%eth0\"}", "client_ip.invalid"},
            {"{\"content\":\"vod/abc\",\"token_in\":\"cookie\"}", "token_in.invalid"},
            {"{\"content\":\"vod/abc\",\"token_in\":\"PATH\"}", "token_in.invalid"},
            {"{\"content\":\"vod/abc\",\"token_in\":true}", "token_in.invalid"},
            {"{\"content\":\"vod/abc\",\"ttl\":60}", "request.invalid"},
            {"[1]", "request.invalid"},
        };
        final double invalidBefore = outcomes("invalid");
        for (final String[] bad : cases)
        {
            final HttpJson.Answer answer = issue(bad[0]);
            assertThat(answer.status()).as(bad[0]).isEqualTo(400);
            assertThat(answer.errorCode()).as(bad[0]).isEqualTo(bad[1]);
        }
        assertThat(outcomes("invalid") - invalidBefore).isEqualTo(cases.length);
        assertThat(issue("{\"content\":\"vod/abc\",\"ttl_seconds\":21600}").status()).as("the maximum itself").isEqualTo(201);
    }

    @Test
    void shouldNeedTheAdminTokenAndShowKeyIdsButNeverSecrets() throws Exception
    {
        assertThat(api.post("/api/v1/playback-urls", "{\"content\":\"vod/abc\"}").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/signing-keys").status()).isEqualTo(401);

        final HttpJson.Answer keys = api.send("GET", "/api/v1/signing-keys", null, ADMIN_TOKEN);

        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.data().path("signing_kid").asText()).isEqualTo("k1");
        assertThat(keys.data().path("keys")).hasSize(1);
        assertThat(keys.data().path("keys").get(0).path("signs").asBoolean()).isTrue();
        assertThat(keys.data().path("max_ttl_seconds").asLong()).isEqualTo(21_600);
        assertThat(keys.data().path("default_ttl_seconds").asLong()).isEqualTo(3_600);
        final byte[] secret = new byte[32];
        Arrays.fill(secret, (byte)1);
        assertThat(keys.response().body()).doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding()
            .encodeToString(secret)).doesNotContain(new String(secret, StandardCharsets.ISO_8859_1));
    }
}
