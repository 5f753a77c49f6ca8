package io.bifrost.transcoder.ladder;

import io.bifrost.transcoder.probe.FrameRate;

/**
 * One planned video output: what the encoder is told and what the manifests advertise.
 *
 * @param name        folder and rendition id, e.g. {@code 720p} or {@code 720p-vp9}.
 * @param rung        the seed rung it came from.
 * @param codec       the video codec.
 * @param width       output width in pixels (even).
 * @param height      output height in pixels (even).
 * @param frameRate   output frame rate (constant).
 * @param bitrateBps  target average bitrate.
 * @param maxrateBps  VBV peak rate (capped VBR).
 * @param bufsizeBits VBV buffer.
 * @param gopFrames   keyframe interval in frames (= frame rate x segment duration).
 */
public record VideoRendition(
    String name,
    LadderRung rung,
    VideoCodec codec,
    int width,
    int height,
    FrameRate frameRate,
    long bitrateBps,
    long maxrateBps,
    long bufsizeBits,
    int gopFrames)
{
}
