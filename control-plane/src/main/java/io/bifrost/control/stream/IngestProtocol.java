package io.bifrost.control.stream;

import java.util.Locale;

/**
 * The protocols a publisher reaches an ingest node with, as named in the internal ingest API.
 */
public enum IngestProtocol
{
    RTMP, RTMPS, SRT;

    /**
     * @return the lower-case name used in the API and the database.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label a lower-case name.
     * @return the protocol, or null when the label names none.
     */
    public static IngestProtocol fromLabel(final String label)
    {
        for (final IngestProtocol protocol : values())
        {
            if (protocol.label().equals(label))
            {
                return protocol;
            }
        }
        return null;
    }
}
