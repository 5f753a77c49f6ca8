package io.bifrost.protocol.auth;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static io.bifrost.protocol.auth.FleetKeysTest.SECRET_A;
import static io.bifrost.protocol.auth.FleetKeysTest.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class SequencedAuthenticatorTest
{
    private static final long NOW = 1_764_000_000_000L;
    private static final int OFFSET = 24;
    private static final byte[] MESSAGE = "a LivePart: header, block, names, payload".getBytes(StandardCharsets.US_ASCII);

    private final FleetKeys fleet = FleetKeys.parse("k1:" + SECRET_A, "test");
    private final SequencedAuthenticator origin = new SequencedAuthenticator(fleet);
    private final SequencedAuthenticator edge = new SequencedAuthenticator(fleet);

    private static UnsafeBuffer buffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        buffer.putBytes(OFFSET, MESSAGE);
        return buffer;
    }

    private static UnsafeBuffer copy(final UnsafeBuffer from, final int length)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[512]);
        copy.putBytes(OFFSET, from, OFFSET, length);
        return copy;
    }

    @Test
    void shouldAcceptEachSignedMessageOnceInOrder()
    {
        final UnsafeBuffer buffer = buffer();
        for (int i = 0; i < 3; i++)
        {
            final int length = origin.sign(buffer, OFFSET, MESSAGE.length, NOW + i);

            assertThat(length).isEqualTo(MESSAGE.length + SequencedAuthenticator.OVERHEAD);
            assertThat(edge.verify(buffer, OFFSET, length, NOW + i)).isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
            assertThat(edge.messageLength()).isEqualTo(MESSAGE.length);
            assertThat(edge.verify(buffer, OFFSET, length, NOW + i)).as("the same message again")
                .isEqualTo(SequencedAuthenticator.Verdict.REPLAYED);
            assertThat(edge.messageLength()).isZero();
        }
        assertThat(edge.senders()).isOne();
    }

    @Test
    void shouldRefuseAnOlderCaptureAfterANewerMessageWhateverItsSendTime()
    {
        final UnsafeBuffer buffer = buffer();
        final UnsafeBuffer first = copy(buffer, origin.sign(buffer, OFFSET, MESSAGE.length, NOW));
        final int length = origin.sign(buffer, OFFSET, MESSAGE.length, NOW);
        final UnsafeBuffer second = copy(buffer, length);

        assertThat(edge.verify(second, OFFSET, length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        assertThat(edge.verify(first, OFFSET, length, NOW + 1_000)).isEqualTo(SequencedAuthenticator.Verdict.REPLAYED);
    }

    @Test
    void shouldAcceptTheCurrentMessagesOfASenderItJoinsMidStreamAndOfARestartedSender()
    {
        final UnsafeBuffer buffer = buffer();
        for (int i = 0; i < 100; i++)
        {
            origin.sign(buffer, OFFSET, MESSAGE.length, NOW);
        }
        int length = origin.sign(buffer, OFFSET, MESSAGE.length, NOW);
        assertThat(edge.verify(buffer, OFFSET, length, NOW)).as("sequence 101, first heard")
            .isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);

        final SequencedAuthenticator restarted = new SequencedAuthenticator(fleet);
        length = restarted.sign(buffer, OFFSET, MESSAGE.length, NOW + 10);
        assertThat(restarted.senderId()).isNotEqualTo(origin.senderId());
        assertThat(edge.verify(buffer, OFFSET, length, NOW + 10)).as("sequence 1 of a new sender")
            .isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        assertThat(edge.senders()).isEqualTo(2);
    }

    @Test
    void shouldRefuseUnsignedUnknownKeyForgedAndStaleMessages()
    {
        final UnsafeBuffer buffer = buffer();
        assertThat(edge.verify(buffer, OFFSET, MESSAGE.length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.MISSING);

        final SequencedAuthenticator stranger = new SequencedAuthenticator(FleetKeys.parse("k9:" + SECRET_B, "test"));
        int length = stranger.sign(buffer, OFFSET, MESSAGE.length, NOW);
        assertThat(edge.verify(buffer, OFFSET, length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.UNKNOWN_KEY);

        length = origin.sign(buffer, OFFSET, MESSAGE.length, NOW);
        final UnsafeBuffer forged = copy(buffer, length);
        forged.putLong(OFFSET + MESSAGE.length + 8, 1L << 40); // a far-ahead sequence, to lock the sender out
        assertThat(edge.verify(forged, OFFSET, length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.BAD_MAC);

        assertThat(edge.verify(buffer, OFFSET, length, NOW + MessageAuthenticator.DEFAULT_MAX_AGE_MS + 1))
            .isEqualTo(SequencedAuthenticator.Verdict.STALE);
        assertThat(edge.verify(buffer, OFFSET, length, NOW)).as("the genuine one still passes")
            .isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        assertThat(edge.senders()).isOne();
    }

    @Test
    void shouldForgetSilentSendersBeforeRefusingANewOne()
    {
        final SequencedAuthenticator receiver = new SequencedAuthenticator(fleet, 1_000, 2);
        final UnsafeBuffer buffer = buffer();
        for (int i = 0; i < 2; i++)
        {
            final SequencedAuthenticator sender = new SequencedAuthenticator(fleet);
            final int length = sender.sign(buffer, OFFSET, MESSAGE.length, NOW);
            assertThat(receiver.verify(buffer, OFFSET, length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        }
        final SequencedAuthenticator third = new SequencedAuthenticator(fleet);
        int length = third.sign(buffer, OFFSET, MESSAGE.length, NOW + 500);
        assertThat(receiver.verify(buffer, OFFSET, length, NOW + 500))
            .isEqualTo(SequencedAuthenticator.Verdict.TOO_MANY_SENDERS);

        length = third.sign(buffer, OFFSET, MESSAGE.length, NOW + 1_500);
        assertThat(receiver.verify(buffer, OFFSET, length, NOW + 1_500)).as("the two others are silent past the window")
            .isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        assertThat(receiver.senders()).isOne();
    }

    @Test
    void shouldAppendNothingAndAcceptEverythingWithoutKeys()
    {
        final SequencedAuthenticator off = new SequencedAuthenticator(FleetKeys.NONE);
        final UnsafeBuffer buffer = buffer();

        assertThat(off.overhead()).isZero();
        assertThat(off.sign(buffer, OFFSET, MESSAGE.length, NOW)).isEqualTo(MESSAGE.length);
        assertThat(off.verify(buffer, OFFSET, MESSAGE.length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        assertThat(off.messageLength()).isEqualTo(MESSAGE.length);
    }

    /**
     * The hot path copies no message: signing and verifying a 256 KiB part allocates a few bytes per message (the JDK's
     * HMAC result array), not a payload's worth. Counted with the thread's allocated-bytes counter, not timed.
     */
    @Test
    void shouldNotAllocateInProportionToTheMessage()
    {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        final com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean)threads;
        assumeThat(counter.isThreadAllocatedMemorySupported()).isTrue();
        counter.setThreadAllocatedMemoryEnabled(true);

        final int partBytes = 256 << 10;
        final UnsafeBuffer part = new UnsafeBuffer(ByteBuffer.allocateDirect(partBytes + SequencedAuthenticator.OVERHEAD));
        final byte[] random = new byte[4096];
        ThreadLocalRandom.current().nextBytes(random);
        for (int at = 0; at < partBytes; at += random.length)
        {
            part.putBytes(at, random);
        }
        for (int i = 0; i < 100; i++) // warm up the JIT and the maps first
        {
            final int length = origin.sign(part, 0, partBytes, NOW);
            assertThat(edge.verify(part, 0, length, NOW)).isEqualTo(SequencedAuthenticator.Verdict.ACCEPTED);
        }

        final int messages = 50;
        final long before = counter.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < messages; i++)
        {
            final int length = origin.sign(part, 0, partBytes, NOW);
            if (edge.verify(part, 0, length, NOW) != SequencedAuthenticator.Verdict.ACCEPTED)
            {
                throw new AssertionError("refused message " + i);
            }
        }
        final long allocated = counter.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated / messages).as("bytes allocated per signed and verified 256 KiB message").isLessThan(1024);
    }
}
