package io.bifrost.ingest.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the writer produces, the reader gives back equal values, byte for byte consumed.
 */
class Amf0RoundTripPropertyTest
{
    private final Amf0Reader reader = new Amf0Reader(new Amf0Limits(16, 1 << 20, 1024, 1 << 22));

    @Property(tries = 300)
    void writtenValuesReadBackEqual(@ForAll("values") final List<Object> values)
    {
        final ByteBuf buffer = Unpooled.buffer();
        Amf0Writer.writeAll(buffer, values.toArray());
        assertThat(reader.readAll(buffer)).isEqualTo(values);
        assertThat(buffer.isReadable()).isFalse();
    }

    @Provide
    Arbitrary<List<Object>> values()
    {
        return value(3).list().ofMaxSize(6);
    }

    private Arbitrary<Object> value(final int depth)
    {
        final Arbitrary<Object> scalar = Arbitraries.oneOf(
            Arbitraries.doubles().map(d -> (Object)d),
            Arbitraries.of(true, false).map(b -> (Object)b),
            Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(40).map(s -> (Object)s),
            Arbitraries.of(Amf0Constant.NULL, Amf0Constant.UNDEFINED).map(c -> (Object)c),
            Arbitraries.doubles().map(d -> (Object)new Amf0Date(d, (short)0)));
        if (0 == depth)
        {
            return scalar;
        }
        final Arbitrary<Map<String, Object>> map = Arbitraries.maps(
            Arbitraries.strings().alpha().ofMaxLength(12), value(depth - 1)).ofMaxSize(4).map(LinkedHashMap::new);
        return Arbitraries.frequencyOf(
            Tuple.of(6, scalar),
            Tuple.of(1, map.map(m -> (Object)m)),
            Tuple.of(1, map.map(m -> (Object)new Amf0EcmaArray(m))),
            Tuple.of(1, value(depth - 1).list().ofMaxSize(4).map(l -> (Object)l)));
    }
}
