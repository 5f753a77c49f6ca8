package io.bifrost.transcoder.packaging;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecStringReaderTest
{
    private static byte[] box(final String type, final byte[]... children)
    {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (final byte[] child : children)
        {
            payload.writeBytes(child);
        }
        return ByteBuffer.allocate(8 + payload.size()).putInt(8 + payload.size())
            .put(type.getBytes(StandardCharsets.ISO_8859_1)).put(payload.toByteArray()).array();
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            b[i] = (byte)values[i];
        }
        return b;
    }

    /** moov/trak/mdia/minf/stbl/stsd/{entry}/{config}, as ffmpeg's mov muxer lays it out. */
    private static byte[] init(final String entry, final String configType, final byte[] config)
    {
        final byte[] sampleEntry = box(entry, new byte[78], box(configType, config));
        final byte[] stsd = box("stsd", bytes(0, 0, 0, 0, 0, 0, 0, 1), sampleEntry);
        final byte[] moov = box("moov", box("mvhd", new byte[100]),
            box("trak", box("tkhd", new byte[84]), box("mdia", box("mdhd", new byte[24]),
                box("minf", box("stbl", stsd)))));
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(box("ftyp", "isomiso6cmfc".getBytes(StandardCharsets.ISO_8859_1)));
        file.writeBytes(moov);
        return file.toByteArray();
    }

    @Test
    void shouldReadAvcProfileConstraintsAndLevel()
    {
        assertThat(CodecStringReader.videoCodecString(init("avc1", "avcC", bytes(1, 0x64, 0x00, 0x1F, 0xFF))))
            .isEqualTo("avc1.64001f");
        assertThat(CodecStringReader.videoCodecString(init("avc1", "avcC", bytes(1, 0x42, 0xC0, 0x0D, 0xFF))))
            .isEqualTo("avc1.42c00d");
    }

    @Test
    void shouldReadHevcConfiguration()
    {
        // Main profile, compatibility flags 0x60000000 (reversed: 6), main tier, level 93 (3.1), constraint 0xB0
        final byte[] hvcc = bytes(1, 0x01, 0x60, 0, 0, 0, 0xB0, 0, 0, 0, 0, 0, 93, 0xF0, 0);
        assertThat(CodecStringReader.videoCodecString(init("hvc1", "hvcC", hvcc))).isEqualTo("hvc1.1.6.L93.B0");
    }

    @Test
    void shouldReadVp9AndAv1Configuration()
    {
        assertThat(CodecStringReader.videoCodecString(init("vp09", "vpcC", bytes(1, 0, 0, 0, 0, 21, 0x80, 0, 0))))
            .isEqualTo("vp09.00.21.08");
        assertThat(CodecStringReader.videoCodecString(init("av01", "av1C", bytes(0x81, 0x08, 0x0C, 0))))
            .isEqualTo("av01.0.08M.08");
    }

    @Test
    void shouldRefuseTruncatedOrForeignInitSegments()
    {
        final byte[] good = init("avc1", "avcC", bytes(1, 0x64, 0x00, 0x1F, 0xFF));

        assertThatThrownBy(() -> CodecStringReader.videoCodecString(Arrays.copyOf(good, good.length - 10)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad size");
        assertThatThrownBy(() -> CodecStringReader.videoCodecString(init("mp4a", "esds", new byte[20])))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported sample entry 'mp4a'");
        assertThatThrownBy(() -> CodecStringReader.videoCodecString(new byte[0]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 'moov' box");
        assertThatThrownBy(() -> CodecStringReader.videoCodecString(bytes(0xFF, 0xFF, 0xFF, 0xFF, 'm', 'o', 'o', 'v')))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad size");
    }
}
