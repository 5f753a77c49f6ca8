package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagType;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.origin.live.passthrough.AacConfig;
import io.bifrost.origin.live.passthrough.AvcDecoderConfig;
import io.bifrost.origin.live.passthrough.MediaFormatException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Learns a publish's {@link LiveSource} from its first tags, holding them until it knows enough to open the live
 * session: the video's codec and configuration (H.264 sequence header: picture size from the SPS), onMetaData's
 * size, frame rate and bit rates, and whether there is audio (and its AAC configuration).
 *
 * <p>Ready when the video is configured and either the audio is configured too, or no audio is expected (onMetaData
 * names no audio codec and no audio tag came) by the time the first coded frame arrives. A stream that is not ready
 * after {@code windowMs} of media time or {@code maxBytes} of held tags is decided on what is known: without video
 * it fails, without audio configuration it goes on without audio. Not thread-safe: the stream's writer thread.
 */
final class SourceProbe
{
    /** Legacy AVC and E-RTMP tag headers are 5 bytes before the configuration record. */
    private static final int VIDEO_CONFIG_OFFSET = 5;
    /** AAC tag header before the AudioSpecificConfig. */
    private static final int AUDIO_CONFIG_OFFSET = 2;

    private final long windowMs;
    private final long maxBytes;
    private final List<CopiedTag> held = new ArrayList<>();
    private long heldBytes;
    private long firstMediaMs = Long.MIN_VALUE;
    private VideoCodec videoCodec;
    private boolean enhanced;
    private AvcDecoderConfig avc;
    private boolean videoSeen;
    private boolean audioSeen;
    private int soundFormat = -1;
    private AacConfig aac;
    private boolean codedFrameSeen;
    private boolean metadataAudio;
    private int metadataWidth;
    private int metadataHeight;
    private double frameRate;
    private int videoBitrateBps;
    private int audioBitrateBps;

    SourceProbe(final long windowMs, final long maxBytes)
    {
        this.windowMs = windowMs;
        this.maxBytes = maxBytes;
    }

    /**
     * A probe for the next session of a stream whose decoder configuration changed: it keeps what does not come again
     * (onMetaData's frame rate and bit rates, the audio configuration) and learns the video anew.
     *
     * @param previous the source of the session that ended.
     * @return the probe.
     */
    SourceProbe continuing(final LiveSource previous)
    {
        final SourceProbe next = new SourceProbe(windowMs, maxBytes);
        next.frameRate = previous.frameRate();
        next.videoBitrateBps = previous.videoBitrateBps();
        next.audioBitrateBps = previous.audioBitrateBps();
        next.metadataAudio = previous.hasAudio();
        next.audioSeen = previous.hasAudio();
        next.soundFormat = previous.soundFormat();
        next.aac = previous.aac();
        return next;
    }

    /**
     * @param copied the next tag; held until {@link #tags()}.
     * @return the source once it is known, else null.
     * @throws LiveStreamException (SOURCE) when the window passed without usable video or a configuration is broken.
     */
    LiveSource offer(final CopiedTag copied)
    {
        held.add(copied);
        heldBytes += copied.flv().length;
        final FlvTag tag = copied.tag();
        switch (tag.type())
        {
            case SCRIPT -> onMetadata(tag.metadata());
            case VIDEO -> onVideo(copied, tag);
            case AUDIO -> onAudio(copied, tag);
        }
        if (FlvTagType.SCRIPT != tag.type() && Long.MIN_VALUE == firstMediaMs)
        {
            firstMediaMs = tag.timestampMs();
        }
        final boolean videoReady = null != avc || videoSeen && VideoCodec.AVC != videoCodec && codedFrameSeen;
        final boolean audioReady = null != aac || audioSeen && FlvTag.SOUND_FORMAT_AAC != soundFormat;
        if (videoReady && (audioReady || codedFrameSeen && !metadataAudio && !audioSeen))
        {
            return source(audioReady);
        }
        final boolean windowOver = Long.MIN_VALUE != firstMediaMs && FlvTagType.SCRIPT != tag.type() &&
            tag.timestampMs() - firstMediaMs >= windowMs;
        if (windowOver || heldBytes >= maxBytes)
        {
            if (!videoReady)
            {
                throw new LiveStreamException(LiveStreamException.Reason.SOURCE, (videoSeen ?
                    "no usable video configuration (" + videoCodec + ", no sequence header)" : "no video") +
                    " in the first " + (windowOver ? windowMs + " ms" : heldBytes + " bytes") +
                    " of the stream; Bifrost live needs a video track");
            }
            return source(audioReady);
        }
        return null;
    }

