package io.bifrost.origin.live.passthrough;

/**
 * Writes the CMAF header (ISO/IEC 23000-19 7.3.2) of a single-track rendition: {@code ftyp} and a {@code moov} whose
 * sample tables are empty (every sample lives in the fragments), with {@code mvex/trex} announcing fragments. Video
 * carries the publisher's {@code avcC} unchanged in an {@code avc1} sample entry; audio its AudioSpecificConfig in an
 * {@code mp4a} entry's {@code esds}. The track id is always {@value #TRACK_ID}. Stateless.
 */
final class CmafInitSegment
{
    /** The only track of a single-track rendition. */
    static final int TRACK_ID = 1;
    /** Video timescale: 90 kHz, so FLV millisecond timestamps map exactly. */
    static final int VIDEO_TIMESCALE = 90_000;
    /** tkhd flags: track_enabled | track_in_movie (14496-12 8.3.2). */
    private static final int TKHD_FLAGS = 0x3;
    /** ISO-639-2/T "und" packed into 15 bits (14496-12 8.4.2). */
    private static final int LANGUAGE_UND = 0x55C4;
    /** MPEG-4 audio in ObjectTypeIndication (14496-1 table 5). */
    private static final int OBJECT_TYPE_AAC = 0x40;
    /** streamType audio (0x05) << 2 | upStream 0 | reserved 1 (14496-1 7.2.6.6). */
    private static final int STREAM_TYPE_AUDIO = 0x15;

    private CmafInitSegment()
    {
    }

    /**
     * @param config the publisher's H.264 configuration.
     * @return the init segment bytes.
     */
    static byte[] video(final AvcDecoderConfig config)
    {
        final BoxBuffer out = new BoxBuffer(1024);
        ftyp(out);
        out.startBox("moov");
        mvhd(out);
        out.startBox("trak");
        tkhd(out, false, config.width(), config.height());
        out.startBox("mdia");
        mdhd(out, VIDEO_TIMESCALE);
        hdlr(out, "vide", "Bifrost video");
        out.startBox("minf");
        out.startFullBox("vmhd", 0, 1).u16(0).u16(0).u16(0).u16(0).endBox();
        dinf(out);
        out.startBox("stbl");
        out.startFullBox("stsd", 0, 0).u32(1);
        out.startBox("avc1");
        out.zeros(6).u16(1); // SampleEntry: reserved, data_reference_index
        out.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined[3]
        out.u16(config.width()).u16(config.height());
        out.u32(0x0048_0000).u32(0x0048_0000); // 72 dpi
        out.u32(0).u16(1); // reserved, frame_count
        out.zeros(32); // compressorname
        out.u16(0x0018).u16(0xFFFF); // depth, pre_defined -1
        out.startBox("avcC").bytes(config.record(), 0, config.record().length).endBox();
        out.endBox(); // avc1
        out.endBox(); // stsd
        emptySampleTables(out);
        out.endBox(); // stbl
        out.endBox(); // minf
        out.endBox(); // mdia
        out.endBox(); // trak
        mvex(out);
        out.endBox(); // moov
        return out.toArray();
    }

    /**
     * @param config the publisher's AAC configuration.
     * @return the init segment bytes.
     */
    static byte[] audio(final AacConfig config)
    {
        final BoxBuffer out = new BoxBuffer(1024);
        ftyp(out);
        out.startBox("moov");
        mvhd(out);
        out.startBox("trak");
        tkhd(out, true, 0, 0);
        out.startBox("mdia");
        mdhd(out, config.sampleRateHz());
        hdlr(out, "soun", "Bifrost audio");
        out.startBox("minf");
        out.startFullBox("smhd", 0, 0).u16(0).u16(0).endBox();
        dinf(out);
        out.startBox("stbl");
        out.startFullBox("stsd", 0, 0).u32(1);
        out.startBox("mp4a");
        out.zeros(6).u16(1); // SampleEntry: reserved, data_reference_index
        out.zeros(8); // reserved
        out.u16(config.channels()).u16(16); // channelcount, samplesize
        out.u16(0).u16(0); // pre_defined, reserved
        out.u32((long)Math.min(config.sampleRateHz(), 0xFFFF) << 16);
        esds(out, config.config());
        out.endBox(); // mp4a
        out.endBox(); // stsd
        emptySampleTables(out);
        out.endBox(); // stbl
        out.endBox(); // minf
        out.endBox(); // mdia
        out.endBox(); // trak
        mvex(out);
        out.endBox(); // moov
        return out.toArray();
    }

