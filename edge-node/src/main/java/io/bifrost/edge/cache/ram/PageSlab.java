package io.bifrost.edge.cache.ram;

import io.netty.buffer.ByteBuf;
import org.agrona.collections.IntArrayList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The RAM tier's payload memory: one file, memory-mapped, cut into fixed-size pages. An object occupies whole pages,
 * not necessarily adjacent (it is sent as a gather of page slices), so there is no external fragmentation and no
 * compaction; the waste is under one page per object.
 *
 * <p>The file is mapped in chunks of at most 1 GiB (a {@link MappedByteBuffer} is int-indexed) and pages never
 * straddle chunks. Memory lives outside the Java heap, in the page cache, so a restarted edge finds it again.
 *
 * <p>Not thread-safe: {@link RamTier} guards allocation. Reading a page slice is safe from any thread while the
 * page is held by a live entry.
 */
final class PageSlab implements AutoCloseable
{
    private static final long MAX_CHUNK_BYTES = 1L << 30;

    private final FileChannel file;
    private final MappedByteBuffer[] chunks;
    private final int pageBytes;
    private final int pagesPerChunk;
    private final int pageCount;
    private final IntArrayList freePages;

    /**
     * Map (creating or growing) the slab file.
     *
     * @param path          slab file.
     * @param capacityBytes bytes of payload memory; rounded down to whole pages.
     * @param pageBytes     page size, a power of two between 4 KiB and 1 MiB.
     */
    PageSlab(final Path path, final long capacityBytes, final int pageBytes)
    {
        if (Integer.bitCount(pageBytes) != 1 || pageBytes < 4096 || pageBytes > (1 << 20))
        {
            throw new IllegalArgumentException("page size must be a power of two between 4 KiB and 1 MiB, got " + pageBytes);
        }
        final long pages = capacityBytes / pageBytes;
        if (pages < 1 || pages > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("RAM tier capacity " + capacityBytes + " must hold 1 to 2^31 pages of " + pageBytes);
        }
        this.pageBytes = pageBytes;
        this.pageCount = (int)pages;
        this.pagesPerChunk = (int)(MAX_CHUNK_BYTES / pageBytes);
        final int chunkCount = (pageCount + pagesPerChunk - 1) / pagesPerChunk;
        this.chunks = new MappedByteBuffer[chunkCount];
        try
        {
            file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            for (int c = 0; c < chunkCount; c++)
            {
                final long pagesInChunk = Math.min(pagesPerChunk, pageCount - (long)c * pagesPerChunk);
                chunks[c] = file.map(FileChannel.MapMode.READ_WRITE, (long)c * pagesPerChunk * pageBytes,
                    pagesInChunk * pageBytes);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map the RAM tier slab " + path + ": " + ex.getMessage(), ex);
        }
        this.freePages = new IntArrayList(pageCount, -1);
        for (int page = pageCount - 1; page >= 0; page--)
        {
            freePages.addInt(page);
        }
    }

    int pageBytes()
    {
        return pageBytes;
    }

    int pageCount()
    {
        return pageCount;
    }

    int freePageCount()
    {
        return freePages.size();
    }

    /**
     * Rebuild the free list after a restart from the pages the persisted index uses.
     *
     * @param used one bit per page in use.
     */
    void restore(final java.util.BitSet used)
    {
        freePages.clear();
        for (int page = pageCount - 1; page >= 0; page--)
        {
            if (!used.get(page))
            {
                freePages.addInt(page);
            }
        }
    }

    /**
     * @param count pages wanted.
     * @return the pages, or null when fewer are free.
     */
    int[] allocate(final int count)
    {
        if (count > freePages.size())
        {
            return null;
        }
        final int[] pages = new int[count];
        for (int i = 0; i < count; i++)
        {
            pages[i] = freePages.popInt();
        }
        return pages;
    }

    void free(final int[] pages)
    {
        for (int i = pages.length - 1; i >= 0; i--)
        {
            freePages.addInt(pages[i]);
        }
    }

    /**
     * Copy bytes into an object's pages (off-heap to off-heap).
     *
     * @param pages  the object's pages, in order.
     * @param source the bytes; its reader index is not moved.
     */
    void write(final int[] pages, final ByteBuf source)
    {
        final int length = source.readableBytes();
        int offset = 0;
        for (int i = 0; i < pages.length && offset < length; i++)
        {
            final int n = Math.min(pageBytes, length - offset);
            final ByteBuffer target = slice(pages[i], n);
            source.getBytes(source.readerIndex() + offset, target);
            offset += n;
        }
    }

    /**
     * Copy an object's bytes out of its pages (off-heap to wherever {@code target} lives).
     *
     * @param pages  the object's pages, in order.
     * @param length the object's length.
     * @param target receives the bytes at its writer index.
     */
    void read(final int[] pages, final int length, final ByteBuf target)
    {
        int remaining = length;
        for (final int page : pages)
        {
            final int n = Math.min(pageBytes, remaining);
            target.writeBytes(slice(page, n));
            remaining -= n;
        }
    }

    /**
     * @param pages  an object's pages, in order.
     * @param length the object's length.
     * @return the CRC32C of its bytes.
     */
    int crc32c(final int[] pages, final int length)
    {
        final CRC32C crc = new CRC32C();
        int remaining = length;
        for (final int page : pages)
        {
            final int n = Math.min(pageBytes, remaining);
            crc.update(slice(page, n));
            remaining -= n;
        }
        return (int)crc.getValue();
    }

    /**
     * A view over consecutive pages that lie in one mapped chunk; no copy.
     *
     * @param firstPage the first page.
     * @param length    bytes, at most the run's pages.
     * @return a direct buffer over the mapping.
     */
    ByteBuffer sliceRun(final int firstPage, final int length)
    {
        final int chunk = firstPage / pagesPerChunk;
        final int offset = (firstPage % pagesPerChunk) * pageBytes;
        return chunks[chunk].slice(offset, length);
    }

    /**
     * @param page a page.
     * @param next another page.
     * @return true when {@code next} directly follows {@code page} in the same mapped chunk.
     */
    boolean adjacent(final int page, final int next)
    {
        return next == page + 1 && next / pagesPerChunk == page / pagesPerChunk;
    }

    /**
     * A view of the first {@code length} bytes of a page; no copy.
     *
     * @param page   the page.
     * @param length bytes, at most a page.
     * @return a direct buffer over the mapping.
     */
    ByteBuffer slice(final int page, final int length)
    {
        final int chunk = page / pagesPerChunk;
        final int offset = (page % pagesPerChunk) * pageBytes;
        return chunks[chunk].slice(offset, length);
    }

    @Override
    public void close()
    {
        try
        {
            file.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
