package io.bifrost.control;

import com.sun.net.httpserver.HttpServer;
import io.bifrost.control.placement.PlacementPlanner;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Online key rotation end to end: a real control plane and a real edge in one JVM (one embedded Aeron driver, IPC,
 * {@code control.fleet-keys} on both) where the edge has no {@code edge.signing-keys} at all and protects
 * {@code /vod/}. A key created and made current through the API reaches the edge sealed in a {@code SigningKeys}
 * message, so the playback URL the control plane signs with it is served (200); after a rotation the new key's URLs
 * are served too, and once the old key is retired and its window ({@code control.playback-url-max-ttl-seconds}, 10 s
 * here) has passed, a token signed with the old key (and still unexpired) is refused with {@code token.unknown_key}.
 */
class OnlineSigningKeyFleetTest
{
    private static final String FLEET_KEYS = "fleet1:" + Base64.getUrlEncoder().encodeToString(
        "the fleet's shared secret, 32+ bytes".getBytes(StandardCharsets.US_ASCII));
    private static final long MAX_TTL_SECONDS = 10;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry controlMeters = new SimpleMeterRegistry();
    private final SimpleMeterRegistry edgeMeters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String jdbcUrl = "jdbc:h2:mem:online-keys-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6)) +
        ";DB_CLOSE_DELAY=-1";
    private HttpServer origin;
    private ControlPlane.Running control;
    private EmbeddedAeron aeron;

    @AfterEach
    void stop()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        CloseHelper.close(control);
        CloseHelper.close(aeron);
        if (origin != null)
        {
            origin.stop(0);
        }
    }

    /** The secret the control plane stored for a key, read from its (in-memory) database as an operator could. */
    private byte[] storedSecret(final String kid) throws Exception
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "sa", "");
            PreparedStatement query = connection.prepareStatement("SELECT secret FROM signing_keys WHERE key_id = ?"))
        {
            query.setString(1, kid);
            try (ResultSet result = query.executeQuery())
            {
                assertThat(result.next()).isTrue();
                return Base64.getUrlDecoder().decode(result.getString(1));
            }
        }
    }

    private static int status(final HttpClient http, final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode();
    }

    private static double count(final SimpleMeterRegistry meters, final String name, final String tag, final String value)
    {
        final Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private String playbackUrl(final ApiClient api, final String kid) throws Exception
    {
        final ApiClient.Answer answer = api.post("/api/v1/playback-urls", "{\"content\":\"vod/title\",\"ttl_seconds\":10}");
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.data().path("kid").asText()).isEqualTo(kid);
        assertThat(answer.data().path("edge_id").asText()).isEqualTo("edge-1");
        return answer.data().path("url").asText();
    }

    @Test
    void shouldServeUrlsSignedWithKeysCreatedOnlineAndRefuseARetiredKeyAfterItsWindow() throws Exception
    {
        origin = InProcessEdge.origin("#EXTM3U\n".getBytes(StandardCharsets.US_ASCII));
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dir.resolve("control")).jdbcUrl(jdbcUrl).meterRegistry(controlMeters)
            .aeronEnabled(true).aeronDirectory(dir.resolve("aeron")).edgeEndpoint("").placementEndpoint("")
            .fleetKeys(FLEET_KEYS).playbackUrlMaxTtl(Duration.ofSeconds(MAX_TTL_SECONDS))
            .signingKeyBroadcastInterval(Duration.ofMillis(200))
            .heartbeatTimeout(Duration.ofSeconds(10)).placement(new PlacementPlanner.Context().intervalMs(60_000)));
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        // protects /vod/ with no configured key: its keys come from the control plane
        closeables.add(InProcessEdge.start(aeron, dir.resolve("edge"), "edge-1", InProcessEdge.url(origin), FLEET_KEYS,
            edgeMeters, edge -> edge.signedPrefixes(List.of("/vod/")).signingKeys(SigningKeyRing.verifyOnly())));

        try (ApiClient api = new ApiClient("127.0.0.1", control.port()); HttpClient http = HttpClient.newHttpClient())
        {
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/edges").data().path("up").asInt() == 1);

            assertThat(api.post("/api/v1/signing-keys", "{\"kid\":\"old\",\"current\":true}").status()).isEqualTo(201);
            // A fresh URL each try: a URL lives 10 s at most here, the edge may take longer on a loaded machine.
            await().atMost(Duration.ofSeconds(30)).until(() -> status(http, playbackUrl(api, "old")) == 200);
            assertThat(edgeMeters.get("bifrost.edge.signing-keys").tag("source", "control").gauge().value()).isEqualTo(1);

            // Rotate: the new key signs at once; its URLs play as soon as the edge has the new set.
            assertThat(api.post("/api/v1/signing-keys", "{\"kid\":\"new\",\"current\":true}").status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(http, playbackUrl(api, "new")) == 200);

            // A token of the old key that outlives the old key's window (signed here with the stored secret).
            final String oldToken = new UrlSigner(new SigningKeyRing(new SigningKey("old", storedSecret("old"))))
                .sign("/vod/title/", Instant.now().plusSeconds(3600));
            final String newUrl = playbackUrl(api, "new");
            final String longLived = "http://127.0.0.1:" + URI.create(newUrl).getPort() + "/t/" + oldToken +
                "/vod/title/master.m3u8";
            assertThat(status(http, longLived)).isEqualTo(200);

            final ApiClient.Answer retired = api.send("DELETE", "/api/v1/signing-keys/old", null, null);
            assertThat(retired.status()).isEqualTo(200);
            final Instant acceptedUntil = Instant.parse(retired.data().path("accepted_until").asText());
            assertThat(Duration.between(Instant.now(), acceptedUntil)).isLessThanOrEqualTo(
                Duration.ofSeconds(MAX_TTL_SECONDS));

            await().atMost(Duration.ofSeconds(40)).until(() -> status(http, longLived) == 403);
            assertThat(Instant.now()).as("refused only once the window has passed").isAfterOrEqualTo(acceptedUntil);
            assertThat(count(edgeMeters, "bifrost.edge.tokens", "verdict", "unknown_key")).isGreaterThanOrEqualTo(1);
            assertThat(status(http, playbackUrl(api, "new"))).as("the current key still plays").isEqualTo(200);
            assertThat(count(edgeMeters, "bifrost.edge.signing-keys.refused", "reason", "bad_mac")).isZero();
            assertThat(count(controlMeters, "bifrost.control.signing.keys.broadcasts", "result", "sent"))
                .isGreaterThanOrEqualTo(3);
        }
    }
}
