package io.bifrost.ingest.rtmp;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.amf.Amf0Writer;
import io.bifrost.ingest.rtmp.chunk.RtmpChunkDecoder;
import io.bifrost.ingest.rtmp.chunk.RtmpChunkEncoder;
import io.bifrost.ingest.rtmp.chunk.RtmpMessage;
import io.bifrost.ingest.rtmp.chunk.RtmpMessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal RTMP publisher over a plain socket, built from the spec with the module's own chunk codec, so tests can
 * send what ffmpeg 5.1 cannot (Enhanced RTMP, odd chunk sizes, wrapping timestamps, hostile bytes).
 */
final class RtmpTestClient implements AutoCloseable
{
    static final int HANDSHAKE_SIZE = 1536;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    private final EmbeddedChannel decoder = new EmbeddedChannel(new RtmpChunkDecoder(RtmpLimits.defaults()));
    private final Amf0Reader amf = new Amf0Reader(Amf0Limits.defaults());
    private double transactionId = 1;
    /** The values of the last connect _result. */
    List<Object> lastConnectResult;

    private RtmpTestClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RtmpTestClient connect(final int port) throws IOException
    {
        return connect(port, 5_000);
    }

    /**
     * @param port      the server's port on 127.0.0.1.
     * @param timeoutMs how long one read may wait (a key check at a real control plane client can take seconds on
     *                  a loaded machine: its HTTP client starts cold).
     * @return the connected client.
     */
    static RtmpTestClient connect(final int port, final int timeoutMs) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(timeoutMs);
        return new RtmpTestClient(socket);
    }

    void writeRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    void handshake() throws IOException
    {
        final byte[] c0c1 = new byte[1 + HANDSHAKE_SIZE];
        c0c1[0] = 3;
        for (int i = 9; i < c0c1.length; i++)
        {
            c0c1[i] = (byte)i;
        }
        writeRaw(c0c1);
        final byte[] s0s1s2 = in.readNBytes(1 + 2 * HANDSHAKE_SIZE);
        if (s0s1s2.length != 1 + 2 * HANDSHAKE_SIZE || 3 != s0s1s2[0])
        {
            throw new IOException("bad server handshake of " + s0s1s2.length + " bytes");
        }
        final byte[] c2 = new byte[HANDSHAKE_SIZE];
        System.arraycopy(s0s1s2, 1, c2, 0, HANDSHAKE_SIZE);
        writeRaw(c2);
    }

    void send(final RtmpMessage message) throws IOException
    {
        final ByteBuf bytes = Unpooled.buffer();
        encoder.encode(message, bytes);
        message.release();
        final byte[] array = new byte[bytes.readableBytes()];
        bytes.readBytes(array);
        writeRaw(array);
    }

    void setChunkSize(final int chunkSize) throws IOException
    {
        send(new RtmpMessage(2, RtmpMessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(chunkSize)));
    }

    void command(final int messageStreamId, final Object... values) throws IOException
    {
        final ByteBuf payload = Unpooled.buffer();
        Amf0Writer.writeAll(payload, values);
        send(new RtmpMessage(3, RtmpMessageType.COMMAND_AMF0, 0, messageStreamId, payload));
    }

    void media(final int typeId, final long timestamp, final byte[] body) throws IOException
    {
        send(new RtmpMessage(typeId == RtmpMessageType.AUDIO ? 4 : 6, typeId, timestamp, 1,
            Unpooled.wrappedBuffer(body)));
    }

    /**
     * Read until a command with this name arrives.
     *
     * @return its AMF0 values.
     */
    List<Object> awaitCommand(final String name) throws IOException
    {
        while (true)
        {
            RtmpMessage message;
            while (null != (message = decoder.readInbound()))
            {
                try
                {
                    if (RtmpMessageType.COMMAND_AMF0 == message.typeId())
                    {
                        final List<Object> values = amf.readAll(message.payload());
                        if (name.equals(values.get(0)))
                        {
                            return values;
                        }
                    }
                }
                finally
                {
                    message.release();
                }
            }
            final byte[] buffer = new byte[8192];
            final int n = in.read(buffer);
            if (n < 0)
            {
                throw new IOException("server closed the connection before " + name);
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(buffer, 0, n));
        }
    }

    /**
     * @return true when the server closes the connection within the socket timeout.
     */
    boolean awaitClosedByServer() throws IOException
    {
        final byte[] buffer = new byte[8192];
        try
        {
            while (true)
            {
                if (in.read(buffer) < 0)
                {
                    return true;
                }
            }
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * connect, createStream, publish.
     *
     * @return the code of the onStatus answer to publish.
     */
    String publish(final String key, final List<String> fourCcList) throws IOException
    {
        final Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", "live");
        connect.put("type", "nonprivate");
        connect.put("tcUrl", "rtmp://127.0.0.1/live");
        if (!fourCcList.isEmpty())
        {
            connect.put("fourCcList", new ArrayList<Object>(fourCcList));
        }
        command(0, "connect", transactionId++, connect);
        lastConnectResult = awaitCommand("_result");
        command(0, "createStream", transactionId++, null);
        awaitCommand("_result");
        command(1, "publish", transactionId++, null, key, "live");
        final List<Object> status = awaitCommand("onStatus");
        return String.valueOf(((Map<?, ?>)status.get(3)).get("code"));
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
