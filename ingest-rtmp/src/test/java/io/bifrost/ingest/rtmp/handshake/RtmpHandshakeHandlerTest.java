package io.bifrost.ingest.rtmp.handshake;

import io.bifrost.ingest.rtmp.RejectReason;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtmpHandshakeHandlerTest
{
    private static final int SIZE = RtmpHandshakeHandler.HANDSHAKE_SIZE;

    @Test
    void shouldAnswerS0S1S2EchoingC1AndHandOnTheBytesAfterC2() throws Exception
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpHandshakeHandler(5_000));
        final byte[] c1 = c1(false);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{3}), Unpooled.wrappedBuffer(c1, 0, 700));
        assertThat(channel.<Object>readOutbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(c1, 700, SIZE - 700));

        final ByteBuf reply = channel.readOutbound();
        assertThat(reply.readableBytes()).isEqualTo(1 + 2 * SIZE);
        assertThat(reply.getByte(0)).isEqualTo((byte)3);
        assertThat(reply.getInt(5)).as("S1 zero field: simple handshake").isZero();
        assertThat(reply.getInt(1 + SIZE)).as("S2 echoes C1 time").isEqualTo(0x01020304);
        assertThat(ByteBufUtil.getBytes(reply, 1 + SIZE + 8, SIZE - 8)).isEqualTo(Arrays.copyOfRange(c1, 8, SIZE));
        reply.release();

        final byte[] c2AndMore = new byte[SIZE + 5];
        System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, c2AndMore, SIZE, 5);
        channel.writeInbound(Unpooled.wrappedBuffer(c2AndMore));
        assertThat(channel.pipeline().get(RtmpHandshakeHandler.class)).isNull();
        final ByteBuf after = channel.readInbound();
        assertThat(after.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        after.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldAnswerADigestStyleC1WithTheSimpleHandshake()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpHandshakeHandler(5_000));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{3}), Unpooled.wrappedBuffer(c1(true)));
        final ByteBuf reply = channel.readOutbound();
        assertThat(reply.readableBytes()).isEqualTo(1 + 2 * SIZE);
        assertThat(reply.getInt(5)).isZero();
        reply.release();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[SIZE]));
        assertThat(channel.pipeline().get(RtmpHandshakeHandler.class)).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRefuseAnRtmpVersionOtherThanThree()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new RtmpHandshakeHandler(5_000));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{6, 1, 2})))
            .isInstanceOf(DecoderException.class)
            .cause().isInstanceOfSatisfying(RtmpProtocolException.class,
                ex -> assertThat(ex.reason()).isEqualTo(RejectReason.HANDSHAKE_VERSION));
        assertThat(channel.<Object>readOutbound()).isNull();
        channel.finishAndReleaseAll();
    }

    private static byte[] c1(final boolean digestStyle)
    {
        final byte[] c1 = new byte[SIZE];
        c1[0] = 1;
        c1[1] = 2;
        c1[2] = 3;
        c1[3] = 4;
        if (digestStyle)
        {
            c1[4] = 9;      // Flash player version 9.0.124.2 where the simple handshake has zeros
            c1[6] = 124;
            c1[7] = 2;
        }
        for (int i = 8; i < SIZE; i++)
        {
            c1[i] = (byte)(i * 7);
        }
        return c1;
    }
}
