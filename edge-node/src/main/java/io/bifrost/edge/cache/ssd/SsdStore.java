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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/**
 * The SSD tier's RocksDB layout. Each object is two keys written in one batch: {@code 0x00 path} holds the metadata
 * ({@link SsdEntryCodec}, small, so a start-up scan reads only these), {@code 0x01 path} the body followed by its
 * CRC32C (big-endian). Bodies of {@link #MIN_BLOB_BYTES} and more live in blob files, so large values never pass
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
    /** Longest key accepted (content paths are far shorter). */
    static final int MAX_PATH_BYTES = 1024;
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
    private final ByteBuffer key = ByteBuffer.allocateDirect(MAX_PATH_BYTES + 1);
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
     * @param visitor receives the path and the raw metadata bytes.
     */
    void scanMeta(final BiConsumer<String, byte[]> visitor)
    {
        try (Slice upper = new Slice(new byte[] {DATA});
            ReadOptions scan = new ReadOptions().setIterateUpperBound(upper).setFillCache(false);
            RocksIterator it = db.newIterator(scan))
        {
            for (it.seek(new byte[] {META}); it.isValid(); it.next())
            {
                final byte[] rawKey = it.key();
                visitor.accept(new String(rawKey, 1, rawKey.length - 1, StandardCharsets.ISO_8859_1), it.value());
            }
        }
    }

    /**
     * Read a body and check it against its stored CRC32C.
     *
     * @param path   the object.
     * @param length its length from the metadata.
     * @return the body in a pooled direct buffer (the caller releases it), or null when it is missing, has another
     * length or fails its checksum.
     * @throws RocksDBException when RocksDB cannot read.
     */
    ByteBuf read(final String path, final int length) throws RocksDBException
    {
        final ByteBuf body = PooledByteBufAllocator.DEFAULT.directBuffer(length + CRC_BYTES);
        final ByteBuffer value = body.nioBuffer(0, length + CRC_BYTES);
        final int size;
        try
        {
            size = db.get(readOptions, key(DATA, path), value);
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
     * @param path   the object.
     * @param length body length.
     * @param meta   its metadata.
     * @param body   the body; read, not consumed.
     * @throws RocksDBException when the batch refuses it.
     */
    void put(final String path, final int length, final ResponseMeta meta, final ByteBuf body) throws RocksDBException
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
        batch.put(metaKey(path), SsdEntryCodec.encode(length, meta));
        batch.put(key(DATA, path), scratch);
    }

    /**
     * Add the deletion of an object's keys to the batch.
     *
     * @param path the object.
     * @throws RocksDBException when the batch refuses it.
     */
    void delete(final String path) throws RocksDBException
    {
        batch.delete(metaKey(path));
        batch.delete(key(DATA, path));
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

    private static byte[] metaKey(final String path)
    {
        final byte[] bytes = new byte[path.length() + 1];
        bytes[0] = META;
        for (int i = 0; i < path.length(); i++)
        {
            bytes[i + 1] = (byte)path.charAt(i);
        }
        return bytes;
    }

    private ByteBuffer key(final byte prefix, final String path)
    {
        key.clear();
        key.put(prefix);
        for (int i = 0; i < path.length(); i++)
        {
            key.put((byte)path.charAt(i));
        }
        return key.flip();
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
