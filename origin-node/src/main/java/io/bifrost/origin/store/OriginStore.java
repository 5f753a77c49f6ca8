package io.bifrost.origin.store;

import io.bifrost.protocol.naming.ContentKey;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The origin's store (DESIGN.md section 4): one RocksDB with three column families.
 * <ul>
 *     <li>{@code segments}: init segments, media segments, thumbnails and subtitles, keyed by their URL path
 *     ({@code /vod/{id}/720p/3.m4s}); values of 64 KiB and more go to blob files, so compaction does not rewrite
 *     video.</li>
 *     <li>{@code manifests}: HLS playlists and DASH MPDs, keyed by URL path.</li>
 *     <li>{@code metadata}: catalog records (JSON), keyed by the caller ({@code video/{id}}).</li>
 * </ul>
 * Content values carry their own ETag and Last-Modified ({@link StoredObject}). Every write that must survive a crash
 * is one {@link WriteBatch} written with {@code sync}, so a title, a caption or a status change is either all there
 * after a kill -9 or not at all.
 *
 * <p>Thread-safe (RocksDB is); reads and writes block on disk, so callers keep them off Netty event loops. The store
 * owns its RocksDB handles until {@link #close()}.
 */
public final class OriginStore implements AutoCloseable
{
    /** Values at least this large are written to blob files. */
    public static final long MIN_BLOB_BYTES = 64 * 1024;

    private static final String SEGMENTS = "segments";
    private static final String MANIFESTS = "manifests";
    private static final String METADATA = "metadata";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle segments;
    private final ColumnFamilyHandle manifests;
    private final ColumnFamilyHandle metadata;
    private final WriteOptions syncWrites;

    private OriginStore(final Path dir) throws RocksDBException
    {
        RocksDB.loadLibrary();
        final DBOptions options = track(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true));
        final ColumnFamilyOptions plain = track(new ColumnFamilyOptions());
        final ColumnFamilyOptions blobs = track(new ColumnFamilyOptions()
            .setEnableBlobFiles(true)
            .setMinBlobSize(MIN_BLOB_BYTES)
            .setEnableBlobGarbageCollection(true));
        final List<ColumnFamilyDescriptor> descriptors = List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain),
            new ColumnFamilyDescriptor(SEGMENTS.getBytes(StandardCharsets.UTF_8), blobs),
            new ColumnFamilyDescriptor(MANIFESTS.getBytes(StandardCharsets.UTF_8), plain),
            new ColumnFamilyDescriptor(METADATA.getBytes(StandardCharsets.UTF_8), plain));
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        this.db = RocksDB.open(options, dir.toString(), descriptors, handles);
        resources.addAll(handles);
        this.segments = handles.get(1);
        this.manifests = handles.get(2);
        this.metadata = handles.get(3);
        this.syncWrites = track(new WriteOptions().setSync(true));
    }

    /**
     * @param dir the database folder (created when missing).
     * @return the open store.
     * @throws IllegalStateException when RocksDB cannot open it (held by another process, corrupt, no space).
     */
    public static OriginStore open(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            return new OriginStore(dir);
        }
        catch (final RocksDBException | IOException ex)
        {
            throw new IllegalStateException("cannot open the origin store at " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param key a content key.
     * @return the stored object, or null when there is none.
     */
    public StoredObject get(final ContentKey key)
    {
        return getObject(key.path());
    }

    /**
     * @param path a content path (as {@link ContentKey#path()}, or an internal key under a title's prefix).
     * @return the stored object, or null when there is none.
     */
    public StoredObject getObject(final String path)
    {
        try
        {
            final byte[] value = db.get(familyOf(path), bytes(path));
            return value == null ? null : StoredObject.decode(value);
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("origin store read of " + path + " failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param key a metadata key.
     * @return the value, or null.
     */
    public byte[] getMetadata(final String key)
    {
        try
        {
            return db.get(metadata, bytes(key));
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("origin store read of " + key + " failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * Visit every metadata entry whose key starts with a prefix, in key order.
     *
     * @param prefix  the key prefix.
     * @param visitor receives key and value.
     */
    public void forEachMetadata(final String prefix, final BiConsumer<String, byte[]> visitor)
    {
        final byte[] start = bytes(prefix);
        try (RocksIterator iterator = db.newIterator(metadata))
        {
            for (iterator.seek(start); iterator.isValid(); iterator.next())
            {
                final byte[] key = iterator.key();
                if (key.length < start.length || !Arrays.equals(key, 0, start.length, start, 0, start.length))
                {
                    break;
                }
                visitor.accept(new String(key, StandardCharsets.UTF_8), iterator.value());
            }
        }
    }

    /**
     * @return a new batch; {@link Batch#commit()} writes it durably in one step.
     */
    public Batch batch()
    {
        return new Batch();
    }

    @Override
    public void close()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            if (resources.get(i) instanceof ColumnFamilyHandle handle)
            {
                handle.close();
            }
        }
        db.close();
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            if (!(resources.get(i) instanceof ColumnFamilyHandle))
            {
                try
                {
                    resources.get(i).close();
                }
                catch (final Exception ignore)
                {
                    // native option objects do not fail to close
                }
            }
        }
    }

    private ColumnFamilyHandle familyOf(final String path)
    {
        return TitleLayout.isManifestPath(path) ? manifests : segments;
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes that land together or not at all (one RocksDB {@link WriteBatch}, written with {@code sync}). Not
     * thread-safe; use once, then close (try-with-resources).
     */
    public final class Batch implements AutoCloseable
    {
        private final WriteBatch batch = new WriteBatch();

        private Batch()
        {
        }

        /**
         * @param path           content path (a manifest path goes to the manifests family, anything else to
         *                       segments).
         * @param payload        the content.
         * @param lastModifiedMs epoch milliseconds, for Last-Modified.
         * @return this.
         */
        public Batch putObject(final String path, final byte[] payload, final long lastModifiedMs)
        {
            try
            {
                batch.put(familyOf(path), bytes(path), StoredObject.encode(payload, lastModifiedMs));
                return this;
            }
            catch (final RocksDBException ex)
            {
                throw new IllegalStateException("cannot batch " + path + ": " + ex.getMessage(), ex);
            }
        }

        /**
         * @param path content path to remove.
         * @return this.
         */
        public Batch deleteObject(final String path)
        {
            try
            {
                batch.delete(familyOf(path), bytes(path));
                return this;
            }
            catch (final RocksDBException ex)
            {
                throw new IllegalStateException("cannot batch the deletion of " + path + ": " + ex.getMessage(), ex);
            }
        }

        /**
         * @param key   metadata key.
         * @param value value.
         * @return this.
         */
        public Batch putMetadata(final String key, final byte[] value)
        {
            try
            {
                batch.put(metadata, bytes(key), value);
                return this;
            }
            catch (final RocksDBException ex)
            {
                throw new IllegalStateException("cannot batch " + key + ": " + ex.getMessage(), ex);
            }
        }

        /**
         * Remove every content key of a title: all renditions, manifests, thumbnails, subtitles.
         *
         * @param videoId the title id.
         * @return this.
         */
        public Batch deleteTitle(final String videoId)
        {
            try
            {
                final byte[] start = TitleLayout.titleStart(videoId);
                final byte[] end = TitleLayout.titleEnd(videoId);
                batch.deleteRange(segments, start, end);
                batch.deleteRange(manifests, start, end);
                return this;
            }
            catch (final RocksDBException ex)
            {
                throw new IllegalStateException("cannot batch the deletion of " + videoId + ": " + ex.getMessage(), ex);
            }
        }

        /**
         * Write everything durably (fsync of the WAL) in one atomic step.
         */
        public void commit()
        {
            try
            {
                db.write(syncWrites, batch);
            }
            catch (final RocksDBException ex)
            {
                throw new IllegalStateException("origin store write failed: " + ex.getMessage(), ex);
            }
        }

        @Override
        public void close()
        {
            batch.close();
        }
    }
}
