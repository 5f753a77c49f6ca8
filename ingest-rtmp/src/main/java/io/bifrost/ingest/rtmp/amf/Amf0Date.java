package io.bifrost.ingest.rtmp.amf;

/**
 * An AMF0 date (section 2.13).
 *
 * @param epochMillis    milliseconds since 1970-01-01 UTC.
 * @param timeZoneMinutes the time zone field; the spec says senders write 0 and readers ignore it.
 */
public record Amf0Date(double epochMillis, short timeZoneMinutes)
{
}
