package io.bifrost.origin.jobs;

import io.bifrost.origin.catalog.TitlePublisher;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.catalog.VideoRecord;
import io.bifrost.transcoder.job.TranscodeJob;
import io.bifrost.transcoder.job.TranscodeJobAgent;
import io.bifrost.transcoder.job.TranscodeJobLog;
import io.bifrost.transcoder.job.VodTranscoder;
import io.bifrost.transcoder.ladder.VideoCodec;
import io.bifrost.transcoder.protection.TitleProtection;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The origin's VOD job wiring: the Chronicle Queue job log under {@code dataDir/jobs}, and {@code workers} transcode
 * workers, each a {@link JobPartitionAgent} over a {@link TranscodeJobAgent} on its own {@link AgentRunner} thread.
 * {@link #submit} appends a job (thread-safe). Restart-safe: workers replay the log from its start; finished videos are
 * passed over, an interrupted one is redone (the transcoder deletes its {@code .partial} folder first), and output is
 * never duplicated because a title is published by one atomic rename and imported idempotently.
 *
 * <p>Lifecycle: construct (opens the log), {@link #start} once the catalog exists, {@link #close} stops the workers
 * (a running ffmpeg is killed; its job is redone on the next start), then closes the log.
 */
public final class TranscodeJobs implements AutoCloseable, VideoCatalog.JobSubmitter
{
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeJobs.class);
    private static final long IDLE_SLEEP_MS = 50;

    private final TranscodeJobLog log;
    private final Path outputRoot;
    private final int segmentSeconds;
    private final String x264Preset;
    private final Set<VideoCodec> extraCodecs;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<AgentRunner> runners = new ArrayList<>();

    /**
     * @param logDir         the job log folder.
     * @param outputRoot     where titles are published (absolute).
     * @param segmentSeconds segment duration of new jobs, 2..6.
     * @param x264Preset     libx264 preset of new jobs.
     * @param extraCodecs    extra ladder codecs of new jobs.
     */
    public TranscodeJobs(final Path logDir, final Path outputRoot, final int segmentSeconds, final String x264Preset,
        final Set<VideoCodec> extraCodecs)
    {
        this.log = new TranscodeJobLog(logDir);
        this.outputRoot = outputRoot.toAbsolutePath();
        this.segmentSeconds = segmentSeconds;
        this.x264Preset = x264Preset;
        this.extraCodecs = Set.copyOf(extraCodecs);
    }

    @Override
    public long submit(final String videoId, final Path source)
    {
        return log.append(new TranscodeJob(videoId, source.toAbsolutePath(), outputRoot, segmentSeconds, x264Preset,
            extraCodecs));
    }

    /**
     * Start the workers.
     *
     * @param workers    how many titles may transcode at once.
     * @param transcoder runs one job.
     * @param thumbnails thumbnail options.
     * @param catalog    the catalog.
     * @param publisher  imports finished titles.
     * @param registry   where job counters go.
     */
    public void start(final int workers, final VodTranscoder transcoder, final ThumbnailOptions thumbnails,
        final VideoCatalog catalog, final TitlePublisher publisher, final MeterRegistry registry)
    {
        start(workers, transcoder, thumbnails, catalog, publisher, registry, videoId -> TitleProtection.NONE);
    }

    /**
     * Start the workers, encrypting protected titles.
     *
     * @param workers     how many titles may transcode at once.
     * @param transcoder  runs one job.
     * @param thumbnails  thumbnail options.
     * @param catalog     the catalog.
     * @param publisher   imports finished titles.
     * @param registry    where job counters go.
     * @param protections a title's protection and key, asked when its job starts.
     */
    public void start(final int workers, final VodTranscoder transcoder, final ThumbnailOptions thumbnails,
        final VideoCatalog catalog, final TitlePublisher publisher, final MeterRegistry registry,
        final Function<String, TitleProtection> protections)
    {
        final CatalogJobListener listener = new CatalogJobListener(catalog, publisher, stopping::get, registry);
        for (int i = 0; i < workers; i++)
        {
            final TranscodeJobAgent transcode = new TranscodeJobAgent(log, transcoder, thumbnails, listener,
                videoId -> posterTime(catalog, videoId), protections);
            final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(IDLE_SLEEP_MS),
                ex -> LOG.error("transcode worker failed a duty cycle", ex), null,
                new JobPartitionAgent(log, i, workers, transcode, catalog));
            AgentRunner.startOnThread(runner);
            runners.add(runner);
        }
    }

    private static double posterTime(final VideoCatalog catalog, final String videoId)
    {
        final VideoRecord record = catalog.find(videoId);
        final Double seconds = record == null ? null : record.metadata().thumbnailTimestamp();
        return seconds == null ? -1 : seconds;
    }

    @Override
    public void close()
    {
        stopping.set(true);
        for (int i = runners.size() - 1; i >= 0; i--)
        {
            runners.get(i).close(500, thread -> thread.interrupt());
        }
        log.close();
    }
}
