package io.bifrost.transcoder.backend;

/**
 * Whether ffmpeg's {@code h264_nvenc} really encodes on this machine.
 *
 * @param available whether a one-frame encode succeeded.
 * @param reason    one line for logs: why it is or is not available.
 */
public record NvencSupport(boolean available, String reason)
{
}
