package io.bifrost.ingest.rtmp.amf;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values (AMF0 specification section 2) into plain Java values: {@link Double}, {@link Boolean},
 * {@link String} (string and long string), {@code Map<String, Object>} (anonymous object, insertion ordered),
 * {@link Amf0EcmaArray}, {@code List<Object>} (strict array), {@link Amf0Date} and {@link Amf0Constant}.
 *
 * <p>Reference, movieclip, recordset, unsupported, XML, typed-object and AMF3 markers are rejected, as is anything
 * past {@link Amf0Limits}: nesting depth, string length, entry count and total size are checked before anything is
 * allocated for them, and no collection is sized from a count the input claims. Failures raise
 * {@link Amf0Exception}. Stateless apart from its limits: safe to share between threads.
 */
public final class Amf0Reader
{
    private final Amf0Limits limits;

    /**
     * @param limits the bounds to enforce.
     */
    public Amf0Reader(final Amf0Limits limits)
    {
        this.limits = limits;
    }

    /**
     * Read every value in the buffer, as a command or data message carries them.
     *
     * @param buffer the message body; its reader index moves to the end.
     * @return the values in order.
     * @throws Amf0Exception on malformed or out-of-bounds input.
     */
    public List<Object> readAll(final ByteBuf buffer)
    {
        checkMessageSize(buffer);
        final List<Object> values = new ArrayList<>();
        while (buffer.isReadable())
        {
            if (values.size() >= limits.maxArrayLength())
            {
                throw new Amf0Exception("more than " + limits.maxArrayLength() + " top-level values");
            }
            values.add(readValue(buffer, 1));
        }
        return values;
    }

    /**
     * Read one value.
     *
     * @param buffer positioned at a type marker; the reader index moves past the value.
     * @return the value.
     * @throws Amf0Exception on malformed or out-of-bounds input.
     */
    public Object read(final ByteBuf buffer)
    {
        checkMessageSize(buffer);
        return readValue(buffer, 1);
    }

    private void checkMessageSize(final ByteBuf buffer)
    {
        if (buffer.readableBytes() > limits.maxMessageBytes())
        {
            throw new Amf0Exception("AMF0 message of " + buffer.readableBytes() + " bytes exceeds " +
                limits.maxMessageBytes());
        }
    }

    private Object readValue(final ByteBuf buffer, final int depth)
    {
        final int marker = readUnsignedByte(buffer, "type marker");
        return switch (marker)
        {
            case Amf0Type.NUMBER -> Double.longBitsToDouble(readLong(buffer));
            case Amf0Type.BOOLEAN -> readUnsignedByte(buffer, "boolean") != 0;
            case Amf0Type.STRING -> readString(buffer, readUnsignedShort(buffer));
            case Amf0Type.LONG_STRING -> readString(buffer, readUnsignedInt(buffer));
            case Amf0Type.OBJECT -> readProperties(buffer, checkDepth(depth));
            case Amf0Type.NULL -> Amf0Constant.NULL;
            case Amf0Type.UNDEFINED -> Amf0Constant.UNDEFINED;
            case Amf0Type.ECMA_ARRAY ->
            {
                readUnsignedInt(buffer); // count is only a hint (section 2.10); the object end decides
                yield new Amf0EcmaArray(readProperties(buffer, checkDepth(depth)));
            }
            case Amf0Type.STRICT_ARRAY -> readStrictArray(buffer, checkDepth(depth));
            case Amf0Type.DATE -> new Amf0Date(Double.longBitsToDouble(readLong(buffer)), readShort(buffer));
            case Amf0Type.OBJECT_END -> throw new Amf0Exception("object-end marker outside an object");
            case Amf0Type.REFERENCE -> throw new Amf0Exception("AMF0 reference (0x07) is not supported");
            case Amf0Type.AVMPLUS -> throw new Amf0Exception("AMF3 switch (0x11) is not supported");
            default -> throw new Amf0Exception("unsupported AMF0 type marker 0x" + Integer.toHexString(marker));
        };
    }

    private int checkDepth(final int depth)
    {
        if (depth >= limits.maxDepth())
        {
            throw new Amf0Exception("AMF0 nesting deeper than " + limits.maxDepth());
        }
        return depth + 1;
    }

    private Map<String, Object> readProperties(final ByteBuf buffer, final int depth)
    {
        final Map<String, Object> properties = new LinkedHashMap<>();
        int entries = 0;
        while (true)
        {
            final String name = readString(buffer, readUnsignedShort(buffer));
            if (name.isEmpty() && buffer.isReadable() && Amf0Type.OBJECT_END == buffer.getUnsignedByte(buffer.readerIndex()))
            {
                buffer.skipBytes(1);
                return properties;
            }
            if (++entries > limits.maxArrayLength())
            {
                throw new Amf0Exception("object with more than " + limits.maxArrayLength() + " properties");
            }
            properties.put(name, readValue(buffer, depth));
        }
    }

    private List<Object> readStrictArray(final ByteBuf buffer, final int depth)
    {
        final long count = readUnsignedInt(buffer);
        if (count > limits.maxArrayLength() || count > buffer.readableBytes())
        {
            throw new Amf0Exception("strict array of " + count + " entries exceeds the limit or the message");
        }
        final List<Object> values = new ArrayList<>((int)count);
        for (int i = 0; i < count; i++)
        {
            values.add(readValue(buffer, depth));
        }
        return values;
    }

    private String readString(final ByteBuf buffer, final long length)
    {
        if (length > limits.maxStringBytes())
        {
            throw new Amf0Exception("string of " + length + " bytes exceeds " + limits.maxStringBytes());
        }
        require(buffer, (int)length, "string");
        final String value = buffer.toString(buffer.readerIndex(), (int)length, StandardCharsets.UTF_8);
        buffer.skipBytes((int)length);
        return value;
    }

    private static void require(final ByteBuf buffer, final int bytes, final String what)
    {
        if (buffer.readableBytes() < bytes)
        {
            throw new Amf0Exception("truncated AMF0 " + what + ": needs " + bytes + " bytes, " +
                buffer.readableBytes() + " left");
        }
    }

    private static int readUnsignedByte(final ByteBuf buffer, final String what)
    {
        require(buffer, 1, what);
        return buffer.readUnsignedByte();
    }

    private static int readUnsignedShort(final ByteBuf buffer)
    {
        require(buffer, 2, "string length");
        return buffer.readUnsignedShort();
    }

    private static short readShort(final ByteBuf buffer)
    {
        require(buffer, 2, "date time zone");
        return buffer.readShort();
    }

    private static long readUnsignedInt(final ByteBuf buffer)
    {
        require(buffer, 4, "length");
        return buffer.readUnsignedInt();
    }

    private static long readLong(final ByteBuf buffer)
    {
        require(buffer, 8, "number");
        return buffer.readLong();
    }
}
