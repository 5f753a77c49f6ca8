package io.bifrost.ingest.rtmp.chunk;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.ingest.rtmp.RtmpLimits;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link RtmpChunkDecoder}: any bytes either decode into messages within the limits or are
 * refused with {@link RtmpProtocolException}; nothing else escapes and nothing leaks. In a normal build it replays
 * the corpus under {@code src/test/resources/io/bifrost/ingest/rtmp/chunk/RtmpChunkDecoderFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class RtmpChunkDecoderFuzzTest
{
    private static final RtmpLimits LIMITS = new RtmpLimits(4096, 8192, 8, 16_384, 16_384, Amf0Limits.defaults());

    @FuzzTest(maxDuration = "60s")
    void decodeEmitsBoundedMessagesOrRefuses(final byte[] input)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkDecoder(LIMITS));
        channel.config().setAllocator(new UnpooledByteBufAllocator(false, true));
        final ByteBufAllocator alloc = channel.alloc();
        try
        {
            int offset = 0;
            int step = 1;
            while (offset < input.length)
            {
                final int n = Math.min(step, input.length - offset);
                channel.writeInbound(alloc.buffer(n).writeBytes(input, offset, n));
                offset += n;
                step = step * 3 + 1;
            }
        }
        catch (final DecoderException ex)
        {
            assertThat(ex.getCause()).isInstanceOf(RtmpProtocolException.class);
        }
        Object message;
        while (null != (message = channel.readInbound()))
        {
            final RtmpMessage rtmp = (RtmpMessage)message;
            assertThat(rtmp.payload().readableBytes()).isLessThanOrEqualTo(LIMITS.maxMessageSize());
            assertThat(rtmp.chunkStreamId()).isBetween(2, 65_599);
            rtmp.release();
        }
        channel.finishAndReleaseAll();
    }
}
