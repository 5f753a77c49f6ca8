package io.bifrost.ingest.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link RelayAnswerReader}, which reads whatever the port named by {@code ingest.origin-url}
 * answers: the first byte says whether the connection is plain and where the answer is split into two reads, the
 * rest is the answer. Any input is told apart without throwing, as an HTTP status (100-999), a TLS record (plain
 * connections only), something that is not HTTP, or a need for more bytes; a verdict is reached within the status
 * line bound, never changes once reached, and the quoted answer stays short. Corpus under
 * {@code src/test/resources/io/bifrost/ingest/relay/RelayAnswerReaderFuzzTestInputs/}.
 */
class RelayAnswerReaderFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void tellsTheAnswerWithinTheBound(final byte[] input)
    {
        if (0 == input.length)
        {
            return;
        }
        final boolean plain = 0 == (input[0] & 1);
        final int split = 1 + ((input[0] & 0xFF) >> 1) % input.length;
        final RelayAnswerReader reader = new RelayAnswerReader(plain);
        final ByteBuf answer = Unpooled.wrappedBuffer(input, 1, input.length - 1);

        int verdict = reader.read(answer.readSlice(Math.min(split - 1, answer.readableBytes())));
        if (RelayAnswerReader.MORE == verdict)
        {
            verdict = reader.read(answer);
        }

        assertThat(verdict == RelayAnswerReader.MORE || verdict == RelayAnswerReader.NOT_HTTP ||
            verdict >= 100 && verdict <= 999 || plain && verdict == RelayAnswerReader.TLS_RECORD)
            .as("verdict %d", verdict).isTrue();
        if (RelayAnswerReader.MORE == verdict)
        {
            assertThat(input.length - 1).as("undecided only within the status line bound")
                .isLessThanOrEqualTo(RelayAnswerReader.MAX_STATUS_LINE);
        }
        else
        {
            assertThat(reader.read(Unpooled.wrappedBuffer(input))).as("a verdict stays").isEqualTo(verdict);
        }
        assertThat(reader.seen().length()).isLessThanOrEqualTo(2 + 64 * 4 + 3);
    }
}
