package io.bifrost.ingest.rtmp.flv;

import io.netty.buffer.ByteBuf;

import java.util.Map;

/**
 * One timestamped FLV tag from a publisher, with the basics of its header already parsed.
 *
 * <p>Ownership: {@link #payload()} (the FLV tag body: for audio and video the tag header byte(s) then the codec data,
 * for script data the AMF0 name and value without {@code @setDataFrame}) is valid only during the
 * {@code MediaSink.onTag} call that hands the tag over. A sink that keeps bytes past that call must copy them or
 * {@code retain()} the buffer and release it itself. Immutable otherwise.
 *
 * @param type            audio, video or script data.
 * @param timestampMs     decode timestamp in milliseconds, extended to 64 bits across the 32-bit RTMP wrap.
 * @param payload         the tag body (see above).
 * @param videoCodec      the video codec, null for audio and script tags.
 * @param fourCc          the FourCC of an E-RTMP video tag, or the legacy CodecID for legacy video, 0 otherwise.
 * @param enhanced        whether the video tag uses the E-RTMP ExVideoTagHeader.
 * @param videoPacket     what the video tag carries, null for audio and script tags.
 * @param keyframe        whether the video tag is a keyframe (FrameType 1).
 * @param compositionTimeMs presentation minus decode time in milliseconds (AVC and hvc1 CodedFrames), else 0.
 * @param soundFormat     the FLV SoundFormat (10 = AAC), -1 for video and script tags.
 * @param audioPacket     what the audio tag carries, null for video and script tags.
 * @param metadata        the onMetaData properties of a script tag, empty otherwise.
 */
public record FlvTag(
    FlvTagType type,
    long timestampMs,
    ByteBuf payload,
    VideoCodec videoCodec,
    int fourCc,
    boolean enhanced,
    VideoPacketKind videoPacket,
    boolean keyframe,
    int compositionTimeMs,
    int soundFormat,
    AudioPacketKind audioPacket,
    Map<String, Object> metadata)
{
    /** SoundFormat of AAC (FLV spec annex E.4.2.1). */
    public static final int SOUND_FORMAT_AAC = 10;

    /**
     * @return whether this is a video tag.
     */
    public boolean isVideo()
    {
        return FlvTagType.VIDEO == type;
    }

    /**
     * @return whether this is an audio tag.
     */
    public boolean isAudio()
    {
        return FlvTagType.AUDIO == type;
    }

    @Override
    public String toString()
    {
        return "FlvTag{" + type + " ts=" + timestampMs + " length=" + payload.readableBytes() +
            (isVideo() ? " " + videoCodec + " " + videoPacket + (keyframe ? " key" : "") + " ct=" + compositionTimeMs : "") +
            (isAudio() ? " format=" + soundFormat + " " + audioPacket : "") + '}';
    }
}
