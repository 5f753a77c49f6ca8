package io.bifrost.control.signing;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.ControlPlane;
import io.bifrost.control.MutableClock;
import io.bifrost.control.playback.HttpJson;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing key API on a real control plane (Netty on 127.0.0.1, H2 in a temp dir): keys created through the API
 * sign playback URLs, the configured key cannot be changed through it, retirement follows its rules, nothing ever
 * answers a secret, only operators may call it, and everything survives a restart. The URL signed with an API key is
 * checked afterwards with the secret read back from the database, as an edge that received it would.
 */
class SigningKeyApiTest
{
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final long MAX_TTL_SECONDS = 600;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> answers = new java.util.ArrayList<>();
    private ControlPlane.Running control;
    private HttpJson api;

    @AfterEach
    void stop()
    {
        if (api != null)
        {
            api.close();
        }
        if (control != null)
        {
            control.close();
        }
    }

    private void start(final SigningKeyRing configured)
    {
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dataDir.resolve("db")).meterRegistry(meters).clock(clock).adminToken(ADMIN_TOKEN)
            .signingKeys(configured).playbackUrlMaxTtl(Duration.ofSeconds(MAX_TTL_SECONDS)));
        api = new HttpJson(control.port());
    }

    private void restart(final SigningKeyRing configured)
    {
        stop();
        start(configured);
    }

    private HttpJson.Answer call(final String method, final String path, final String body) throws Exception
    {
        final HttpJson.Answer answer = api.send(method, path, body, ADMIN_TOKEN);
        assertThat(answer.response().body()).as("no answer has a secret field").doesNotContain("\"secret\":");
        answers.add(answer.response().body());
        return answer;
    }

    private List<String> keyStates() throws Exception
    {
        final List<String> states = new java.util.ArrayList<>();
        for (final JsonNode key : call("GET", "/api/v1/signing-keys", null).data().path("keys"))
        {
            states.add(key.path("kid").asText() + ":" + key.path("source").asText() + ":" + key.path("state").asText() +
                (key.path("signs").asBoolean() ? ":signs" : ""));
        }
        return states;
    }

    private static SigningKey configuredKey()
    {
        final byte[] secret = new byte[32];
        Arrays.fill(secret, (byte)7);
        return new SigningKey("cfg", secret);
    }

    @Test
    void shouldSignWithAKeyCreatedThroughTheApiWhenNoneIsConfigured() throws Exception
    {
        start(null);
        assertThat(call("GET", "/api/v1/signing-keys", null).data().path("signing_kid").isNull()).isTrue();
        assertThat(call("POST", "/api/v1/playback-urls", "{\"content\":\"vod/abc\"}").errorCode())
            .isEqualTo("signing.not_configured");

        final HttpJson.Answer created = call("POST", "/api/v1/signing-keys", "{\"current\": true, \"kid\": \"k1\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().path("kid").asText()).isEqualTo("k1");
        assertThat(created.data().path("state").asText()).isEqualTo("current");
        assertThat(created.data().path("source").asText()).isEqualTo("api");
        assertThat(created.data().path("created_at").asText()).isEqualTo(Instant.ofEpochMilli(T0).toString());

        final HttpJson.Answer url = call("POST", "/api/v1/playback-urls", "{\"content\":\"vod/abc\",\"ttl_seconds\":60}");
        assertThat(url.status()).isEqualTo(201);
        assertThat(url.data().path("kid").asText()).isEqualTo("k1");
        final String token = url.data().path("token").asText();

        // A key without a kid gets a generated one; it does not sign until made current.
        final HttpJson.Answer generated = call("POST", "/api/v1/signing-keys", null);
        assertThat(generated.status()).isEqualTo(201);
        assertThat(generated.data().path("kid").asText()).matches("k20260101-[0-9a-f]{4}");
        assertThat(generated.data().path("state").asText()).isEqualTo("accepted");
        assertThat(keyStates()).containsExactly("k1:api:current:signs",
            generated.data().path("kid").asText() + ":api:accepted");

        // The token verifies with the secret the control plane stored, as an edge that was sent it does.
        stop();
        final byte[] secret;
        try (ControlDatabase database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir.resolve("db")), 2))
        {
            final StoredSigningKey stored = new JdbcSigningKeyRepository(database).list().get(0);
            assertThat(stored.keyId()).isEqualTo("k1");
            secret = stored.secret();
        }
        assertThat(secret).hasSize(SigningKeys.SECRET_BYTES);
        assertThat(new UrlTokenVerifier(new SigningKeyRing(new SigningKey("k1", secret)))
            .verify(token, "/vod/abc/master.m3u8", null, Instant.ofEpochMilli(T0)))
            .isEqualTo(TokenVerdict.OK);
        for (final String answer : answers)
        {
            assertThat(answer).as("no answer carries the secret")
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(secret))
                .doesNotContain(java.util.HexFormat.of().formatHex(secret));
        }
    }

    @Test
    void shouldRotateOnlineAndRefuseWhatTheRulesForbid() throws Exception
    {
        final SigningKeyRing configured = new SigningKeyRing(configuredKey());
        start(configured);
        assertThat(keyStates()).containsExactly("cfg:config:current:signs");

        assertThat(call("POST", "/api/v1/signing-keys", "{\"kid\": \"k2\"}").status()).isEqualTo(201);
        assertThat(keyStates()).as("a new key that is not current leaves the configured key signing")
            .containsExactly("cfg:config:current:signs", "k2:api:accepted");

        final HttpJson.Answer current = call("POST", "/api/v1/signing-keys/k2/current", null);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.data().path("signs").asBoolean()).isTrue();
        assertThat(keyStates()).as("a stored current key wins over the configured one")
            .containsExactly("k2:api:current:signs", "cfg:config:accepted");
        assertThat(call("POST", "/api/v1/playback-urls", "{\"content\":\"vod/abc\"}").data().path("kid").asText())
            .isEqualTo("k2");

        assertThat(call("DELETE", "/api/v1/signing-keys/cfg", null).errorCode()).isEqualTo("signing_key.configured");
        assertThat(call("POST", "/api/v1/signing-keys/cfg/current", null).errorCode()).isEqualTo("signing_key.configured");
        final HttpJson.Answer retireCurrent = call("DELETE", "/api/v1/signing-keys/k2", null);
        assertThat(retireCurrent.status()).isEqualTo(409);
        assertThat(retireCurrent.errorCode()).isEqualTo("signing_key.current");
        assertThat(call("POST", "/api/v1/signing-keys", "{\"kid\": \"cfg\"}").errorCode()).isEqualTo("signing_key.exists");
        assertThat(call("POST", "/api/v1/signing-keys", "{\"kid\": \"k2\"}").errorCode()).isEqualTo("signing_key.exists");
        assertThat(call("POST", "/api/v1/signing-keys", "{\"kid\": \"no spaces\"}").errorCode()).isEqualTo("kid.invalid");
        assertThat(call("POST", "/api/v1/signing-keys", "{\"secret\": \"mine\"}").errorCode()).isEqualTo("request.invalid");
        assertThat(call("POST", "/api/v1/signing-keys", "{\"current\": \"yes\"}").errorCode()).isEqualTo("request.invalid");
        final HttpJson.Answer missing = call("DELETE", "/api/v1/signing-keys/nope", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("signing_key.not_found");

        assertThat(call("POST", "/api/v1/signing-keys", "{\"kid\": \"k3\", \"current\": true}").status()).isEqualTo(201);
        clock.advance(5_000);
        final HttpJson.Answer retired = call("DELETE", "/api/v1/signing-keys/k2", null);
        assertThat(retired.status()).isEqualTo(200);
        assertThat(retired.data().path("state").asText()).isEqualTo("retired");
        assertThat(retired.data().path("retired_at").asText()).isEqualTo(Instant.ofEpochMilli(T0 + 5_000).toString());
        assertThat(retired.data().path("accepted_until").asText())
            .isEqualTo(Instant.ofEpochMilli(T0 + 5_000 + MAX_TTL_SECONDS * 1000).toString());
        final HttpJson.Answer revive = call("POST", "/api/v1/signing-keys/k2/current", null);
        assertThat(revive.status()).isEqualTo(409);
        assertThat(revive.errorCode()).isEqualTo("signing_key.retired");

        restart(configured);
        assertThat(keyStates()).as("kept across a restart")
            .containsExactly("k3:api:current:signs", "cfg:config:accepted", "k2:api:retired");
        assertThat(call("POST", "/api/v1/playback-urls", "{\"content\":\"vod/abc\"}").data().path("kid").asText())
            .isEqualTo("k3");
        assertThat(meters.get("bifrost.control.signing.keys.changes").tag("action", "created").counter().count())
            .as("k2 and k3; refusals are not counted").isEqualTo(2);
    }

    @Test
    void shouldAnswerOnlyOperators() throws Exception
    {
        start(null);
        assertThat(api.send("GET", "/api/v1/signing-keys", null, null).status()).isEqualTo(401);
        assertThat(api.send("POST", "/api/v1/signing-keys", "{\"current\": true}", null).status()).isEqualTo(401);
        assertThat(api.send("POST", "/api/v1/signing-keys", "{\"current\": true}", "wrong-token-0123456789").status())
            .isEqualTo(401);
        assertThat(api.send("POST", "/api/v1/signing-keys/k1/current", null, null).status()).isEqualTo(401);
        assertThat(api.send("DELETE", "/api/v1/signing-keys/k1", null, null).status()).isEqualTo(401);
        assertThat(keyStates()).as("nothing was created").isEmpty();
    }
}
