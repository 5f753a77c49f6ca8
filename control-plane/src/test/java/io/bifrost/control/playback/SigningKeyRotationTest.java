package io.bifrost.control.playback;

import io.bifrost.control.ControlPlane;
import io.bifrost.control.MutableClock;
import io.bifrost.protocol.signing.SigningKey;
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

/**
 * The documented key rotation, end to end: real control planes (each configuration change is a restart, as an
 * operator changes {@code control.signing-keys}) issue URLs, and a real {@link UrlTokenVerifier} configured like an
 * edge ({@code edge.signing-keys}: first key signs, all verify) checks them at every step:
 * <ol>
 *   <li>edges and control plane hold the old key; URLs are signed with it;</li>
 *   <li>the new key is added to every edge, after the old one (verify only);</li>
 *   <li>the new key is put first on the control plane: new URLs carry its kid, old URLs still play;</li>
 *   <li>after the longest TTL the old key is removed everywhere: old URLs are refused with {@code token.unknown_key}
 *       (they had expired anyway), new ones play.</li>
 * </ol>
 */
class SigningKeyRotationTest
{
    private static final long T0 = 1_767_225_600_000L;
    private static final Duration MAX_TTL = Duration.ofHours(2);
    private static final String PATH = "/vod/film/720p/index.m3u8";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);

    private String issue(final SigningKeyRing controlKeys, final String expectedKid) throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1")
            .port(0).dataDir(dataDir).meterRegistry(new SimpleMeterRegistry()).clock(clock).signingKeys(controlKeys)
            .playbackUrlMaxTtl(MAX_TTL));
            HttpJson api = new HttpJson(control.port()))
        {
            final HttpJson.Answer keys = api.get("/api/v1/signing-keys");
            assertThat(keys.data().path("signing_kid").asText()).isEqualTo(expectedKid);
            final HttpJson.Answer answer = api.post("/api/v1/playback-urls",
                "{\"content\":\"vod/film\",\"path\":\"720p/index.m3u8\",\"ttl_seconds\":" + MAX_TTL.toSeconds() + "}");
            assertThat(answer.status()).isEqualTo(201);
            assertThat(answer.data().path("kid").asText()).isEqualTo(expectedKid);
            return answer.data().path("token").asText();
        }
    }

    private TokenVerdict play(final UrlTokenVerifier edge, final String token)
    {
        return edge.verify(token, PATH, null, clock.instant());
    }

    @Test
    void shouldKeepOldUrlsPlayingThroughARotationUntilTheOldKeyIsRemoved() throws Exception
    {
        final SigningKey oldKey = PlaybackUrlApiTest.key("2026a", 7);
        final SigningKey newKey = PlaybackUrlApiTest.key("2026b", 9);

        // 1. Everyone holds the old key.
        final SigningKeyRing edgeKeys = new SigningKeyRing(oldKey);
        final UrlTokenVerifier edge = new UrlTokenVerifier(edgeKeys);
        final String oldUrl = issue(new SigningKeyRing(oldKey), "2026a");
        assertThat(play(edge, oldUrl)).isEqualTo(TokenVerdict.OK);

        // 2. Every edge learns the new key, verify only (edge.signing-keys=2026a:...,2026b:...).
        edgeKeys.add(newKey);
        assertThat(edgeKeys.current().keyId()).isEqualTo("2026a");

        // 3. The control plane signs with the new key (control.signing-keys=2026b:...,2026a:...).
        clock.advance(60_000);
        final String newUrl = issue(new SigningKeyRing(newKey, oldKey), "2026b");
        assertThat(play(edge, newUrl)).isEqualTo(TokenVerdict.OK);
        assertThat(play(edge, oldUrl)).as("URLs signed before the switch keep playing").isEqualTo(TokenVerdict.OK);

        // Had step 3 come before step 2, edges would have refused the new URLs:
        assertThat(new UrlTokenVerifier(new SigningKeyRing(oldKey)).verify(newUrl, PATH, null, clock.instant()))
            .isEqualTo(TokenVerdict.UNKNOWN_KEY);

        // 4. After the longest TTL since the switch, the old key goes (edges: edge.signing-keys=2026b:...).
        clock.advance(MAX_TTL.toMillis());
        assertThat(play(edge, oldUrl)).as("the old URL has expired by now").isEqualTo(TokenVerdict.EXPIRED);
        edgeKeys.makeCurrent("2026b");
        assertThat(edgeKeys.remove("2026a")).isTrue();
        assertThat(play(edge, oldUrl)).isEqualTo(TokenVerdict.UNKNOWN_KEY);
        final String latestUrl = issue(new SigningKeyRing(newKey), "2026b");
        assertThat(play(edge, latestUrl)).isEqualTo(TokenVerdict.OK);
        assertThat(Instant.ofEpochMilli(T0)).isBefore(clock.instant());
    }
}
