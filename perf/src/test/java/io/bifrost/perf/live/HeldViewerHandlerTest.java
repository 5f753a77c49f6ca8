package io.bifrost.perf.live;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HeldViewerHandlerTest
{
    private final AtomicInteger answers = new AtomicInteger();
    private final HeldViewerHandler handler = new HeldViewerHandler(answers::incrementAndGet);
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);

    @Test
    void shouldNoteAnswerOnlyWhenItsLastBodyByteArrivesInPieces()
    {
        final String response = "HTTP/1.1 200 OK\r\nContent-Type: video/iso.segment\r\nContent-Length: 10\r\n\r\n0123456789";
        for (int i = 0; i < response.length(); i += 7)
        {
            assertThat(answers).hasValue(0);
            channel.writeInbound(Unpooled.copiedBuffer(response.substring(i, Math.min(response.length(), i + 7)),
                StandardCharsets.US_ASCII));
        }
        assertThat(answers).hasValue(1);
        assertThat(handler.status()).isEqualTo(200);
        assertThat(handler.arrivedNanos()).isPositive();
    }

    @Test
    void shouldReadTwoKeepAliveAnswersInOneReadWhenTheyArriveTogether()
    {
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc" +
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));

        assertThat(answers).hasValue(2);
        assertThat(handler.status()).isEqualTo(503);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldFailAndCloseWhenTheAnswerHasNoContentLength()
    {
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
            StandardCharsets.US_ASCII));

        assertThat(answers).hasValue(1);
        assertThat(handler.status()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }
}
