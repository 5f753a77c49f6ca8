package io.bifrost.origin.jobs;

import io.bifrost.origin.catalog.TitlePublisher;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ffmpeg.TranscodeProgress;
import io.bifrost.transcoder.job.JobListener;
import io.bifrost.transcoder.job.TranscodeJob;
import io.bifrost.transcoder.job.TranscodeJobAgent;
import io.bifrost.transcoder.probe.SourceRejectedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Turns job outcomes into catalog changes: progress into the API's live progress, a published folder into a
 * published video, a refused source or failed transcode into a failed video with the explained reason. A job cut
 * short because the origin is stopping is not a failure: its failure note is removed so the job is redone on the next
 * start. Called on worker threads; never throws (errors are logged and counted, and the job's video stays
 * {@code processing} until a replay finishes it).
 */
final class CatalogJobListener implements JobListener
{
    private static final Logger LOG = LoggerFactory.getLogger(CatalogJobListener.class);

    private final VideoCatalog catalog;
    private final TitlePublisher publisher;
    private final BooleanSupplier stopping;
    private final Counter errors;
    private final Counter malformed;

    CatalogJobListener(final VideoCatalog catalog, final TitlePublisher publisher, final BooleanSupplier stopping,
        final MeterRegistry registry)
    {
        this.catalog = catalog;
        this.publisher = publisher;
        this.stopping = stopping;
        this.errors = Counter.builder("bifrost.origin.jobs.errors")
            .description("job outcomes the catalog could not record (retried on the next start)").register(registry);
        this.malformed = Counter.builder("bifrost.origin.jobs.malformed")
            .description("job log documents that are not readable jobs").register(registry);
    }

    @Override
    public void onProgress(final TranscodeJob job, final TranscodeProgress progress)
    {
        catalog.onProgress(job.videoId(), progress);
    }

    @Override
    public void onPublished(final TranscodeJob job, final Path title)
    {
        try
        {
            publisher.publish(job.videoId(), title);
        }
        catch (final RuntimeException ex)
        {
            errors.increment();
            LOG.error("video {}: transcoded, but the import failed; retried on the next start: {}", job.videoId(),
                ex.getMessage());
        }
    }

    @Override
    public void onSkipped(final TranscodeJob job)
    {
        try
        {
            publisher.reconcile(job.videoId());
        }
        catch (final RuntimeException ex)
        {
            errors.increment();
            LOG.error("video {}: cannot finish a replayed job: {}", job.videoId(), ex.getMessage());
        }
    }

    @Override
    public void onRejected(final TranscodeJob job, final SourceRejectedException reason)
    {
        fail(job, reason.reason().code(), reason.getMessage());
    }

    @Override
    public void onFailed(final TranscodeJob job, final TranscodeException error)
    {
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted())
        {
            final Path note = job.outputRoot().resolve(job.videoId() + TranscodeJobAgent.FAILED_SUFFIX);
            try
            {
                Files.deleteIfExists(note);
            }
            catch (final IOException ex)
            {
                LOG.error("video {}: cut short by the stop, but {} cannot be removed; delete it to retry",
                    job.videoId(), note);
            }
            return;
        }
        fail(job, "transcode.failed", error.getMessage());
    }

    @Override
    public void onMalformed(final long index, final String reason)
    {
        malformed.increment();
        LOG.error("job log entry {} is not a readable job: {}", index, reason);
    }

    private void fail(final TranscodeJob job, final String code, final String message)
    {
        try
        {
            catalog.markFailed(job.videoId(), code, message);
        }
        catch (final RuntimeException ex)
        {
            errors.increment();
            LOG.error("video {}: cannot record the failure {}: {}", job.videoId(), code, ex.getMessage());
        }
    }
}
