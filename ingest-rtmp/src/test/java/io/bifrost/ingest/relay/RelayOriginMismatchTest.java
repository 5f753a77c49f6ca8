package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.FfmpegPublisher;
import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.sink.FanOutSinkFactory;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An {@code ingest.origin-url} that does not fit the port it names is a configuration error, not an outage: ffmpeg
 * publishes RTMP to an ingest relaying to a TLS port over plain HTTP, to a plain port over {@code https://}, or to a
 * port that does not speak HTTP, and the publish ends at once (well inside a reconnect bound of a minute) with a
 * message that says which setting to change, counted by reason. The TLS port is a Netty server with the origin's
 * {@code SslHandler} first (certificate made by openssl at test time), which closes a plain request unanswered; the
 * plain port answers a request that does not start like HTTP with 400, as the origin's HTTP/1.1 codec answers a TLS
 * ClientHello. An origin that closes every request at once without an answer, and does not speak TLS either, is given
 * up once the reconnect bound has passed.
 */
@Timeout(120)
class RelayOriginMismatchTest
{
    private static final int PUBLISH_SECONDS = 90;
    /** Long enough that only the classification can end a publish within the test's waits. */
    private static final Duration LONG_RECONNECT_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private final RelayGiveUpTest.EndSink.Factory recorder = new RelayGiveUpTest.EndSink.Factory();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger plainRequests = new AtomicInteger();
    private Channel origin;
    private ServerSocket rawOrigin;
    private OriginRelaySinkFactory relay;
    private RtmpServer server;
    private FfmpegPublisher publisher;

    @BeforeEach
    void requireFfmpeg()
    {
        assumeTrue(FfmpegPublisher.available(), "ffmpeg is not installed at /usr/bin/ffmpeg: mismatch tests skipped");
    }

    @AfterEach
    void close() throws IOException
    {
        CloseHelper.closeAll(publisher, server, relay, rawOrigin);
        if (null != origin)
        {
            origin.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldEndThePublishAtOnceSayingToUseHttpsWhenAPlainRelayMeetsATlsPort() throws Exception
    {
        final int port = startTlsOrigin();
        start(URI.create("http://127.0.0.1:" + port), LONG_RECONNECT_BOUND, null);

        final String output = publishUntilEnded("tls-port-key");

        assertThat(output).contains("Server error").contains("speaks TLS")
            .contains("set ingest.origin-url to https://127.0.0.1:" + port);
        assertThat(relay.metrics().configErrors("origin-tls")).isOne();
        assertThat(relay.metrics().gaveUp()).isOne();
        assertThat(relay.metrics().publishesEnded()).isOne();
    }

    @Test
    void shouldEndThePublishAtOnceSayingToUseHttpWhenATlsRelayMeetsAPlainPort() throws Exception
    {
        rawOrigin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        servePlainHttp(rawOrigin, plainRequests);
        final int port = rawOrigin.getLocalPort();
        final Path ca = certificate()[0];
        start(URI.create("https://127.0.0.1:" + port), LONG_RECONNECT_BOUND, ca);

        final String output = publishUntilEnded("plain-port-key");

        assertThat(output).contains("Server error").contains("does not speak TLS")
            .contains("set ingest.origin-url to http://127.0.0.1:" + port);
        assertThat(relay.metrics().configErrors("origin-plain")).isOne();
        assertThat(relay.metrics().tlsFailures()).isPositive();
        assertThat(relay.metrics().connects()).as("no relay request was ever sent").isZero();
        assertThat(plainRequests).as("the secret never went out in clear").hasValue(0);
    }

    @Test
    void shouldEndThePublishAtOnceSayingToUseHttpsWhenThePortAnswersAPlainRequestWithATlsAlert() throws Exception
    {
        rawOrigin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        serve(rawOrigin, "\u0015\u0003\u0003\u0000\u0002\u0002\u0046"); // alert record: fatal, protocol_version
        start(URI.create("http://127.0.0.1:" + rawOrigin.getLocalPort()), LONG_RECONNECT_BOUND, null);

        final String output = publishUntilEnded("alert-port-key");

        assertThat(output).contains("Server error").contains("speaks TLS")
            .contains("set ingest.origin-url to https://127.0.0.1:" + rawOrigin.getLocalPort());
        assertThat(relay.metrics().configErrors("origin-tls")).isOne();
    }

    @Test
    void shouldEndThePublishAtOnceWhenThePortDoesNotAnswerHttp() throws Exception
    {
        rawOrigin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        serve(rawOrigin, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        start(URI.create("http://127.0.0.1:" + rawOrigin.getLocalPort()), LONG_RECONNECT_BOUND, null);

        final String output = publishUntilEnded("ssh-port-key");

        assertThat(output).contains("Server error").contains("does not answer HTTP").contains("SSH-2.0")
            .contains("origin.relay-port");
        assertThat(relay.metrics().configErrors("not-http")).isOne();
    }

    @Test
    void shouldGiveUpAfterTheReconnectBoundWhenThePortClosesEveryRequestUnanswered() throws Exception
    {
        rawOrigin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        serve(rawOrigin, null);
        start(URI.create("http://127.0.0.1:" + rawOrigin.getLocalPort()), Duration.ofSeconds(1), null);

        final String output = publishUntilEnded("closing-port-key");

        assertThat(output).contains("Server error").contains("unreachable for 1 s")
            .contains("closed each connection at once without an answer");
        assertThat(relay.metrics().configErrors("origin-tls")).as("the probe found no TLS there").isZero();
        assertThat(relay.metrics().connects()).as("connections were made, and dropped").isPositive();
    }

    /** Publish with ffmpeg until the ingest ends it; return ffmpeg's output once every sink has ended ABORTED. */
    private String publishUntilEnded(final String key) throws Exception
    {
        publisher = FfmpegPublisher.publish("rtmp://127.0.0.1:" + server.port() + "/live/" + key, PUBLISH_SECONDS);
        final int exit = publisher.awaitExit(30);
        assertThat(exit).as("ffmpeg fails before its %d s are up: %s", PUBLISH_SECONDS, publisher.output()).isNotZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> StreamEndReason.ABORTED == recorder.ended.get());
        return publisher.output();
    }

    private void start(final URI originUrl, final Duration reconnectBound, final Path caFile)
    {
        relay = new OriginRelaySinkFactory(new OriginRelayContext().originUrl(originUrl).secret("relay-secret")
            .caFile(caFile).reconnectTimeout(reconnectBound).connectTimeout(Duration.ofSeconds(2)));
        server = RtmpServer.start(new RtmpServer.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .authorizer(StreamKeyAuthorizer.allowAll())
            .sinkFactory(new FanOutSinkFactory(List.of(recorder, relay))));
    }

    /** An origin relay port with a certificate, as the origin builds it: TLS first; what is decrypted is dropped. */
    private int startTlsOrigin() throws Exception
    {
        final Path[] pair = certificate();
        final SslContext ssl = SslContextBuilder.forServer(pair[0].toFile(), pair[1].toFile()).build();
        origin = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter()
                    {
                        @Override
                        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                        {
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                        {
                            ctx.close(); // a plain request: not an SSL/TLS record
                        }
                    });
                }
            })
            .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        return ((InetSocketAddress)origin.localAddress()).getPort();
    }

    /** @return a certificate for 127.0.0.1 and its key, made by openssl (the certificate is its own CA). */
    private Path[] certificate() throws IOException, InterruptedException
    {
        final Path cert = work.resolve("origin.crt");
        final Path key = work.resolve("origin.key");
        if (!cert.toFile().exists())
        {
            final Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=origin", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
            final String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && 0 == openssl.exitValue())
                .as("openssl made a certificate: %s", output).isTrue();
        }
        return new Path[]{cert, key};
    }

    /**
     * A plain HTTP port: a connection whose first byte cannot start a request line (a TLS ClientHello starts with 22)
     * is answered 400 and closed; a request is counted and its body read until the client leaves.
     */
    private static void servePlainHttp(final ServerSocket listener, final AtomicInteger requests)
    {
        final Thread thread = new Thread(() ->
        {
            while (!listener.isClosed())
            {
                try (Socket socket = listener.accept())
                {
                    final InputStream in = socket.getInputStream();
                    final int first = in.read();
                    if (first >= 'A' && first <= 'Z')
                    {
                        requests.incrementAndGet();
                        in.transferTo(OutputStream.nullOutputStream());
                        continue;
                    }
                    socket.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n" +
                        "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                catch (final IOException ex)
                {
                    if (listener.isClosed())
                    {
                        return; // closed by the test
                    }
                }
            }
        }, "plain-origin");
        thread.setDaemon(true);
        thread.start();
    }

    /** Accept connections; write {@code greeting} on each (null: none), then close it. */
    private static void serve(final ServerSocket listener, final String greeting)
    {
        final Thread thread = new Thread(() ->
        {
            while (!listener.isClosed())
            {
                try (Socket socket = listener.accept())
                {
                    if (null != greeting)
                    {
                        final OutputStream out = socket.getOutputStream();
                        out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
                catch (final IOException ex)
                {
                    return; // closed by the test
                }
            }
        }, "raw-origin");
        thread.setDaemon(true);
        thread.start();
    }
}
