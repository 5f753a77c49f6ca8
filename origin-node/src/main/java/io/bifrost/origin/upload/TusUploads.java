package io.bifrost.origin.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.upload.UploadState.Status;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The tus upload service of the origin: the uploads on disk, the threads that write, validate and hand them off,
 * and the housekeeping that expires abandoned ones. {@link #newHandler()} (or {@link #get()}: the service is the
 * handler factory an HTTP server asks for) gives the Netty handler that serves {@code /api/v1/uploads/} and
 * {@code POST /api/v1/videos/upload-url} on a connection.
 *
 * <p>Life of an upload: created ({@code uploading}) by a tus POST or the upload-url API; PATCH requests append bytes,
 * each acknowledged only after {@code fsync} of the data and an atomic, fsynced state update; the last byte moves it
 * to {@code validating}, where the {@link UploadValidator} (ffprobe) runs on a validation thread; then
 * {@code completed} and {@link UploadListener#onCompleted}, or {@code rejected} with a reason code. After a crash,
 * {@link #launch} truncates every file to its acknowledged offset, re-runs interrupted validations and re-delivers
 * hand-offs the listener had not accepted.
 *
 * <p>Threads: event loops never touch the disk; file I/O runs on {@code ioThreads}, validation on
 * {@code validationThreads}, listener calls on one ordered thread, housekeeping on one scheduler. Thread-safe.
 */
public final class TusUploads implements Supplier<ChannelHandler>, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);

    private final UploadContext context;
    private final UploadStore store;
    private final UploadMetrics metrics;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, String> uploadIdByVideoId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService io;
    private final UploadVerdicts verdicts;
    private final ScheduledExecutorService housekeeping;
    private final UploadRoutes routes;

    private TusUploads(final UploadContext context, final UploadStore store)
    {
        this.context = context;
        this.store = store;
        this.metrics = new UploadMetrics(context.meterRegistry(), () -> uploads.values().stream()
            .filter(upload -> !upload.state().status().isTombstone() &&
                upload.state().status() != Status.COMPLETED).count());
        io = Executors.newFixedThreadPool(context.ioThreads(), Thread.ofPlatform().daemon()
            .name("bifrost-upload-io-", 0).factory());
        verdicts = new UploadVerdicts(context, store, metrics, uploads::containsKey);
        housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
            .name("bifrost-upload-housekeeping").factory());
        routes = new UploadRoutes(this, new ObjectMapper());
    }

    /**
     * Open the uploads directory, recover what a crash left, and start the service threads.
     *
     * @param context the settings; {@link UploadContext#conclude()} is called here.
     * @return the running service.
     * @throws IOException when the uploads directory cannot be used.
     */
    public static TusUploads launch(final UploadContext context) throws IOException
    {
        context.conclude();
        final TusUploads service = new TusUploads(context, new UploadStore(context.uploadsDir()));
        for (final UploadState state : service.store.recover())
        {
            service.uploads.put(state.uploadId(), new Upload(state));
            service.uploadIdByVideoId.put(state.videoId(), state.uploadId());
        }
        LOG.info("uploads: {} recovered from {}", service.uploads.size(), context.uploadsDir());
        final long periodMs = context.housekeepingInterval().toMillis();
        service.housekeeping.scheduleWithFixedDelay(service::houseKeep, 0, periodMs, TimeUnit.MILLISECONDS);
        return service;
    }

    /**
     * @return a handler for one connection, to be placed right after the {@code HttpServerCodec}.
     */
    public TusUploadHandler newHandler()
    {
        return new TusUploadHandler(this, routes);
    }

    /**
     * The same as {@link #newHandler()}, so the service itself is the handler factory an HTTP server asks for.
     *
     * @return a handler for one connection.
     */
    @Override
    public ChannelHandler get()
    {
        return newHandler();
    }

    /**
     * @return the settings.
     */
    public UploadContext context()
    {
        return context;
    }

    /**
     * Forget an upload for good, bytes (unless the listener took them) and record, e.g. when its video is deleted.
     * Blocking file I/O.
     *
     * @param videoId the video id.
     * @return true when there was such an upload.
     * @throws IOException when the files cannot be deleted.
     */
    public boolean discard(final String videoId) throws IOException
    {
        final String uploadId = uploadIdByVideoId.get(videoId);
        final Upload upload = uploadId == null ? null : uploads.get(uploadId);
        if (upload == null)
        {
            return false;
        }
        synchronized (upload)
        {
            upload.discard();
            store.deleteAll(uploadId);
            uploads.remove(uploadId);
            uploadIdByVideoId.remove(videoId);
        }
        return true;
    }

    /**
     * @param uploadId an id from a URL (checked here).
     * @return the upload, or null when there is none.
     */
    Upload lookup(final String uploadId)
    {
        return UploadStore.ID.matcher(uploadId).matches() ? uploads.get(uploadId) : null;
    }

    /**
     * Create an upload: a data file and its first state, both durable. Runs on an I/O thread.
     *
     * @param length   total size in bytes.
     * @param metadata validated metadata.
     * @return the created state, completing on an I/O thread.
     * @throws UploadException when the size is refused.
     */
    CompletableFuture<UploadState> create(final long length, final UploadMetadata metadata) throws UploadException
    {
        if (length == 0)
        {
            throw new UploadException(HttpResponseStatus.BAD_REQUEST, "upload.empty", "a zero-length file is not a video");
        }
        if (length > context.maxUploadBytes())
        {
            throw new UploadException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "upload.too_large",
                "the upload is " + length + " bytes; the maximum is " + context.maxUploadBytes());
        }
        final long now = context.clock().getAsLong();
        final UploadState state = new UploadState(newId(""), newId("v_"), length, 0, metadata.pairs(), now,
            now + context.uploadExpiry().toMillis(), Status.UPLOADING, null, null, false);
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                store.createDataFile(state.uploadId());
                store.persist(state);
            }
            catch (final IOException ex)
            {
                throw new StorageFailure(ex);
            }
            uploads.put(state.uploadId(), new Upload(state));
            uploadIdByVideoId.put(state.videoId(), state.uploadId());
            metrics.created();
            verdicts.announce(() -> context.listener().onCreated(state.videoId(), metadataOf(state)));
            return state;
        }, io);
    }

    /**
     * Terminate an unfinished upload (tus DELETE): bytes deleted, record kept as a tombstone. Runs on an I/O thread.
     *
     * @param upload the upload, whose lock the caller holds; released here.
     * @return completes when done, on an I/O thread.
     */
    CompletableFuture<Void> terminate(final Upload upload)
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                tombstone(upload, Status.TERMINATED);
                metrics.terminated();
            }
            catch (final IOException ex)
            {
                throw new StorageFailure(ex);
            }
            finally
            {
                upload.unlock();
            }
        }, io);
    }

    private void tombstone(final Upload upload, final Status status) throws IOException
    {
        final UploadState state;
        synchronized (upload)
        {
            upload.requireLive();
            store.deleteData(upload.state().uploadId());
            state = upload.state().withStatus(status, context.clock().getAsLong());
            store.persist(state);
            upload.state(state);
        }
        verdicts.announce(() -> context.listener().onTerminated(state.videoId()));
    }

    /**
     * Record newly acknowledged bytes; the caller holds the lock and has fsynced the data. Blocking.
     *
     * @return the new state.
     */
    UploadState commit(final Upload upload, final long newOffset, final long bytes) throws IOException
    {
        final UploadState state;
        synchronized (upload)
        {
            upload.requireLive();
            final UploadState moved = upload.state().withOffset(newOffset,
                context.clock().getAsLong() + context.uploadExpiry().toMillis());
            state = newOffset == moved.length() ? moved.withStatus(Status.VALIDATING, moved.expiresAtMs()) : moved;
            store.persist(state);
            upload.state(state);
        }
        metrics.received(bytes);
        if (state.status() == Status.VALIDATING)
        {
            verdicts.submitValidation(upload);
        }
        return state;
    }

    /** Expire abandoned uploads, drop old tombstones, retry validations and hand-offs that failed. */
    private void houseKeep()
    {
        final long now = context.clock().getAsLong();
        for (final Upload upload : uploads.values())
        {
            final UploadState state = upload.state();
            try
            {
                switch (state.status())
                {
                    case UPLOADING ->
                    {
                        if (state.expiresAtMs() <= now && upload.tryLock())
                        {
                            try
                            {
                                tombstone(upload, Status.EXPIRED);
                                metrics.expired();
                            }
                            finally
                            {
                                upload.unlock();
                            }
                        }
                    }
                    case VALIDATING -> verdicts.submitValidation(upload);
                    case COMPLETED -> verdicts.handOffIfPending(upload);
                    case REJECTED, TERMINATED, EXPIRED ->
                    {
                        verdicts.handOffIfPending(upload);
                        if (state.expiresAtMs() + context.tombstoneRetention().toMillis() <= now)
                        {
                            synchronized (upload)
                            {
                                upload.discard();
                                store.deleteAll(state.uploadId());
                                uploads.remove(state.uploadId());
                                uploadIdByVideoId.remove(state.videoId());
                            }
                        }
                    }
                    default -> throw new IllegalStateException(state.status().name());
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.error("upload {}: housekeeping failed ({})", state.uploadId(), ex.toString());
            }
        }
    }

    ExecutorService io()
    {
        return io;
    }

    UploadStore store()
    {
        return store;
    }

    UploadMetrics metrics()
    {
        return metrics;
    }

    UploadVerdicts verdicts()
    {
        return verdicts;
    }

    static UploadMetadata metadataOf(final UploadState state)
    {
        try
        {
            return UploadMetadata.of(state.metadata());
        }
        catch (final UploadException ex)
        {
            throw new IllegalStateException("stored metadata was validated when the upload was created", ex);
        }
    }

    private String newId(final String prefix)
    {
        final byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close()
    {
        housekeeping.shutdownNow();
        io.shutdown();
        try
        {
            io.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        verdicts.close();
    }

    /** A disk failure inside an asynchronous step; the handler answers 500 with {@code upload.storage_error}. */
    static final class StorageFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StorageFailure(final IOException cause)
        {
            super(cause.getMessage(), cause);
        }
    }
}
