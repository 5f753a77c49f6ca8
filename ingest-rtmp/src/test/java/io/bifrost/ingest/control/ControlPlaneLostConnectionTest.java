package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.PublishRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key check whose connection is lost before the answer (the control plane closed a pooled keep-alive connection, or
 * reset it under a connect burst) is sent once more on a new connection instead of refusing a good publisher; a
 * control plane that keeps dropping the connection still refuses (fail closed), after exactly one retry.
 */
@Timeout(30)
class ControlPlaneLostConnectionTest
{
    private static final String ALLOWED =
        "{\"success\":true,\"data\":{\"stream_id\":\"st_0123456789abcdef0123456789abcdef\",\"passthrough\":false}}";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;
    private ControlPlaneClient client;

    @AfterEach
    void close() throws Exception
    {
        if (null != client)
        {
            client.close();
        }
        if (null != server)
        {
            server.close();
        }
        if (null != acceptor)
        {
            acceptor.join(5_000);
        }
    }

    @Test
    void shouldRetryOnceWhenTheConnectionIsLostBeforeTheAnswer() throws Exception
    {
        start(1);

        final AuthorizeAnswer answer = client.authorize(request()).get();

        assertThat(answer.outcome()).isEqualTo(AuthorizeOutcome.ALLOWED);
        assertThat(connections.get()).isEqualTo(2);
        assertThat(meters.get("bifrost.ingest.control.authorize.retried").tag("reason", "connection-lost").counter()
            .count()).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseWhenTheRetryLosesItsConnectionToo() throws Exception
    {
        start(Integer.MAX_VALUE);

        final AuthorizeAnswer answer = client.authorize(request()).get();

        assertThat(answer.outcome()).isEqualTo(AuthorizeOutcome.UNAVAILABLE);
        assertThat(connections.get()).as("one retry, not a loop").isEqualTo(2);
        assertThat(meters.get("bifrost.ingest.control.authorize.retried").tag("reason", "connection-lost").counter()
            .count()).isEqualTo(1.0);
    }

    /**
     * A control plane that reads each request and closes the first {@code dropped} connections without answering,
     * then answers every request with an allowed key.
     */
    private void start(final int dropped) throws IOException
    {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() ->
        {
            while (!server.isClosed())
            {
                try (Socket socket = server.accept())
                {
                    final int n = connections.incrementAndGet();
                    readRequest(socket.getInputStream());
                    if (n > dropped)
                    {
                        final byte[] body = ALLOWED.getBytes(StandardCharsets.UTF_8);
                        final OutputStream out = socket.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                            body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    }
                }
                catch (final IOException closed)
                {
                    // the test ended (server closed) or the client went away
                }
            }
        }, "lost-connection-control-plane");
        acceptor.start();
        client = new ControlPlaneClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), null,
            Duration.ofSeconds(5), meters);
    }

    /** Read one request head and its Content-Length body. */
    private static void readRequest(final InputStream in) throws IOException
    {
        final StringBuilder head = new StringBuilder();
        int b;
        while (!head.toString().endsWith("\r\n\r\n") && -1 != (b = in.read()))
        {
            head.append((char)b);
        }
        int length = 0;
        for (final String line : head.toString().split("\r\n"))
        {
            if (line.toLowerCase().startsWith("content-length:"))
            {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
    }

    private static PublishRequest request()
    {
        return new PublishRequest("live", "key-1", "", "", new InetSocketAddress("127.0.0.1", 50_000), List.of(),
            IngestProtocol.RTMP, null, false);
    }
}
