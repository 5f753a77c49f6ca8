package io.bifrost.perf.transcode;

import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.origin.live.ingest.LiveMode;
import io.bifrost.origin.live.transcode.LiveScaling;
import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.live.LiveScaleBatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one measurement: N streams published at once into a fresh live ingest ({@link LiveIngestSinkFactory}, transcode
 * mode, the default ladder) whose scaling is the given mode, each stream fed as fast as backpressure allows. Times the
 * run from the first tag until every session ended, the ingest closed and every ffmpeg was reaped, takes the CPU
 * time of this JVM and of those children ({@link CpuTimes}), reads the batcher's metrics, and refuses a run in which a
 * stream failed, a rendition got no bytes or a frame was dropped. One run at a time.
 */
final class LiveScalingRunner
{
    /** Time allowed for the streams to go through, beyond which the run is reported as stuck. */
    private static final Duration BASE_DEADLINE = Duration.ofSeconds(120);
    /** More time per second of video the run carries over all streams (a loaded 2-core machine at 1/10 real time). */
    private static final Duration DEADLINE_PER_STREAM_SECOND = Duration.ofSeconds(10);
    /** How often the wait for the sessions looks at the streams' failures, which end no session when early. */
    private static final long FAILURE_CHECK_MS = 50;

    private final LiveScalingSettings settings;
    private final LiveScalingSource source;
    private final BackendSelection backend;
    private final Path workDir;
    private volatile List<LiveTrack> ladder = List.of();

    /**
     * @param settings what to run.
     * @param source   the FLV every stream publishes.
     * @param backend  the transcode backend the batched mode scales with (CPU: the Java reference; JCuda: the kernel).
     * @param workDir  where each run's named pipes go.
     */
    LiveScalingRunner(final LiveScalingSettings settings, final LiveScalingSource source,
        final BackendSelection backend, final Path workDir)
    {
        this.settings = settings;
        this.source = source;
        this.backend = backend;
        this.workDir = workDir;
    }

    /**
     * @return the tracks the first stream of the latest run announced (the ladder actually encoded).
     */
    List<LiveTrack> ladder()
    {
        return ladder;
    }

    /**
     * @param mode  {@link LiveScaling.Mode#FFMPEG} or {@link LiveScaling.Mode#BATCHED}.
     * @param label names the run's folder, e.g. {@code 1-ffmpeg}.
     * @return how it went.
     * @throws TranscodeException   when a stream failed, produced nothing, dropped frames or did not finish in time.
     * @throws IOException          when the pipe folder cannot be made.
     * @throws InterruptedException when interrupted.
     */
    LiveScalingMeasurement run(final LiveScaling.Mode mode, final String label)
        throws TranscodeException, IOException, InterruptedException
    {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final LiveScalingStreams streams = new LiveScalingStreams();
        final Path pipes = Files.createDirectories(workDir.resolve("pipes-" + label));
        final List<PublishRequest> requests = new ArrayList<>(settings.streams());
        for (int i = 0; i < settings.streams(); i++)
        {
            requests.add(LiveScalingSource.request("live-scaling-" + label + "-" + i));
        }
        final Duration deadline = BASE_DEADLINE.plus(
            DEADLINE_PER_STREAM_SECOND.multipliedBy(settings.streamSeconds()));

        final LiveScaling scaling = LiveScaling.Mode.BATCHED == mode ?
            LiveScaling.open(LiveScaling.Mode.BATCHED, backend, meters) : LiveScaling.ffmpeg();
        final LiveIngestSinkFactory factory;
        try
        {
            factory = new LiveIngestSinkFactory(new LiveIngestContext().liveStreams(streams)
                .defaultMode(LiveMode.TRANSCODE).workDir(pipes).meterRegistry(meters).ffmpeg(settings.ffmpeg())
                .x264Preset(settings.preset()).scaling(scaling));
        }
        catch (final RuntimeException ex)
        {
            scaling.close();
            throw ex;
        }
        final CpuTimes before = CpuTimes.now();
        final long start = System.nanoTime();
        final String stuck;
        try
        {
            publishAll(factory, requests, start + deadline.toNanos());
            stuck = awaitSessionsEnded(factory, streams, requests, start + deadline.toNanos());
        }
        finally
        {
            factory.close();
        }
        awaitChildrenReaped(start + deadline.toNanos());
        final long wallNanos = System.nanoTime() - start;
        final CpuTimes used = CpuTimes.now().since(before);

        final long outputBytes = check(factory, streams, requests, stuck, meters);
        ladder = streams.tracks(requests.get(0).streamId());
        TranscodeLadderComparison.deleteRecursively(pipes);
        if (LiveScaling.Mode.BATCHED != mode)
        {
            return new LiveScalingMeasurement(wallNanos, used.selfNanos(), used.childrenNanos(), outputBytes, 0, 0,
                0, 0);
        }
        final DistributionSummary framesPerLaunch = meters.find(LiveScaleBatcher.FRAMES_PER_LAUNCH).summary();
        final Timer launch = meters.find(LiveScaleBatcher.LAUNCH).timer();
        if (null == framesPerLaunch || null == launch || 0 == framesPerLaunch.count())
        {
            throw new TranscodeException("batched run " + label + ": the batcher launched nothing (no " +
                LiveScaleBatcher.FRAMES_PER_LAUNCH + " recorded)");
        }
        return new LiveScalingMeasurement(wallNanos, used.selfNanos(), used.childrenNanos(), outputBytes,
            framesPerLaunch.count(), framesPerLaunch.mean(), framesPerLaunch.max(), launch.mean(TimeUnit.NANOSECONDS));
    }

