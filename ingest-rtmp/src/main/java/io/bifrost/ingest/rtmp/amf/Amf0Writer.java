package io.bifrost.ingest.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes Java values as AMF0 (AMF0 specification section 2), the inverse of {@link Amf0Reader}: any {@link Number}
 * as a number, strings up to 65535 UTF-8 bytes as string and longer as long string, {@code Map} as an anonymous
 * object, {@link Amf0EcmaArray}, {@code List} as a strict array, {@link Amf0Date}, {@link Amf0Constant}, and Java
 * {@code null} as AMF0 null. Stateless: safe from any thread.
 */
public final class Amf0Writer
{
    private static final int MAX_SHORT_STRING_BYTES = 0xFFFF;

    private Amf0Writer()
    {
    }

    /**
     * Write values one after another, as a command message body.
     *
     * @param out    the buffer to append to.
     * @param values the values.
     */
    public static void writeAll(final ByteBuf out, final Object... values)
    {
        for (final Object value : values)
        {
            write(out, value);
        }
    }

    /**
     * Write one value.
     *
     * @param out   the buffer to append to.
     * @param value the value.
     * @throws IllegalArgumentException for a type AMF0 cannot carry or a property name over 65535 bytes.
     */
    public static void write(final ByteBuf out, final Object value)
    {
        switch (value)
        {
            case null -> out.writeByte(Amf0Type.NULL);
            case Amf0Constant constant -> out.writeByte(Amf0Constant.NULL == constant ? Amf0Type.NULL : Amf0Type.UNDEFINED);
            case Number number -> out.writeByte(Amf0Type.NUMBER).writeLong(Double.doubleToRawLongBits(number.doubleValue()));
            case Boolean bool -> out.writeByte(Amf0Type.BOOLEAN).writeByte(bool ? 1 : 0);
            case String string -> writeString(out, string);
            case Amf0EcmaArray array ->
            {
                out.writeByte(Amf0Type.ECMA_ARRAY).writeInt(array.properties().size());
                writeProperties(out, array.properties());
            }
            case Map<?, ?> map ->
            {
                out.writeByte(Amf0Type.OBJECT);
                writeProperties(out, map);
            }
            case List<?> list ->
            {
                out.writeByte(Amf0Type.STRICT_ARRAY).writeInt(list.size());
                for (final Object element : list)
                {
                    write(out, element);
                }
            }
            case Amf0Date date ->
                out.writeByte(Amf0Type.DATE).writeLong(Double.doubleToRawLongBits(date.epochMillis()))
                    .writeShort(date.timeZoneMinutes());
            default -> throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
        }
    }

    private static void writeString(final ByteBuf out, final String string)
    {
        final int length = ByteBufUtil.utf8Bytes(string);
        if (length <= MAX_SHORT_STRING_BYTES)
        {
            out.writeByte(Amf0Type.STRING).writeShort(length);
        }
        else
        {
            out.writeByte(Amf0Type.LONG_STRING).writeInt(length);
        }
        out.writeCharSequence(string, StandardCharsets.UTF_8);
    }

    private static void writeProperties(final ByteBuf out, final Map<?, ?> properties)
    {
        for (final Map.Entry<?, ?> entry : properties.entrySet())
        {
            final String name = String.valueOf(entry.getKey());
            final int length = ByteBufUtil.utf8Bytes(name);
            if (length > MAX_SHORT_STRING_BYTES)
            {
                throw new IllegalArgumentException("AMF0 property name longer than 65535 bytes");
            }
            out.writeShort(length).writeCharSequence(name, StandardCharsets.UTF_8);
            write(out, entry.getValue());
        }
        out.writeShort(0).writeByte(Amf0Type.OBJECT_END);
    }
}
