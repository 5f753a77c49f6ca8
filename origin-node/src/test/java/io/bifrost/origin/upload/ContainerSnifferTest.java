package io.bifrost.origin.upload;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerSnifferTest
{
    private static String detect(final byte[] head)
    {
        final byte[] window = Arrays.copyOf(head, Math.max(head.length, ContainerSniffer.WINDOW));
        return ContainerSniffer.detect(window, Math.min(head.length, ContainerSniffer.WINDOW));
    }

    private static byte[] withAscii(final int at, final String text, final int size)
    {
        final byte[] bytes = new byte[size];
        System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, at, text.length());
        return bytes;
    }

    @Test
    void shouldRecogniseTheContainersCamerasPhonesAndEditorsWrite()
    {
        assertThat(detect(TestPayloads.mp4Like(600, 1))).isEqualTo("mp4/mov");
        assertThat(detect(withAscii(4, "moov", 600))).isEqualTo("mp4/mov");
        assertThat(detect(new byte[] {0x1A, 0x45, (byte)0xDF, (byte)0xA3, 1, 2, 3, 4})).isEqualTo("matroska/webm");
        assertThat(detect(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9})).isEqualTo("flv");
        final byte[] ts = new byte[600];
        ts[0] = 0x47;
        ts[188] = 0x47;
        ts[376] = 0x47;
        assertThat(detect(ts)).isEqualTo("mpegts");
        final byte[] m2ts = new byte[600];
        m2ts[4] = 0x47;
        m2ts[196] = 0x47;
        m2ts[388] = 0x47;
        assertThat(detect(m2ts)).isEqualTo("m2ts");
        final byte[] avi = withAscii(0, "RIFF", 600);
        System.arraycopy("AVI LIST".getBytes(StandardCharsets.ISO_8859_1), 0, avi, 8, 8);
        assertThat(detect(avi)).isEqualTo("avi");
        assertThat(detect(new byte[] {0, 0, 1, (byte)0xBA, 0x44, 0, 4})).isEqualTo("mpeg-ps");
        assertThat(detect(withAscii(0, "OggS", 100))).isEqualTo("ogg");
        assertThat(detect(withAscii(0, "YUV4MPEG2 W320 H240", 100))).isEqualTo("y4m");
    }

    @Test
    void shouldRefuseTextImagesArchivesAndDocuments()
    {
        assertThat(detect(TestPayloads.text(600))).isNull();
        assertThat(detect(new byte[] {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})).isNull();
        assertThat(detect(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0})).isNull();
        assertThat(detect(withAscii(0, "%PDF-1.7\n", 600))).isNull();
        assertThat(detect(withAscii(0, "RIFF\0\0\0\0WAVEfmt ", 600))).isNull();
        assertThat(detect(withAscii(0, "Greetings from a text file that begins with a G", 600))).isNull();
        assertThat(ContainerSniffer.describe(TestPayloads.text(100), 100)).contains("looks like text");
    }

    @Test
    void shouldJudgeUploadsShorterThanTheWindowOnWhatTheyHave()
    {
        assertThat(detect(Arrays.copyOf(TestPayloads.mp4Like(24, 2), 24))).isEqualTo("mp4/mov");
        assertThat(detect(new byte[] {0x47})).isNull();
    }
}
