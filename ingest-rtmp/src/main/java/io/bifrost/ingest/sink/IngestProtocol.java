package io.bifrost.ingest.sink;

import java.util.Locale;

/**
 * The protocol a publisher used to reach the ingest node; sent to the control plane as {@code "protocol"}.
 */
public enum IngestProtocol
{
    /** Plain RTMP on {@code ingest.rtmp-port}. */
    RTMP,
    /** RTMP over TLS on {@code ingest.rtmps-port}. */
    RTMPS,
    /** SRT (MPEG-TS over SRT) on {@code ingest.srt-port}, bridged by an ffmpeg process. */
    SRT;

    /**
     * @return the lower-case wire name ({@code rtmp}, {@code rtmps}, {@code srt}).
     */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
