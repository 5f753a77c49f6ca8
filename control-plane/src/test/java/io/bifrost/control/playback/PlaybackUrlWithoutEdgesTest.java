package io.bifrost.control.playback;

import io.bifrost.control.ControlPlane;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Playback URLs from a control plane that has no edge (no Aeron): URLs fall back to the public playback URL; without
 * {@code control.signing-keys} it says so instead of issuing unverifiable URLs; bad TTL bounds are refused at start.
 */
class PlaybackUrlWithoutEdgesTest
{
    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerNotConfiguredWhenTheControlPlaneHasNoSigningKeys() throws Exception
    {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ControlPlane.Running control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1")
            .port(0).dataDir(dataDir).meterRegistry(meters));
            HttpJson api = new HttpJson(control.port()))
        {
            final HttpJson.Answer answer = api.post("/api/v1/playback-urls", "{\"content\":\"vod/abc\"}");
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.errorCode()).isEqualTo("signing.not_configured");
            final HttpJson.Answer keys = api.get("/api/v1/signing-keys");
            assertThat(keys.status()).isEqualTo(200);
            assertThat(keys.data().path("signing_kid").isNull()).isTrue();
            assertThat(keys.data().path("keys")).isEmpty();
            assertThat(meters.get("bifrost.control.playback.urls").tag("outcome", "not_configured").counter().count())
                .isEqualTo(1.0);
        }
    }

    @Test
    void shouldFallBackToThePublicPlaybackUrlWhenNoEdgeIsUp() throws Exception
    {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ControlPlane.Running control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1")
            .port(0).dataDir(dataDir).meterRegistry(meters).publicPlaybackUrl("https://cdn.example.net/")
            .signingKeys(new SigningKeyRing(PlaybackUrlApiTest.key("k1", 1))));
            HttpJson api = new HttpJson(control.port()))
        {
            final HttpJson.Answer answer = api.post("/api/v1/playback-urls", "{\"content\":\"vod/abc\"}");

            assertThat(answer.status()).isEqualTo(201);
            assertThat(answer.data().path("url").asText()).isEqualTo("https://cdn.example.net/t/" +
                answer.data().path("token").asText() + "/vod/abc/master.m3u8").contains("/t/v1.k1.");
            assertThat(answer.data().path("edge_id").isNull()).isTrue();
            assertThat(new UrlTokenVerifier(new SigningKeyRing(PlaybackUrlApiTest.key("k1", 1))).verify(
                answer.data().path("token").asText(), "/vod/abc/1080p/7.m4s", null, Instant.now()))
                .isEqualTo(TokenVerdict.OK);
            assertThat(meters.get("bifrost.control.playback.urls").tag("outcome", "fallback").counter().count())
                .isEqualTo(1.0);
        }
    }

    @Test
    void shouldRefuseATtlBoundOutsideTenSecondsToAYear()
    {
        assertThatThrownBy(() -> new ControlPlane.Context().dataDir(dataDir).playbackUrlMaxTtl(Duration.ofSeconds(5))
            .conclude()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control.playback-url-max-ttl");
        assertThatThrownBy(() -> new ControlPlane.Context().dataDir(dataDir).playbackUrlMaxTtl(Duration.ofDays(400))
            .conclude()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control.playback-url-max-ttl");
    }
}
