package io.bifrost.transcoder.ffmpeg;

/**
 * One progress report of a running transcode, from ffmpeg's {@code -progress} block.
 *
 * @param outTimeMicros media time written so far, in microseconds (0 before the first frame).
 * @param percent       {@code outTime / source duration} in 0..100 (100 once ffmpeg reports the end).
 * @param framesPerSecond encoding speed in frames per second (0 when unknown).
 * @param speed         encoding speed as a multiple of real time (0 when unknown).
 * @param frame         frames encoded so far.
 * @param done          true for the last report ({@code progress=end}).
 */
public record TranscodeProgress(long outTimeMicros, double percent, double framesPerSecond, double speed, long frame,
    boolean done)
{
}
