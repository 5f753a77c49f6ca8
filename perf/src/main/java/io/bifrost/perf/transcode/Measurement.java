package io.bifrost.perf.transcode;

/**
 * One timed encode of the whole ladder.
 *
 * @param wallNanos     wall-clock time from the first process start to the last exit, nanoseconds.
 * @param cpuNanos      user+sys CPU time of the child processes (ffmpeg and, for Bifrost, ffprobe), nanoseconds.
 * @param processes     how many child processes the encode ran.
 * @param outputBytes   bytes of playlists and segments written.
 */
record Measurement(long wallNanos, long cpuNanos, int processes, long outputBytes)
{
}
