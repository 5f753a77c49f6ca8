package io.bifrost.origin.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
import io.bifrost.transcoder.ffmpeg.TranscodeProgress;
import io.bifrost.transcoder.job.TranscodeJobAgent;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The video catalog: records and their status lifecycle ({@link VideoStatus}), persisted as JSON in the store's
 * metadata column family, and the operations the upload service, the transcode jobs and the API drive.
 * <ul>
 *     <li>Upload side: {@link #create}, {@link #uploadCompleted} (keeps the original under {@code originals/}, marks
 *     the video processing and appends its transcode job), {@link #uploadTerminated}, {@link #markFailed}.</li>
 *     <li>Job side ({@code io.bifrost.origin.jobs}): {@link #onProgress}, {@link #publish} (imports the title folder
 *     and marks published in one synced batch, then deletes the folder), {@link #reconcile} (a replayed job).</li>
 *     <li>API side: {@link #find}, {@link #list}, {@link #progress}, {@link #delete}, {@link #putCaption}.</li>
 * </ul>
 * Thread-safe: changes to one video are serialised by a striped lock; RocksDB and file work block, so callers keep
 * them off Netty event loops.
 */
public final class VideoCatalog
{
    /** Metadata key prefix of video records. */
    public static final String RECORD_PREFIX = "video/";
    private static final int LOCK_STRIPES = 64;

    /** Appends transcode jobs; implemented by the job wiring. */
    @FunctionalInterface
    public interface JobSubmitter
    {
        /**
         * @param videoId the title id.
         * @param source  the original file (absolute).
         * @return the job's index in the job log.
         */
        long submit(String videoId, Path source);
    }

    private final OriginStore store;
    private final Path originals;
    private final Path outputRoot;
    private final JobSubmitter jobs;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Map<String, TranscodeProgress> progress = new ConcurrentHashMap<>();
    private final CatalogMetrics metrics;
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

    /**
     * @param store      the store (owned by the caller).
     * @param originals  folder of original uploads.
     * @param outputRoot folder the transcoder publishes title folders in.
     * @param jobs       appends transcode jobs.
     * @param clock      time source for record instants.
     * @param registry   where status counters go.
     */
    public VideoCatalog(final OriginStore store, final Path originals, final Path outputRoot, final JobSubmitter jobs,
        final Clock clock, final MeterRegistry registry)
    {
        this.store = store;
        this.originals = originals.toAbsolutePath();
        this.outputRoot = outputRoot.toAbsolutePath();
        this.jobs = jobs;
        this.clock = clock;
        this.metrics = new CatalogMetrics(registry);
        for (int i = 0; i < LOCK_STRIPES; i++)
        {
            locks[i] = new Object();
        }
    }

    /**
     * A new upload session: the video exists in status {@code uploading}.
     *
     * @param videoId  the id ({@code [A-Za-z0-9_-]{1,64}}).
     * @param metadata what the creator said about it.
     * @return the record.
     * @throws CatalogException when the id is invalid or already used.
     */
    public VideoRecord create(final String videoId, final VideoMetadata metadata)
    {
        requireId(videoId);
        synchronized (lockOf(videoId))
        {
            if (read(videoId) != null)
            {
                throw new CatalogException(CatalogException.Kind.CONFLICT, "video.exists", "video " + videoId +
                    " already exists");
            }
            final String now = now();
            final VideoRecord record = new VideoRecord(videoId, VideoStatus.UPLOADING, metadata, now, now, null, null,
                -1, 0, List.of(), List.of(), null, List.of());
            write(record);
            metrics.changed(VideoStatus.UPLOADING);
            return record;
        }
    }

    /**
     * The upload is complete: keep the file as the original ({@code originals/{videoId}}, moved there unless it
     * already is), mark the video {@code processing} and append its transcode job. A video the upload service never
     * announced is created here. Durable before it returns: a crash afterwards still transcodes it.
     *
     * @param videoId  the id.
     * @param file     the uploaded file.
     * @param metadata metadata to keep, or null to keep what {@link #create} stored.
     * @return the record.
     * @throws CatalogException when the video is not uploading (or unknown), or the file cannot be kept.
     */
    public VideoRecord uploadCompleted(final String videoId, final Path file, final VideoMetadata metadata)
    {
        requireId(videoId);
        synchronized (lockOf(videoId))
        {
            VideoRecord record = read(videoId);
            if (record == null)
            {
                final String now = now();
                record = new VideoRecord(videoId, VideoStatus.UPLOADING, metadata, now, now, null, null, -1, 0,
                    List.of(), List.of(), null, List.of());
            }
            if (record.status() != VideoStatus.UPLOADING)
            {
                throw new CatalogException(CatalogException.Kind.CONFLICT, "video.not_uploading", "video " + videoId +
                    " is " + record.status().apiName() + ", not uploading");
            }
            if (metadata != null)
            {
                record = new VideoRecord(videoId, record.status(), metadata, record.createdAt(), record.updatedAt(),
                    null, null, -1, 0, List.of(), List.of(), null, List.of());
            }
            final Path original = TitleFiles.keepOriginal(file, originals.resolve(videoId));
            record = record.withSource(original.toString(), now());
            write(record);
            metrics.changed(VideoStatus.PROCESSING);
            record = submit(record);
            return record;
        }
    }

    /**
     * The upload was cancelled (tus termination) or refused before completion: the video becomes a tombstone.
     *
     * @param videoId the id.
     */
    public void uploadTerminated(final String videoId)
    {
        delete(videoId);
    }

    /**
     * @param videoId the id.
     * @param code    stable failure code.
     * @param message explanation.
     * @return the record, or null when the video is unknown or deleted.
     */
    public VideoRecord markFailed(final String videoId, final String code, final String message)
    {
        synchronized (lockOf(videoId))
        {
            final VideoRecord record = read(videoId);
            if (record == null || record.status() == VideoStatus.DELETED)
            {
                return null;
            }
            final VideoRecord failed = record.failed(new VideoRecord.Failure(code, message), now());
            write(failed);
            progress.remove(videoId);
            metrics.changed(VideoStatus.FAILED);
            return failed;
        }
    }

    /**
     * Replace what the creator said about a video (seed: {@code POST /api/v1/videos/{id}/metadata}).
     *
     * @param videoId  the id.
     * @param metadata the new metadata.
     * @return the updated record.
     * @throws CatalogException when the video is unknown or deleted.
     */
    public VideoRecord updateMetadata(final String videoId, final VideoMetadata metadata)
    {
        synchronized (lockOf(videoId))
        {
            final VideoRecord record = find(videoId);
            if (record == null || record.status() == VideoStatus.DELETED)
            {
                throw new CatalogException(record == null ? CatalogException.Kind.NOT_FOUND : CatalogException.Kind.GONE,
                    record == null ? "video.not_found" : "video.deleted", "no video " + videoId);
            }
            final VideoRecord updated = record.withMetadata(metadata, now());
            write(updated);
            return updated;
        }
    }

    /**
     * @param videoId the id.
     * @return the record (including tombstones), or null.
     */
    public VideoRecord find(final String videoId)
    {
        return VideoIds.isValid(videoId) ? read(videoId) : null;
    }

    /**
     * @param limit most records returned.
     * @return videos that are not deleted, newest first.
     */
    public List<VideoRecord> list(final int limit)
    {
        final List<VideoRecord> records = new ArrayList<>();
        store.forEachMetadata(RECORD_PREFIX, (key, value) ->
        {
            final VideoRecord record = decode(value);
            if (record.status() != VideoStatus.DELETED)
            {
                records.add(record);
            }
        });
        records.sort(Comparator.comparing(VideoRecord::createdAt).reversed().thenComparing(VideoRecord::videoId));
        return records.size() > limit ? List.copyOf(records.subList(0, limit)) : records;
    }

    /**
     * @param videoId the id.
     * @return the latest encode progress of a processing video, or null.
     */
    public TranscodeProgress progress(final String videoId)
    {
        return progress.get(videoId);
    }

    /**
     * Delete a video: every stored key of the title (renditions, manifests, thumbnails, captions) goes in one synced
     * batch with the record becoming a tombstone; then the original, any title folder and failure note are removed.
     *
     * @param videoId the id.
     * @return true when something was deleted, false when the video was unknown or already deleted.
     */
    public boolean delete(final String videoId)
    {
        if (!VideoIds.isValid(videoId))
        {
            return false;
        }
        synchronized (lockOf(videoId))
        {
            final VideoRecord record = read(videoId);
            if (record == null || record.status() == VideoStatus.DELETED)
            {
                return false;
            }
            try (OriginStore.Batch batch = store.batch())
            {
                batch.deleteTitle(videoId)
                    .putMetadata(RECORD_PREFIX + videoId, encode(record.withStatus(VideoStatus.DELETED, now())))
                    .commit();
            }
            progress.remove(videoId);
            metrics.changed(VideoStatus.DELETED);
            TitleFiles.deleteQuietly(originals.resolve(videoId));
            TitleFiles.deleteQuietly(outputRoot.resolve(videoId));
            TitleFiles.deleteQuietly(outputRoot.resolve(videoId + TranscodeJobAgent.FAILED_SUFFIX));
        }
        for (final Consumer<String> listener : deletionListeners)
        {
            listener.accept(videoId);
        }
        return true;
    }

    /**
     * @param listener told the id of every video deleted from now on, after its record and files are gone (e.g. the
     *                 upload service forgets a half-finished upload); called on the deleting thread.
     */
    public void onDeleted(final Consumer<String> listener)
    {
        deletionListeners.add(listener);
    }

    /**
     * @param videoId the id.
     * @return true when a job for this video has nothing left to do: the video is published, failed or deleted.
     */
    public boolean isSettled(final String videoId)
    {
        final VideoRecord record = read(videoId);
        return record != null && (record.status() == VideoStatus.PUBLISHED || record.status() == VideoStatus.FAILED ||
            record.status() == VideoStatus.DELETED);
    }

    /**
     * @param videoId  the id.
     * @param progress the latest progress of its transcode.
     */
    public void onProgress(final String videoId, final TranscodeProgress progress)
    {
        this.progress.put(videoId, progress);
    }

    /**
     * At start-up: append the job of every processing video whose job never reached the log (a crash between the
     * status change and the append).
     *
     * @return how many jobs were appended.
     */
    public int submitPendingJobs()
    {
        final List<String> pending = new ArrayList<>();
        store.forEachMetadata(RECORD_PREFIX, (key, value) ->
        {
            final VideoRecord record = decode(value);
            if (record.status() == VideoStatus.PROCESSING && record.jobIndex() < 0)
            {
                pending.add(record.videoId());
            }
        });
        for (final String videoId : pending)
        {
            synchronized (lockOf(videoId))
            {
                final VideoRecord record = read(videoId);
                if (record != null && record.status() == VideoStatus.PROCESSING && record.jobIndex() < 0)
                {
                    submit(record);
                }
            }
        }
        return pending.size();
    }

    private VideoRecord submit(final VideoRecord record)
    {
        final long index = jobs.submit(record.videoId(), Path.of(record.source()));
        final VideoRecord submitted = record.withJobIndex(index, now());
        write(submitted);
        return submitted;
    }

    VideoRecord read(final String videoId)
    {
        final byte[] value = store.getMetadata(RECORD_PREFIX + videoId);
        return value == null ? null : decode(value);
    }

    void write(final VideoRecord record)
    {
        try (OriginStore.Batch batch = store.batch())
        {
            batch.putMetadata(RECORD_PREFIX + record.videoId(), encode(record)).commit();
        }
    }

    byte[] encode(final VideoRecord record)
    {
        try
        {
            return json.writeValueAsBytes(record);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the record of " + record.videoId(), ex);
        }
    }

    VideoRecord decode(final byte[] value)
    {
        try
        {
            return json.readValue(value, VideoRecord.class);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("unreadable catalog record: " + ex.getMessage(), ex);
        }
    }

    Clock clock()
    {
        return clock;
    }

    /** A job for the video ended: its progress is gone and the status change is counted. */
    void settled(final String videoId, final VideoStatus status)
    {
        progress.remove(videoId);
        metrics.changed(status);
    }

    String now()
    {
        return clock.instant().toString();
    }

    Object lockOf(final String videoId)
    {
        return locks[Math.floorMod(videoId.hashCode(), LOCK_STRIPES)];
    }

    private static void requireId(final String videoId)
    {
        if (!VideoIds.isValid(videoId))
        {
            throw new CatalogException(CatalogException.Kind.INVALID, "video.bad_id",
                "video id must be 1..64 characters of [A-Za-z0-9_-]");
        }
    }
}
