package io.bifrost.origin.live.passthrough;

import io.bifrost.ingest.rtmp.flv.AudioPacketKind;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.ingest.rtmp.flv.VideoPacketKind;
import io.bifrost.origin.live.CmafTrackSink;
import io.bifrost.origin.live.LiveSession;
import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.TrackKind;
import io.bifrost.origin.live.ingest.CopiedTag;
import io.bifrost.origin.live.ingest.LiveProducer;
import io.bifrost.origin.live.ingest.LiveSource;
import io.bifrost.origin.live.ingest.LiveStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Passthrough: the publisher's FLV H.264/AAC remuxed to CMAF in Java, no ffmpeg (DESIGN.md section 2, Live: the
 * lowest-latency path). Renditions: {@value #VIDEO_RENDITION} (the video as published) and, when the source has AAC
 * audio, {@value #AUDIO_RENDITION}. Each gets an init segment from the sequence header, then one fragment per part
 * (see {@link CmafFragmenter}): video fragments start at keyframes and end at the part target, audio fragments end at
 * the part target.
 *
 * <p>Timing: FLV millisecond decode timestamps, relative to the stream's first media tag, become 90 kHz video decode
 * times; composition times become composition offsets. Audio decode times count samples (1024 or 960 per AAC frame)
 * at the AAC sample rate, re-synchronised to the FLV timestamps after a gap of more than four frames.
 *
 * <p>A sequence header that differs from the one the session opened with (a new resolution, say) is not taken
 * ({@link #onTag} answers false): the stream then finishes this session and opens a new one (a new epoch) from that
 * tag on. Refused with {@link LiveStreamException} (reason SOURCE): video other than H.264 (HEVC, AV1, VP9 over
 * Enhanced RTMP; legacy codecs), audio other than AAC, and malformed decoder configurations. Frames before the first keyframe, and frames whose NAL unit lengths do not add up, are dropped
 * and counted. Not thread-safe: the stream's writer thread only.
 */
public final class PassthroughMuxer implements LiveProducer
{
    /** The video rendition's name. */
    public static final String VIDEO_RENDITION = "source";
    /** The audio rendition's name. */
    public static final String AUDIO_RENDITION = "audio";
    /** What passthrough takes, for refusals. */
    static final String SUPPORTED = "passthrough supports H.264/AAC; use transcode";
    /** Bandwidth announced for video when onMetaData does not say. */
    static final int DEFAULT_VIDEO_BPS = 6_000_000;
    /** Bandwidth announced for audio when onMetaData does not say. */
    static final int DEFAULT_AUDIO_BPS = 128_000;
    /** Legacy AVC tag header: frame type/codec, AVCPacketType, CompositionTime (FLV spec E.4.3.1). */
    private static final int LEGACY_AVC_HEADER = 5;
    /** E-RTMP header: first byte and FourCC; CodedFrames adds a 24-bit composition time. */
    private static final int EX_HEADER = 5;
    private static final int EX_CODED_FRAMES = 1;
    /** AAC tag header: sound format byte, AACPacketType (E.4.2.1). */
    private static final int AAC_HEADER = 2;
    /** Audio drift (in frames) between sample counting and FLV timestamps that counts as a gap. */
    private static final int AUDIO_RESYNC_FRAMES = 4;

    private static final Logger LOG = LoggerFactory.getLogger(PassthroughMuxer.class);

    private final String streamId;
    private final LiveSession session;
    private final AvcDecoderConfig avc;
    private final AacConfig aac;
    private final CmafTrackSink videoSink;
    private final CmafTrackSink audioSink;
    private final CmafFragmenter video;
    private final CmafFragmenter audio;
    private long baseMs = Long.MIN_VALUE;
    private boolean sawKeyframe;
    private long audioDecodeTime = -1;
    private long droppedFrames;
    private boolean ended;

    private PassthroughMuxer(final String streamId, final LiveSession session, final LiveSource source,
        final int partTargetMs)
    {
        this.streamId = streamId;
        this.session = session;
        this.avc = source.avc();
        this.aac = source.aac();
        this.videoSink = session.track(VIDEO_RENDITION);
        final long frameTicks = source.frameRate() > 0 ?
            Math.round(CmafInitSegment.VIDEO_TIMESCALE / source.frameRate()) : CmafInitSegment.VIDEO_TIMESCALE / 30;
        this.video = new CmafFragmenter(videoSink, true, (long)partTargetMs * (CmafInitSegment.VIDEO_TIMESCALE / 1000),
            frameTicks);
        if (null != aac)
        {
            this.audioSink = session.track(AUDIO_RENDITION);
            this.audio = new CmafFragmenter(audioSink, false, (long)partTargetMs * aac.sampleRateHz() / 1000,
                aac.samplesPerFrame());
        }
        else
        {
            this.audioSink = null;
            this.audio = null;
        }
    }

    /**
     * Check the source, open its live session and write the init segments.
     *
     * @param streams      the packager.
     * @param streamId     the stream.
     * @param source       what the stream carries.
     * @param partTargetMs the part target.
     * @return the muxer, ready for the stream's tags from the first one on.
     * @throws LiveStreamException (SOURCE) when the source is not H.264 (+ AAC).
     */
    public static PassthroughMuxer open(final LiveStreams streams, final String streamId, final LiveSource source,
        final int partTargetMs)
    {
        if (VideoCodec.AVC != source.videoCodec() || null == source.avc())
        {
            throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "stream " + streamId + " sends " +
                describe(source) + " video: " + SUPPORTED);
        }
        if (source.hasAudio() && (FlvTag.SOUND_FORMAT_AAC != source.soundFormat() || null == source.aac()))
        {
            throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "stream " + streamId +
                " sends audio in FLV SoundFormat " + source.soundFormat() + (null == source.aac() &&
                FlvTag.SOUND_FORMAT_AAC == source.soundFormat() ? " without an AAC sequence header" : "") + ": " +
                SUPPORTED);
        }
        final AvcDecoderConfig avc = source.avc();
        final List<LiveTrack> tracks = new ArrayList<>(2);
        tracks.add(new LiveTrack(VIDEO_RENDITION, TrackKind.VIDEO,
            source.videoBitrateBps() > 0 ? source.videoBitrateBps() : DEFAULT_VIDEO_BPS, avc.width(), avc.height(),
            source.frameRate()));
        if (null != source.aac())
        {
            tracks.add(new LiveTrack(AUDIO_RENDITION, TrackKind.AUDIO,
                source.audioBitrateBps() > 0 ? source.audioBitrateBps() : DEFAULT_AUDIO_BPS, 0, 0, 0));
        }
        final LiveSession session;
        try
        {
            session = streams.open(streamId, tracks);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new LiveStreamException(LiveStreamException.Reason.PACKAGER, "stream " + streamId +
                ": the packager refused the passthrough tracks " + tracks + ": " + ex.getMessage(), ex);
        }
        final PassthroughMuxer muxer;
        try
        {
            muxer = new PassthroughMuxer(streamId, session, source, partTargetMs);
            muxer.video.writeInit(CmafInitSegment.video(avc));
            if (null != muxer.audio)
            {
                muxer.audio.writeInit(CmafInitSegment.audio(source.aac()));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            session.end();
            throw new LiveStreamException(LiveStreamException.Reason.PACKAGER, "stream " + streamId +
                ": the packager refused the passthrough init segment: " + ex.getMessage(), ex);
        }
        LOG.info("live {}: passthrough {} {}x{}{}", streamId, avc.codecString(), avc.width(), avc.height(),
            null != source.aac() ? " + " + source.aac() : " (no audio)");
        return muxer;
    }

    @Override
    public boolean onTag(final CopiedTag copied)
    {
        final FlvTag tag = copied.tag();
        try
        {
            if (tag.isVideo())
            {
                return onVideo(copied, tag);
            }
            if (tag.isAudio())
            {
                return onAudio(copied, tag);
            }
            return true;
        }
        catch (final MediaFormatException ex)
        {
            throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "stream " + streamId + ": " +
                ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new LiveStreamException(LiveStreamException.Reason.PACKAGER, "stream " + streamId +
                ": the packager refused a passthrough fragment: " + ex.getMessage(), ex);
        }
    }

    private boolean onVideo(final CopiedTag copied, final FlvTag tag)
    {
        if (VideoCodec.AVC != tag.videoCodec())
        {
            throw new MediaFormatException(tag.videoCodec() + " video: " + SUPPORTED);
        }
        final byte[] flv = copied.flv();
        final int body = copied.bodyOffset();
        final int length = copied.bodyLength();
        if (VideoPacketKind.SEQUENCE_HEADER == tag.videoPacket())
        {
            final int header = tag.enhanced() ? EX_HEADER : LEGACY_AVC_HEADER;
            final AvcDecoderConfig config = AvcDecoderConfig.parse(flv, body + header, length - header);
            if (!config.equals(avc))
            {
                LOG.info("live {}: the H.264 configuration changed ({} -> {}): passthrough starts a new session",
                    streamId, avc, config);
                return false;
            }
            return true;
        }
        if (VideoPacketKind.CODED_FRAME != tag.videoPacket())
        {
            return true;
        }
        final int header = tag.enhanced() ?
            EX_HEADER + (EX_CODED_FRAMES == (flv[body] & 0x0F) ? 3 : 0) : LEGACY_AVC_HEADER;
        if (length <= header || !sawKeyframe && !tag.keyframe() || !nalUnitsFit(flv, body + header, length - header))
        {
            droppedFrames++;
            if (1 == droppedFrames || 0 == droppedFrames % 100)
            {
                LOG.warn("live {}: passthrough dropped {} video frame(s) (before the first keyframe, empty or with " +
                    "NAL lengths that do not add up)", streamId, droppedFrames);
            }
            return true;
        }
        sawKeyframe = true;
        final long dts = relativeMs(tag.timestampMs()) * (CmafInitSegment.VIDEO_TIMESCALE / 1000);
        video.addSample(dts, tag.compositionTimeMs() * (CmafInitSegment.VIDEO_TIMESCALE / 1000), tag.keyframe(), flv,
            body + header, length - header);
        return true;
    }

    private boolean onAudio(final CopiedTag copied, final FlvTag tag)
    {
        if (null == audio)
        {
            return true; // the source announced no audio when the session opened
        }
        if (FlvTag.SOUND_FORMAT_AAC != tag.soundFormat())
        {
            throw new MediaFormatException("audio in FLV SoundFormat " + tag.soundFormat() + ": " + SUPPORTED);
        }
        final byte[] flv = copied.flv();
        final int body = copied.bodyOffset();
        final int length = copied.bodyLength();
        if (AudioPacketKind.SEQUENCE_HEADER == tag.audioPacket())
        {
            final AacConfig config = AacConfig.parse(flv, body + AAC_HEADER, length - AAC_HEADER);
            if (!config.equals(aac))
            {
                LOG.info("live {}: the AAC configuration changed ({} -> {}): passthrough starts a new session",
                    streamId, aac, config);
                return false;
            }
            return true;
        }
        if (length <= AAC_HEADER)
        {
            return true;
        }
        final long rate = aac.sampleRateHz();
        final long fromTimestamp = relativeMs(tag.timestampMs()) * rate / 1000;
        final long frame = aac.samplesPerFrame();
        if (audioDecodeTime < 0 || Math.abs(fromTimestamp - audioDecodeTime) > AUDIO_RESYNC_FRAMES * frame)
        {
            audioDecodeTime = Math.max(fromTimestamp, audioDecodeTime);
        }
        audio.addSample(audioDecodeTime, 0, true, flv, body + AAC_HEADER, length - AAC_HEADER);
        audioDecodeTime += frame;
        return true;
    }

    private long relativeMs(final long timestampMs)
    {
        if (Long.MIN_VALUE == baseMs)
        {
            baseMs = timestampMs;
        }
        return Math.max(0, timestampMs - baseMs);
    }

    /** The AVCC sample is a chain of (length, NAL unit) that must end exactly at the end of the tag. */
    private boolean nalUnitsFit(final byte[] data, final int offset, final int length)
    {
        final int size = avc.nalLengthSize();
        int at = offset;
        final int end = offset + length;
        while (at < end)
        {
            if (at + size > end)
            {
                return false;
            }
            long nal = 0;
            for (int i = 0; i < size; i++)
            {
                nal = (nal << 8) | (data[at + i] & 0xFF);
            }
            at += size;
            if (0 == nal || nal > end - at)
            {
                return false;
            }
            at += (int)nal;
        }
        return true;
    }

    /**
     * @return video frames dropped so far.
     */
    public long droppedFrames()
    {
        return droppedFrames;
    }

    @Override
    public void finish()
    {
        if (ended)
        {
            return;
        }
        try
        {
            video.flush();
            if (null != audio)
            {
                audio.flush();
            }
        }
        catch (final IllegalArgumentException ex)
        {
            LOG.warn("live {}: the packager refused the last passthrough fragment: {}", streamId, ex.getMessage());
        }
        abort();
    }

    @Override
    public void abort()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        endQuietly(videoSink);
        if (null != audioSink)
        {
            endQuietly(audioSink);
        }
        session.end();
        LOG.info("live {}: passthrough ended after {} video and {} audio fragments", streamId, video.fragments(),
            null == audio ? 0 : audio.fragments());
    }

    private void endQuietly(final CmafTrackSink sink)
    {
        try
        {
            sink.end();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("live {}: ending a passthrough track failed: {}", streamId, ex.toString());
        }
    }

    private static String describe(final LiveSource source)
    {
        if (VideoCodec.AVC == source.videoCodec())
        {
            return "H.264 without a sequence header";
        }
        return VideoCodec.OTHER == source.videoCodec() ? "legacy FLV codec" : source.videoCodec().toString();
    }
}
