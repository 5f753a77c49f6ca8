package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.ResponseMeta;

/**
 * One object on the SSD tier as the in-memory index knows it: its path, body length and response metadata (the
 * body stays in RocksDB). Immutable.
 *
 * @param id     stable id of the path, as the cache policy knows the object.
 * @param path   request path (the cache key).
 * @param length body length in bytes.
 * @param meta   status, headers, fill time and expiry.
 */
record SsdEntry(long id, String path, int length, ResponseMeta meta)
{
}
