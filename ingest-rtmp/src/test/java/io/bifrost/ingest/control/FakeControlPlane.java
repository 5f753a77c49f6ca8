package io.bifrost.ingest.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane's internal ingest API exactly as the ingest/control-plane contract fixes it, on the JDK's
 * {@link HttpServer} on 127.0.0.1 with an ephemeral port: {@code POST /api/v1/internal/streams/authorize} and
 * {@code POST /api/v1/internal/streams/{stream_id}/status}, Bearer token check when a token is set. The real control
 * plane is built in parallel; this stands in for it in tests.
 */
public final class FakeControlPlane implements AutoCloseable
{
    /** A status report as received. */
    public record StatusReport(String streamId, String status, String protocol)
    {
    }

    private static final Pattern STATUS = Pattern.compile("/api/v1/internal/streams/(st_[0-9a-f]{32})/status");

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final String token;
    private final Map<String, String> streamsByKey = new ConcurrentHashMap<>();
    private final Set<String> revokedKeys = ConcurrentHashMap.newKeySet();
    /** Every authorize body received, in order. */
    public final List<JsonNode> authorizeRequests = new CopyOnWriteArrayList<>();
    /** Every status report received, in order. */
    public final List<StatusReport> statusReports = new CopyOnWriteArrayList<>();
    /** Authorization headers seen. */
    public final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile CountDownLatch stall = new CountDownLatch(0);

    private FakeControlPlane(final String token) throws IOException
    {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/v1/internal/streams/", this::handle);
        server.start();
    }

    /**
     * @param token the ingest token required, null for none.
     * @return the started fake.
     */
    public static FakeControlPlane start(final String token) throws IOException
    {
        return new FakeControlPlane(token);
    }

    /**
     * @return the base URL, e.g. {@code http://127.0.0.1:PORT}.
     */
    public String url()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * @param key      a stream key.
     * @param streamId the stream it publishes.
     * @return this.
     */
    public FakeControlPlane stream(final String key, final String streamId)
    {
        streamsByKey.put(key, streamId);
        return this;
    }

    /**
     * @param key a key that stops authorizing (DELETE of its stream).
     */
    public void revoke(final String key)
    {
        revokedKeys.add(key);
    }

    /**
     * Hold every answer until {@link #release()}.
     */
    public void stall()
    {
        stall = new CountDownLatch(1);
    }

    /** Answer again. */
    public void release()
    {
        stall.countDown();
    }

    /**
     * @return requests handled so far.
     */
    public int requests()
    {
        return requests.get();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        requests.incrementAndGet();
        try (exchange; InputStream body = exchange.getRequestBody())
        {
            stall.await(30, TimeUnit.SECONDS);
            final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizationHeaders.add(String.valueOf(authorization));
            if (!"POST".equals(exchange.getRequestMethod()))
            {
                error(exchange, 405, "request.invalid", "POST only");
                return;
            }
            if (null != token && null == authorization)
            {
                error(exchange, 401, "auth.missing", "Bearer token required");
                return;
            }
            if (null != token && !("Bearer " + token).equals(authorization))
            {
                error(exchange, 401, "auth.invalid", "wrong token");
                return;
            }
            if (null == token && !exchange.getRemoteAddress().getAddress().isLoopbackAddress())
            {
                error(exchange, 401, "auth.missing", "loopback only without a token");
                return;
            }
            final JsonNode request;
            try
            {
                request = mapper.readTree(body.readNBytes(65_536));
            }
            catch (final IOException ex)
            {
                error(exchange, 400, "request.invalid", "not JSON");
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            final Matcher status = STATUS.matcher(path);
            if ("/api/v1/internal/streams/authorize".equals(path))
            {
                authorize(exchange, request);
            }
            else if (status.matches())
            {
                status(exchange, status.group(1), request);
            }
            else
            {
                error(exchange, 404, "stream.unknown", "no such endpoint");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void authorize(final HttpExchange exchange, final JsonNode request) throws IOException
    {
        authorizeRequests.add(request);
        final JsonNode key = request.get("stream_key");
        final JsonNode protocol = request.get("protocol");
        if (null == key || !key.isTextual() || null == protocol ||
            !Set.of("rtmp", "rtmps", "srt").contains(protocol.asText()) || !request.path("remote_address").isTextual())
        {
            error(exchange, 400, "request.invalid", "stream_key, protocol and remote_address are required");
            return;
        }
        if (revokedKeys.contains(key.asText()))
        {
            error(exchange, 403, "stream_key.revoked", "the stream was deleted");
            return;
        }
        final String streamId = streamsByKey.get(key.asText());
        if (null == streamId)
        {
            error(exchange, 403, "stream_key.unknown", "no stream has this key");
            return;
        }
        final ObjectNode data = mapper.createObjectNode().put("stream_id", streamId).put("passthrough", false);
        send(exchange, 200, mapper.createObjectNode().put("success", true).set("data", data));
    }

    private void status(final HttpExchange exchange, final String streamId, final JsonNode request) throws IOException
    {
        if (!streamsByKey.containsValue(streamId))
        {
            error(exchange, 404, "stream.unknown", "no such stream");
            return;
        }
        final String status = request.path("status").asText();
        if (!"live".equals(status) && !"offline".equals(status))
        {
            error(exchange, 400, "request.invalid", "status is live or offline");
            return;
        }
        statusReports.add(new StatusReport(streamId, status, request.path("protocol").asText()));
        final ObjectNode data = mapper.createObjectNode().put("stream_id", streamId).put("status", status);
        send(exchange, 200, mapper.createObjectNode().put("success", true).set("data", data));
    }

    private void error(final HttpExchange exchange, final int status, final String code, final String message)
        throws IOException
    {
        final ObjectNode error = mapper.createObjectNode().put("code", code).put("message", message);
        send(exchange, status, mapper.createObjectNode().put("success", false).set("error", error));
    }

    private void send(final HttpExchange exchange, final int status, final JsonNode body) throws IOException
    {
        final byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close()
    {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }
}
