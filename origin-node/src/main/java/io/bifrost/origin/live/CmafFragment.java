package io.bifrost.origin.live;

/**
 * One CMAF fragment ({@code moof} + {@code mdat}) of a live rendition, as the reader completed it.
 *
 * @param bytes            moof + mdat bytes, exactly as received.
 * @param baseDecodeTime   {@code tfdt} base media decode time, in the track's timescale.
 * @param duration         sum of its sample durations, in the track's timescale.
 * @param sampleCount      number of samples.
 * @param independent      its first sample is a sync sample (an independent frame).
 */
public record CmafFragment(byte[] bytes, long baseDecodeTime, long duration, int sampleCount, boolean independent)
{
}
