package io.bifrost.ingest.relay;

import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagType;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.function.Consumer;

/**
 * A relayed stream's configuration tags (onMetaData, the video and the audio sequence header), the latest of each,
 * kept as copies so that every new connection, and every restart after a wait for a keyframe, begins with them: the
 * origin cannot decode a group of pictures without them. Not thread-safe: used under its {@link RelayedStream}'s
 * monitor.
 */
final class StreamConfigs
{
    private record ConfigTag(int type, long timestampMs, byte[] body, long receivedAtMs)
    {
    }

    private ConfigTag metadata;
    private ConfigTag video;
    private ConfigTag audio;

    /**
     * @param tag a tag.
     * @return whether it is a configuration tag: onMetaData, or a video or audio sequence header.
     */
    static boolean isConfig(final FlvTag tag)
    {
        return FlvTagType.SCRIPT == tag.type() && !tag.metadata().isEmpty() ||
            tag.isVideo() && VideoPacketKind.SEQUENCE_HEADER == tag.videoPacket() ||
            tag.isAudio() && AudioPacketKind.SEQUENCE_HEADER == tag.audioPacket();
    }

    /**
     * Keep a copy of a configuration tag, replacing the one of its kind.
     *
     * @param tag          a tag {@link #isConfig} accepts.
     * @param receivedAtMs when it reached the ingest.
     */
    void keep(final FlvTag tag, final long receivedAtMs)
    {
        final ConfigTag config = new ConfigTag(tag.type().id(), tag.timestampMs(), ByteBufUtil.getBytes(tag.payload()),
            receivedAtMs);
        switch (tag.type())
        {
            case SCRIPT -> metadata = config;
            case VIDEO -> video = config;
            default -> audio = config;
        }
    }

    /**
     * Hand each kept tag, as one relay chunk, to {@code out}: metadata, video, audio.
     *
     * @param timestampMs  the timestamp to give them (that of the tag they precede), or -1 for their own.
     * @param receivedAtMs the arrival time to give them, or -1 for their own.
     * @param out          takes each chunk (and owns it).
     */
    void forEach(final long timestampMs, final long receivedAtMs, final Consumer<ByteBuf> out)
    {
        for (final ConfigTag config : new ConfigTag[]{metadata, video, audio})
        {
            if (null != config)
            {
                out.accept(RelayChunks.tag(config.type(), timestampMs < 0 ? config.timestampMs() : timestampMs,
                    Unpooled.wrappedBuffer(config.body()), receivedAtMs < 0 ? config.receivedAtMs() : receivedAtMs));
            }
        }
    }
}