    private static void ftyp(final BoxBuffer out)
    {
        out.startBox("ftyp").fourCc("iso6").u32(0).fourCc("iso6").fourCc("cmfc").fourCc("mp41").endBox();
    }

    private static void mvhd(final BoxBuffer out)
    {
        out.startFullBox("mvhd", 0, 0).u32(0).u32(0).u32(1000).u32(0); // times, timescale, duration
        out.u32(0x0001_0000).u16(0x0100).zeros(10); // rate 1.0, volume 1.0, reserved
        out.unityMatrix().zeros(24); // matrix, pre_defined[6]
        out.u32(TRACK_ID + 1).endBox(); // next_track_ID
    }

    private static void tkhd(final BoxBuffer out, final boolean audio, final int width, final int height)
    {
        out.startFullBox("tkhd", 0, TKHD_FLAGS).u32(0).u32(0).u32(TRACK_ID).u32(0).u32(0); // times, id, reserved, duration
        out.zeros(8).u16(0).u16(0).u16(audio ? 0x0100 : 0).u16(0); // reserved, layer, group, volume, reserved
        out.unityMatrix().u32((long)width << 16).u32((long)height << 16).endBox();
    }

    private static void mdhd(final BoxBuffer out, final int timescale)
    {
        out.startFullBox("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0).u16(LANGUAGE_UND).u16(0).endBox();
    }

    private static void hdlr(final BoxBuffer out, final String handler, final String name)
    {
        out.startFullBox("hdlr", 0, 0).u32(0).fourCc(handler).zeros(12);
        for (int i = 0; i < name.length(); i++)
        {
            out.u8(name.charAt(i));
        }
        out.u8(0).endBox();
    }

    private static void dinf(final BoxBuffer out)
    {
        out.startBox("dinf").startFullBox("dref", 0, 0).u32(1).startFullBox("url ", 0, 1).endBox().endBox().endBox();
    }

    private static void emptySampleTables(final BoxBuffer out)
    {
        out.startFullBox("stts", 0, 0).u32(0).endBox();
        out.startFullBox("stsc", 0, 0).u32(0).endBox();
        out.startFullBox("stsz", 0, 0).u32(0).u32(0).endBox();
        out.startFullBox("stco", 0, 0).u32(0).endBox();
    }

    private static void mvex(final BoxBuffer out)
    {
        out.startBox("mvex").startFullBox("trex", 0, 0).u32(TRACK_ID).u32(1).u32(0).u32(0).u32(0).endBox().endBox();
    }

    /** ES_Descriptor with DecoderConfigDescriptor and DecoderSpecificInfo (14496-1 7.2.6.5, 14496-14 5.6). */
    private static void esds(final BoxBuffer out, final byte[] audioSpecificConfig)
    {
        final int asc = audioSpecificConfig.length;
        final int decoderConfig = 13 + 2 + asc;
        final int esDescriptor = 3 + 2 + decoderConfig + 2 + 1;
        out.startFullBox("esds", 0, 0);
        out.u8(0x03).u8(esDescriptor).u16(0).u8(0); // ES_DescrTag, ES_ID, flags
        out.u8(0x04).u8(decoderConfig).u8(OBJECT_TYPE_AAC).u8(STREAM_TYPE_AUDIO).u24(0).u32(0).u32(0);
        out.u8(0x05).u8(asc).bytes(audioSpecificConfig, 0, asc); // DecSpecificInfoTag
        out.u8(0x06).u8(1).u8(0x02); // SLConfigDescrTag, predefined MP4
        out.endBox();
    }
}
