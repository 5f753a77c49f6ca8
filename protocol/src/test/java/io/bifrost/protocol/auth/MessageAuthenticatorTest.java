package io.bifrost.protocol.auth;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.bifrost.protocol.auth.FleetKeysTest.SECRET_A;
import static io.bifrost.protocol.auth.FleetKeysTest.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageAuthenticatorTest
{
    private static final long NOW = 1_764_000_000_000L;
    private static final int OFFSET = 40;
    private static final byte[] MESSAGE = "an SBE message: header and body".getBytes(StandardCharsets.US_ASCII);

    private final FleetKeys fleet = FleetKeys.parse("k1:" + SECRET_A, "test");
    private final MessageAuthenticator sender = new MessageAuthenticator(fleet);
    private final MessageAuthenticator receiver = new MessageAuthenticator(fleet);

    private static UnsafeBuffer message(final boolean direct)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(direct ? ByteBuffer.allocateDirect(256) : ByteBuffer.allocate(256));
        buffer.putBytes(OFFSET, MESSAGE);
        return buffer;
    }

    @Test
    void shouldAcceptWhatItSignsInHeapAndDirectBuffers()
    {
        for (final boolean direct : new boolean[] {false, true})
        {
            final UnsafeBuffer buffer = message(direct);

            final int length = sender.sign(buffer, OFFSET, MESSAGE.length, NOW);

            assertThat(length).isEqualTo(MESSAGE.length + MessageAuthenticator.TRAILER_LENGTH);
            assertThat(receiver.verify(buffer, OFFSET, length, NOW + 5)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
            assertThat(receiver.messageLength()).isEqualTo(MESSAGE.length);
            assertThat(receiver.sentAtMs()).isEqualTo(NOW);
        }
    }

    @Test
    void shouldRefuseEveryAlteredByteOfMessageOrTrailer()
    {
        final UnsafeBuffer buffer = message(false);
        final int length = sender.sign(buffer, OFFSET, MESSAGE.length, NOW);
        for (int i = 0; i < length; i++)
        {
            final byte original = buffer.getByte(OFFSET + i);
            buffer.putByte(OFFSET + i, (byte)(original ^ 0x01));

            assertThat(receiver.verify(buffer, OFFSET, length, NOW)).as("byte " + i)
                .isNotEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
            buffer.putByte(OFFSET + i, original);
        }
        assertThat(receiver.verify(buffer, OFFSET, length, NOW)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
    }

    @Test
    void shouldTellAMissingTrailerAnUnknownKeyAndAWrongSecretApart()
    {
        final UnsafeBuffer unsigned = message(false);
        assertThat(receiver.verify(unsigned, OFFSET, MESSAGE.length, NOW)).isEqualTo(MessageAuthenticator.Verdict.MISSING);
        assertThat(receiver.verify(unsigned, OFFSET, 3, NOW)).isEqualTo(MessageAuthenticator.Verdict.MISSING);
        assertThat(receiver.verify(unsigned, 250, 60, NOW)).isEqualTo(MessageAuthenticator.Verdict.MISSING);

        final UnsafeBuffer otherKey = message(false);
        final int length = new MessageAuthenticator(FleetKeys.parse("k9:" + SECRET_A, "test"))
            .sign(otherKey, OFFSET, MESSAGE.length, NOW);
        assertThat(receiver.verify(otherKey, OFFSET, length, NOW)).isEqualTo(MessageAuthenticator.Verdict.UNKNOWN_KEY);

        final UnsafeBuffer otherSecret = message(false);
        new MessageAuthenticator(FleetKeys.parse("k1:" + SECRET_B, "test")).sign(otherSecret, OFFSET, MESSAGE.length, NOW);
        assertThat(receiver.verify(otherSecret, OFFSET, length, NOW)).isEqualTo(MessageAuthenticator.Verdict.BAD_MAC);
        assertThat(receiver.messageLength()).isZero();
    }

    @Test
    void shouldRefuseAMessageSentOutsideTheTimeWindow()
    {
        final UnsafeBuffer buffer = message(true);
        final int length = sender.sign(buffer, OFFSET, MESSAGE.length, NOW);
        final long window = MessageAuthenticator.DEFAULT_MAX_AGE_MS;

        assertThat(receiver.verify(buffer, OFFSET, length, NOW + window)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        assertThat(receiver.verify(buffer, OFFSET, length, NOW + window + 1)).isEqualTo(MessageAuthenticator.Verdict.STALE);
        assertThat(receiver.verify(buffer, OFFSET, length, NOW - window - 1)).isEqualTo(MessageAuthenticator.Verdict.STALE);
    }

    @Test
    void shouldRotateKeysBySigningWithTheFirstAndAcceptingAny()
    {
        final MessageAuthenticator rotated = new MessageAuthenticator(
            FleetKeys.parse("k2:" + SECRET_B + ",k1:" + SECRET_A, "test"));
        final UnsafeBuffer buffer = message(false);
        final int length = rotated.sign(buffer, OFFSET, MESSAGE.length, NOW);

        assertThat(receiver.verify(buffer, OFFSET, length, NOW)).isEqualTo(MessageAuthenticator.Verdict.UNKNOWN_KEY);
        assertThat(new MessageAuthenticator(FleetKeys.parse("k1:" + SECRET_A + ",k2:" + SECRET_B, "test"))
            .verify(buffer, OFFSET, length, NOW)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        final UnsafeBuffer old = message(false);
        final int oldLength = sender.sign(old, OFFSET, MESSAGE.length, NOW);
        assertThat(rotated.verify(old, OFFSET, oldLength, NOW)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
    }

    @Test
    void shouldPassMessagesThroughUnchangedWhenOff()
    {
        final MessageAuthenticator off = new MessageAuthenticator(FleetKeys.NONE);
        final UnsafeBuffer buffer = message(false);

        assertThat(off.sign(buffer, OFFSET, MESSAGE.length, NOW)).isEqualTo(MESSAGE.length);
        assertThat(buffer.getByte(OFFSET + MESSAGE.length)).isZero();
        assertThat(off.verify(buffer, OFFSET, MESSAGE.length, NOW)).isEqualTo(MessageAuthenticator.Verdict.ACCEPTED);
        assertThat(off.messageLength()).isEqualTo(MESSAGE.length);
    }

    @Test
    void shouldRefuseToSignWithoutRoomForTheTrailer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MESSAGE.length + MessageAuthenticator.TRAILER_LENGTH - 1]);

        assertThatThrownBy(() -> sender.sign(buffer, 0, MESSAGE.length, NOW)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
