package io.bifrost.origin.live;

import io.bifrost.transcoder.packaging.CodecStringReader;

import java.util.Locale;

import static io.bifrost.origin.live.Mp4Boxes.NOT_FOUND;
import static io.bifrost.origin.live.Mp4Boxes.end;
import static io.bifrost.origin.live.Mp4Boxes.require;
import static io.bifrost.origin.live.Mp4Boxes.start;

/**
 * Reads what the packager needs from a fragmented MP4 header: the track id, handler (video/audio), timescale
 * ({@code mdhd}), codec string ({@code avcC} through {@link CodecStringReader}; {@code esds} AudioSpecificConfig for
 * AAC) and the {@code trex} defaults that fragments without per-sample values rely on. Single-track CMAF only: the
 * first {@code trak} is the track. Stateless.
 */
final class InitSegmentParser
{
    /** Codec string when an AAC track's esds cannot be read: AAC-LC, what every producer here writes. */
    static final String FALLBACK_AAC = "mp4a.40.2";
    /** Codec string when an H.264 track's avcC cannot be read: High profile, level 4.0. */
    static final String FALLBACK_AVC = "avc1.640028";
    /** ISO/IEC 14496-12 12.2.3: AudioSampleEntry fields after the 8-byte sample entry header. */
    private static final int AUDIO_SAMPLE_ENTRY_FIELDS = 28;
    /** ISO/IEC 14496-1 7.2.2.1 descriptor tags. */
    private static final int ES_DESCRIPTOR = 0x03;
    private static final int DECODER_CONFIG_DESCRIPTOR = 0x04;
    private static final int DECODER_SPECIFIC_INFO = 0x05;

    private InitSegmentParser()
    {
    }

    /**
     * @param init ftyp + moov bytes (the array is kept, not copied).
     * @param expected the kind the producer announced.
     * @return what the header says.
     * @throws IllegalArgumentException when the header is malformed or the track is not of the expected kind.
     */
    static InitSegment parse(final byte[] init, final TrackKind expected)
    {
        final long moov = Mp4Boxes.require(init, 0, init.length, Mp4Boxes.MOOV, "the init segment");
        final long trak = Mp4Boxes.require(init, start(moov), end(moov), Mp4Boxes.TRAK, "moov");
        final long tkhd = Mp4Boxes.require(init, start(trak), end(trak), Mp4Boxes.TKHD, "trak");
        final int tkhdVersion = Mp4Boxes.uint8(init, start(tkhd), end(tkhd));
        final int trackId = Mp4Boxes.int32(init, start(tkhd) + (tkhdVersion == 1 ? 20 : 12), end(tkhd));
        final long mdia = Mp4Boxes.require(init, start(trak), end(trak), Mp4Boxes.MDIA, "trak");
        final long mdhd = Mp4Boxes.require(init, start(mdia), end(mdia), Mp4Boxes.MDHD, "mdia");
        final int mdhdVersion = Mp4Boxes.uint8(init, start(mdhd), end(mdhd));
        final long timescale = Mp4Boxes.uint32(init, start(mdhd) + (mdhdVersion == 1 ? 20 : 12), end(mdhd));
        require(timescale > 0, "mdhd timescale is 0");
        final long hdlr = Mp4Boxes.require(init, start(mdia), end(mdia), Mp4Boxes.HDLR, "mdia");
        final int handler = Mp4Boxes.int32(init, start(hdlr) + 8, end(hdlr));
        final TrackKind kind;
        if (handler == Mp4Boxes.VIDE)
        {
            kind = TrackKind.VIDEO;
        }
        else if (handler == Mp4Boxes.SOUN)
        {
            kind = TrackKind.AUDIO;
        }
        else
        {
            throw new IllegalArgumentException("track handler '" + Mp4Boxes.typeName(handler) +
                "' is neither video nor audio");
        }
        require(kind == expected, "the init segment holds " + kind + " but the rendition was announced as " +
            expected);

        final long minf = Mp4Boxes.require(init, start(mdia), end(mdia), Mp4Boxes.MINF, "mdia");
        final long stbl = Mp4Boxes.require(init, start(minf), end(minf), Mp4Boxes.STBL, "minf");
        final long stsd = Mp4Boxes.require(init, start(stbl), end(stbl), Mp4Boxes.STSD, "stbl");
        final int entry = start(stsd) + 8;
        final long entrySize = Mp4Boxes.uint32(init, entry, end(stsd));
        require(entrySize >= 8 && entrySize <= end(stsd) - entry, "stsd sample entry has a bad size " + entrySize);
        final int format = Mp4Boxes.int32(init, entry + 4, end(stsd));
        final int entryEnd = (int)(entry + entrySize);

        String codec;
        int sampleRate = 0;
        int channels = 0;
        if (kind == TrackKind.VIDEO)
        {
            require(format == Mp4Boxes.AVC1 || format == Mp4Boxes.AVC3, "video sample entry '" +
                Mp4Boxes.typeName(format) + "' is not H.264");
            try
            {
                codec = CodecStringReader.videoCodecString(init);
            }
            catch (final IllegalArgumentException ex)
            {
                codec = FALLBACK_AVC;
            }
        }
        else
        {
            require(format == Mp4Boxes.MP4A, "audio sample entry '" + Mp4Boxes.typeName(format) + "' is not AAC");
            require(entrySize >= 8 + AUDIO_SAMPLE_ENTRY_FIELDS, "mp4a sample entry is truncated");
            channels = Mp4Boxes.uint16(init, entry + 8 + 16, entryEnd);
            sampleRate = Mp4Boxes.uint16(init, entry + 8 + 24, entryEnd);
            final long esds = Mp4Boxes.find(init, entry + 8 + AUDIO_SAMPLE_ENTRY_FIELDS, entryEnd, Mp4Boxes.ESDS);
            codec = esds == NOT_FOUND ? FALLBACK_AAC : aacCodec(init, start(esds) + 4, end(esds));
        }

        long defaultDuration = 0;
        int defaultFlags = 0;
        final long mvex = Mp4Boxes.find(init, start(moov), end(moov), Mp4Boxes.MVEX);
        if (mvex != NOT_FOUND)
        {
            int pos = start(mvex);
            while (pos < end(mvex))
            {
                final long trex = Mp4Boxes.find(init, pos, end(mvex), Mp4Boxes.TREX);
                if (trex == NOT_FOUND)
                {
                    break;
                }
                // version/flags, track_ID, default_sample_description_index, duration, size, flags
                if (Mp4Boxes.int32(init, start(trex) + 4, end(trex)) == trackId)
                {
                    defaultDuration = Mp4Boxes.uint32(init, start(trex) + 12, end(trex));
                    defaultFlags = Mp4Boxes.int32(init, start(trex) + 20, end(trex));
                    break;
                }
                pos = end(trex);
            }
        }
        return new InitSegment(init, trackId, kind, timescale, codec, defaultDuration, defaultFlags, sampleRate,
            channels);
    }

