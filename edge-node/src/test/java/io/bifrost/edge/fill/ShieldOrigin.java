package io.bifrost.edge.fill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP origin on loopback (the JDK's HTTP server) for the tiered-fill tests: objects by path, a gate that
 * holds every response before its head, and, per path, the {@value FillHops#HEADER} value of each request it got (so a
 * test can tell a fill that came through a shield, 2, from one straight from a child edge, 1).
 */
final class ShieldOrigin implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, List<String>> hops = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    ShieldOrigin() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    URI uri()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    ShieldOrigin put(final String path, final byte[] body)
    {
        objects.put(path, body);
        return this;
    }

    /**
     * @param path a path.
     * @return the hop header of every request for it, in arrival order ("none" when absent).
     */
    List<String> hops(final String path)
    {
        return hops.getOrDefault(path, List.of());
    }

    int requests(final String path)
    {
        return hops(path).size();
    }

    /** Hold every response before its head until the returned latch is counted down. */
    CountDownLatch hold()
    {
        gate = new CountDownLatch(1);
        return gate;
    }

    private void serve(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getRawPath();
        final String hop = exchange.getRequestHeaders().getFirst(FillHops.HEADER);
        hops.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(hop == null ? "none" : hop);
        try (exchange)
        {
            if (!gate.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("test gate never opened");
            }
            final byte[] body = objects.get(path);
            if (body == null)
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "video/iso.segment");
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=31536000, immutable");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        gate.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
