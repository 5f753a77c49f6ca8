package io.bifrost.origin.live.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link RelayFlvDecoder}: any body, cut into pieces anywhere (the first byte picks the piece
 * size, the second whether the handler pauses after each tag), yields tags within the size bound whose arrival time
 * is never after now, or is refused with a {@link RelayFormatException} that has a message; never another exception,
 * and the bytes held between pieces never exceed one tag plus one piece. Replays the committed corpus under
 * {@code src/test/resources/io/bifrost/origin/live/relay/RelayFlvDecoderFuzzTestInputs/} in a normal build;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class RelayFlvDecoderFuzzTest
{
    private static final int MAX_TAG_BYTES = 4096;
    private static final long NOW_MS = 1_767_225_600_000L;

    @FuzzTest(maxDuration = "60s")
    void decodesBoundedTagsOrRefuses(final byte[] input)
    {
        if (input.length < 2)
        {
            return;
        }
        final int piece = 1 + (input[0] & 0xFF);
        final boolean pausing = 0 != (input[1] & 1);
        final RelayFlvDecoder decoder = new RelayFlvDecoder(MAX_TAG_BYTES, () -> NOW_MS);
        final ByteBuf held = Unpooled.buffer();
        final RelayFlvDecoder.TagHandler handler = (tag, receivedAtMs) ->
        {
            assertThat(tag.payload().readableBytes()).isLessThanOrEqualTo(MAX_TAG_BYTES);
            assertThat(receivedAtMs).isBetween(0L, NOW_MS);
            assertThat(tag.timestampMs()).isNotNegative();
            return !pausing;
        };
        try
        {
            for (int at = 2; at < input.length; at += piece)
            {
                held.writeBytes(input, at, Math.min(piece, input.length - at));
                while (!decoder.decode(held, handler))
                {
                    assertThat(held.readableBytes()).isLessThanOrEqualTo(input.length);
                }
                held.discardReadBytes();
                assertThat(held.readableBytes()).isLessThan(MAX_TAG_BYTES + 1024 + piece);
            }
        }
        catch (final RelayFormatException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
        finally
        {
            held.release();
        }
    }
}
