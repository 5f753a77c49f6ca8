package io.bifrost.ingest.srt;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link FlvStreamReader}: any bytes end in tags within the size bound, a clean end, or
 * {@link FlvStreamException}; never another exception and never a tag larger than the bound. In a normal build it
 * replays the corpus under {@code src/test/resources/io/bifrost/ingest/srt/FlvStreamReaderFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class FlvStreamReaderFuzzTest
{
    private static final int MAX_TAG_BYTES = 4096;

    @FuzzTest(maxDuration = "60s")
    void readsBoundedTagsOrRefuses(final byte[] input) throws IOException
    {
        final FlvStreamReader reader = new FlvStreamReader(new ByteArrayInputStream(input), MAX_TAG_BYTES);
        long consumed = 0;
        try
        {
            FlvStreamReader.Tag tag;
            while (null != (tag = reader.next()))
            {
                assertThat(tag.body().length).isLessThanOrEqualTo(MAX_TAG_BYTES);
                assertThat(tag.type()).isIn(FlvStreamReader.TAG_AUDIO, FlvStreamReader.TAG_VIDEO,
                    FlvStreamReader.TAG_SCRIPT);
                assertThat(tag.timestamp32()).isBetween(0L, 0xFFFF_FFFFL);
                consumed += tag.body().length;
                assertThat(consumed).isLessThanOrEqualTo(input.length);
            }
        }
        catch (final FlvStreamException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }
}
