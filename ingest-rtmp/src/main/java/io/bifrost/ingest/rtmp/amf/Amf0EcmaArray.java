package io.bifrost.ingest.rtmp.amf;

import java.util.Map;

/**
 * An AMF0 ECMA array (section 2.10): string-keyed properties, kept apart from an anonymous object so that a value
 * written back uses the marker it was read with ({@code onMetaData} is an ECMA array).
 *
 * @param properties the properties in wire order.
 */
public record Amf0EcmaArray(Map<String, Object> properties)
{
}
