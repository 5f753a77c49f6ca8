package io.bifrost.transcoder.probe;

/**
 * The first audio stream of a source.
 *
 * @param codec        decoder name, e.g. {@code aac}.
 * @param channels     channel count (0 when unknown).
 * @param sampleRateHz sample rate (0 when unknown).
 */
public record AudioStreamInfo(String codec, int channels, int sampleRateHz)
{
}
