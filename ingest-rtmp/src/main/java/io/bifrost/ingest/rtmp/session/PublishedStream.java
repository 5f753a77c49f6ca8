package io.bifrost.ingest.rtmp.session;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.chunk.RtmpMessage;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.TimestampExtender;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamEndReason;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream that is being published: its key (held in the {@link PublishRegistry} until {@link #end}), its sink, and
 * the 64-bit timeline of its tags. Event-loop confined.
 */
final class PublishedStream
{
    private static final Logger LOG = LoggerFactory.getLogger(PublishedStream.class);
    /** FLV tag header inside an aggregate message: type, size, timestamp, extension, stream id (FLV spec E.4.1). */
    private static final int AGGREGATE_TAG_HEADER_SIZE = 11;
    /** PreviousTagSize after each tag of an aggregate message. */
    private static final int AGGREGATE_BACK_POINTER_SIZE = 4;

    private final PublishRequest request;
    private final int messageStreamId;
    private final PublishRegistry registry;
    private final Object owner;
    private final TimestampExtender timeline = new TimestampExtender();
    private MediaSink sink;
    private boolean ended;

    PublishedStream(final PublishRequest request, final int messageStreamId, final PublishRegistry registry,
        final Object owner)
    {
        this.request = request;
        this.messageStreamId = messageStreamId;
        this.registry = registry;
        this.owner = owner;
    }

    void sink(final MediaSink sink)
    {
        this.sink = sink;
    }

    PublishRequest request()
    {
        return request;
    }

    int messageStreamId()
    {
        return messageStreamId;
    }

    boolean accepts(final int messageStreamId)
    {
        return this.messageStreamId == messageStreamId;
    }

    /**
     * @param message an audio, video, AMF0 data or aggregate message of this stream; not released here.
     * @param parser  the tag header parser.
     * @return whether the sink wants more now.
     */
    boolean deliver(final RtmpMessage message, final FlvTagParser parser)
    {
        if (RtmpMessageType.AGGREGATE == message.typeId())
        {
            return deliverAggregate(message.timestamp(), message.payload(), parser);
        }
        return deliverTag(message.typeId(), timeline.extend(message.timestamp()), message.payload(), parser);
    }

    private boolean deliverTag(final int typeId, final long timestampMs, final ByteBuf payload, final FlvTagParser parser)
    {
        final FlvTag tag = switch (typeId)
        {
            case RtmpMessageType.AUDIO -> parser.audio(timestampMs, payload);
            case RtmpMessageType.VIDEO -> parser.video(timestampMs, payload);
            case RtmpMessageType.DATA_AMF0 -> parser.script(timestampMs, payload);
            default -> null;
        };
        return null == tag || sink.onTag(tag);
    }

    private boolean deliverAggregate(final long messageTimestamp, final ByteBuf payload, final FlvTagParser parser)
    {
        boolean ready = true;
        long firstTimestamp = -1;
        while (payload.isReadable())
        {
            if (payload.readableBytes() < AGGREGATE_TAG_HEADER_SIZE)
            {
                throw new RtmpProtocolException(RejectReason.FLV_MALFORMED, "aggregate message with a cut tag header");
            }
            final int typeId = payload.readUnsignedByte();
            final int size = payload.readUnsignedMedium();
            final long timestamp = (payload.readUnsignedMedium() | ((long)payload.readUnsignedByte() << 24));
            payload.skipBytes(3);
            if (payload.readableBytes() < size + AGGREGATE_BACK_POINTER_SIZE)
            {
                throw new RtmpProtocolException(RejectReason.FLV_MALFORMED, "aggregate message with a cut tag body");
            }
            if (firstTimestamp < 0)
            {
                firstTimestamp = timestamp;
            }
            final ByteBuf body = payload.readSlice(size);
            payload.skipBytes(AGGREGATE_BACK_POINTER_SIZE);
            final long timestamp32 = (messageTimestamp + timestamp - firstTimestamp) & 0xFFFF_FFFFL;
            ready &= deliverTag(typeId, timeline.extend(timestamp32), body, parser);
        }
        return ready;
    }

    /**
     * End once: free the key, then tell the sink.
     *
     * @param reason why.
     */
    void end(final StreamEndReason reason)
    {
        if (ended)
        {
            return;
        }
        ended = true;
        registry.release(request.streamKey(), owner);
        if (null != sink)
        {
            try
            {
                sink.onEnd(reason);
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("rtmp sink of {} failed in onEnd", request.streamKey(), ex);
            }
        }
    }
}
