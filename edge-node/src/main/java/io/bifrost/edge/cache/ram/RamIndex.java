package io.bifrost.edge.cache.ram;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The RAM tier's persisted index: a Chronicle Map from request path to the encoded {@link RamEntry} (pages and
 * headers, {@link RamIndexCodec}), written on every store and removal so a restarted edge finds its objects again.
 * Thread-safe as Chronicle Map is; {@link RamTier} calls it under its own monitor.
 */
final class RamIndex implements AutoCloseable
{
    /** Average key length used to size the map. */
    private static final int AVERAGE_KEY_CHARS = 48;
    /** Average encoded entry (fixed fields, one or two page runs, header strings). */
    private static final int AVERAGE_VALUE_BYTES = 256;

    /**
     * What a restart found.
     *
     * @param entries   valid entries, oldest first, not yet verified against their checksums.
     * @param usedPages the slab pages those entries hold.
     * @param dropped   entries removed because they did not decode or claimed pages already taken.
     */
    record Restored(List<RamEntry> entries, BitSet usedPages, int dropped)
    {
    }

    private final ChronicleMap<CharSequence, byte[]> map;

    private RamIndex(final ChronicleMap<CharSequence, byte[]> map)
    {
        this.map = map;
    }

    /**
     * @param file      the index file (created when missing).
     * @param pageCount slab pages: the most objects the tier can hold.
     * @return the open index.
     */
    static RamIndex open(final Path file, final int pageCount)
    {
        try
        {
            return new RamIndex(ChronicleMap.of(CharSequence.class, byte[].class)
                .name("bifrost-edge-ram-index")
                .entries(Math.max(1024, Math.min(pageCount, 1 << 22)))
                .averageKeySize(AVERAGE_KEY_CHARS)
                .averageValueSize(AVERAGE_VALUE_BYTES)
                .maxBloatFactor(4.0)
                .createPersistedTo(file.toFile()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the RAM tier index " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Read every entry back, dropping the ones that are damaged or overlap an earlier one.
     *
     * @param pageBytes slab page size.
     * @param pageCount slab pages.
     * @return the valid entries and the pages they use.
     */
    Restored restore(final int pageBytes, final int pageCount)
    {
        final BitSet used = new BitSet(pageCount);
        final List<RamEntry> entries = new ArrayList<>();
        final List<String> damaged = new ArrayList<>();
        map.forEach((key, value) ->
        {
            final String path = key.toString();
            final RamEntry entry = RamIndexCodec.decode(path, value, pageBytes);
            if (entry == null || !claim(entry.pages, used, pageCount))
            {
                damaged.add(path);
                return;
            }
            entries.add(entry);
        });
        damaged.forEach(map::remove);
        entries.sort(Comparator.comparingLong(e -> e.storedAtMs));
        return new Restored(entries, used, damaged.size());
    }

    private static boolean claim(final int[] pages, final BitSet used, final int pageCount)
    {
        for (final int page : pages)
        {
            if (page >= pageCount || used.get(page))
            {
                return false;
            }
        }
        for (final int page : pages)
        {
            used.set(page);
        }
        return true;
    }

    void put(final RamEntry entry)
    {
        map.put(entry.path, RamIndexCodec.encode(entry));
    }

    void remove(final String path)
    {
        map.remove(path);
    }

    @Override
    public void close()
    {
        map.close();
    }
}
