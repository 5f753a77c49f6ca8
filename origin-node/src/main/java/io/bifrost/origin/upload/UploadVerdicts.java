package io.bifrost.origin.upload;

import io.bifrost.origin.upload.UploadState.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What becomes of a complete upload: the {@link UploadValidator} runs on the validation threads, the verdict
 * ({@code completed} or {@code rejected}, with its reason) is recorded durably, then handed to the
 * {@link UploadListener} on one ordered thread, and the hand-off itself is recorded, so a crash or a failing listener
 * only means the hand-off happens again later (at-least-once). Validation that cannot run (ffprobe missing, hanging,
 * printing garbage) is retried {@link #MAX_VALIDATION_ATTEMPTS} times, then the upload is rejected with
 * {@code upload.validation_failed}. Thread-safe.
 */
final class UploadVerdicts implements AutoCloseable
{
    /** Validation that cannot run this many times rejects the upload. */
    static final int MAX_VALIDATION_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(UploadVerdicts.class);

    private final UploadContext context;
    private final UploadStore store;
    private final UploadMetrics metrics;
    private final Predicate<String> stillKnown;
    private final Set<String> validating = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> validationFailures = new ConcurrentHashMap<>();
    private final ExecutorService validation;
    private final ExecutorService listenerThread;

    /**
     * @param stillKnown whether an upload id still exists (a discarded upload is not handed off).
     */
    UploadVerdicts(final UploadContext context, final UploadStore store, final UploadMetrics metrics,
        final Predicate<String> stillKnown)
    {
        this.context = context;
        this.store = store;
        this.metrics = metrics;
        this.stillKnown = stillKnown;
        validation = Executors.newFixedThreadPool(context.validationThreads(), Thread.ofPlatform().daemon()
            .name("bifrost-upload-validate-", 0).factory());
        listenerThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("bifrost-upload-listener").factory());
    }

    /**
     * Call the listener on its ordered thread (created and terminated notices).
     */
    void announce(final Runnable listenerCall)
    {
        listenerThread.execute(() ->
        {
            try
            {
                listenerCall.run();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("upload listener failed: {}", ex.toString());
            }
        });
    }

    /**
     * Reject an upload as a video: bytes deleted, the reason kept. The caller holds the lock or the upload is in
     * {@code validating}. Blocking.
     */
    void reject(final Upload upload, final String code, final String message) throws IOException
    {
        final UploadState state;
        synchronized (upload)
        {
            upload.requireLive();
            store.deleteData(upload.state().uploadId());
            state = upload.state().rejected(code, message, context.clock().getAsLong());
            store.persist(state);
            upload.state(state);
        }
        metrics.rejected(code);
        LOG.info("upload {} (video {}) rejected: {}: {}", state.uploadId(), state.videoId(), code, message);
        handOff(upload);
    }

    void submitValidation(final Upload upload)
    {
        if (validating.add(upload.state().uploadId()))
        {
            validation.execute(() -> validate(upload));
        }
    }

    private void validate(final Upload upload)
    {
        final UploadState state = upload.state();
        try
        {
            context.validator().validate(store.dataFile(state.uploadId()), TusUploads.metadataOf(state));
            synchronized (upload)
            {
                upload.requireLive();
                final UploadState completed = upload.state().withStatus(Status.COMPLETED, context.clock().getAsLong());
                store.persist(completed);
                upload.state(completed);
            }
            validationFailures.remove(state.uploadId());
            metrics.completed();
            handOff(upload);
        }
        catch (final UploadRejectedException ex)
        {
            try
            {
                reject(upload, ex.code(), ex.getMessage());
            }
            catch (final IOException io)
            {
                LOG.error("upload {}: cannot record its rejection ({}); retried later", state.uploadId(), io.toString());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            final int failures = validationFailures.merge(state.uploadId(), 1, Integer::sum);
            if (failures < MAX_VALIDATION_ATTEMPTS)
            {
                LOG.warn("upload {}: validation could not run ({}); retried at the next housekeeping pass",
                    state.uploadId(), ex.toString());
            }
            else
            {
                validationFailures.remove(state.uploadId());
                try
                {
                    reject(upload, "upload.validation_failed", "the file could not be validated after " + failures +
                        " attempts: " + ex.getMessage());
                }
                catch (final IOException io)
                {
                    LOG.error("upload {}: cannot record its rejection ({})", state.uploadId(), io.toString());
                }
            }
        }
        finally
        {
            validating.remove(state.uploadId());
        }
    }

    private void handOff(final Upload upload)
    {
        listenerThread.execute(() ->
        {
            final UploadState state = upload.state();
            if (state.handedOff() || !stillKnown.test(state.uploadId()))
            {
                return;
            }
            try
            {
                final Path file = store.dataFile(state.uploadId());
                if (state.status() == Status.COMPLETED && Files.exists(file))
                {
                    context.listener().onCompleted(state.videoId(), file, TusUploads.metadataOf(state));
                }
                else if (state.status() == Status.COMPLETED)
                {
                    LOG.info("upload {}: the listener already took its file; hand-off recorded", state.uploadId());
                }
                else if (state.status() == Status.REJECTED)
                {
                    context.listener().onRejected(state.videoId(), state.rejectionCode(), state.rejectionMessage());
                }
                synchronized (upload)
                {
                    if (stillKnown.test(state.uploadId()))
                    {
                        upload.requireLive();
                        final UploadState done = upload.state().markHandedOff();
                        store.persist(done);
                        upload.state(done);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.error("upload {}: hand-off to the origin failed ({}); retried at the next housekeeping pass",
                    state.uploadId(), ex.toString());
            }
        });
    }


    void handOffIfPending(final Upload upload)
    {
        if (!upload.state().handedOff() && upload.state().status() != Status.TERMINATED &&
            upload.state().status() != Status.EXPIRED)
        {
            handOff(upload);
        }
    }

    @Override
    public void close()
    {
        validation.shutdownNow();
        listenerThread.shutdown();
        try
        {
            listenerThread.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
