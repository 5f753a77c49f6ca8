package io.bifrost.ingest.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.PublishRequest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The wire side of {@link ControlPlaneClient}: the HTTP requests it sends (JSON bodies written with Jackson, the
 * bearer token, the call timeout) and how it reads what comes back (a status report's answer, a failed call's
 * cause). Immutable and thread-safe.
 */
final class ControlPlaneRequests
{
    /** Sent as remote_address when the publisher's address is unknown (the SRT bridge cannot see it). */
    static final String UNKNOWN_ADDRESS = "0.0.0.0";
    /** 429: retried like a 5xx. */
    private static final int HTTP_TOO_MANY_REQUESTS = 429;
    /** 5xx and above: the control plane may answer later. */
    private static final int HTTP_SERVER_ERROR = 500;

    private final ObjectMapper mapper = new ObjectMapper();
    private final URI baseUri;
    private final String token;
    private final Duration timeout;

    /**
     * @param baseUri the control plane, without a trailing slash.
     * @param token   the ingest token, or null for none.
     * @param timeout the longest one call may take once sent.
     */
    ControlPlaneRequests(final URI baseUri, final String token, final Duration timeout)
    {
        this.baseUri = baseUri;
        this.token = token;
        this.timeout = timeout;
    }

    /** @return the mapper answers are parsed with. */
    ObjectMapper mapper()
    {
        return mapper;
    }

    /**
     * @param request a publish.
     * @return its stream-key check: {@code stream_key}, {@code protocol}, {@code remote_address}.
     */
    HttpRequest authorize(final PublishRequest request)
    {
        return post(ControlPlaneClient.AUTHORIZE_PATH, mapper.createObjectNode()
            .put("stream_key", request.streamKey())
            .put("protocol", request.protocol().wireName())
            .put("remote_address", hostOf(request)));
    }

    /**
     * @param streamId the stream.
     * @param status   {@code live} or {@code offline}.
     * @param protocol how it is published.
     * @return its status report.
     */
    HttpRequest status(final String streamId, final String status, final IngestProtocol protocol)
    {
        return post(String.format(ControlPlaneClient.STATUS_PATH, streamId),
            mapper.createObjectNode().put("status", status).put("protocol", protocol.wireName()));
    }

    /**
     * @param code the HTTP status a status report was answered with.
     * @return taken (200), worth another call (429, 5xx), or refused for good (any other).
     */
    static StatusReportQueue.Delivery deliveryOf(final int code)
    {
        if (AuthorizeAnswer.HTTP_OK == code)
        {
            return StatusReportQueue.Delivery.TAKEN;
        }
        return HTTP_TOO_MANY_REQUESTS == code || code >= HTTP_SERVER_ERROR ?
            StatusReportQueue.Delivery.FAILED : StatusReportQueue.Delivery.REFUSED;
    }

    /**
     * @param error why a call failed.
     * @return whether the connection was lost before the answer (EOF, reset, broken pipe), as opposed to refused or
     *         timed out.
     */
    static boolean connectionLost(final Throwable error)
    {
        final Throwable root = root(error);
        return root instanceof IOException && !(root instanceof ConnectException) &&
            !(root instanceof HttpTimeoutException);
    }

    /**
     * @param error why a call failed.
     * @return the innermost cause's class and message, for logs and error codes.
     */
    static String rootName(final Throwable error)
    {
        final Throwable root = root(error);
        return root.getClass().getSimpleName() + (null == root.getMessage() ? "" : ": " + root.getMessage());
    }

    private HttpRequest post(final String path, final ObjectNode body)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (null != token)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static String hostOf(final PublishRequest request)
    {
        if (request.remote() instanceof InetSocketAddress address && null != address.getAddress())
        {
            return address.getAddress().getHostAddress();
        }
        return UNKNOWN_ADDRESS;
    }

    private static Throwable root(final Throwable error)
    {
        Throwable root = error;
        while (null != root.getCause() && root.getCause() != root)
        {
            root = root.getCause();
        }
        return root;
    }
}
