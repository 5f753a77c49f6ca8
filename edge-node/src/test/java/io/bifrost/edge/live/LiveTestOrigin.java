package io.bifrost.edge.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on loopback for the live edge tests: serves the objects put into it, 404 otherwise, and counts
 * requests per path.
 */
final class LiveTestOrigin implements AutoCloseable
{
    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    LiveTestOrigin() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::serve);
        server.start();
    }

    URI uri()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void put(final String path, final byte[] body)
    {
        objects.put(path, body);
    }

    int requests(final String path)
    {
        final AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    private void serve(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getRawPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange)
        {
            final byte[] body = objects.get(path);
            if (body == null)
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", path.endsWith(".m3u8") ?
                "application/vnd.apple.mpegurl" : "video/iso.segment");
            exchange.getResponseHeaders().set("Cache-Control", path.endsWith(".m3u8") ? "max-age=1" : "max-age=60");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
