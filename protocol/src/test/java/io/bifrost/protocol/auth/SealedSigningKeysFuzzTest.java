package io.bifrost.protocol.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.signing.DistributedSigningKey;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link SealedSigningKeys#decode}, the edge's parser of the control plane's signing keys: any
 * bytes, signed with the fleet key first (so the fuzzer reaches the SBE decoder and the sealed secrets behind the
 * MAC) or not, give a verdict and never an exception or a read outside the message; an accepted set holds at most
 * {@value SealedSigningKeys#MAX_KEYS} keys with valid ids and secrets. A normal build replays
 * {@code src/test/resources/io/bifrost/protocol/auth/SealedSigningKeysFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SealedSigningKeysFuzzTest
{
    private static final long NOW = 1_764_000_000_000L;

    private final FleetKeys keys = FleetKeys.parse("k1:" + FleetKeysTest.SECRET_A, "t");
    private final SealedSigningKeys receiver = new SealedSigningKeys(keys, new SecureRandom());
    private final MessageAuthenticator signer = new MessageAuthenticator(keys);

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAVerdictAndAcceptedSetsAreBounded(final FuzzedDataProvider data)
    {
        final int padding = data.consumeInt(0, 16);
        final boolean sign = data.consumeBoolean();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[padding + bytes.length + MessageAuthenticator.TRAILER_LENGTH + 16]);
        buffer.putBytes(padding, bytes);
        final int length = sign ? signer.sign(buffer, padding, bytes.length, NOW) : bytes.length;
        final List<DistributedSigningKey> out = new ArrayList<>();

        final SealedSigningKeys.Verdict verdict = receiver.decode(buffer, padding, length, NOW, out);

        assertThat(verdict).isNotNull();
        if (verdict == SealedSigningKeys.Verdict.ACCEPTED)
        {
            assertThat(out).hasSizeLessThanOrEqualTo(SealedSigningKeys.MAX_KEYS);
            for (final DistributedSigningKey key : out)
            {
                assertThat(key.keyId()).matches("[A-Za-z0-9_-]{1,16}");
                assertThat(key.secret().length).isBetween(32, DistributedSigningKey.MAX_SECRET_LENGTH);
            }
        }
        else
        {
            assertThat(out).isEmpty();
        }
    }
}
