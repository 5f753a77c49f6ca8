package io.bifrost.ingest.relay;

import io.netty.buffer.ByteBuf;

/**
 * Reads the start of the origin's answer on a relay connection, as it arrives, and says what it is: an HTTP/1.x
 * status line (RFC 9112 4: {@code HTTP/1.1 SP status SP reason CRLF}, at most {@value #MAX_STATUS_LINE} bytes; its
 * status), a TLS record (a TLS port answering a plain request with an alert, RFC 8446 5.1; only on a plain
 * connection), or something else (not an origin relay port). Holds at most the status line; nothing after it is read.
 * Not thread-safe: one connection's event loop.
 */
final class RelayAnswerReader
{
    /** Longest status line read. */
    static final int MAX_STATUS_LINE = 1024;
    /** {@link #read} needs more bytes. */
    static final int MORE = -1;
    /** {@link #read} saw a TLS record. */
    static final int TLS_RECORD = -2;
    /** {@link #read} saw something that is no HTTP/1.x status line. */
    static final int NOT_HTTP = 0;
    /** Characters of a strange answer quoted in messages. */
    private static final int QUOTED = 64;

    private final StringBuilder statusLine = new StringBuilder();
    private final boolean plain;
    private int verdict = MORE;

    /**
     * @param plain whether the connection is plain TCP (a TLS record can only be seen there).
     */
    RelayAnswerReader(final boolean plain)
    {
        this.plain = plain;
    }

    /**
     * Read from {@code in} until the answer is told (bytes after that are left unread); once told, the same verdict.
     *
     * @param in the bytes that arrived.
     * @return {@link #MORE}, {@link #TLS_RECORD}, {@link #NOT_HTTP}, or the HTTP status (100-999).
     */
    int read(final ByteBuf in)
    {
        while (MORE == verdict && in.isReadable())
        {
            final char c = (char)in.readUnsignedByte();
            if (plain && 1 == statusLine.length() && TlsProbe.isTlsRecord(statusLine.charAt(0), c))
            {
                statusLine.append(c);
                verdict = TLS_RECORD;
            }
            else if ('\n' == c)
            {
                verdict = statusOf(statusLine.toString().trim());
            }
            else if (statusLine.length() >= MAX_STATUS_LINE)
            {
                verdict = NOT_HTTP;
            }
            else
            {
                statusLine.append(c);
            }
        }
        return verdict;
    }

    /**
     * @return the answer's first {@value #QUOTED} characters as read, quoted, anything outside printable ASCII as
     *         {@code \xNN}: for messages about an answer that is not HTTP.
     */
    String seen()
    {
        return printable(statusLine.toString().trim());
    }

    /**
     * @param line the start of an answer.
     * @return its first {@value #QUOTED} characters, anything outside printable ASCII as {@code \xNN}, quoted.
     */
    static String printable(final String line)
    {
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(line.length(), QUOTED); i++)
        {
            final char c = line.charAt(i);
            if (c >= 0x20 && c < 0x7f)
            {
                out.append(c);
            }
            else
            {
                out.append(String.format("\\x%02x", (int)c));
            }
        }
        return out.append(line.length() > QUOTED ? "...\"" : "\"").toString();
    }

    /**
     * @param line a status line.
     * @return its status code, or 0 when it is not an HTTP/1.x status line.
     */
    static int statusOf(final String line)
    {
        final String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || 3 != parts[1].length())
        {
            return NOT_HTTP;
        }
        try
        {
            final int status = Integer.parseInt(parts[1]);
            return status >= 100 ? status : NOT_HTTP;
        }
        catch (final NumberFormatException ex)
        {
            return NOT_HTTP;
        }
    }
}
