package io.bifrost.ingest.rtmp.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link Amf0Reader}: any bytes are either refused with {@link Amf0Exception} or read into
 * values that the writer turns back into bytes the reader reads as equal values. In a normal build it replays the
 * corpus under {@code src/test/resources/io/bifrost/ingest/rtmp/amf/Amf0ReaderFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class Amf0ReaderFuzzTest
{
    private static final Amf0Reader READER = new Amf0Reader(new Amf0Limits(8, 4096, 64, 65_536));

    @FuzzTest(maxDuration = "60s")
    void readRefusesOrRoundTrips(final byte[] input)
    {
        final List<Object> values;
        try
        {
            values = READER.readAll(Unpooled.wrappedBuffer(input));
        }
        catch (final Amf0Exception ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
            return;
        }
        final ByteBuf rewritten = Unpooled.buffer();
        Amf0Writer.writeAll(rewritten, values.toArray());
        assertThat(new Amf0Reader(new Amf0Limits(8, 1 << 20, 64, Integer.MAX_VALUE)).readAll(rewritten)).isEqualTo(values);
    }
}
