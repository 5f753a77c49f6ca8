package io.bifrost.ingest.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Amf0CodecTest
{
    private final Amf0Reader reader = new Amf0Reader(Amf0Limits.defaults());

    @Test
    void shouldRoundTripEverySupportedType()
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", "live");
        object.put("fourCcList", List.of("hvc1", "av01"));
        object.put("nested", Map.of("x", 1.0));
        final Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("width", 1920.0);
        metadata.put("stereo", true);
        final List<Object> values = new ArrayList<>(List.of(
            1.5, -0.0, Double.NaN, true, false, "", "connect", "é✓", object, new Amf0EcmaArray(metadata),
            List.of(1.0, "two", Amf0Constant.NULL), new Amf0Date(1.7e12, (short)0), Amf0Constant.NULL,
            Amf0Constant.UNDEFINED, "x".repeat(70_000)));

        final ByteBuf buffer = Unpooled.buffer();
        Amf0Writer.writeAll(buffer, values.toArray());
        final Amf0Reader large = new Amf0Reader(new Amf0Limits(8, 100_000, 100, 1_000_000));
        assertThat(large.readAll(buffer)).isEqualTo(values);
    }

    @Test
    void shouldWriteStringsLongerThan65535BytesAsLongStrings()
    {
        final ByteBuf buffer = Unpooled.buffer();
        Amf0Writer.write(buffer, "y".repeat(65_536));
        assertThat((int)buffer.getUnsignedByte(0)).isEqualTo(Amf0Type.LONG_STRING);
        assertThat(buffer.getInt(1)).isEqualTo(65_536);
    }

    @Test
    void shouldReadTheExactBytesOfAConnectCommand()
    {
        final ByteBuf buffer = Unpooled.buffer();
        buffer.writeByte(2).writeShort(7).writeBytes("connect".getBytes());
        buffer.writeByte(0).writeLong(Double.doubleToLongBits(1.0));
        buffer.writeByte(3).writeShort(3).writeBytes("app".getBytes()).writeByte(2).writeShort(4).writeBytes("live".getBytes());
        buffer.writeShort(0).writeByte(9);
        assertThat(reader.readAll(buffer)).containsExactly("connect", 1.0, Map.of("app", "live"));
    }

    @Test
    void shouldRefuseReferences()
    {
        assertRefused(new byte[]{7, 0, 1}, "reference");
    }

    @Test
    void shouldRefuseTheAmf3Switch()
    {
        assertRefused(new byte[]{0x11, 1}, "AMF3");
    }

    @Test
    void shouldRefuseTypedObjectsAndReservedMarkers()
    {
        assertRefused(new byte[]{0x10}, "unsupported");
        assertRefused(new byte[]{0x04}, "unsupported");
        assertRefused(new byte[]{0x0D}, "unsupported");
    }

    @Test
    void shouldRefuseAnObjectEndOutsideAnObject()
    {
        assertRefused(new byte[]{9}, "object-end");
    }

    @Test
    void shouldRefuseTruncatedValues()
    {
        assertRefused(new byte[]{0, 1, 2}, "truncated");
        assertRefused(new byte[]{2, 0, 5, 'a'}, "truncated");
        assertRefused(new byte[]{3, 0, 1, 'a'}, "truncated");
    }

    @Test
    void shouldRefuseNestingDeeperThanTheLimit()
    {
        final ByteBuf buffer = Unpooled.buffer();
        for (int i = 0; i < 5; i++)
        {
            buffer.writeByte(10).writeInt(1);
        }
        buffer.writeByte(5);
        final Amf0Reader shallow = new Amf0Reader(new Amf0Limits(4, 100, 100, 1000));
        assertThatThrownBy(() -> shallow.readAll(buffer)).isInstanceOf(Amf0Exception.class).hasMessageContaining("deeper");
    }

    @Test
    void shouldRefuseAStringLongerThanTheLimitWithoutReadingIt()
    {
        final ByteBuf buffer = Unpooled.buffer().writeByte(12).writeInt(0x7FFF_FFFF);
        assertThatThrownBy(() -> reader.readAll(buffer)).isInstanceOf(Amf0Exception.class).hasMessageContaining("exceeds");
    }

    @Test
    void shouldRefuseAStrictArrayCountBeyondTheLimitOrTheMessage()
    {
        assertThatThrownBy(() -> reader.readAll(Unpooled.buffer().writeByte(10).writeInt(0x7FFF_FFFF)))
            .isInstanceOf(Amf0Exception.class).hasMessageContaining("strict array");
        assertThatThrownBy(() -> reader.readAll(Unpooled.buffer().writeByte(10).writeInt(50).writeByte(5)))
            .isInstanceOf(Amf0Exception.class).hasMessageContaining("strict array");
    }

    @Test
    void shouldRefuseObjectsWithMorePropertiesThanTheLimit()
    {
        final Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++)
        {
            wide.put("k" + i, 1.0);
        }
        final ByteBuf buffer = Unpooled.buffer();
        Amf0Writer.write(buffer, wide);
        final Amf0Reader narrow = new Amf0Reader(new Amf0Limits(4, 100, 10, 10_000));
        assertThatThrownBy(() -> narrow.readAll(buffer)).isInstanceOf(Amf0Exception.class).hasMessageContaining("properties");
    }

    @Test
    void shouldRefuseMessagesLargerThanTheLimit()
    {
        final Amf0Reader tiny = new Amf0Reader(new Amf0Limits(4, 100, 10, 16));
        assertThatThrownBy(() -> tiny.readAll(Unpooled.buffer().writeZero(17)))
            .isInstanceOf(Amf0Exception.class).hasMessageContaining("message");
    }

    private void assertRefused(final byte[] bytes, final String messagePart)
    {
        assertThatThrownBy(() -> reader.readAll(Unpooled.wrappedBuffer(bytes)))
            .isInstanceOf(Amf0Exception.class)
            .hasMessageContaining(messagePart);
    }
}
