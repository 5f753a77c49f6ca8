package io.bifrost.transcoder.probe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeOutputParserTest
{
    private static SourceInfo parse(final String json) throws ProbeOutputException
    {
        return ProbeOutputParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String videoStream(final String extra)
    {
        return "{\"index\":0,\"codec_name\":\"h264\",\"codec_type\":\"video\",\"width\":1920,\"height\":1080," +
            "\"pix_fmt\":\"yuv420p\",\"r_frame_rate\":\"30/1\",\"avg_frame_rate\":\"30/1\"" + extra + "}";
    }

    @Test
    void shouldParseRealFfprobeOutputOfAClipWithAudio() throws Exception
    {
        final byte[] json;
        try (InputStream in = getClass().getResourceAsStream("ffprobe-640x360-h264-aac.json"))
        {
            json = in.readAllBytes();
        }
        final SourceInfo source = ProbeOutputParser.parse(json);

        assertThat(source.container()).isEqualTo("mov,mp4,m4a,3gp,3g2,mj2");
        assertThat(source.durationSeconds()).isEqualTo(6.0);
        assertThat(source.sizeBytes()).isPositive();
        assertThat(source.video().codec()).isEqualTo("h264");
        assertThat(source.video().displayWidth()).isEqualTo(640);
        assertThat(source.video().displayHeight()).isEqualTo(360);
        assertThat(source.video().rotationDegrees()).isZero();
        assertThat(source.video().bitDepth()).isEqualTo(8);
        assertThat(source.video().averageFrameRate()).isEqualTo(FrameRate.of(25));
        assertThat(source.video().isVariableFrameRate()).isFalse();
        assertThat(source.video().frameCount()).isEqualTo(150);
        assertThat(source.audio().codec()).isEqualTo("aac");
        assertThat(source.audio().channels()).isEqualTo(1);
        assertThat(source.audio().sampleRateHz()).isEqualTo(44100);
    }

    @Test
    void shouldSwapDisplayDimensionsForDisplayMatrixRotation() throws Exception
    {
        final SourceInfo source = parse("{\"streams\":[" + videoStream(
            ",\"side_data_list\":[{\"side_data_type\":\"Display Matrix\",\"rotation\":-90}]") + "]," +
            "\"format\":{\"format_name\":\"mov\",\"duration\":\"10.0\"}}");

        assertThat(source.video().rotationDegrees()).isEqualTo(270);
        assertThat(source.video().displayWidth()).isEqualTo(1080);
        assertThat(source.video().displayHeight()).isEqualTo(1920);
    }

    @Test
    void shouldApplyTheSampleAspectRatioOfAnamorphicSources() throws Exception
    {
        // PAL 16:9 DVD: 720x576 stored, 64:45 pixels, displayed 1024x576
        final SourceInfo source = parse("{\"streams\":[{\"codec_type\":\"video\",\"width\":720,\"height\":576," +
            "\"sample_aspect_ratio\":\"64:45\",\"avg_frame_rate\":\"25/1\"}],\"format\":{\"duration\":\"5\"}}");

        assertThat(source.video().sampleAspectRatio()).isEqualTo(new SampleAspectRatio(64, 45));
        assertThat(source.video().displayWidth()).isEqualTo(1024);
        assertThat(source.video().displayHeight()).isEqualTo(576);
        assertThat(SampleAspectRatio.parseOrSquare("0:1")).isEqualTo(SampleAspectRatio.SQUARE);
        assertThat(SampleAspectRatio.parseOrSquare("N/A")).isEqualTo(SampleAspectRatio.SQUARE);
        assertThat(SampleAspectRatio.parseOrSquare("1000:1")).isEqualTo(SampleAspectRatio.SQUARE);
    }

    @Test
    void shouldReadLegacyRotateTag() throws Exception
    {
        final SourceInfo source = parse("{\"streams\":[" + videoStream(",\"tags\":{\"rotate\":\"90\"}") + "]," +
            "\"format\":{\"duration\":\"10.0\"}}");

        assertThat(source.video().rotationDegrees()).isEqualTo(90);
        assertThat(source.video().isQuarterTurn()).isTrue();
    }

    @Test
    void shouldReportTenBitDepthFromPixelFormatWhenBitsPerSampleIsAbsent() throws Exception
    {
        final SourceInfo source = parse("{\"streams\":[{\"codec_type\":\"video\",\"codec_name\":\"hevc\"," +
            "\"width\":3840,\"height\":2160,\"pix_fmt\":\"yuv420p10le\",\"avg_frame_rate\":\"60000/1001\"}]," +
            "\"format\":{\"duration\":\"5\"}}");

        assertThat(source.video().bitDepth()).isEqualTo(10);
        assertThat(source.video().averageFrameRate()).isEqualTo(new FrameRate(60000, 1001));
    }

    @Test
    void shouldDetectVariableFrameRate() throws Exception
    {
        final SourceInfo source = parse("{\"streams\":[{\"codec_type\":\"video\",\"width\":1280,\"height\":720," +
            "\"r_frame_rate\":\"60/1\",\"avg_frame_rate\":\"2997/100\"}],\"format\":{\"duration\":\"5\"}}");

        assertThat(source.video().isVariableFrameRate()).isTrue();
        assertThat(source.video().nominalFrameRate()).isEqualTo(new FrameRate(2997, 100));
    }

    @Test
    void shouldSkipCoverArtAndFindNoVideoInAnAudioFile() throws Exception
    {
        final SourceInfo source = parse("{\"streams\":[{\"codec_type\":\"audio\",\"codec_name\":\"mp3\"," +
            "\"channels\":2,\"sample_rate\":\"44100\"},{\"codec_type\":\"video\",\"codec_name\":\"mjpeg\"," +
            "\"width\":500,\"height\":500,\"disposition\":{\"attached_pic\":1}}],\"format\":{\"duration\":\"180\"}}");

        assertThat(source.hasVideo()).isFalse();
        assertThat(source.audio().channels()).isEqualTo(2);
    }

    @Test
    void shouldFallBackToStreamDurationWhenFormatHasNone() throws Exception
    {
        final SourceInfo source = parse("{\"streams\":[" + videoStream(",\"duration\":\"7.5\"") + "]," +
            "\"format\":{\"duration\":\"N/A\"}}");

        assertThat(source.durationSeconds()).isEqualTo(7.5);
    }

    @Test
    void shouldRefuseMalformedOutputWithAMessageNamingTheProblem()
    {
        assertThatThrownBy(() -> parse("")).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("printed nothing");
        assertThatThrownBy(() -> parse("{\"streams\":[")).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{}")).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("neither 'format' nor 'streams'");
        assertThatThrownBy(() -> parse("{\"streams\":{}}")).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("'streams' is not an array");
        assertThatThrownBy(() -> parse("{\"streams\":[{\"codec_type\":\"video\",\"height\":10}]}"))
            .isInstanceOf(ProbeOutputException.class).hasMessageContaining("without 'width'");
        assertThatThrownBy(() -> parse("{\"streams\":[{\"codec_type\":\"video\",\"width\":\"1920\",\"height\":1}]}"))
            .isInstanceOf(ProbeOutputException.class).hasMessageContaining("streams[0].width is not an integer");
        assertThatThrownBy(() -> parse("{\"format\":{\"duration\":\"-3\"}}"))
            .isInstanceOf(ProbeOutputException.class).hasMessageContaining("format.duration is negative");
        assertThatThrownBy(() -> parse("{\"format\":{\"duration\":\"NaN\"}}"))
            .isInstanceOf(ProbeOutputException.class).hasMessageContaining("not finite");
    }

    @Test
    void shouldRefuseDeeplyNestedJsonWithoutStackOverflow()
    {
        final String deep = "{\"streams\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThatThrownBy(() -> parse(deep)).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldRefuseOversizedOutput()
    {
        final byte[] huge = new byte[ProbeOutputParser.MAX_DOCUMENT_BYTES + 1];

        assertThatThrownBy(() -> ProbeOutputParser.parse(huge)).isInstanceOf(ProbeOutputException.class)
            .hasMessageContaining("more than");
    }

    @Test
    void frameRateShouldParseFfprobeForms()
    {
        assertThat(FrameRate.parseOrNull("30000/1001")).isEqualTo(new FrameRate(30000, 1001));
        assertThat(FrameRate.parseOrNull("50/2")).isEqualTo(FrameRate.of(25));
        assertThat(FrameRate.parseOrNull("0/0")).isNull();
        assertThat(FrameRate.parseOrNull("abc")).isNull();
        assertThat(FrameRate.parseOrNull("1/-1")).isNull();
        assertThat(FrameRate.of(120).cappedAt(FrameRate.of(60))).isEqualTo(FrameRate.of(60));
        assertThat(new FrameRate(30000, 1001).toFfmpeg()).isEqualTo("30000/1001");
    }

    static byte[] resource(final String name) throws IOException
    {
        try (InputStream in = ProbeOutputParserTest.class.getResourceAsStream(name))
        {
            return in.readAllBytes();
        }
    }
}
