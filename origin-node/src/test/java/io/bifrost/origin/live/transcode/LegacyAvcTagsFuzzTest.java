package io.bifrost.origin.live.transcode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.origin.live.ingest.CopiedTag;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link LegacyAvcTags}: any video message body that ingest-rtmp's parser takes as Enhanced
 * RTMP H.264 is rewritten into a consistent legacy FLV tag (DataSize and PreviousTagSize agree with its length,
 * CodecID 7) or dropped; never an exception. Replays the corpus in a normal build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class LegacyAvcTagsFuzzTest
{
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));

    @FuzzTest(maxDuration = "30s")
    void rewritesIntoConsistentLegacyTagsOrDrops(final byte[] body)
    {
        final FlvTag tag;
        try
        {
            tag = PARSER.video(1234, Unpooled.wrappedBuffer(body));
        }
        catch (final RtmpProtocolException ex)
        {
            return;
        }
        final CopiedTag copied = CopiedTag.of(tag);
        if (!LegacyAvcTags.needsRewrite(copied))
        {
            return;
        }
        final byte[] legacy = LegacyAvcTags.rewrite(copied);
        if (null == legacy)
        {
            return;
        }
        final int size = ((legacy[1] & 0xFF) << 16) | ((legacy[2] & 0xFF) << 8) | (legacy[3] & 0xFF);
        assertThat(legacy).hasSize(CopiedTag.HEADER_SIZE + size + CopiedTag.BACK_POINTER_SIZE);
        final int back = ((legacy[legacy.length - 4] & 0xFF) << 24) | ((legacy[legacy.length - 3] & 0xFF) << 16) |
            ((legacy[legacy.length - 2] & 0xFF) << 8) | (legacy[legacy.length - 1] & 0xFF);
        assertThat(back).isEqualTo(CopiedTag.HEADER_SIZE + size);
        assertThat(legacy[CopiedTag.HEADER_SIZE] & 0x0F).isEqualTo(7);
        assertThat(legacy[CopiedTag.HEADER_SIZE] & 0x80).isZero();
        final FlvTag reparsed = PARSER.video(1234, Unpooled.wrappedBuffer(legacy, CopiedTag.HEADER_SIZE, size));
        assertThat(reparsed.enhanced()).isFalse();
        assertThat(reparsed.keyframe()).isEqualTo(tag.keyframe());
    }
}
