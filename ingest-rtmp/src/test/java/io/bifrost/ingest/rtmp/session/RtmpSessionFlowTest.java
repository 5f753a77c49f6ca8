package io.bifrost.ingest.rtmp.session;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpLimits;
import io.bifrost.ingest.rtmp.RtmpMetrics;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.amf.Amf0Writer;
import io.bifrost.ingest.rtmp.chunk.RtmpChunkDecoder;
import io.bifrost.ingest.rtmp.chunk.RtmpChunkEncoder;
import io.bifrost.ingest.rtmp.chunk.RtmpMessage;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.bifrost.ingest.sink.IngestProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command flow of one connection on an {@link EmbeddedChannel}: what a publisher sends and what it gets back.
 */
class RtmpSessionFlowTest
{
    private final PublishRegistry registry = new PublishRegistry();
    private final RtmpMetrics metrics = new RtmpMetrics(new SimpleMeterRegistry());
    private final List<PublishRequest> opened = new ArrayList<>();
    private final List<FlvTag> tags = new ArrayList<>();
    private final List<StreamEndReason> ends = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    private final SessionContext context = new SessionContext("live", 4096, 2_500_000, RtmpLimits.defaults(),
        request -> switch (request.streamKey())
        {
            case "throwing" -> throw new IllegalStateException("authorizer bug");
            case "failing" -> CompletableFuture.failedFuture(new IOException("control plane gone"));
            default -> StreamKeyAuthorizer.matching(r -> !r.streamKey().equals("forbidden")).authorize(request);
        },
        (request, demand) ->
        {
            opened.add(request);
            return new MediaSink()
            {
                @Override
                public boolean onTag(final FlvTag tag)
                {
                    tags.add(tag);
                    return true;
                }

                @Override
                public void onEnd(final StreamEndReason reason)
                {
                    ends.add(reason);
                }
            };
        },
        registry, metrics, IngestProtocol.RTMP);

    @AfterEach
    void close()
    {
        connections.forEach(c -> c.channel.finishAndReleaseAll());
    }

    @Test
    void shouldAnswerConnectWithWindowBandwidthChunkSizeAndSuccess()
    {
        final Connection c = connect();
        c.channel.runPendingTasks();
        final List<Integer> types = new ArrayList<>();
        for (final Object out : c.channel.outboundMessages())
        {
            types.add((int)((ByteBuf)out).getUnsignedByte(7)); // type id of a type 0/1 header on a 1-byte basic header
        }
        assertThat(types).containsExactly(RtmpMessageType.WINDOW_ACK_SIZE, RtmpMessageType.SET_PEER_BANDWIDTH,
            RtmpMessageType.SET_CHUNK_SIZE, RtmpMessageType.COMMAND_AMF0);
        final List<RtmpMessage> replies = c.replies();
        assertThat(replies).extracting(RtmpMessage::typeId)
            .containsExactly(RtmpMessageType.SET_PEER_BANDWIDTH, RtmpMessageType.COMMAND_AMF0);
        assertThat(c.clientDecoder.pipeline().get(RtmpChunkDecoder.class).inboundChunkSize()).isEqualTo(4096);
        final List<Object> result = amf(replies.get(1));
        assertThat(result.get(0)).isEqualTo("_result");
        assertThat(result.get(1)).isEqualTo(1.0);
        assertThat(((Map<?, ?>)result.get(3)).get("code")).isEqualTo("NetConnection.Connect.Success");
        replies.forEach(RtmpMessage::release);
    }

