package io.bifrost.edge.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on loopback (the JDK's HTTP server) with knobs for the edge tests: objects by path, a gate that
 * holds responses (whole, or after the first half of the body), a forced status, and request counting.
 */
final class TestOrigin implements AutoCloseable
{
    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile CountDownLatch gateBeforeHead = new CountDownLatch(0);
    private volatile CountDownLatch gateAfterHalf = new CountDownLatch(0);
    private volatile int forcedStatus;
    private volatile String cacheControl = "public, max-age=31536000, immutable";

    TestOrigin() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::serve);
        server.start();
    }

    URI uri()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    TestOrigin put(final String path, final byte[] body)
    {
        objects.put(path, body);
        return this;
    }

    int requests(final String path)
    {
        final AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** Hold every response until the returned latch is counted down. */
    CountDownLatch holdBeforeHead()
    {
        gateBeforeHead = new CountDownLatch(1);
        return gateBeforeHead;
    }

    /** Send the head and the first half of each body, then wait for the returned latch. */
    CountDownLatch holdAfterHalf()
    {
        gateAfterHalf = new CountDownLatch(1);
        return gateAfterHalf;
    }

    void cacheControl(final String value)
    {
        cacheControl = value;
    }

    void forceStatus(final int status)
    {
        forcedStatus = status;
    }

    private void serve(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getRawPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange)
        {
            await(gateBeforeHead);
            if (forcedStatus != 0)
            {
                exchange.sendResponseHeaders(forcedStatus, -1);
                return;
            }
            final byte[] body = objects.get(path);
            if (body == null)
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "video/iso.segment");
            exchange.getResponseHeaders().set("ETag", "\"v1-" + body.length + "\"");
            exchange.getResponseHeaders().set("Cache-Control", cacheControl);
            exchange.getResponseHeaders().set("X-Origin-Only", "not forwarded");
            exchange.sendResponseHeaders(200, body.length);
            final OutputStream out = exchange.getResponseBody();
            final int half = body.length / 2;
            out.write(body, 0, half);
            out.flush();
            await(gateAfterHalf);
            out.write(body, half, body.length - half);
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("test gate never opened");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        gateBeforeHead.countDown();
        gateAfterHalf.countDown();
        server.stop(0);
    }
}
