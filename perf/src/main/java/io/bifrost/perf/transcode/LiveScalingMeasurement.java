package io.bifrost.perf.transcode;

/**
 * One timed run of N concurrent live streams in one scaling mode.
 *
 * @param wallNanos          wall-clock time from the first tag until every session ended and the ingest closed.
 * @param selfCpuNanos       user+sys CPU time of this JVM over the run (ingest, batcher and publishers).
 * @param childCpuNanos      user+sys CPU time of the ffmpeg processes the run started and reaped.
 * @param outputBytes        fragmented MP4 bytes written over every rendition of every stream.
 * @param launches           scale launches of the batcher; 0 in ffmpeg mode.
 * @param framesPerLaunch    mean frames per launch; 0 in ffmpeg mode.
 * @param maxFramesPerLaunch most frames in one launch; 0 in ffmpeg mode.
 * @param launchMeanNanos    mean time of one launch, submit to await; 0 in ffmpeg mode.
 */
record LiveScalingMeasurement(long wallNanos, long selfCpuNanos, long childCpuNanos, long outputBytes, long launches,
    double framesPerLaunch, double maxFramesPerLaunch, double launchMeanNanos)
{
    /**
     * @return CPU time of this JVM and its children together, nanoseconds.
     */
    long cpuNanos()
    {
        return selfCpuNanos + childCpuNanos;
    }
}
