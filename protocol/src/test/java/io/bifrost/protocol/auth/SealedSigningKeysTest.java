package io.bifrost.protocol.auth;

import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.SigningKeysEncoder;
import io.bifrost.protocol.signing.DistributedSigningKey;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code SigningKeys} message end to end through real AES-GCM and HMAC: a set round-trips, its secrets never
 * appear in the sent bytes, and a receiver refuses every message it should (altered, wrong fleet secret, unknown fleet
 * key, stale, too many keys, a sealed secret that does not open, no fleet keys at all).
 */
class SealedSigningKeysTest
{
    private static final long NOW = 1_764_000_000_000L;
    private static final String OTHER_SECRET = Base64.getUrlEncoder().encodeToString(
        "another fleet's secret, 32 bytes+".getBytes());

    private final FleetKeys fleet = FleetKeys.parse("f1:" + FleetKeysTest.SECRET_B, "t");
    private final SealedSigningKeys sender = new SealedSigningKeys(fleet, new SecureRandom());
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SealedSigningKeys.MAX_MESSAGE_LENGTH]);
    private final List<DistributedSigningKey> out = new ArrayList<>();

    private static byte[] secret(final int seed)
    {
        final byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++)
        {
            secret[i] = (byte)(seed * 31 + i * 7);
        }
        return secret;
    }

    private static List<DistributedSigningKey> set()
    {
        return List.of(new DistributedSigningKey("k1", secret(1), 0),
            new DistributedSigningKey("k2-2026", secret(2), NOW + 600_000));
    }

    private SealedSigningKeys receiver(final String fleetKeys)
    {
        return new SealedSigningKeys(FleetKeys.parse(fleetKeys, "t"), new SecureRandom());
    }

    @Test
    void shouldRoundTripTheSetWithoutSecretsInTheClear()
    {
        final int length = sender.encode(buffer, 0, 7, set(), NOW);

        final SealedSigningKeys receiver = receiver("f1:" + FleetKeysTest.SECRET_B);
        assertThat(receiver.decode(buffer, 0, length, NOW + 1_000, out)).isEqualTo(SealedSigningKeys.Verdict.ACCEPTED);
        assertThat(out).containsExactlyElementsOf(set());
        assertThat(receiver.generation()).isEqualTo(7);
        assertThat(receiver.sentAtMs()).isEqualTo(NOW);

        final byte[] wire = new byte[length];
        buffer.getBytes(0, wire);
        for (final DistributedSigningKey key : set())
        {
            assertThat(indexOf(wire, Arrays.copyOf(key.secret(), 8))).as("no 8 bytes of " + key.keyId() + "'s secret")
                .isEqualTo(-1);
        }
        assertThat(indexOf(wire, "k2-2026".getBytes())).as("key ids are public").isGreaterThan(0);
    }

    @Test
    void shouldOpenWithTheFleetKeyNamedInTheTrailerDuringAFleetKeyRotation()
    {
        final int length = sender.encode(buffer, 0, 1, set(), NOW);

        final SealedSigningKeys rotated = receiver("f2:" + FleetKeysTest.SECRET_A + ",f1:" + FleetKeysTest.SECRET_B);
        assertThat(rotated.decode(buffer, 0, length, NOW, out)).isEqualTo(SealedSigningKeys.Verdict.ACCEPTED);
        assertThat(out).hasSize(2);
    }

    @Test
    void shouldRefuseAlteredForeignStaleAndUnauthenticatedSets()
    {
        final int length = sender.encode(buffer, 0, 1, set(), NOW);
        final SealedSigningKeys receiver = receiver("f1:" + FleetKeysTest.SECRET_B);

        assertThat(receiver("f1:" + OTHER_SECRET).decode(buffer, 0, length, NOW, out))
            .as("same fleet key id, another secret").isEqualTo(SealedSigningKeys.Verdict.BAD_MAC);
        assertThat(receiver("f9:" + FleetKeysTest.SECRET_B).decode(buffer, 0, length, NOW, out))
            .isEqualTo(SealedSigningKeys.Verdict.UNKNOWN_KEY);
        assertThat(receiver.decode(buffer, 0, length, NOW + 31_000, out)).isEqualTo(SealedSigningKeys.Verdict.STALE);
        assertThat(receiver("").decode(buffer, 0, length, NOW, out)).isEqualTo(SealedSigningKeys.Verdict.NO_FLEET_KEYS);
        assertThat(receiver.decode(buffer, 0, length - MessageAuthenticator.TRAILER_LENGTH, NOW, out))
            .isEqualTo(SealedSigningKeys.Verdict.MISSING);

        buffer.putByte(length - MessageAuthenticator.TRAILER_LENGTH - 5, (byte)~buffer.getByte(
            length - MessageAuthenticator.TRAILER_LENGTH - 5));
        assertThat(receiver.decode(buffer, 0, length, NOW, out)).isEqualTo(SealedSigningKeys.Verdict.BAD_MAC);
        assertThat(out).isEmpty();
    }

    @Test
    void shouldRefuseASealedSecretThatDoesNotOpenEvenUnderAValidMac()
    {
        final int length = sender.encode(buffer, 0, 1, set(), NOW);
        final int body = length - MessageAuthenticator.TRAILER_LENGTH;
        buffer.putByte(body - 1, (byte)~buffer.getByte(body - 1)); // the last key's GCM tag
        new MessageAuthenticator(fleet).sign(buffer, 0, body, NOW); // a fleet member's own mistake, re-signed

        assertThat(receiver("f1:" + FleetKeysTest.SECRET_B).decode(buffer, 0, length, NOW, out))
            .isEqualTo(SealedSigningKeys.Verdict.UNSEALABLE);
        assertThat(out).isEmpty();
    }

    @Test
    void shouldBoundTheNumberOfKeys()
    {
        final List<DistributedSigningKey> tooMany = new ArrayList<>();
        for (int i = 0; i <= SealedSigningKeys.MAX_KEYS; i++)
        {
            tooMany.add(new DistributedSigningKey("k" + i, secret(i), 0));
        }
        assertThatThrownBy(() -> sender.encode(buffer, 0, 1, tooMany, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sender.encode(buffer, 0, 1, tooMany.subList(0, SealedSigningKeys.MAX_KEYS), NOW))
            .isLessThanOrEqualTo(SealedSigningKeys.MAX_MESSAGE_LENGTH);

        // A fleet member that sends more anyway: refused before any key is read.
        final SigningKeysEncoder encoder = new SigningKeysEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).generation(1);
        final SigningKeysEncoder.KeysEncoder keys = encoder.keysCount(SealedSigningKeys.MAX_KEYS + 1);
        for (int i = 0; i <= SealedSigningKeys.MAX_KEYS; i++)
        {
            keys.next().notAfterMs(0).keyId("k" + i).putSealedSecret(new byte[60], 0, 60);
        }
        final int length = new MessageAuthenticator(fleet).sign(buffer, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), NOW);
        assertThat(receiver("f1:" + FleetKeysTest.SECRET_B).decode(buffer, 0, length, NOW, out))
            .isEqualTo(SealedSigningKeys.Verdict.TOO_MANY_KEYS);
    }

    @Test
    void shouldNeverSendSecretsWithoutFleetKeys()
    {
        final SealedSigningKeys open = new SealedSigningKeys(FleetKeys.NONE, new SecureRandom());
        assertThat(open.enabled()).isFalse();
        assertThatThrownBy(() -> open.encode(buffer, 0, 1, set(), NOW)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("fleet keys");
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length))
            {
                return i;
            }
        }
        return -1;
    }
}
