package io.bifrost.transcoder.job;

import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.probe.SourceRejectedException;
import io.bifrost.transcoder.protection.TitleProtection;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import org.agrona.concurrent.Agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The transcode worker loop as an Agrona {@link Agent}: each duty cycle reads at most one job from the
 * {@link TranscodeJobLog} and runs it to completion with a {@link VodTranscoder} (one ffmpeg process at a time per
 * agent; run several agents for several concurrent jobs).
 * <p>
 * Restart safety: the agent reads the log from its start. A job whose title is published is skipped; a job that was
 * cut short by a crash left only a {@code .partial} folder, which the transcoder deletes before redoing the job. A job
 * that was refused or failed leaves {@code {videoId}.failed} (the reason, one line) next to where the title would be,
 * and is skipped on replay until an operator deletes that note. Runs on one thread.
 */
public final class TranscodeJobAgent implements Agent, TranscodeJobLog.Sink
{
    /** Suffix of the note a refused or failed job leaves. */
    public static final String FAILED_SUFFIX = ".failed";

    private final TranscodeJobLog.Reader reader;
    private final VodTranscoder transcoder;
    private final ThumbnailOptions thumbnails;
    private final JobListener listener;
    private final ToDoubleFunction<String> posterTimes;
    private final Function<String, TitleProtection> protections;

    /**
     * @param log        the job log (owned by the caller).
     * @param transcoder runs one job.
     * @param thumbnails thumbnail options for every job.
     * @param listener   where outcomes go.
     */
    public TranscodeJobAgent(final TranscodeJobLog log, final VodTranscoder transcoder,
        final ThumbnailOptions thumbnails, final JobListener listener)
    {
        this(log, transcoder, thumbnails, listener, videoId -> -1);
    }

    /**
     * @param log         the job log (owned by the caller).
     * @param transcoder  runs one job.
     * @param thumbnails  thumbnail options for every job.
     * @param listener    where outcomes go.
     * @param posterTimes a title's own poster time in seconds (the creator's {@code thumbnail_timestamp}), or a
     *                    negative number for the default; asked when the job starts, so a change made while the job
     *                    waits in the log still counts.
     */
    public TranscodeJobAgent(final TranscodeJobLog log, final VodTranscoder transcoder,
        final ThumbnailOptions thumbnails, final JobListener listener, final ToDoubleFunction<String> posterTimes)
    {
        this(log, transcoder, thumbnails, listener, posterTimes, videoId -> TitleProtection.NONE);
    }

    /**
     * @param log         the job log (owned by the caller).
     * @param transcoder  runs one job.
     * @param thumbnails  thumbnail options for every job.
     * @param listener    where outcomes go.
     * @param posterTimes a title's own poster time in seconds, or a negative number for the default.
     * @param protections a title's protection (scheme, key, key URLs), asked when the job starts; the same title must
     *                    get the same key every time, so a job redone after a crash encrypts with it again.
     */
    public TranscodeJobAgent(final TranscodeJobLog log, final VodTranscoder transcoder,
        final ThumbnailOptions thumbnails, final JobListener listener, final ToDoubleFunction<String> posterTimes,
        final Function<String, TitleProtection> protections)
    {
        this.protections = protections;
        this.reader = log.readFromStart();
        this.transcoder = transcoder;
        this.thumbnails = thumbnails;
        this.listener = listener;
        this.posterTimes = posterTimes;
    }

    @Override
    public int doWork()
    {
        return reader.next(this) ? 1 : 0;
    }

    @Override
    public String roleName()
    {
        return "transcode-jobs";
    }

    @Override
    public void onJob(final long index, final TranscodeJob job)
    {
        final Path failedNote = job.outputRoot().resolve(job.videoId() + FAILED_SUFFIX);
        if (Files.exists(failedNote))
        {
            listener.onSkipped(job);
            return;
        }
        try
        {
            final double posterAt = posterTimes.applyAsDouble(job.videoId());
            final VodTranscoder.Outcome outcome = transcoder.transcode(job.videoId(), job.source(), job.outputRoot(),
                job.ladderOptions(), posterAt >= 0 ? thumbnails.withPosterAtSeconds(posterAt) : thumbnails,
                progress -> listener.onProgress(job, progress), protections.apply(job.videoId()));
            if (outcome == VodTranscoder.Outcome.ALREADY_PUBLISHED)
            {
                listener.onSkipped(job);
            }
            else
            {
                listener.onPublished(job, job.outputRoot().resolve(job.videoId()));
            }
        }
        catch (final SourceRejectedException ex)
        {
            writeNote(failedNote, ex.reason().code() + ": " + ex.getMessage());
            listener.onRejected(job, ex);
        }
        catch (final TranscodeException ex)
        {
            writeNote(failedNote, "transcode.failed: " + ex.getMessage());
            listener.onFailed(job, ex);
        }
    }

    @Override
    public void onMalformed(final long index, final String reason)
    {
        listener.onMalformed(index, reason);
    }

    private static void writeNote(final Path note, final String text)
    {
        try
        {
            Files.writeString(note, text.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
        }
        catch (final IOException ignore)
        {
            // without the note the job is retried on the next replay, which is safe
        }
    }
}
