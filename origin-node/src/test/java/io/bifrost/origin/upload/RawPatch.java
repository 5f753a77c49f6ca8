package io.bifrost.origin.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A PATCH written by hand on a plain socket, so a test can send part of a body and then drop the connection, the
 * way a phone losing its network does.
 */
final class RawPatch implements AutoCloseable
{
    private final Socket socket;
    private final OutputStream out;

    private RawPatch(final Socket socket)
    throws IOException
    {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    static RawPatch start(final int port, final String path, final long offset, final long contentLength,
        final String... extraHeaderLines) throws IOException
    {
        final RawPatch patch = new RawPatch(new Socket("127.0.0.1", port));
        final StringBuilder head = new StringBuilder()
            .append("PATCH ").append(path).append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:").append(port).append("\r\n")
            .append("Tus-Resumable: 1.0.0\r\n")
            .append("Upload-Offset: ").append(offset).append("\r\n")
            .append("Content-Type: application/offset+octet-stream\r\n")
            .append("Content-Length: ").append(contentLength).append("\r\n");
        for (final String line : extraHeaderLines)
        {
            head.append(line).append("\r\n");
        }
        head.append("\r\n");
        patch.out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        return patch;
    }

    void send(final byte[] bytes, final int from, final int to) throws IOException
    {
        out.write(bytes, from, to - from);
        out.flush();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