    @Test
    void shouldStartPublishingAndDeliverTagsAfterCreateStreamAndPublish()
    {
        final Connection c = connect();
        c.replies().forEach(RtmpMessage::release);
        c.command(0, "releaseStream", 2.0, null, "key1");
        c.command(0, "FCPublish", 3.0, null, "key1");
        c.command(0, "createStream", 4.0, null);
        c.command(1, "publish", 5.0, null, "key1?sig=1", "live");

        final List<List<Object>> commands = c.commands();
        assertThat(commands).extracting(v -> v.get(0)).containsExactly("_result", "onFCPublish", "_result", "onStatus");
        assertThat(commands.get(2).get(3)).isEqualTo(1.0);
        assertThat(((Map<?, ?>)commands.get(3).get(3)).get("code")).isEqualTo("NetStream.Publish.Start");
        assertThat(opened).singleElement().satisfies(r ->
        {
            assertThat(r.streamKey()).isEqualTo("key1");
            assertThat(r.query()).isEqualTo("sig=1");
        });

        c.send(new RtmpMessage(6, RtmpMessageType.VIDEO, 0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1})));
        final ByteBuf metadata = Unpooled.buffer();
        final Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("width", 640.0);
        Amf0Writer.writeAll(metadata, "@setDataFrame", "onMetaData", new io.bifrost.ingest.rtmp.amf.Amf0EcmaArray(properties));
        c.send(new RtmpMessage(4, RtmpMessageType.DATA_AMF0, 0, 1, metadata));
        assertThat(tags).hasSize(2);
        assertThat(tags.get(1).metadata()).containsEntry("width", 640.0);

        c.command(1, "deleteStream", 6.0, null, 1.0);
        assertThat(ends).containsExactly(StreamEndReason.UNPUBLISHED);
        assertThat(registry.isLive("key1")).isFalse();
    }

    @Test
    void shouldSplitAnAggregateMessageIntoTagsOnTheMessageTimeline()
    {
        publish("aggregate");
        final ByteBuf aggregate = Unpooled.buffer();
        aggregateTag(aggregate, RtmpMessageType.AUDIO, 500, new byte[]{(byte)0xAF, 1, 9});
        aggregateTag(aggregate, RtmpMessageType.VIDEO, 540, new byte[]{0x27, 1, 0, 0, 0, 7});
        connections.get(0).send(new RtmpMessage(6, RtmpMessageType.AGGREGATE, 1000, 1, aggregate));

        assertThat(tags).extracting(FlvTag::timestampMs).containsExactly(1000L, 1040L);
        assertThat(tags.get(0).isAudio()).isTrue();
        assertThat(tags.get(1).isVideo()).isTrue();
    }

    private static void aggregateTag(final ByteBuf out, final int type, final int timestamp, final byte[] body)
    {
        out.writeByte(type).writeMedium(body.length).writeMedium(timestamp).writeByte(0).writeMedium(0);
        out.writeBytes(body).writeInt(11 + body.length);
    }

    @Test
    void shouldRefuseSecondPublisherWithBadNameOnStatus()
    {
        final Connection first = publish("same");
        assertThat(first.lastStatusCode()).isEqualTo("NetStream.Publish.Start");
        final Connection second = publish("same");
        assertThat(second.lastStatusCode()).isEqualTo("NetStream.Publish.BadName");
        assertThat(second.channel.isOpen()).isFalse();
        assertThat(first.channel.isOpen()).isTrue();
        assertThat(metrics.rejected(RejectReason.PUBLISH_DUPLICATE)).isEqualTo(1);
        assertThat(opened).hasSize(1);
    }

    @Test
    void shouldRefuseAKeyTheAuthorizerDeniesAndClose()
    {
        final Connection c = publish("forbidden");
        assertThat(c.lastStatusCode()).isEqualTo("NetStream.Publish.Denied");
        assertThat(c.channel.isOpen()).isFalse();
        assertThat(opened).isEmpty();
        assertThat(metrics.rejected(RejectReason.PUBLISH_DENIED)).isEqualTo(1);
    }

    @Test
    void shouldRefuseWhenTheAuthorizerThrowsOrFails()
    {
        final Connection throwing = publish("throwing");
        final Connection failing = publish("failing");

        assertThat(throwing.lastStatusCode()).isEqualTo("NetStream.Publish.Denied");
        assertThat(failing.lastStatusCode()).isEqualTo("NetStream.Publish.Denied");
        assertThat(throwing.channel.isOpen()).isFalse();
        assertThat(failing.channel.isOpen()).isFalse();
        assertThat(opened).isEmpty();
        assertThat(metrics.rejected(RejectReason.PUBLISH_DENIED)).isEqualTo(2);
    }

    @Test
    void shouldOpenTheSinkWithTheAuthorizedStreamIdAndProtocol()
    {
        publish("allowed");

        assertThat(opened).singleElement().satisfies(request ->
        {
            assertThat(request.streamId()).isEqualTo(StreamAuthorization.derivedStreamId("allowed"));
            assertThat(request.protocol()).isEqualTo(IngestProtocol.RTMP);
            assertThat(request.streamKey()).isEqualTo("allowed");
        });
    }

    @Test
    void shouldEndTheStreamAndFreeTheKeyWhenThePublisherDisconnects()
    {
        final Connection c = publish("gone");
        c.channel.close();
        assertThat(ends).containsExactly(StreamEndReason.DISCONNECTED);
        assertThat(publish("gone").lastStatusCode()).isEqualTo("NetStream.Publish.Start");
    }

    @Test
    void shouldRejectAnUnknownApplication()
    {
        final Connection c = new Connection();
        final Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", "other");
        c.command(0, "connect", 1.0, command);
        assertThat(c.commands()).singleElement().satisfies(v ->
        {
            assertThat(v.get(0)).isEqualTo("_error");
            assertThat(((Map<?, ?>)v.get(3)).get("code")).isEqualTo("NetConnection.Connect.Rejected");
        });
        assertThat(c.channel.isOpen()).isFalse();
        assertThat(metrics.rejected(RejectReason.APP_UNKNOWN)).isEqualTo(1);
    }

    @Test
    void shouldCloseAConnectionThatPublishesBeforeConnect()
    {
        final Connection c = new Connection();
        c.command(1, "publish", 1.0, null, "key", "live");
        assertThat(c.channel.isOpen()).isFalse();
        assertThat(metrics.rejected(RejectReason.COMMAND_INVALID)).isEqualTo(1);
    }

    @Test
    void shouldAnswerAPingRequestWithAPingResponse()
    {
        final Connection c = connect();
        c.replies().forEach(RtmpMessage::release);
        c.send(new RtmpMessage(2, RtmpMessageType.USER_CONTROL, 0, 0,
            Unpooled.buffer().writeShort(RtmpMessageType.UC_PING_REQUEST).writeInt(12345)));
        final List<RtmpMessage> replies = c.replies();
        assertThat(replies).singleElement().satisfies(m ->
        {
            assertThat(m.typeId()).isEqualTo(RtmpMessageType.USER_CONTROL);
            assertThat(m.payload().getUnsignedShort(0)).isEqualTo(RtmpMessageType.UC_PING_RESPONSE);
            assertThat(m.payload().getInt(2)).isEqualTo(12345);
        });
        replies.forEach(RtmpMessage::release);
    }

    private Connection connect()
    {
        final Connection c = new Connection();
        final Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", "live/");
        command.put("tcUrl", "rtmp://localhost/live");
        c.command(0, "connect", 1.0, command);
        return c;
    }

    private Connection publish(final String key)
    {
        final Connection c = connect();
        c.replies().forEach(RtmpMessage::release);
        c.command(0, "createStream", 2.0, null);
        c.command(1, "publish", 3.0, null, key, "live");
        return c;
    }

    private static List<Object> amf(final RtmpMessage message)
    {
        return new Amf0Reader(Amf0Limits.defaults()).readAll(message.payload().duplicate());
    }

    /** A session on an embedded channel, with a client-side codec. */
    private final class Connection
    {
        final EmbeddedChannel channel = new EmbeddedChannel(
            new RtmpChunkEncoder(), new RtmpChunkDecoder(RtmpLimits.defaults()), new RtmpSession(context));
        final RtmpChunkEncoder clientEncoder = new RtmpChunkEncoder();
        final EmbeddedChannel clientDecoder = new EmbeddedChannel(new RtmpChunkDecoder(RtmpLimits.defaults()));
        String lastStatus;

        Connection()
        {
            connections.add(this);
        }

        void send(final RtmpMessage message)
        {
            final ByteBuf wire = Unpooled.buffer();
            clientEncoder.encode(message, wire);
            message.release();
            channel.writeInbound(wire);
            channel.runPendingTasks();
        }

        void command(final int msid, final Object... values)
        {
            final ByteBuf payload = Unpooled.buffer();
            Amf0Writer.writeAll(payload, values);
            send(new RtmpMessage(3, RtmpMessageType.COMMAND_AMF0, 0, msid, payload));
        }

        List<RtmpMessage> replies()
        {
            channel.runPendingTasks();
            ByteBuf out;
            while (null != (out = channel.readOutbound()))
            {
                clientDecoder.writeInbound(out);
            }
            final List<RtmpMessage> replies = new ArrayList<>();
            RtmpMessage message;
            while (null != (message = clientDecoder.readInbound()))
            {
                replies.add(message);
            }
            return replies;
        }

        List<List<Object>> commands()
        {
            final List<List<Object>> commands = new ArrayList<>();
            for (final RtmpMessage message : replies())
            {
                if (RtmpMessageType.COMMAND_AMF0 == message.typeId())
                {
                    final List<Object> values = amf(message);
                    commands.add(values);
                    if ("onStatus".equals(values.get(0)))
                    {
                        lastStatus = String.valueOf(((Map<?, ?>)values.get(3)).get("code"));
                    }
                }
                message.release();
            }
            return commands;
        }

        String lastStatusCode()
        {
            commands();
            return lastStatus;
        }
    }
}
