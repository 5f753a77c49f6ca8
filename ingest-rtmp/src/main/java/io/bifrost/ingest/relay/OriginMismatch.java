package io.bifrost.ingest.relay;

/**
 * Ways {@code ingest.origin-url} can fail to fit the port it names, told apart from an origin that is down. Retrying
 * cannot help any of them: each is a configuration error, so the relay gives the stream up at once and says which
 * setting to change. Each value is one counter, {@code bifrost.ingest.relay.config-errors{reason=...}}.
 */
enum OriginMismatch
{
    /**
     * A plain {@code http://} URL names a port that speaks TLS (the origin has {@code origin.relay-tls-cert}): the
     * origin's TLS handler finds no TLS record in the request and closes without a word; a probe that sends a TLS
     * ClientHello gets a TLS record back ({@link TlsProbe}). Or the port answered the request with a TLS record itself.
     */
    ORIGIN_TLS("origin-tls"),
    /**
     * An {@code https://} URL names a port that does not speak TLS: the handshake gets bytes that are no TLS record
     * (the origin's plain HTTP listener answers the ClientHello with an HTTP 400).
     */
    ORIGIN_PLAIN("origin-plain"),
    /** The port answered something that is not an HTTP/1.x status line: it is not an origin's relay port. */
    NOT_HTTP("not-http");

    private final String tag;

    OriginMismatch(final String tag)
    {
        this.tag = tag;
    }

    /**
     * @return the counter's reason tag.
     */
    String tag()
    {
        return tag;
    }

    /**
     * The fix comes first: ffmpeg shows only the first 255 characters of an RTMP status description.
     *
     * @param context the relay's settings.
     * @param detail  what was seen (the first bytes of the answer, the handshake's error), may be empty.
     * @return what is wrong and what to set, for the log and for the publisher.
     */
    String explain(final OriginRelayContext context, final String detail)
    {
        final String hostPort = context.host() + ':' + context.port();
        final String seen = detail.isEmpty() ? "" : " (" + detail + ")";
        return switch (this)
        {
            case ORIGIN_TLS -> "the origin relay port " + hostPort + " speaks TLS: set ingest.origin-url to https://" +
                hostPort + " (not " + context.originUrl() + ") and ingest.relay-ca-file to the CA of the origin's " +
                "origin.relay-tls-cert" + seen;
            case ORIGIN_PLAIN -> "the origin relay port " + hostPort + " does not speak TLS: set ingest.origin-url to " +
                "http://" + hostPort + " (not " + context.originUrl() + "), or give the origin origin.relay-tls-cert " +
                "and origin.relay-tls-key" + seen;
            case NOT_HTTP -> "the server at " + context.originUrl() + " does not answer HTTP: ingest.origin-url must " +
                "name the origin's relay port (origin.relay-port, 8083 by default)" + seen;
        };
    }
}
