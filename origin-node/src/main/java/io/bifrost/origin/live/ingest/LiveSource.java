package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.origin.live.passthrough.AacConfig;
import io.bifrost.origin.live.passthrough.AvcDecoderConfig;

/**
 * What the first tags of a publish said about it, learnt before the live session opens (so the packager is told the
 * right renditions up front). Immutable.
 *
 * @param videoCodec  the video codec; {@link VideoCodec#OTHER} for a legacy non-AVC CodecID.
 * @param enhanced    whether video came in Enhanced RTMP tags.
 * @param avc         the H.264 configuration, null when the video is not H.264 or sent none.
 * @param width       picture width (from the SPS, else onMetaData), 0 when unknown.
 * @param height      picture height, 0 when unknown.
 * @param frameRate   frames per second from onMetaData, 0 when unknown.
 * @param hasAudio    whether the stream carries audio.
 * @param soundFormat the FLV SoundFormat of the audio (10 = AAC), -1 without audio.
 * @param aac         the AAC configuration, null when the audio is not AAC or sent none.
 * @param videoBitrateBps the video bit rate onMetaData announced ({@code videodatarate}), 0 when unknown.
 * @param audioBitrateBps the audio bit rate onMetaData announced ({@code audiodatarate}), 0 when unknown.
 */
public record LiveSource(
    VideoCodec videoCodec,
    boolean enhanced,
    AvcDecoderConfig avc,
    int width,
    int height,
    double frameRate,
    boolean hasAudio,
    int soundFormat,
    AacConfig aac,
    int videoBitrateBps,
    int audioBitrateBps)
{
    @Override
    public String toString()
    {
        return "LiveSource{" + videoCodec + (enhanced ? " (E-RTMP)" : "") + ' ' + width + 'x' + height + " @" +
            frameRate + (hasAudio ? " audio format " + soundFormat : " no audio") + '}';
    }
}
