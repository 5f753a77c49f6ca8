package io.bifrost.protocol.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link MessageAuthenticator#verify}: any bytes at any offset and length give a verdict, never
 * an exception and never a read outside the buffer; whatever it accepts is exactly what the fleet's key signs. In a
 * normal build it replays the corpus under
 * {@code src/test/resources/io/bifrost/protocol/auth/MessageAuthenticatorFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class MessageAuthenticatorFuzzTest
{
    private static final long NOW = 1_764_000_000_000L;

    private final FleetKeys keys = FleetKeys.parse("k1:" + FleetKeysTest.SECRET_A + ",k2:" + FleetKeysTest.SECRET_B, "t");
    private final MessageAuthenticator receiver = new MessageAuthenticator(keys);
    private final MessageAuthenticator signer = new MessageAuthenticator(keys);

    @FuzzTest(maxDuration = "30s")
    void anyBytesGiveAVerdictAndOnlyGenuineMessagesAreAccepted(final FuzzedDataProvider data)
    {
        final int padding = data.consumeInt(0, 32);
        final int lengthSlack = data.consumeInt(-8, 8);
        final boolean signFirst = data.consumeBoolean();
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[padding + bytes.length + MessageAuthenticator.TRAILER_LENGTH]);
        buffer.putBytes(padding, bytes);
        int length = bytes.length + lengthSlack;
        if (signFirst)
        {
            length = signer.sign(buffer, padding, bytes.length, NOW);
        }

        final MessageAuthenticator.Verdict verdict = receiver.verify(buffer, padding, length, NOW);

        assertThat(verdict).isNotNull();
        if (verdict == MessageAuthenticator.Verdict.ACCEPTED)
        {
            final int messageLength = receiver.messageLength();
            assertThat(messageLength).isEqualTo(length - MessageAuthenticator.TRAILER_LENGTH);
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[messageLength + MessageAuthenticator.TRAILER_LENGTH]);
            copy.putBytes(0, buffer, padding, messageLength);
            signer.sign(copy, 0, messageLength, receiver.sentAtMs());
            // The signer's first key is k1; a genuine k2 message carries k2's MAC, so compare only k1 messages.
            if (buffer.getByte(padding + messageLength + MessageAuthenticator.KEY_ID_OFFSET + 1) == '1')
            {
                for (int i = 0; i < MessageAuthenticator.TRAILER_LENGTH; i++)
                {
                    assertThat(copy.getByte(messageLength + i)).isEqualTo(buffer.getByte(padding + messageLength + i));
                }
            }
        }
        else
        {
            assertThat(signFirst).as("a message just signed is accepted").isFalse();
            assertThat(receiver.messageLength()).isZero();
        }
    }
}
