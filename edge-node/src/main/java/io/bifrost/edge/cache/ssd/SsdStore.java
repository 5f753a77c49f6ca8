package io.bifrost.edge.cache.ssd;

import io.bifrost.edge.cache.ResponseMeta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/**
 * The SSD tier's RocksDB layout. Each object is two keys written in one batch, both named by the object's 64-bit id
 * (the hash of its path, big-endian): {@code 0x00 id} holds the metadata with the path ({@link SsdEntryCodec}, small,
 * so a start-up scan reads only these), {@code 0x01 id} the body followed by its CRC32C (big-endian). Bodies of {@link #MIN_BLOB_BYTES} and more live in blob files, so large values never pass
 * through compaction; blob garbage collection reclaims the space of deleted ones.
 *
 * <p>Writes skip the write-ahead log: both keys of an object share one memtable, so a crash loses recent objects
 * whole (metadata and body together), which for a cache only means refilling; {@link #close()} flushes first.
 *
 * <p>Not thread-safe (one batch and scratch buffers are reused), except {@link #diskBytes()}, which meters may call
 * from any thread.
 */
final class SsdStore implements AutoCloseable
{
    /** Values at least this large go to blob files. */
    static final long MIN_BLOB_BYTES = 64 * 1024;
    /** Longest path kept (content paths are far shorter). */
    static final int MAX_PATH_BYTES = SsdEntryCodec.MAX_STRING;
    private static final int KEY_BYTES = 1 + Long.BYTES;
    private static final Logger LOG = LoggerFactory.getLogger(SsdStore.class);
    private static final byte META = 0;
    private static final byte DATA = 1;
    private static final int CRC_BYTES = 4;

    static
    {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
    private final ReadOptions readOptions = new ReadOptions();
    private final WriteBatch batch = new WriteBatch();
    private final ByteBuffer key = ByteBuffer.allocateDirect(KEY_BYTES);
    private final CRC32C crc = new CRC32C();
    private ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 20);
    private boolean closed;

    private SsdStore(final Options options, final RocksDB db)
    {
        this.options = options;
        this.db = db;
    }

