package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The answer to an h2c upgrade request waits for the client's connection preface (issue #3: the JDK client loses
 * bytes that arrive before it has switched to HTTP/2). Spoken frame by frame over a plain socket.
 */
class ClientPrefaceGateTest
{
    private static final String PATH = "/vod/gate/720p/1.m4s";
    private static final int SIZE = 100_000;
    /** RFC 9113 section 3.4. */
    private static final byte[] CLIENT_MAGIC = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int SETTINGS = 4;
    private static final int WINDOW_UPDATE = 8;
    private static final int END_STREAM = 1;
    private static final int ACK = 1;

    @TempDir
    Path dir;

    private TestOrigin origin;
    private RamTier ram;
    private EdgeHttpServer edge;

    @AfterEach
    void tearDown()
    {
        if (edge != null)
        {
            edge.close();
        }
        if (ram != null)
        {
            ram.close();
        }
        if (origin != null)
        {
            origin.close();
        }
    }

    @Test
    void shouldAnswerTheUpgradeRequestOnlyAfterTheClientPrefaceArrived() throws Exception
    {
        final byte[] body = new byte[SIZE];
        new Random(3).nextBytes(body);
        origin = new TestOrigin().put(PATH, body);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ram = RamTier.open(dir.resolve("ram"), 8L << 20, 16 * 1024, 4L << 20, LruPolicy::new, registry);
        edge = EdgeHttpServer.start(new EdgeNode.Context().origins(List.of(origin.uri())).bindAddress("127.0.0.1")
            .port(0).ioThreads(1).meterRegistry(registry), ram, Readiness::up);
        try (HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            final HttpResponse<byte[]> fill = http1.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edge.port() + PATH)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fill.body()).isEqualTo(body);
        }

        try (Socket socket = new Socket("127.0.0.1", edge.port()))
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            socket.setSoTimeout(10_000);
            out.write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n" +
                "Upgrade: h2c\r\nHTTP2-Settings: AAQBAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
            final Frame serverSettings = Frame.read(in);
            assertThat(serverSettings.type).isEqualTo(SETTINGS);
            assertThat(serverSettings.flags & ACK).isZero();

            socket.setSoTimeout(300);
            assertThatThrownBy(() -> Frame.read(in)).as("nothing of stream 1 before the client's preface")
                .isInstanceOf(SocketTimeoutException.class);

            socket.setSoTimeout(10_000);
            out.write(CLIENT_MAGIC);
            out.write(frame(SETTINGS, 0, 0, new byte[0]));
            out.write(frame(WINDOW_UPDATE, 0, 0, new byte[] {0, 0x10, 0, 0}));
            out.flush();
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean headers = false;
            boolean settingsAck = false;
            while (true)
            {
                final Frame next = Frame.read(in);
                if (next.type == SETTINGS)
                {
                    settingsAck |= (next.flags & ACK) != 0;
                }
                else if (next.type == HEADERS && next.stream == 1)
                {
                    headers = true;
                    assertThat(next.payload[0]).as(":status 200, HPACK static index 8").isEqualTo((byte)0x88);
                }
                else if (next.type == DATA && next.stream == 1)
                {
                    received.write(next.payload);
                    if ((next.flags & END_STREAM) != 0)
                    {
                        break;
                    }
                }
            }
            assertThat(settingsAck).isTrue();
            assertThat(headers).isTrue();
            assertThat(received.toByteArray()).isEqualTo(body);
        }
    }

    private static String readHead(final DataInputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true)
        {
            head.write(in.readUnsignedByte());
            final byte[] bytes = head.toByteArray();
            final int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
            {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
    }

    private static byte[] frame(final int type, final int flags, final int stream, final byte[] payload)
    {
        final byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte)(payload.length >>> 16);
        frame[1] = (byte)(payload.length >>> 8);
        frame[2] = (byte)payload.length;
        frame[3] = (byte)type;
        frame[4] = (byte)flags;
        frame[5] = (byte)(stream >>> 24);
        frame[6] = (byte)(stream >>> 16);
        frame[7] = (byte)(stream >>> 8);
        frame[8] = (byte)stream;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    /** One HTTP/2 frame (RFC 9113 section 4.1). */
    private record Frame(int type, int flags, int stream, byte[] payload)
    {
        static Frame read(final DataInputStream in) throws IOException
        {
            final int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            final int type = in.readUnsignedByte();
            final int flags = in.readUnsignedByte();
            final int stream = in.readInt() & 0x7fff_ffff;
            assertThat(length).as("frame length").isLessThanOrEqualTo(16_384);
            final byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        }
    }
}
