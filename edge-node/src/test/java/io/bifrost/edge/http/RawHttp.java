package io.bifrost.edge.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends exact request bytes over a plain socket and reads what comes back, for cases an HTTP client would normalise
 * or refuse to send (traversal paths, oversized headers, pipelining).
 */
final class RawHttp
{
    private RawHttp()
    {
    }

    /**
     * @return everything the server sent until it closed the connection or went quiet for the read timeout.
     */
    static String exchange(final int port, final String request, final int readTimeoutMillis) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(readTimeoutMillis);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            final byte[] buffer = new byte[8192];
            try
            {
                int n;
                while ((n = in.read(buffer)) >= 0)
                {
                    received.write(buffer, 0, n);
                }
            }
            catch (final SocketTimeoutException quiet)
            {
                // the server keeps the connection open: what arrived so far is the answer
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
