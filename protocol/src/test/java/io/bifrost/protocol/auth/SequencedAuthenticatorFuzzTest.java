package io.bifrost.protocol.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link SequencedAuthenticator#verify}: any bytes at any offset and length, received once or
 * twice, give a verdict, never an exception or a read outside the buffer; a message just signed is accepted once and
 * refused as a replay after that; whatever is accepted is the signed message's length. In a normal build it replays
 * the corpus under {@code src/test/resources/io/bifrost/protocol/auth/SequencedAuthenticatorFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class SequencedAuthenticatorFuzzTest
{
    private static final long NOW = 1_764_000_000_000L;

    private final FleetKeys keys = FleetKeys.parse("k1:" + FleetKeysTest.SECRET_A, "t");

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAVerdictAndASignedMessageIsAcceptedOnce(final FuzzedDataProvider data)
    {
        final SequencedAuthenticator receiver = new SequencedAuthenticator(keys, 30_000, 4);
        final SequencedAuthenticator signer = new SequencedAuthenticator(keys);
        final int padding = data.consumeInt(0, 32);
        final int lengthSlack = data.consumeInt(-8, 8);
        final boolean signFirst = data.consumeBoolean();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[padding + bytes.length + SequencedAuthenticator.OVERHEAD]);
        buffer.putBytes(padding, bytes);
        final int length = signFirst ? signer.sign(buffer, padding, bytes.length, NOW) : bytes.length + lengthSlack;

        final SequencedAuthenticator.Verdict first = receiver.verify(buffer, padding, length, NOW);
        final int firstLength = receiver.messageLength();
        final SequencedAuthenticator.Verdict second = receiver.verify(buffer, padding, length, NOW);

        assertThat(first).isNotNull();
        assertThat(second).isNotEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        assertThat(receiver.messageLength()).isZero();
        if (signFirst)
        {
            assertThat(first).isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
            assertThat(firstLength).isEqualTo(bytes.length);
            assertThat(second).isEqualTo(SequencedAuthenticator.Verdict.REPLAYED);
        }
        else if (first == SequencedAuthenticator.Verdict.ACCEPTED)
        {
            assertThat(firstLength).isEqualTo(length - SequencedAuthenticator.OVERHEAD);
        }
        else
        {
            assertThat(firstLength).isZero();
        }
    }
}