    /**
     * @return {@code mp4a.40.N} from the AudioSpecificConfig's audio object type, or {@link #FALLBACK_AAC} when the
     * descriptors are not the usual ES_Descriptor / DecoderConfigDescriptor / DecoderSpecificInfo chain.
     */
    static String aacCodec(final byte[] b, final int from, final int to)
    {
        int pos = from;
        if (Mp4Boxes.uint8(b, pos, to) != ES_DESCRIPTOR)
        {
            return FALLBACK_AAC;
        }
        pos = skipDescriptorLength(b, pos + 1, to);
        pos += 2; // ES_ID
        final int esFlags = Mp4Boxes.uint8(b, pos, to);
        pos++;
        if ((esFlags & 0x80) != 0)
        {
            pos += 2; // dependsOn_ES_ID
        }
        if ((esFlags & 0x40) != 0)
        {
            pos += 1 + Mp4Boxes.uint8(b, pos, to); // URL
        }
        if ((esFlags & 0x20) != 0)
        {
            pos += 2; // OCR_ES_Id
        }
        if (Mp4Boxes.uint8(b, pos, to) != DECODER_CONFIG_DESCRIPTOR)
        {
            return FALLBACK_AAC;
        }
        pos = skipDescriptorLength(b, pos + 1, to);
        final int objectType = Mp4Boxes.uint8(b, pos, to);
        pos += 13; // objectTypeIndication, streamType, bufferSizeDB, maxBitrate, avgBitrate
        if (objectType != 0x40 || Mp4Boxes.uint8(b, pos, to) != DECODER_SPECIFIC_INFO)
        {
            return FALLBACK_AAC;
        }
        pos = skipDescriptorLength(b, pos + 1, to);
        final int first = Mp4Boxes.uint8(b, pos, to);
        int audioObjectType = first >>> 3;
        if (audioObjectType == 31)
        {
            final int second = Mp4Boxes.uint8(b, pos + 1, to);
            audioObjectType = 32 + (((first & 0x07) << 3) | (second >>> 5));
        }
        return audioObjectType == 0 ? FALLBACK_AAC : String.format(Locale.ROOT, "mp4a.40.%d", audioObjectType);
    }

    /** ISO/IEC 14496-1 8.3.3: a descriptor length is 1-4 bytes of 7 bits each, the top bit meaning "more". */
    private static int skipDescriptorLength(final byte[] b, final int from, final int to)
    {
        int pos = from;
        for (int i = 0; i < 4; i++)
        {
            final int value = Mp4Boxes.uint8(b, pos++, to);
            if ((value & 0x80) == 0)
            {
                return pos;
            }
        }
        return pos;
    }
}
