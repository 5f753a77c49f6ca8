package io.bifrost.origin.upload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files of the upload service under {@code dataDir/uploads/}: {@code {uploadId}.bin} holds the bytes,
 * {@code {uploadId}.json} the {@link UploadState}. State is replaced atomically (write a temp file, fsync it, rename
 * it over the old one, fsync the directory), so after a crash the record is either the old or the new one, whole.
 *
 * <p>Recovery ({@link #recover()}) truncates every data file to its acknowledged offset: bytes beyond it were never
 * acknowledged and may be torn. Paths are only ever built from ids that match {@link #ID}. Methods do blocking file
 * I/O: call them off the event loop. Thread-safe for different ids; one id is written by one thread at a time
 * (the upload's lock, see {@link TusUploads}).
 */
final class UploadStore
{
    /** An upload id: 22 base64url characters (128 random bits). */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);
    private static final String STATE_SUFFIX = ".json";
    private static final String DATA_SUFFIX = ".bin";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param directory the uploads directory; created when missing.
     * @throws IOException when it cannot be created.
     */
    UploadStore(final Path directory) throws IOException
    {
        this.directory = Files.createDirectories(directory);
    }

    Path directory()
    {
        return directory;
    }

    /**
     * @param uploadId a valid id.
     * @return where its bytes are.
     */
    Path dataFile(final String uploadId)
    {
        return directory.resolve(checked(uploadId) + DATA_SUFFIX);
    }

    private Path stateFile(final String uploadId)
    {
        return directory.resolve(checked(uploadId) + STATE_SUFFIX);
    }

    private static String checked(final String uploadId)
    {
        if (!ID.matcher(uploadId).matches())
        {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return uploadId;
    }

    /**
     * Replace the state of an upload atomically and durably.
     *
     * @param state the new state.
     * @throws IOException when the disk refuses.
     */
    void persist(final UploadState state) throws IOException
    {
        final Path target = stateFile(state.uploadId());
        final Path temp = directory.resolve(state.uploadId() + STATE_SUFFIX + TEMP_SUFFIX);
        final byte[] bytes = json.writeValueAsBytes(state);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            throw new IOException("the uploads directory " + directory + " does not support atomic rename", ex);
        }
        syncDirectory();
    }

    /**
     * Create an empty data file for a new upload, durably.
     *
     * @param uploadId the id.
     * @throws IOException when the disk refuses.
     */
    void createDataFile(final String uploadId) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dataFile(uploadId), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
    }

    /**
     * Delete the bytes of an upload (the record stays).
     *
     * @param uploadId the id.
     * @throws IOException when the disk refuses.
     */
    void deleteData(final String uploadId) throws IOException
    {
        if (Files.deleteIfExists(dataFile(uploadId)))
        {
            syncDirectory();
        }
    }

    /**
     * Delete the bytes and the record of an upload.
     *
     * @param uploadId the id.
     * @throws IOException when the disk refuses.
     */
    void deleteAll(final String uploadId) throws IOException
    {
        Files.deleteIfExists(dataFile(uploadId));
        Files.deleteIfExists(stateFile(uploadId));
        syncDirectory();
    }

    /**
     * Load every upload after a start or a crash: temp files are removed, data files are truncated to the acknowledged
     * offset, unreadable records are renamed {@code *.corrupt} and skipped (with a log line).
     *
     * @return the states found.
     * @throws IOException when the directory cannot be read.
     */
    List<UploadState> recover() throws IOException
    {
        final List<UploadState> states = new ArrayList<>();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, "*" + TEMP_SUFFIX))
        {
            for (final Path temp : temps)
            {
                Files.deleteIfExists(temp);
            }
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(directory, "*" + STATE_SUFFIX))
        {
            for (final Path record : records)
            {
                final UploadState state = read(record);
                if (state != null)
                {
                    states.add(truncateToOffset(state));
                }
            }
        }
        syncDirectory();
        return states;
    }

    private UploadState read(final Path record) throws IOException
    {
        final String name = record.getFileName().toString();
        final String id = name.substring(0, name.length() - STATE_SUFFIX.length());
        try
        {
            final UploadState state = json.readValue(record.toFile(), UploadState.class);
            if (!id.equals(state.uploadId()) || state.status() == null || state.offset() < 0 ||
                state.offset() > state.length())
            {
                throw new IOException("inconsistent fields");
            }
            return state;
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.error("upload record {} is unreadable ({}); moved aside as {}.corrupt", record, ex.getMessage(), name);
            Files.move(record, record.resolveSibling(name + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
            return null;
        }
    }

    private UploadState truncateToOffset(final UploadState state) throws IOException
    {
        final Path data = dataFile(state.uploadId());
        if (state.status().isTombstone())
        {
            Files.deleteIfExists(data);
            return state;
        }
        if (state.status() == UploadState.Status.COMPLETED)
        {
            // the file belongs to the listener once handed off (it may have moved it), and is whole before that
            return state;
        }
        if (!Files.exists(data))
        {
            LOG.error("upload {} lost its data file; it is reset to offset 0", state.uploadId());
            createDataFile(state.uploadId());
            final UploadState reset = new UploadState(state.uploadId(), state.videoId(), state.length(), 0,
                state.metadata(), state.createdAtMs(), state.expiresAtMs(), UploadState.Status.UPLOADING, null, null,
                false);
            persist(reset);
            return reset;
        }
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            if (size > state.offset())
            {
                LOG.info("upload {}: dropping {} unacknowledged bytes after offset {}", state.uploadId(),
                    size - state.offset(), state.offset());
                channel.truncate(state.offset());
                channel.force(true);
            }
            else if (size < state.offset())
            {
                LOG.error("upload {} acknowledged {} bytes but its data file holds {}: the file system lost fsynced " +
                    "data; the client resumes from {}", state.uploadId(), state.offset(), size, size);
                final UploadState shrunk = state.withOffset(size, state.expiresAtMs());
                persist(shrunk);
                return shrunk;
            }
        }
        return state;
    }

    private void syncDirectory() throws IOException
    {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
    }
}
