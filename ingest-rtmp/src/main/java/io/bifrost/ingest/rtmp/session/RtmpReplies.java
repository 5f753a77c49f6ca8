package io.bifrost.ingest.rtmp.session;

import io.bifrost.ingest.rtmp.amf.Amf0Writer;
import io.bifrost.ingest.rtmp.chunk.RtmpMessage;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the messages the server sends: protocol control (RTMP 1.0 section 5.4), user control (section 7.1.7) and
 * AMF0 commands (section 7.2). Stateless.
 */
final class RtmpReplies
{
    /** NetConnection / NetStream status codes (RTMP 1.0 section 7.2, Flash NetStatusEvent codes). */
    static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    static final String PUBLISH_START = "NetStream.Publish.Start";
    static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    static final String PUBLISH_DENIED = "NetStream.Publish.Denied";
    static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    /** A publish ended by the server for a reason the other codes do not name (librtmp, so OBS, closes on it). */
    static final String STREAM_FAILED = "NetStream.Failed";

    private RtmpReplies()
    {
    }

    static RtmpMessage control(final ByteBufAllocator alloc, final int typeId, final int value)
    {
        return new RtmpMessage(RtmpMessageType.CSID_PROTOCOL_CONTROL, typeId, 0, 0, alloc.buffer(4).writeInt(value));
    }

    static RtmpMessage setPeerBandwidth(final ByteBufAllocator alloc, final int windowBytes)
    {
        final ByteBuf payload = alloc.buffer(5).writeInt(windowBytes).writeByte(RtmpMessageType.PEER_BANDWIDTH_DYNAMIC);
        return new RtmpMessage(RtmpMessageType.CSID_PROTOCOL_CONTROL, RtmpMessageType.SET_PEER_BANDWIDTH, 0, 0, payload);
    }

    static RtmpMessage userControl(final ByteBufAllocator alloc, final int event, final int value)
    {
        final ByteBuf payload = alloc.buffer(6).writeShort(event).writeInt(value);
        return new RtmpMessage(RtmpMessageType.CSID_PROTOCOL_CONTROL, RtmpMessageType.USER_CONTROL, 0, 0, payload);
    }

    static RtmpMessage command(
        final ByteBufAllocator alloc, final int csid, final int messageStreamId, final Object... values)
    {
        final ByteBuf payload = alloc.buffer(256);
        Amf0Writer.writeAll(payload, values);
        return new RtmpMessage(csid, RtmpMessageType.COMMAND_AMF0, 0, messageStreamId, payload);
    }

    static Map<String, Object> status(final String level, final String code, final String description)
    {
        final Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }
}
