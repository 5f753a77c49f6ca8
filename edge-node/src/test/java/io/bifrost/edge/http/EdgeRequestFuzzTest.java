package io.bifrost.edge.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes what a viewer can send: arbitrary bytes through the edge's real pipeline (Netty's HTTP decoder with the
 * edge's limits, then the edge's request handler, token gate, path parser and RAM tier). Whatever arrives, the edge
 * answers only with well-formed status lines from a known set, or closes the connection; nothing escapes.
 * The origin is an in-process fetcher that answers every fill synchronously, so the fuzz stays on the parsing.
 * Real fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl edge-node -am test -Dtest=EdgeRequestFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class EdgeRequestFuzzTest
{
    private static final Pattern STATUS_LINE = Pattern.compile(
        "^HTTP/1\\.1 (200|204|206|304|400|403|404|405|413|414|416|431|502|504) ");

    private static Path dir;
    private static RamTier ramTier;
    private static RequestServices shared;

    @BeforeAll
    static void setUp() throws IOException
    {
        dir = Files.createTempDirectory("edge-fuzz");
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ramTier = RamTier.open(dir, 4L << 20, 16 * 1024, 1L << 20, SegmentAwarePolicy::new, registry);
        final FillCoalescer coalescer = new FillCoalescer(fill ->
        {
            final byte[] body = fill.path().getBytes(StandardCharsets.UTF_8);
            fill.head(new FillHead(200, new DefaultHttpHeaders().set("etag", "\"x\""), body.length));
            fill.content(Unpooled.wrappedBuffer(body));
            fill.complete();
        }, 1L << 20, UnpooledByteBufAllocator.DEFAULT,
            (key, head, body) -> ramTier.store(key, head, body, System.currentTimeMillis()), registry);
        shared = RequestServices.create(new RequestServices.Context()
            .tokenGate(new TokenGate(List.of("/vod/signed/"),
                new io.bifrost.protocol.signing.SigningKeyRing(new io.bifrost.protocol.signing.SigningKey("k",
                    new byte[32])), registry))
            .ramTier(ramTier)
            .staleIfErrorMs(60_000L)
            .requestHeadTimeoutMs(10_000L)
            .clock(System::currentTimeMillis)
            .coalescer(coalescer)
            .meterRegistry(registry)
            .readiness(Readiness::up)
            .metricsText(() -> ""));
    }

    @AfterAll
    static void tearDown()
    {
        ramTier.close();
    }

    @FuzzTest(maxDuration = "60s")
    void shouldAnswerAnyBytesWithAWellFormedResponseOrClose(final FuzzedDataProvider data)
    {
        final EmbeddedChannel channel = new EmbeddedChannel()
        {
            @Override
            protected SocketAddress remoteAddress0()
            {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
        channel.pipeline().addLast(new HttpServerCodec(EdgeHttpServer.MAX_INITIAL_LINE, EdgeHttpServer.MAX_HEADER_BYTES,
            64 * 1024)).addLast(new EdgeRequestHandler(shared));
        try
        {
            channel.writeInbound(Unpooled.wrappedBuffer(data.consumeRemainingAsBytes()));
            channel.runPendingTasks();
            channel.checkException();
            Object out;
            final StringBuilder text = new StringBuilder();
            while ((out = channel.readOutbound()) != null)
            {
                if (out instanceof ByteBuf buf)
                {
                    text.append(buf.toString(StandardCharsets.ISO_8859_1));
                }
                ReferenceCountUtil.release(out);
            }
            if (!text.isEmpty())
            {
                assertThat(text.toString()).containsPattern(STATUS_LINE);
            }
        }
        finally
        {
            channel.finishAndReleaseAll();
        }
    }
}
