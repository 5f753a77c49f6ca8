package io.bifrost.origin.live.passthrough;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder configurations passthrough reads, on records libx264 wrote through ffmpeg's FLV muxer (copied here as
 * hex) and on broken variants.
 */
public class DecoderConfigTest
{
    /** 1920x1080 High: coded 1088 lines, cropped by the SPS. */
    public static final byte[] HIGH_1080P = HexFormat.of().parseHex("01640028ffe1001b67640028acd940780227e5c04400000300" +
        "0400000300c83c60c65801000668ebe3cb22c0fdf8f800");
    /** 1280x720 High. */
    public static final byte[] HIGH_720P = HexFormat.of().parseHex("0164001fffe1001a6764001facd9405005bb011000000300100" +
        "0000303c0f183196001000668ebe3cb22c0fdf8f800");
    /** 320x240 Constrained Baseline. */
    public static final byte[] BASELINE_240P = HexFormat.of().parseHex("0142c00dffe100186742c00dd90141fb01100000030010000" +
        "0030320f142a48001000568cb83cb20");
    /** 854x480 Main: width not a multiple of 16, cropped. */
    public static final byte[] MAIN_480P = HexFormat.of().parseHex("014d401effe10018674d401eeca06c1ef378088000000300800" +
        "00019078b16cb01000568ebe3cb20");

    @Test
    void shouldReadThePictureSizeWithCroppingFromEveryProfile()
    {
        final AvcDecoderConfig high = AvcDecoderConfig.parse(HIGH_1080P, 0, HIGH_1080P.length);
        assertThat(high.width()).isEqualTo(1920);
        assertThat(high.height()).isEqualTo(1080);
        assertThat(high.nalLengthSize()).isEqualTo(4);
        assertThat(high.codecString()).isEqualTo("avc1.640028");
        assertThat(size(HIGH_720P)).containsExactly(1280, 720);
        assertThat(size(BASELINE_240P)).containsExactly(320, 240);
        assertThat(size(MAIN_480P)).containsExactly(854, 480);
    }

    @Test
    void shouldReadARecordInsideALargerBufferAndKeepItsBytes()
    {
        final byte[] tag = new byte[5 + HIGH_720P.length];
        System.arraycopy(HIGH_720P, 0, tag, 5, HIGH_720P.length);
        final AvcDecoderConfig config = AvcDecoderConfig.parse(tag, 5, HIGH_720P.length);
        assertThat(config.record()).isEqualTo(HIGH_720P);
        assertThat(config).isEqualTo(AvcDecoderConfig.parse(HIGH_720P, 0, HIGH_720P.length));
    }

    @Test
    void shouldRefuseBrokenRecordsWithAReason()
    {
        final byte[] version0 = HIGH_720P.clone();
        version0[0] = 0;
        assertThatThrownBy(() -> AvcDecoderConfig.parse(version0, 0, version0.length))
            .isInstanceOf(MediaFormatException.class).hasMessageContaining("version 0");
        final byte[] lengthSize3 = HIGH_720P.clone();
        lengthSize3[4] = (byte)0xFE;
        assertThatThrownBy(() -> AvcDecoderConfig.parse(lengthSize3, 0, lengthSize3.length))
            .hasMessageContaining("length size 3");
        assertThatThrownBy(() -> AvcDecoderConfig.parse(HIGH_720P, 0, 20))
            .isInstanceOf(MediaFormatException.class).hasMessageContaining("does not fit");
        final byte[] noSps = HIGH_720P.clone();
        noSps[5] = (byte)0xE0;
        assertThatThrownBy(() -> AvcDecoderConfig.parse(noSps, 0, noSps.length))
            .hasMessageContaining("no sequence parameter set");
    }

    @Test
    void shouldReadAacLcAndExplicitHeAac()
    {
        final AacConfig lc = AacConfig.parse(new byte[]{ 0x11, (byte)0x90 }, 0, 2);
        assertThat(lc.objectType()).isEqualTo(2);
        assertThat(lc.sampleRateHz()).isEqualTo(48_000);
        assertThat(lc.channels()).isEqualTo(2);
        assertThat(lc.samplesPerFrame()).isEqualTo(1024);
        assertThat(lc.codecString()).isEqualTo("mp4a.40.2");
        final AacConfig he = AacConfig.parse(new byte[]{ 0x2B, (byte)0x92, 0x08, 0x00 }, 0, 4);
        assertThat(he.sampleRateHz()).isEqualTo(22_050);
        assertThat(he.objectType()).isEqualTo(2);
        assertThatThrownBy(() -> AacConfig.parse(new byte[]{ 0x17, (byte)0x80 }, 0, 2))
            .isInstanceOf(MediaFormatException.class).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> AacConfig.parse(new byte[]{ (byte)0xF8, 0x10, 0x10 }, 0, 3))
            .hasMessageContaining("use transcode");
    }

    private static int[] size(final byte[] record)
    {
        final AvcDecoderConfig config = AvcDecoderConfig.parse(record, 0, record.length);
        return new int[]{ config.width(), config.height() };
    }
}