    static SsdStore open(final Path dir)
    {
        final Options options = new Options()
            .setCreateIfMissing(true)
            .setEnableBlobFiles(true)
            .setMinBlobSize(MIN_BLOB_BYTES)
            .setBlobFileSize(64L << 20)
            .setEnableBlobGarbageCollection(true)
            .setCompressionType(CompressionType.NO_COMPRESSION)
            .setWriteBufferSize(16L << 20)
            .setMaxWriteBufferNumber(2)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2);
        try
        {
            Files.createDirectories(dir);
            return new SsdStore(options, RocksDB.open(options, dir.toString()));
        }
        catch (final IOException ex)
        {
            options.close();
            throw new UncheckedIOException("cannot create the SSD tier directory " + dir + ": " + ex.getMessage(), ex);
        }
        catch (final RocksDBException ex)
        {
            options.close();
            throw new IllegalStateException("cannot open the SSD tier in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Visit every metadata record (bodies are not read).
     *
     * @param visitor receives the raw key (see {@link #idOf}) and the raw metadata bytes.
     */
    void scanMeta(final BiConsumer<byte[], byte[]> visitor)
    {
        try (Slice upper = new Slice(new byte[] {DATA});
            ReadOptions scan = new ReadOptions().setIterateUpperBound(upper).setFillCache(false);
            RocksIterator it = db.newIterator(scan))
        {
            for (it.seek(new byte[] {META}); it.isValid(); it.next())
            {
                visitor.accept(it.key(), it.value());
            }
        }
    }

    /**
     * @param rawKey a metadata key from {@link #scanMeta}.
     * @return the object id it names, or null when it is not a well-formed key.
     */
    static Long idOf(final byte[] rawKey)
    {
        return rawKey.length == KEY_BYTES ? ByteBuffer.wrap(rawKey, 1, Long.BYTES).getLong() : null;
    }

    /**
     * @param id the object.
     * @return its metadata record, or null when there is none.
     * @throws RocksDBException when RocksDB cannot read.
     */
    byte[] readMeta(final long id) throws RocksDBException
    {
        return db.get(metaKey(id));
    }

    /**
     * Read a body and check it against its stored CRC32C.
     *
     * @param id     the object.
     * @param length its length from the metadata.
     * @return the body in a pooled direct buffer (the caller releases it), or null when it is missing, has another
     * length or fails its checksum.
     * @throws RocksDBException when RocksDB cannot read.
     */
    ByteBuf read(final long id, final int length) throws RocksDBException
    {
        final ByteBuf body = PooledByteBufAllocator.DEFAULT.directBuffer(length + CRC_BYTES);
        final ByteBuffer value = body.nioBuffer(0, length + CRC_BYTES);
        final int size;
        try
        {
            size = db.get(readOptions, key(DATA, id), value);
        }
        catch (final RocksDBException ex)
        {
            body.release();
            throw ex;
        }
        if (size == length + CRC_BYTES)
        {
            crc.reset();
            crc.update(value.duplicate().position(0).limit(length));
            if ((int)crc.getValue() == value.getInt(length))
            {
                return body.writerIndex(length);
            }
        }
        body.release();
        return null;
    }

    /** Start a batch of puts and deletes. */
    void begin()
    {
        batch.clear();
    }

    /**
     * Add an object to the batch: metadata and body with its CRC32C.
     *
     * @param id     the object's id.
     * @param path   its path.
     * @param length body length.
     * @param meta   its metadata.
     * @param body   the body; read, not consumed.
     * @throws RocksDBException when the batch refuses it.
     */
    void put(final long id, final String path, final int length, final ResponseMeta meta, final ByteBuf body)
        throws RocksDBException
    {
        if (scratch.capacity() < length + CRC_BYTES)
        {
            scratch = ByteBuffer.allocateDirect(Math.max(length + CRC_BYTES, scratch.capacity() * 2));
        }
        scratch.clear().limit(length);
        body.getBytes(body.readerIndex(), scratch);
        scratch.flip();
        crc.reset();
        crc.update(scratch.duplicate());
        scratch.limit(length + CRC_BYTES);
        scratch.putInt(length, (int)crc.getValue());
        batch.put(metaKey(id), SsdEntryCodec.encode(path, length, meta));
        batch.put(key(DATA, id), scratch);
    }

    /**
     * Add the deletion of an object's keys to the batch.
     *
     * @param id the object.
     * @throws RocksDBException when the batch refuses it.
     */
    void delete(final long id) throws RocksDBException
    {
        batch.delete(metaKey(id));
        batch.delete(key(DATA, id));
    }

    /**
     * Add the deletion of a damaged metadata key (one that is not a valid id) to the batch.
     *
     * @param rawKey the key as scanned.
     * @throws RocksDBException when the batch refuses it.
     */
    void deleteRaw(final byte[] rawKey) throws RocksDBException
    {
        batch.delete(rawKey);
    }

    /**
     * Write the batch atomically.
     *
     * @throws RocksDBException when RocksDB cannot write.
     */
    void commit() throws RocksDBException
    {
        if (batch.count() > 0)
        {
            db.write(writeOptions, batch);
        }
        batch.clear();
    }

    private static byte[] metaKey(final long id)
    {
        return ByteBuffer.allocate(KEY_BYTES).put(META).putLong(id).array();
    }

    private ByteBuffer key(final byte prefix, final long id)
    {
        return key.clear().put(prefix).putLong(id).flip();
    }

    /**
     * @return bytes of SST and blob files, including garbage not collected yet; NaN once closed.
     */
    synchronized double diskBytes()
    {
        if (closed)
        {
            return Double.NaN;
        }
        try
        {
            return db.getLongProperty("rocksdb.total-sst-files-size") + db.getLongProperty("rocksdb.total-blob-file-size");
        }
        catch (final RocksDBException ex)
        {
            return Double.NaN;
        }
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true))
        {
            db.flush(flush);
        }
        catch (final RocksDBException ex)
        {
            LOG.warn("SSD tier: flush on close failed ({}); the newest objects will be filled again", ex.getMessage());
        }
        batch.close();
        readOptions.close();
        writeOptions.close();
        db.close();
        options.close();
    }
}
