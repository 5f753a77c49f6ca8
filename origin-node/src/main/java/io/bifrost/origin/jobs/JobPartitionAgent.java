package io.bifrost.origin.jobs;

import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.transcoder.job.TranscodeJob;
import io.bifrost.transcoder.job.TranscodeJobAgent;
import io.bifrost.transcoder.job.TranscodeJobLog;
import org.agrona.concurrent.Agent;

/**
 * One transcode worker: tails the job log from its start and hands the jobs of its partition (video id hash modulo
 * the worker count) to a {@link TranscodeJobAgent}, so several workers run different titles concurrently and one
 * title is never transcoded by two at once. A job whose video is already published, failed or deleted in the
 * catalog is passed over, so a replay after a restart costs one catalog read per job, and a deleted video is never
 * transcoded again. Runs on one thread.
 */
final class JobPartitionAgent implements Agent, TranscodeJobLog.Sink
{
    private final TranscodeJobLog.Reader reader;
    private final int partition;
    private final int partitions;
    private final TranscodeJobAgent transcode;
    private final VideoCatalog catalog;

    JobPartitionAgent(final TranscodeJobLog log, final int partition, final int partitions,
        final TranscodeJobAgent transcode, final VideoCatalog catalog)
    {
        this.reader = log.readFromStart();
        this.partition = partition;
        this.partitions = partitions;
        this.transcode = transcode;
        this.catalog = catalog;
    }

    @Override
    public int doWork()
    {
        return reader.next(this) ? 1 : 0;
    }

    @Override
    public String roleName()
    {
        return "transcode-jobs-" + partition;
    }

    @Override
    public void onJob(final long index, final TranscodeJob job)
    {
        if (Math.floorMod(job.videoId().hashCode(), partitions) != partition || catalog.isSettled(job.videoId()))
        {
            return;
        }
        transcode.onJob(index, job);
    }

    @Override
    public void onMalformed(final long index, final String reason)
    {
        if (partition == 0)
        {
            transcode.onMalformed(index, reason);
        }
    }
}