    private void publishAll(final LiveIngestSinkFactory factory, final List<PublishRequest> requests,
        final long deadlineNanos) throws TranscodeException, InterruptedException
    {
        final ExecutorService publishers = Executors.newFixedThreadPool(requests.size(), runnable ->
        {
            final Thread thread = new Thread(runnable, "live-scaling-publisher");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            final List<Future<?>> publishes = new ArrayList<>(requests.size());
            for (final PublishRequest request : requests)
            {
                publishes.add(publishers.submit(() ->
                {
                    source.publish(factory, request);
                    return null;
                }));
            }
            for (int i = 0; i < publishes.size(); i++)
            {
                try
                {
                    publishes.get(i).get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final ExecutionException ex)
                {
                    throw new TranscodeException("publishing " + requests.get(i).streamId() + " failed: " +
                        ex.getCause().getMessage(), ex.getCause());
                }
                catch (final TimeoutException ex)
                {
                    throw new TranscodeException("publishing " + requests.get(i).streamId() + " took longer than " +
                        "the run's deadline", ex);
                }
            }
        }
        finally
        {
            publishers.shutdownNow();
        }
    }

    /**
     * @return null when every stream's session ended or its stream failed before the deadline, else which did not.
     */
    private static String awaitSessionsEnded(final LiveIngestSinkFactory factory, final LiveScalingStreams streams,
        final List<PublishRequest> requests, final long deadlineNanos) throws InterruptedException
    {
        while (true)
        {
            final List<String> running = new ArrayList<>();
            for (final PublishRequest request : requests)
            {
                final String id = request.streamId();
                if (!streams.ended(id) && null == factory.lastFailure(id))
                {
                    running.add(id);
                }
            }
            if (running.isEmpty())
            {
                return null;
            }
            final long leftNanos = deadlineNanos - System.nanoTime();
            if (leftNanos <= 0)
            {
                return "still running at the deadline: " + running;
            }
            streams.awaitChange(Math.min(FAILURE_CHECK_MS, TimeUnit.NANOSECONDS.toMillis(leftNanos) + 1));
        }
    }

    /** Every ffmpeg has exited and been reaped, so that its CPU time is in this process's children counters. */
    private static void awaitChildrenReaped(final long deadlineNanos) throws TranscodeException, InterruptedException
    {
        List<ProcessHandle> children;
        while (!(children = ProcessHandle.current().children().toList()).isEmpty())
        {
            for (final ProcessHandle child : children)
            {
                try
                {
                    child.onExit().get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final ExecutionException | TimeoutException ex)
                {
                    throw new TranscodeException("child process " + child.pid() + " (" +
                        child.info().command().orElse("?") + ") did not exit after the ingest closed", ex);
                }
            }
        }
    }

    /**
     * @return bytes written over every rendition of every stream.
     */
    private static long check(final LiveIngestSinkFactory factory, final LiveScalingStreams streams,
        final List<PublishRequest> requests, final String stuck, final SimpleMeterRegistry meters)
        throws TranscodeException
    {
        final List<String> problems = new ArrayList<>();
        if (null != stuck)
        {
            problems.add(stuck);
        }
        long total = 0;
        for (final PublishRequest request : requests)
        {
            final String id = request.streamId();
            final String failure = factory.lastFailure(id);
            if (null != failure)
            {
                problems.add(id + " failed: " + failure);
                continue;
            }
            final Map<String, Long> bytes = streams.bytesByRendition(id);
            if (bytes.isEmpty())
            {
                problems.add(id + " opened no session");
            }
            for (final Map.Entry<String, Long> rendition : bytes.entrySet())
            {
                if (0 == rendition.getValue())
                {
                    problems.add(id + " rendition " + rendition.getKey() + " got no bytes");
                }
                total += rendition.getValue();
            }
        }
        final Counter dropped = meters.find(LiveScaleBatcher.DROPPED).counter();
        if (null != dropped && dropped.count() > 0)
        {
            problems.add(String.format(Locale.ROOT, "%.0f frames dropped by the batcher", dropped.count()));
        }
        if (factory.metrics().ffmpegFailures() > 0)
        {
            problems.add(factory.metrics().ffmpegFailures() + " ffmpeg failures");
        }
        if (!problems.isEmpty())
        {
            throw new TranscodeException(String.join("; ", problems));
        }
        return total;
    }
}