    /**
     * The stream ended before the probe was ready: decide on what is known.
     *
     * @return the source when its video is usable, else null.
     */
    LiveSource decideAtEnd()
    {
        final boolean videoReady = null != avc || videoSeen && VideoCodec.AVC != videoCodec && codedFrameSeen;
        final boolean audioReady = null != aac || audioSeen && FlvTag.SOUND_FORMAT_AAC != soundFormat;
        return videoReady ? source(audioReady) : null;
    }

    /**
     * @return whether any audio or video tag came.
     */
    boolean sawMedia()
    {
        return Long.MIN_VALUE != firstMediaMs;
    }

    /**
     * @return the tags held so far, oldest first; the probe forgets them.
     */
    List<CopiedTag> tags()
    {
        final List<CopiedTag> tags = new ArrayList<>(held);
        held.clear();
        heldBytes = 0;
        return tags;
    }

    private LiveSource source(final boolean withAudio)
    {
        final int width = null != avc ? avc.width() : metadataWidth;
        final int height = null != avc ? avc.height() : metadataHeight;
        return new LiveSource(videoCodec, enhanced, avc, width, height, frameRate, withAudio,
            withAudio ? soundFormat : -1, withAudio ? aac : null, videoBitrateBps, audioBitrateBps);
    }

    private void onMetadata(final Map<String, Object> metadata)
    {
        metadataWidth = positiveInt(metadata.get("width"), 16_384);
        metadataHeight = positiveInt(metadata.get("height"), 16_384);
        final Object rate = metadata.get("framerate");
        if (rate instanceof Number number && number.doubleValue() > 0 && number.doubleValue() <= 1000)
        {
            frameRate = number.doubleValue();
        }
        videoBitrateBps = positiveInt(metadata.get("videodatarate"), 1_000_000) * 1000;
        audioBitrateBps = positiveInt(metadata.get("audiodatarate"), 1_000_000) * 1000;
        metadataAudio = metadata.containsKey("audiocodecid");
    }

    private static int positiveInt(final Object value, final int max)
    {
        if (value instanceof Number number)
        {
            final double d = number.doubleValue();
            if (d > 0 && d <= max)
            {
                return (int)Math.round(d);
            }
        }
        return 0;
    }

    private void onVideo(final CopiedTag copied, final FlvTag tag)
    {
        videoSeen = true;
        videoCodec = tag.videoCodec();
        enhanced = tag.enhanced();
        if (VideoPacketKind.SEQUENCE_HEADER == tag.videoPacket() && VideoCodec.AVC == tag.videoCodec())
        {
            try
            {
                avc = AvcDecoderConfig.parse(copied.flv(), copied.bodyOffset() + VIDEO_CONFIG_OFFSET,
                    copied.bodyLength() - VIDEO_CONFIG_OFFSET);
            }
            catch (final MediaFormatException ex)
            {
                throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "malformed H.264 sequence header: " +
                    ex.getMessage(), ex);
            }
        }
        else if (VideoPacketKind.CODED_FRAME == tag.videoPacket())
        {
            codedFrameSeen = true;
        }
    }

    private void onAudio(final CopiedTag copied, final FlvTag tag)
    {
        audioSeen = true;
        soundFormat = tag.soundFormat();
        if (AudioPacketKind.SEQUENCE_HEADER == tag.audioPacket())
        {
            try
            {
                aac = AacConfig.parse(copied.flv(), copied.bodyOffset() + AUDIO_CONFIG_OFFSET,
                    copied.bodyLength() - AUDIO_CONFIG_OFFSET);
            }
            catch (final MediaFormatException ex)
            {
                throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "malformed AAC sequence header: " +
                    ex.getMessage(), ex);
            }
        }
        else
        {
            codedFrameSeen = true;
        }
    }
}
