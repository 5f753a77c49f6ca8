package io.bifrost.edge.cache.ram;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One object resident in the RAM tier: where its bytes are and the response metadata, plus the lifetime guard.
 *
 * <p>Lifetime: the tier holds one reference while the entry is indexed; every hit takes one more and gives it back
 * when the viewer's write completes. Pages are freed only when the count reaches zero, so eviction or replacement
 * never overwrites bytes that a socket is still sending.
 */
final class RamEntry
{
    /** Stable id of the path, as the cache policy knows the object. */
    final long id;
    final String path;
    final int[] pages;
    final int length;
    final int status;
    final String contentType;
    final String etag;
    final String cacheControl;
    final String lastModified;
    final long storedAtMs;
    final long expiresAtMs;
    final int crc32c;
    /** False after a restart until the first hit has checked the bytes against {@link #crc32c}. */
    volatile boolean verified;
    /**
     * What the HTTP layer derived from this entry's metadata for its hits (the encoded response head), made on the
     * first hit and kept for the entry's lifetime (the metadata never changes: a replacement is a new entry); racing
     * first hits make equal values, so a plain volatile write is enough.
     */
    volatile Object encodedHead;
    /** Hits since the object was stored (or restored); guarded by the tier's monitor. Decides demotion to SSD. */
    int hits;
    private final AtomicInteger references = new AtomicInteger(1);

    RamEntry(
        final long id,
        final String path,
        final int[] pages,
        final int length,
        final int status,
        final String contentType,
        final String etag,
        final String cacheControl,
        final String lastModified,
        final long storedAtMs,
        final long expiresAtMs,
        final int crc32c,
        final boolean verified)
    {
        this.id = id;
        this.path = path;
        this.pages = pages;
        this.length = length;
        this.status = status;
        this.contentType = contentType;
        this.etag = etag;
        this.cacheControl = cacheControl;
        this.lastModified = lastModified;
        this.storedAtMs = storedAtMs;
        this.expiresAtMs = expiresAtMs;
        this.crc32c = crc32c;
        this.verified = verified;
    }

    /**
     * @return false when the entry is already released (being freed): the caller treats it as a miss.
     */
    boolean retain()
    {
        while (true)
        {
            final int count = references.get();
            if (count == 0)
            {
                return false;
            }
            if (references.compareAndSet(count, count + 1))
            {
                return true;
            }
        }
    }

    /**
     * @return true when this was the last reference (the pages may be freed now).
     */
    boolean release()
    {
        final int count = references.decrementAndGet();
        if (count < 0)
        {
            throw new IllegalStateException("RAM entry " + path + " released more often than retained");
        }
        return count == 0;
    }

    boolean isFresh(final long nowMs)
    {
        return nowMs < expiresAtMs;
    }
}
