package io.bifrost.edge.control;

import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SealedSigningKeys;
import io.bifrost.protocol.signing.DistributedSigningKey;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlSigner;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge's token keys as the control plane's messages change them, checked with a real {@link UrlTokenVerifier} over
 * the same ring the token gate uses: sets apply at once, a key left out or past its end stops verifying, configured
 * keys always verify, and only authentic, in-order messages change anything (counted by reason otherwise).
 */
class OnlineSigningKeysTest
{
    private static final long NOW = 1_767_225_600_000L;
    private static final String FLEET = "f1:" + Base64.getUrlEncoder().encodeToString(new byte[32]);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static byte[] secret(final int seed)
    {
        final byte[] secret = new byte[32];
        Arrays.fill(secret, (byte)seed);
        return secret;
    }

    private static TokenVerdict check(final SigningKeyRing ring, final String kid, final byte[] secret, final long nowMs)
    {
        final String token = new UrlSigner(new SigningKeyRing(new SigningKey(kid, secret)))
            .sign("/vod/a/", Instant.ofEpochMilli(NOW + 3_600_000));
        return new UrlTokenVerifier(ring).verify(token, "/vod/a/master.m3u8", null, Instant.ofEpochMilli(nowMs));
    }

    private double gauge(final String source)
    {
        return meters.get("bifrost.edge.signing-keys").tag("source", source).gauge().value();
    }

    @Test
    void shouldAcceptExactlyTheLastSetAndTheConfiguredKeys()
    {
        final SigningKeyRing ring = new SigningKeyRing(new SigningKey("cfg", secret(9)));
        final OnlineSigningKeys keys = new OnlineSigningKeys(ring, meters);

        assertThat(keys.apply(List.of(new DistributedSigningKey("a", secret(1), 0),
            new DistributedSigningKey("b", secret(2), NOW + 1_000)), NOW)).isTrue();
        assertThat(check(ring, "a", secret(1), NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(check(ring, "b", secret(2), NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(check(ring, "cfg", secret(9), NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(gauge("config")).isEqualTo(1);
        assertThat(gauge("control")).isEqualTo(2);

        assertThat(keys.expire(NOW + 1_000)).as("b's end has come").isTrue();
        assertThat(check(ring, "b", secret(2), NOW + 1_000)).isEqualTo(TokenVerdict.UNKNOWN_KEY);

        assertThat(keys.apply(List.of(new DistributedSigningKey("cfg", secret(3), 0)), NOW + 2_000)).isTrue();
        assertThat(check(ring, "a", secret(1), NOW)).as("left out of the set").isEqualTo(TokenVerdict.UNKNOWN_KEY);
        assertThat(check(ring, "cfg", secret(9), NOW)).as("the configured key wins").isEqualTo(TokenVerdict.OK);
        assertThat(check(ring, "cfg", secret(3), NOW)).isEqualTo(TokenVerdict.BAD_SIGNATURE);
        assertThat(gauge("control")).isZero();
        assertThat(ring.current().keyId()).isEqualTo("cfg");
    }

    @Test
    void shouldApplyOnlyAuthenticInOrderMessages()
    {
        final SigningKeyRing ring = SigningKeyRing.verifyOnly();
        final OnlineSigningKeys keys = new OnlineSigningKeys(ring, meters);
        final long[] clock = {NOW};
        final SigningKeysReceiver receiver = new SigningKeysReceiver(keys, FleetKeys.parse(FLEET, "t"), () -> clock[0],
            meters);
        final SealedSigningKeys sender = new SealedSigningKeys(FleetKeys.parse(FLEET, "t"), new SecureRandom());
        final UnsafeBuffer first = new UnsafeBuffer(new byte[SealedSigningKeys.MAX_MESSAGE_LENGTH]);
        final int firstLength = sender.encode(first, 0, 1, List.of(new DistributedSigningKey("a", secret(1), 0)), NOW);
        final UnsafeBuffer second = new UnsafeBuffer(new byte[SealedSigningKeys.MAX_MESSAGE_LENGTH]);
        final int secondLength = sender.encode(second, 0, 2, List.of(new DistributedSigningKey("b", secret(2), 0)),
            NOW + 1_000);

        assertThat(check(ring, "a", secret(1), NOW)).isEqualTo(TokenVerdict.UNKNOWN_KEY);
        clock[0] = NOW + 1_000;
        receiver.onMessage(second, 0, secondLength);
        receiver.onMessage(first, 0, firstLength);
        assertThat(keys.sentKeyIds()).containsExactly("b");
        assertThat(meters.get("bifrost.edge.signing-keys.refused").tag("reason", "outdated").counter().count()).isEqualTo(1);

        new SigningKeysReceiver(keys, FleetKeys.NONE, () -> clock[0], meters).onMessage(first, 0, firstLength);
        assertThat(meters.get("bifrost.edge.signing-keys.refused").tag("reason", "no_fleet_keys").counter().count())
            .isEqualTo(1);
        assertThat(check(ring, "b", secret(2), NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(check(ring, "a", secret(1), NOW)).isEqualTo(TokenVerdict.UNKNOWN_KEY);
    }
}
